import { describe, expect, it } from "vitest";

import type { Alert } from "@/shared/api";
import i18next from "@/shared/i18n";

import { alertText } from "./alertText";

function alert(kind: string, data: Record<string, unknown>): Alert {
  return {
    id: "al-1", kind, severity: "high", message: "the platform's own sentence", subject_type: "", subject_id: "",
    data, created_at: "2026-11-26T06:00:00Z", acknowledged: false, acknowledged_at: null, acknowledged_by: null,
    acknowledgement_note: "",
  } as Alert;
}

const t = i18next.getFixedT("en");
const percent = (share: string) => `${Number(share) * 100}%`;

describe("alert wording", () => {
  it("counts every suspected duplicate, not only the ones the alert names", () => {
    const named = Array.from({ length: 20 }, (_, i) => `r${i}`);
    expect(alertText(t, alert("suspected_duplicate_receivable", { matches: named, match_count: 25 }), percent)).toBe(
      "A receivable has the same buyer, amount and due date as 25 other receivables.",
    );
    // Alerts raised before the count existed: the names are all there is.
    expect(alertText(t, alert("suspected_duplicate_receivable", { matches: ["r1"] }), percent)).toBe(
      "A receivable has the same buyer, amount and due date as 1 other receivable.",
    );
  });

  it("names the chain account the node refuses", () => {
    const blocked = alert("chain_signer_blocked", { address: "0xAbC0000000000000000000000000000000000001" });
    expect(alertText(t, blocked, percent)).toBe(
      "The chain node refuses the transactions of 0xAbC0000000000000000000000000000000000001; its writes wait.",
    );
  });

  it("says which account's writes have no receipt, from which nonce, since when", () => {
    const stuck = alert("chain_write_stuck", {
      address: "0xAbC0000000000000000000000000000000000002", count: 2, first_nonce: 41, waiting_since: "2026-11-26T05:40:12.5+00:00",
    });
    expect(alertText(t, stuck, percent)).toBe(
      "2 chain write(s) of 0xAbC0000000000000000000000000000000000002 from nonce 41 have had no receipt since 2026-11-26 05:40 UTC.",
    );
  });

  it("names the nonces another signer took, in both languages", () => {
    const taken = alert("chain_nonce_taken", { address: "0xAbC0000000000000000000000000000000000003", nonces: [7, 9], count: 2 });
    expect(alertText(t, taken, percent)).toBe(
      "Transactions not signed by the platform used nonce(s) 7, 9 of 0xAbC0000000000000000000000000000000000003; those writes were signed again.",
    );
    expect(alertText(i18next.getFixedT("zh-CN"), taken, percent)).toBe(
      "非本平台签署的交易占用了账户 0xAbC0000000000000000000000000000000000003 的 nonce 7, 9；相关上链写入已重新签署。",
    );
  });

  it("words a stalled anchoring from where it stopped and how long it waited, in both languages", () => {
    const stalled = alert("audit_anchoring_stalled", { first_seq: 4097, waited_seconds: 725, batched: false });
    expect(alertText(t, stalled, percent)).toBe("Audit events from 4097 have waited 12 min to be anchored on chain.");
    expect(alertText(i18next.getFixedT("zh-CN"), stalled, percent)).toBe("自审计事件 4097 起已等待 12 分钟仍未锚定上链。");
  });
});
