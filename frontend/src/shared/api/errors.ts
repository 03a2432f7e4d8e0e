/** The API's one error shape, {code, message, details}, and how forms read it. */

export interface ApiErrorBody {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(status: number, body: Partial<ApiErrorBody> | null) {
    super(body?.message || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.code = body?.code || (status === 0 ? "network_error" : "http_error");
    this.details = body?.details && typeof body.details === "object" ? body.details : {};
  }

  /**
   * Per-field messages, DRF's nested details flattened to "declarations[0].amount" style keys.
   * A 400 is all field messages; other answers (a 409 ...) also carry facts such as
   * {"remaining": "10.00"}, so only their lists of messages count as field errors.
   */
  get fieldErrors(): Record<string, string[]> {
    if (this.status === 400) return flattenDetails(this.details);
    const lists = Object.fromEntries(Object.entries(this.details).filter(([, value]) => isMessageList(value)));
    return flattenDetails(lists);
  }
}

export function asApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  if (error == null) return null;
  if (error instanceof TypeError) return new ApiError(0, { message: error.message });
  return new ApiError(0, { message: String(error) });
}

function isMessageList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

export function flattenDetails(details: unknown, prefix = ""): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const put = (key: string, messages: string[]) => {
    if (messages.length) out[key] = [...(out[key] ?? []), ...messages];
  };
  if (typeof details === "string") {
    put(prefix || "non_field_errors", [details]);
  } else if (isMessageList(details)) {
    put(prefix || "non_field_errors", details);
  } else if (Array.isArray(details)) {
    details.forEach((item, index) => Object.assign(out, flattenDetails(item, `${prefix}[${index}]`)));
  } else if (details && typeof details === "object") {
    for (const [key, value] of Object.entries(details)) {
      const path = prefix ? `${prefix}.${key}` : key;
      for (const [k, v] of Object.entries(flattenDetails(value, path))) put(k, v);
    }
  }
  return out;
}
