/**
 * The one typed client: openapi-fetch for the calls, openapi-react-query for the hooks.
 *
 * Every request carries the bearer token; every POST carries an Idempotency-Key (a form passes
 * its own so that a double click or a retry acts once); every non-2xx answer becomes an ApiError.
 */
import createFetchClient, { type Middleware } from "openapi-fetch";
import createQueryClient from "openapi-react-query";

import { tokenStore } from "../auth/tokenStore";
import { ApiError, type ApiErrorBody } from "./errors";
import type { paths } from "./index";

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

const platformMiddleware: Middleware = {
  onRequest({ request }) {
    const token = tokenStore.get();
    if (token && !request.headers.has("Authorization")) request.headers.set("Authorization", `Bearer ${token}`);
    if (request.method === "POST" && !request.headers.has("Idempotency-Key")) {
      request.headers.set("Idempotency-Key", newIdempotencyKey());
    }
    return request;
  },
  async onResponse({ request, response }) {
    if (response.ok) return undefined;
    let body: Partial<ApiErrorBody> | null = null;
    try {
      body = (await response.clone().json()) as Partial<ApiErrorBody>;
    } catch {
      body = null;
    }
    if (response.status === 401 && !new URL(request.url).pathname.startsWith("/api/auth/")) {
      tokenStore.expire();
    }
    throw new ApiError(response.status, body);
  },
};

export const fetchClient = createFetchClient<paths>({
  baseUrl: typeof window === "undefined" ? "http://localhost" : window.location.origin,
  // Looked up per call, so tests can stub the global fetch.
  fetch: (request: Request) => globalThis.fetch(request),
});
fetchClient.use(platformMiddleware);

export const $api = createQueryClient(fetchClient);
