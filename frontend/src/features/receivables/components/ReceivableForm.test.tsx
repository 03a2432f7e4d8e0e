import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { fakeApi, ME, page } from "@/test/fakeApi";
import { fill, renderScreen } from "@/test/render";

import { ReceivableForm } from "./ReceivableForm";

const declaration = (number: string, fob: string, allocated = "0.00") => ({
  id: `d-${number}`,
  number,
  exporter: "org-exp",
  exporter_uscc: "91450100MA5KX0001Y",
  exporter_name: "Nanning Export Co.",
  export_date: "2026-11-01",
  currency: "USD",
  fob_value: fob,
  allocated_amount: allocated,
  financed_amount: "0.00",
  available_amount: fob,
  destination_country: "VN",
  consignee: "Hanoi Buyer JSC",
  fingerprint: "0x00",
  chain: null,
  created_at: "2026-11-01T00:00:00Z",
});

const D1 = "531620261100000001";
const D2 = "531620261100000002";

function stack(answer: (body: unknown) => { status: number; body: unknown }) {
  return fakeApi({
    "GET /api/me/": { body: ME.exporter },
    "GET /api/customs/declarations/": { body: page([declaration(D1, "50000.00"), declaration(D2, "60000.00", "20000.00")]) },
    "POST /api/receivables/": (request) => answer(request.body),
  });
}

async function fillInvoice() {
  await userEvent.type(screen.getByLabelText("Invoice no."), "INV-2026-001");
  fill(screen.getByLabelText("Buyer"), "Hanoi Buyer JSC");
  fill(screen.getByLabelText("Amount"), "80000.00");
  fireEvent.change(screen.getByLabelText("Due date"), { target: { value: "2027-02-01" } });
}

describe("submitting a receivable", () => {
  it("allocates the declarations in the order picked and sends them exactly", async () => {
    const api = stack(() => ({ status: 201, body: { id: "rcv-1" } }));
    await renderScreen(<ReceivableForm />);
    await fillInvoice();
    // Picking proposes what is missing, within what each declaration can still back.
    await userEvent.click(await screen.findByLabelText(`Use declaration ${D1}`));
    expect(screen.getByLabelText(`Amount from declaration ${D1}`)).toHaveValue("50000.00");
    await userEvent.click(screen.getByLabelText(`Use declaration ${D2}`));
    expect(screen.getByLabelText(`Amount from declaration ${D2}`)).toHaveValue("30000.00");
    expect(screen.getByTestId("allocation-total")).toHaveTextContent("adds up");

    await userEvent.click(screen.getByRole("button", { name: "Submit receivable" }));
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("/exporter/receivables/rcv-1"));
    const [post] = api.posts("/api/receivables/");
    expect(post!.body).toEqual({
      invoice_number: "INV-2026-001",
      buyer_name: "Hanoi Buyer JSC",
      buyer_country: "VN",
      currency: "USD",
      amount: "80000.00",
      issue_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      due_date: "2027-02-01",
      declarations: [
        { number: D1, amount: "50000.00" },
        { number: D2, amount: "30000.00" },
      ],
    });
    expect(post!.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
    expect(post!.headers.get("Authorization")).toBe("Bearer test-token");
  });

  it("shows the API's errors on the right fields, and nothing happens", async () => {
    const api = stack(() => ({
      status: 400,
      body: {
        code: "invalid",
        message: "Invalid input: declarations[1].amount, due_date.",
        details: { "declarations[1].amount": ["At most 40000.00 remains on this declaration."], due_date: ["The due date must be after the issue date."] },
      },
    }));
    await renderScreen(<ReceivableForm />);
    await fillInvoice();
    await userEvent.click(await screen.findByLabelText(`Use declaration ${D1}`));
    await userEvent.click(screen.getByLabelText(`Use declaration ${D2}`));
    await userEvent.click(screen.getByRole("button", { name: "Submit receivable" }));

    const secondAmount = screen.getByLabelText(`Amount from declaration ${D2}`);
    await waitFor(() => expect(secondAmount).toHaveAttribute("aria-invalid", "true"));
    const row = secondAmount.closest("tr")!;
    expect(within(row).getByRole("alert")).toHaveTextContent("At most 40000.00 remains on this declaration.");
    expect(screen.getByLabelText(`Amount from declaration ${D1}`)).not.toHaveAttribute("aria-invalid");
    expect(screen.getByLabelText("Due date")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByText("The due date must be after the issue date.")).toBeInTheDocument();
    expect(screen.getByTestId("location")).toHaveTextContent(/^\/$/);
    expect(api.posts("/api/receivables/")).toHaveLength(1);
  });

  it("retries a failed submission with the same Idempotency-Key", async () => {
    let attempt = 0;
    const api = stack(() => (++attempt === 1 ? { status: 503, body: { code: "unavailable", message: "Try again.", details: {} } } : { status: 201, body: { id: "rcv-2" } }));
    await renderScreen(<ReceivableForm />);
    await fillInvoice();
    await userEvent.click(await screen.findByLabelText(`Use declaration ${D1}`));
    fill(screen.getByLabelText(`Amount from declaration ${D1}`), "50000.00");
    await userEvent.click(screen.getByLabelText(`Use declaration ${D2}`));
    await userEvent.click(screen.getByRole("button", { name: "Submit receivable" }));
    expect(await screen.findByText("Try again.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Submit receivable" }));
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("/exporter/receivables/rcv-2"));
    const [first, second] = api.posts("/api/receivables/");
    expect(second!.headers.get("Idempotency-Key")).toBe(first!.headers.get("Idempotency-Key"));
  });

  it("shows a duplicate invoice (409) as a sentence the exporter understands", async () => {
    stack(() => ({ status: 409, body: { code: "duplicate_receivable", message: "This invoice is already submitted as a receivable.", details: { invoice_number: "INV-2026-001" } } }));
    await renderScreen(<ReceivableForm />, { language: "zh-CN" });
    fill(screen.getByLabelText("发票号"), "INV-2026-001");
    fill(screen.getByLabelText("金额"), "50000.00");
    await userEvent.click(await screen.findByLabelText(`使用报关单 ${D1}`));
    await userEvent.click(screen.getByRole("button", { name: "提交应收账款" }));
    expect(await screen.findByText("该发票已作为应收账款提交。")).toBeInTheDocument();
  });
});
