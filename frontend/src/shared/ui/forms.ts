import { asApiError } from "../api";

/** The API's messages for one field ("declarations[0].amount", "admin_user.username", ...). */
export function fieldErrors(error: unknown): (field: string) => string[] | undefined {
  const errors = asApiError(error)?.fieldErrors ?? {};
  return (field: string) => errors[field];
}

/** Accessibility attributes for an input whose field has errors. */
export function invalid(id: string, errors: string[] | undefined) {
  return errors?.length ? { "aria-invalid": true as const, "aria-describedby": `${id}-error` } : {};
}
