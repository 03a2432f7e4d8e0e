import type { TFunction } from "i18next";

import type { Alert } from "@/shared/api";

/**
 * An alert in the reader's language: known kinds are worded from their data; any other kind shows
 * the platform's own sentence.
 */
export function alertText(t: TFunction, alert: Alert, percent: (share: string) => string): string {
  const data = (alert.data ?? {}) as Record<string, unknown>;
  const s = (key: string) => (data[key] == null ? "" : String(data[key]));
  switch (alert.kind) {
    case "double_financing_blocked":
      return t("alerts.text.double_financing_blocked", { requested: s("requested"), available: s("available") });
    case "financing_overdue":
      return t("alerts.text.financing_overdue", { due: s("due_date"), grace: s("grace_days") });
    case "suspected_duplicate_receivable":
      // `matches` names the newest 20 at most; `match_count` counts them all.
      return t("alerts.text.suspected_duplicate_receivable", {
        count: typeof data.match_count === "number" ? data.match_count : Array.isArray(data.matches) ? data.matches.length : 1,
      });
    case "concentration_bank":
    case "concentration_buyer_country":
      return t("alerts.text.concentration", {
        share: percent(s("share")),
        limit: percent(s("limit")),
        currency: s("currency"),
        outstanding: s("outstanding"),
      });
    case "audit_anchoring_blocked":
      return t("alerts.text.audit_anchoring_blocked", { seq: s("missing_seq") });
    case "audit_anchoring_stalled":
      return t("alerts.text.audit_anchoring_stalled", {
        seq: s("first_seq"),
        minutes: Math.floor(Number(data.waited_seconds ?? 0) / 60),
      });
    case "audit_verification_failed":
      return t("alerts.text.audit_verification_failed", { seq: s("first_bad_seq"), reason: s("reason") });
    case "chain_signer_blocked":
      return t("alerts.text.chain_signer_blocked", { address: s("address") });
    case "chain_write_stuck":
      return t("alerts.text.chain_write_stuck", {
        count: s("count"),
        address: s("address"),
        nonce: s("first_nonce"),
        since: s("waiting_since").slice(0, 16).replace("T", " "), // the server's ISO time, in UTC
      });
    case "chain_nonce_taken":
      return t("alerts.text.chain_nonce_taken", {
        address: s("address"),
        nonces: Array.isArray(data.nonces) ? data.nonces.join(", ") : "",
      });
    case "chain_write_failed":
      return t("alerts.text.chain_write_failed", { code: s("error_code") });
    default:
      return alert.message;
  }
}
