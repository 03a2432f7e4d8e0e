import { useCallback, useRef } from "react";

import { newIdempotencyKey } from "./client";

/**
 * One Idempotency-Key per distinct body: a retry of the same submission (double click, network
 * failure) reuses the key and acts once; an edited form gets a new key. Reset after a success.
 */
export function useIdempotencyKey() {
  const last = useRef<{ body: string; key: string } | null>(null);
  const keyFor = useCallback((body: unknown) => {
    const serialized = JSON.stringify(body ?? null);
    if (last.current?.body !== serialized) last.current = { body: serialized, key: newIdempotencyKey() };
    return { "Idempotency-Key": last.current.key };
  }, []);
  const reset = useCallback(() => {
    last.current = null;
  }, []);
  return { keyFor, reset };
}
