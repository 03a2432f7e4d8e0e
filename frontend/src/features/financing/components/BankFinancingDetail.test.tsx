import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import type { Financing } from "@/shared/api";
import { fakeApi, ME } from "@/test/fakeApi";
import { fill, renderScreen } from "@/test/render";

import { BankFinancingDetail } from "./BankFinancingDetail";

function financing(overrides: Partial<Financing> = {}): Financing {
  return {
    id: "fin-1",
    receivable: "rcv-1",
    receivable_invoice_number: "INV-2026-001",
    exporter: { id: "org-exp", name: "Nanning Export Co." },
    bank: { id: "org-bank", name: "Bank of Guangxi", bic: "BKCHCNBJ480" },
    currency: "USD",
    requested_amount: "80000.00",
    approved_amount: null,
    repaid_amount: "0.00",
    outstanding_amount: "0.00",
    interest_rate: null,
    tenor_days: 90,
    status: "applied",
    next_action_by: "bank",
    reject_reason: "",
    applied_at: "2026-11-20T08:02:00Z",
    approved_at: null,
    disbursed_at: null,
    due_date: null,
    closed_at: null,
    reservations: [],
    chain: null,
    chain_record: null,
    ...overrides,
  } as Financing;
}

function render(status = 200, answer: unknown = financing({ status: "approved" })) {
  const api = fakeApi({
    "GET /api/me/": { body: ME.bank },
    "GET /api/financings/fin-1/": { body: financing() },
    "POST /api/financings/fin-1/approve/": { status, body: answer },
    "POST /api/financings/fin-1/reject/": {
      status: 400,
      body: { code: "invalid", message: "Invalid input: reason.", details: { reason: ["This field may not be blank."] } },
    },
  });
  return api;
}

describe("a credit officer deciding an application", () => {
  it("shows that the bank acts next, and approves with the rate as a decimal string", async () => {
    const api = render();
    await renderScreen(<BankFinancingDetail />, { path: "/bank/financings/fin-1", route: "/bank/financings/:id" });
    expect(await screen.findByText("You")).toHaveClass("you");
    fill(screen.getByLabelText("Interest rate (% a year)"), "3.85");
    await userEvent.click(screen.getByRole("button", { name: "Approve and reserve" }));
    await waitFor(() => expect(api.posts("/api/financings/fin-1/approve/")).toHaveLength(1));
    expect(api.posts("/api/financings/fin-1/approve/")[0]!.body).toEqual({ amount: "80000.00", interest_rate: "3.85" });
  });

  it("says plainly when another bank financed the receivable first (409)", async () => {
    render(409, {
      code: "insufficient_available_balance",
      message: "The receivable's remaining balance is too small: another bank has financed it.",
      details: { requested: "80000.00", available: "0.00", currency: "USD" },
    });
    await renderScreen(<BankFinancingDetail />, { path: "/bank/financings/fin-1", route: "/bank/financings/:id" });
    await userEvent.click(await screen.findByRole("button", { name: "Approve and reserve" }));
    const alert = await screen.findByText(/Only 0.00 USD remains/);
    expect(alert.closest("[data-error-code]")).toHaveAttribute("data-error-code", "insufficient_available_balance");
  });

  it("puts a rejection's missing reason beside the reason field", async () => {
    render();
    await renderScreen(<BankFinancingDetail />, { path: "/bank/financings/fin-1", route: "/bank/financings/:id" });
    await userEvent.click(await screen.findByRole("button", { name: "Reject application" }));
    await waitFor(() => expect(screen.getByLabelText("Reason")).toHaveAttribute("aria-invalid", "true"));
    expect(screen.getByText("This field may not be blank.")).toBeInTheDocument();
  });
});
