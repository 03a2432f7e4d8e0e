import i18next from "i18next";

import { asApiError, localizeFieldMessage } from "../api";

/**
 * The API's messages for one field ("declarations[0].amount", "admin_user.username", ...), in the
 * reader's language where the message is a known one (called while rendering: the current language).
 */
export function fieldErrors(error: unknown): (field: string) => string[] | undefined {
  const errors = asApiError(error)?.fieldErrors ?? {};
  return (field: string) => errors[field]?.map((message) => localizeFieldMessage(i18next.t, message));
}

/** Accessibility attributes for an input whose field has errors. */
export function invalid(id: string, errors: string[] | undefined) {
  return errors?.length ? { "aria-invalid": true as const, "aria-describedby": `${id}-error` } : {};
}
