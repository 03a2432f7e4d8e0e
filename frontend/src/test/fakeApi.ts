/**
 * A stand-in for the network in component tests: answers by method and path, records every
 * request (with its JSON body) so tests can assert what the screen sent.
 */
import { vi } from "vitest";

export interface Recorded {
  method: string;
  path: string;
  search: string;
  headers: Headers;
  body: unknown;
}

type Answer = { status?: number; body?: unknown } | ((request: Recorded) => { status?: number; body?: unknown });

export function fakeApi(routes: Record<string, Answer>) {
  const calls: Recorded[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), "http://localhost:3000"), init);
    const url = new URL(request.url);
    const text = request.method === "GET" ? "" : await request.clone().text();
    const recorded: Recorded = {
      method: request.method,
      path: url.pathname,
      search: url.search,
      headers: request.headers,
      body: text ? JSON.parse(text) : undefined,
    };
    calls.push(recorded);
    const key = `${request.method} ${url.origin === "http://localhost:3000" ? url.pathname : url.href}`;
    const answer = routes[key] ?? routes[`${request.method} ${url.href}`];
    if (!answer) return new Response(JSON.stringify({ code: "not_found", message: `no fake for ${key}`, details: {} }), { status: 404 });
    const { status = 200, body = {} } = typeof answer === "function" ? answer(recorded) : answer;
    return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  });
  vi.stubGlobal("fetch", fetchMock);
  return {
    calls,
    posts: (path: string) => calls.filter((c) => c.method === "POST" && c.path === path),
  };
}

export function page<T>(results: T[]) {
  return { count: results.length, next: null, previous: null, results };
}

export const ME = {
  exporter: { id: "u-exp", username: "nanning", first_name: "", last_name: "", email: "", role: "exporter", organization: { id: "org-exp", name: "Nanning Export Co.", kind: "exporter" } },
  bank: { id: "u-bank", username: "boc", first_name: "", last_name: "", email: "", role: "bank", organization: { id: "org-bank", name: "Bank of Guangxi", kind: "bank" } },
  regulator: { id: "u-reg", username: "safe", first_name: "", last_name: "", email: "", role: "regulator", organization: { id: "org-reg", name: "SAFE Guangxi", kind: "regulator" } },
  operator: { id: "u-op", username: "operator", first_name: "", last_name: "", email: "", role: "operator", organization: { id: "org-op", name: "Operations", kind: "operator" } },
} as const;
