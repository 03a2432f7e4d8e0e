import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { CreditAccess } from "@/shared/api";
import { fakeApi, ME } from "@/test/fakeApi";
import { renderScreen } from "@/test/render";

import { AccessLogTable } from "./AccessLogTable";

const served: CreditAccess = {
  id: "acc-1", bank: { id: "bank-1", name: "Bank of Guangxi" }, user: { id: "u-1", username: "officer" },
  exporter: "exp-1", authorization: "auth-1", time: "2026-11-20T08:00:00Z", scopes: ["basic", "transaction_credit"],
  outcome: "served", refused: false, reason: "", data_from: "2026-01-01", data_to: "2026-10-31",
  chain: { status: "confirmed", tx_hash: "0x" + "ab".repeat(32), block_number: 12 },
};
const refused: CreditAccess = {
  ...served, id: "acc-2", outcome: "authorization_revoked", refused: true, reason: "Revoked by the exporter.",
  data_from: null, data_to: null, chain: null,
};

function row(id: string) {
  return screen.getAllByRole("row").find((r) => r.getAttribute("data-outcome") === id)!;
}

describe("the access log of a credit profile", () => {
  it("names the bank and the platform's reason in the exporter's view", async () => {
    fakeApi({ "GET /api/me/": { body: ME.exporter } });
    await renderScreen(<AccessLogTable rows={[served, refused]} view="exporter" />);
    expect(screen.getAllByRole("columnheader").map((h) => h.textContent)).toEqual(
      ["When", "Bank", "User", "Scopes", "Outcome", "Chain"],
    );
    const revoked = within(row("authorization_revoked"));
    expect(revoked.getByText("Bank of Guangxi")).toBeInTheDocument();
    expect(revoked.getByText("Revoked by the exporter.")).toBeInTheDocument();
    expect(within(row("served")).getByText("Basic information, Transaction credit")).toBeInTheDocument();
  });

  it("explains a refusal in the user's language in the bank's view, without a bank column", async () => {
    fakeApi({ "GET /api/me/": { body: ME.bank } });
    await renderScreen(<AccessLogTable rows={[refused]} view="bank" />);
    const headers = screen.getAllByRole("columnheader").map((h) => h.textContent);
    expect(headers).not.toContain("Bank");
    expect(headers).toContain("Why");
    expect(within(row("authorization_revoked")).getByText("The enterprise has revoked this authorization.")).toBeInTheDocument();
    expect(screen.queryByText("Bank of Guangxi")).not.toBeInTheDocument();
  });
});
