/**
 * The API's types, all generated from the backend's OpenAPI schema (npm run gen:api). Screens name
 * the shapes they use through the paths that return them, so a schema change that breaks a screen
 * fails `tsc`, whatever the backend calls its serializers.
 */
import type { ApiErrorBody } from "./errors";
import type { paths as GeneratedPaths } from "./schema.gen";

/**
 * Every operation can also answer with the API's one error shape (the schema documents successes
 * only); saying so here types the `error` of every query and mutation.
 */
type ErrorAnswer = { headers: { [name: string]: unknown }; content: { "application/json": ApiErrorBody } };
type WithErrors<P> = {
  [K in keyof P]: {
    [M in keyof P[K]]: P[K][M] extends { responses: infer R } ? Omit<P[K][M], "responses"> & { responses: R & { default: ErrorAnswer } } : P[K][M];
  };
};
export type paths = WithErrors<GeneratedPaths>;

type JsonOf<R> = R extends { content: { "application/json": infer T } } ? T : never;
type Method = "get" | "post";

/** The JSON a path and method answer with on success. */
export type ApiResponse<P extends keyof paths, M extends Method> = paths[P] extends Record<M, { responses: infer R }>
  ? R extends Record<200, infer Ok>
    ? JsonOf<Ok>
    : R extends Record<201, infer Created>
      ? JsonOf<Created>
      : never
  : never;

/** The JSON body a path and method accept. */
export type ApiBody<P extends keyof paths, M extends Method> = paths[P] extends Record<M, { requestBody?: infer B }>
  ? JsonOf<NonNullable<B>>
  : never;

type ItemOf<T> = T extends { results: (infer I)[] } ? I : never;

export type Me = ApiResponse<"/api/me/", "get">;
export type Role = NonNullable<Me["organization"]>["kind"];
export type Health = ApiResponse<"/api/health/", "get">;
export type Organization = ApiResponse<"/api/organizations/{id}/", "get">;
export type Declaration = ApiResponse<"/api/customs/declarations/{id}/", "get">;
export type Receivable = ApiResponse<"/api/receivables/{id}/", "get">;
export type Financing = ApiResponse<"/api/financings/{id}/", "get">;
export type FinancingStatus = Financing["status"];
export type FxReceipt = ApiResponse<"/api/fx-receipts/{id}/", "get">;
export type ChainStatus = NonNullable<Financing["chain"]>;
export type CreditAuthorization = ApiResponse<"/api/credit-authorizations/{id}/", "get">;
export type CreditAccess = ItemOf<ApiResponse<"/api/credit-authorizations/{id}/accesses/", "get">>;
export type CreditReport = ApiResponse<"/api/credit-reports/{exporter_id}/", "get">;
export type CreditScope = CreditAuthorization["scopes"][number];
export type AuditEvent = ApiResponse<"/api/audit/events/{seq}/", "get">;
export type AuditProof = ApiResponse<"/api/audit/events/{seq}/proof/", "get">;
export type AuditVerification = ApiResponse<"/api/audit/verification/", "get">;
export type OversightStats = ApiResponse<"/api/oversight/stats/", "get">;
export type Alert = ItemOf<ApiResponse<"/api/oversight/alerts/", "get">>;

export { $api, fetchClient, newIdempotencyKey } from "./client";
export { useHealth } from "./health";
export { ApiError, asApiError, flattenDetails } from "./errors";
export { localizeFieldMessage } from "./fieldMessages";
export type { ApiErrorBody } from "./errors";
export { useIdempotencyKey } from "./idempotency";
