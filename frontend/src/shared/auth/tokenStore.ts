/**
 * The bearer token lives in sessionStorage: it survives a reload but not the end of the browser
 * session, and is dropped at its expiry or on the first 401.
 */
const KEY = "tradefin.session";

type Listener = () => void;
const listeners = new Set<Listener>();

interface Stored {
  token: string;
  expiresAt: string;
}

function read(): Stored | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const stored = JSON.parse(raw) as Stored;
    if (!stored.token || Date.parse(stored.expiresAt) <= Date.now()) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return stored;
  } catch {
    return null;
  }
}

export const tokenStore = {
  get(): string | null {
    return read()?.token ?? null;
  },
  set(token: string, expiresAt: string): void {
    sessionStorage.setItem(KEY, JSON.stringify({ token, expiresAt }));
    listeners.forEach((listener) => listener());
  },
  clear(): void {
    sessionStorage.removeItem(KEY);
    listeners.forEach((listener) => listener());
  },
  /** The API said 401: the session is over. */
  expire(): void {
    if (sessionStorage.getItem(KEY) !== null) this.clear();
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
