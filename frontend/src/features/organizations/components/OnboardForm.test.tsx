import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { fakeApi, ME } from "@/test/fakeApi";
import { fill, renderScreen } from "@/test/render";

import { OnboardForm } from "./OnboardForm";

describe("onboarding an organization", () => {
  it("sends an exporter with its USCC and SAFE class, and shows its chain account", async () => {
    const api = fakeApi({
      "GET /api/me/": { body: ME.operator },
      "POST /api/organizations/": {
        status: 201,
        body: { id: "org-1", kind: "exporter", name: "Nanning Export Co.", chain_address: "0xAbC0000000000000000000000000000000000001", chain: { status: "pending", tx_hash: null, block_number: null } },
      },
    });
    await renderScreen(<OnboardForm />);
    fill(screen.getByLabelText("Name"), "Nanning Export Co.");
    fill(screen.getByLabelText("Unified Social Credit Code"), "91450100MA5KX0001Y");
    await userEvent.selectOptions(screen.getByLabelText("SAFE class"), "B");
    fill(screen.getByLabelText("Username"), "nanning");
    fill(screen.getByLabelText("Password"), "long-enough-pass-1");
    await userEvent.click(screen.getByRole("button", { name: "Onboard" }));

    expect(await screen.findByText(/Nanning Export Co. is onboarded/)).toBeInTheDocument();
    expect(screen.getByText("0xAbC0000000000000000000000000000000000001")).toBeInTheDocument();
    expect(api.posts("/api/organizations/")[0]!.body).toEqual({
      kind: "exporter",
      name: "Nanning Export Co.",
      country: "CN",
      uscc: "91450100MA5KX0001Y",
      safe_classification: "B",
      admin_user: { username: "nanning", password: "long-enough-pass-1" },
    });
  });

  it("sends a bank with its BIC only, and puts the API's errors beside the fields", async () => {
    const api = fakeApi({
      "GET /api/me/": { body: ME.operator },
      "POST /api/organizations/": {
        status: 400,
        body: {
          code: "invalid",
          message: "Invalid input: admin_user, bic.",
          details: { bic: ["Not a valid SWIFT BIC."], admin_user: { password: ["This password is too common."] } },
        },
      },
    });
    await renderScreen(<OnboardForm />);
    await userEvent.selectOptions(screen.getByLabelText("Type"), "bank");
    expect(screen.queryByLabelText("Unified Social Credit Code")).not.toBeInTheDocument();
    fill(screen.getByLabelText("Name"), "Bank of Guangxi");
    fill(screen.getByLabelText("SWIFT BIC"), "BAD");
    fill(screen.getByLabelText("Username"), "gxbank");
    fill(screen.getByLabelText("Password"), "password");
    await userEvent.click(screen.getByRole("button", { name: "Onboard" }));

    await waitFor(() => expect(screen.getByLabelText("SWIFT BIC")).toHaveAttribute("aria-invalid", "true"));
    expect(screen.getByText("Not a valid SWIFT BIC.")).toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByText("This password is too common.")).toBeInTheDocument();
    expect(screen.getByLabelText("Name")).not.toHaveAttribute("aria-invalid");
    expect(api.posts("/api/organizations/")[0]!.body).toEqual({
      kind: "bank",
      name: "Bank of Guangxi",
      country: "CN",
      bic: "BAD",
      admin_user: { username: "gxbank", password: "password" },
    });
  });
});
