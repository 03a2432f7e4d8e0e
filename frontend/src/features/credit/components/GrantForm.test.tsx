import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { fakeApi, ME, page } from "@/test/fakeApi";
import { fill, renderScreen } from "@/test/render";

import { GrantForm } from "./GrantForm";

describe("granting a credit authorization", () => {
  it("sends the bank, scopes, data period and expiry as an instant with a zone", async () => {
    const api = fakeApi({
      "GET /api/me/": { body: ME.exporter },
      "GET /api/organizations/": { body: page([{ id: "bank-1", kind: "bank", name: "Bank of Guangxi", bic: "BKCHCNBJ480" }]) },
      "POST /api/credit-authorizations/": { status: 201, body: { id: "auth-1", status: "active" } },
    });
    await renderScreen(<GrantForm />);
    await userEvent.selectOptions(await screen.findByLabelText("Bank"), await screen.findByRole("option", { name: "Bank of Guangxi" }));
    fill(screen.getByLabelText("Purpose"), "Export financing review");
    await userEvent.click(screen.getByLabelText("Regulatory credit"));
    await userEvent.click(screen.getByLabelText("Basic information"));
    fill(screen.getByLabelText("Data from"), "2026-01-01");
    fill(screen.getByLabelText("Data to"), "2026-10-31");
    fill(screen.getByLabelText("Expires"), "2026-12-31T18:00");
    await userEvent.click(screen.getByRole("button", { name: "Sign and grant" }));
    expect(await screen.findByText("Authorization granted and signed.")).toBeInTheDocument();
    const body = api.posts("/api/credit-authorizations/")[0]!.body as Record<string, unknown>;
    expect(body).toEqual({
      bank: "bank-1",
      purpose: "Export financing review",
      scopes: ["transaction_credit", "regulatory_credit"],
      data_from: "2026-01-01",
      data_to: "2026-10-31",
      expires_at: new Date("2026-12-31T18:00").toISOString(),
    });
  });

  it("shows a refused scope list beside the scopes", async () => {
    fakeApi({
      "GET /api/me/": { body: ME.exporter },
      "GET /api/organizations/": { body: page([]) },
      "POST /api/credit-authorizations/": {
        status: 400,
        body: { code: "invalid", message: "Invalid input: bank, scopes.", details: { scopes: ["Choose at least one scope."], bank: ["Unknown bank."] } },
      },
    });
    await renderScreen(<GrantForm />);
    await userEvent.click(screen.getByLabelText("Basic information"));
    await userEvent.click(screen.getByLabelText("Transaction credit"));
    await userEvent.click(screen.getByRole("button", { name: "Sign and grant" }));
    await waitFor(() => expect(screen.getByText("Choose at least one scope.")).toBeInTheDocument());
    expect(screen.getByLabelText("Bank")).toHaveAttribute("aria-invalid", "true");
  });
});
