import { useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import { useIdempotencyKey, type Declaration } from "@/shared/api";
import { compareDecimals, fromUnits, isDecimal, sumDecimals, toUnits, useFormat } from "@/shared/format";
import { Card, ErrorAlert, Field, Loading, Money, Page } from "@/shared/ui";
import { fieldErrors, invalid } from "@/shared/ui/forms";

import { useDeclarationsToPick, useSubmitReceivable } from "../api";

const HEAD_FIELDS = ["invoice_number", "buyer_name", "buyer_country", "currency", "amount", "issue_date", "due_date", "declarations"];

/** What one declaration can still back: its FOB value less what other receivables already use. */
function unallocated(declaration: Declaration): string {
  const units = (toUnits(declaration.fob_value) ?? 0n) - (toUnits(declaration.allocated_amount) ?? 0n);
  return fromUnits(units > 0n ? units : 0n);
}

export function ReceivableForm({ onCreated }: { onCreated?: (id: string) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const submitReceivable = useSubmitReceivable();
  const idempotency = useIdempotencyKey();
  const today = new Date().toISOString().slice(0, 10);
  const [head, setHead] = useState({
    invoice_number: "",
    buyer_name: "",
    buyer_country: "VN",
    currency: "USD",
    amount: "",
    issue_date: today,
    due_date: "",
  });
  // Picked declarations in the order the exporter picked them (the API draws on them in that order).
  const [picked, setPicked] = useState<{ number: string; amount: string }[]>([]);
  const currency = head.currency.trim().toUpperCase();
  const declarations = useDeclarationsToPick(currency);
  const errorsOf = fieldErrors(submitReceivable.error);
  const set = (key: keyof typeof head) => (e: { target: { value: string } }) => setHead({ ...head, [key]: e.target.value });

  const allocated = useMemo(() => sumDecimals(picked.map((p) => p.amount || "0")), [picked]);
  const balance = head.amount && isDecimal(head.amount) && allocated !== null ? compareDecimals(allocated, head.amount) : null;

  function toggle(declaration: Declaration) {
    const index = picked.findIndex((p) => p.number === declaration.number);
    if (index >= 0) {
      setPicked(picked.filter((_, i) => i !== index));
      return;
    }
    // Propose what is still missing, up to what the declaration can back.
    const missing = head.amount && isDecimal(head.amount) && allocated !== null ? (toUnits(head.amount) ?? 0n) - (toUnits(allocated) ?? 0n) : 0n;
    const room = toUnits(unallocated(declaration)) ?? 0n;
    const proposal = missing > 0n ? (missing < room ? missing : room) : room;
    setPicked([...picked, { number: declaration.number, amount: fromUnits(proposal) }]);
  }

  function setAmount(number: string, amount: string) {
    setPicked(picked.map((p) => (p.number === number ? { ...p, amount } : p)));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const body = {
      ...head,
      invoice_number: head.invoice_number.trim(),
      buyer_name: head.buyer_name.trim(),
      buyer_country: head.buyer_country.trim().toUpperCase(),
      currency,
      amount: head.amount.trim(),
      declarations: picked.map((p) => ({ number: p.number, amount: p.amount.trim() })),
    };
    submitReceivable.mutate(
      { body, headers: idempotency.keyFor(body) },
      {
        onSuccess: (receivable) => {
          idempotency.reset();
          if (!receivable) return;
          if (onCreated) onCreated(receivable.id);
          else navigate(`/exporter/receivables/${receivable.id}`);
        },
      },
    );
  }

  const rows = declarations.data?.results ?? [];
  const pickedIndex = (number: string) => picked.findIndex((p) => p.number === number);
  const rowFields = picked.flatMap((_, i) => [`declarations[${i}].amount`, `declarations[${i}].number`]);

  return (
    <Page title={t("receivables.newTitle")} subtitle={t("receivables.newSubtitle")}>
      <form onSubmit={submit} aria-label={t("receivables.newTitle")} noValidate>
        <ErrorAlert error={submitReceivable.error} fields={[...HEAD_FIELDS, ...rowFields]} />
        <Card title={t("receivables.invoice")}>
          <div className="row">
            <Field label={t("fields.invoice_number")} htmlFor="rcv-invoice" errors={errorsOf("invoice_number")}>
              <input id="rcv-invoice" value={head.invoice_number} onChange={set("invoice_number")} {...invalid("rcv-invoice", errorsOf("invoice_number"))} />
            </Field>
            <Field label={t("fields.buyer_name")} htmlFor="rcv-buyer" errors={errorsOf("buyer_name")}>
              <input id="rcv-buyer" value={head.buyer_name} onChange={set("buyer_name")} {...invalid("rcv-buyer", errorsOf("buyer_name"))} />
            </Field>
            <Field label={t("fields.buyer_country")} htmlFor="rcv-country" errors={errorsOf("buyer_country")}>
              <input id="rcv-country" value={head.buyer_country} maxLength={2} onChange={set("buyer_country")} {...invalid("rcv-country", errorsOf("buyer_country"))} />
            </Field>
          </div>
          <div className="row">
            <Field label={t("fields.currency")} htmlFor="rcv-currency" errors={errorsOf("currency")}>
              <input id="rcv-currency" value={head.currency} maxLength={3} onChange={(e) => { set("currency")(e); setPicked([]); }} {...invalid("rcv-currency", errorsOf("currency"))} />
            </Field>
            <Field label={t("fields.amount")} htmlFor="rcv-amount" errors={errorsOf("amount")}>
              <input id="rcv-amount" value={head.amount} inputMode="decimal" placeholder="80000.00" onChange={set("amount")} {...invalid("rcv-amount", errorsOf("amount"))} />
            </Field>
            <Field label={t("fields.issue_date")} htmlFor="rcv-issue" errors={errorsOf("issue_date")}>
              <input id="rcv-issue" type="date" value={head.issue_date} onChange={set("issue_date")} {...invalid("rcv-issue", errorsOf("issue_date"))} />
            </Field>
            <Field label={t("fields.due_date")} htmlFor="rcv-due" errors={errorsOf("due_date")}>
              <input id="rcv-due" type="date" value={head.due_date} onChange={set("due_date")} {...invalid("rcv-due", errorsOf("due_date"))} />
            </Field>
          </div>
        </Card>
        <Card title={t("receivables.backing")}>
          <p className="muted" style={{ marginTop: 0 }}>{t("receivables.backingHint", { currency })}</p>
          {errorsOf("declarations") ? (
            <div className="alert bad" role="alert" id="rcv-declarations-error">{errorsOf("declarations")!.join(" ")}</div>
          ) : null}
          {declarations.isPending && declarations.fetchStatus !== "idle" ? <Loading /> : null}
          {rows.length === 0 && !declarations.isPending ? <p className="empty">{t("receivables.noDeclarations", { currency })}</p> : null}
          {rows.length ? (
            <div className="table-wrap">
              <table data-testid="pick-declarations">
                <thead>
                  <tr>
                    <th />
                    <th>{t("fields.declaration_number")}</th>
                    <th>{t("fields.export_date")}</th>
                    <th className="num">{t("fields.fob_value")}</th>
                    <th className="num">{t("fields.unallocated_amount")}</th>
                    <th className="num">{t("fields.allocate")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((d) => {
                    const index = pickedIndex(d.number);
                    const amountErrors = index >= 0 ? errorsOf(`declarations[${index}].amount`) : undefined;
                    const numberErrors = index >= 0 ? errorsOf(`declarations[${index}].number`) : undefined;
                    const inputId = `alloc-${d.number}`;
                    return (
                      <tr key={d.id} className={index >= 0 ? "selected" : ""} data-declaration={d.number}>
                        <td>
                          <input
                            type="checkbox"
                            aria-label={t("receivables.pick", { number: d.number })}
                            checked={index >= 0}
                            onChange={() => toggle(d)}
                          />
                        </td>
                        <td className="mono">
                          {d.number}
                          {numberErrors ? <div className="error" role="alert">{numberErrors.join(" ")}</div> : null}
                        </td>
                        <td>{f.date(d.export_date)}</td>
                        <td className="num"><Money value={d.fob_value} currency={d.currency} /></td>
                        <td className="num"><Money value={unallocated(d)} currency={d.currency} /></td>
                        <td className="num">
                          {index >= 0 ? (
                            <div className="field" style={{ margin: 0 }}>
                              <input
                                id={inputId}
                                aria-label={t("receivables.allocateTo", { number: d.number })}
                                value={picked[index]!.amount}
                                inputMode="decimal"
                                style={{ width: "9rem", textAlign: "right" }}
                                onChange={(e) => setAmount(d.number, e.target.value)}
                                {...invalid(inputId, amountErrors)}
                              />
                              {amountErrors ? <span className="error" id={`${inputId}-error`} role="alert">{amountErrors.join(" ")}</span> : null}
                            </div>
                          ) : null}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : null}
          <p data-testid="allocation-total" className={balance === 0 ? "" : "muted"}>
            {t("receivables.allocatedTotal")}: <strong>{allocated === null ? "—" : f.money(allocated, currency)}</strong>
            {head.amount && isDecimal(head.amount) ? ` / ${f.money(head.amount, currency)}` : ""}
            {balance !== null && balance !== 0 ? <span className="badge warn" style={{ marginLeft: 8 }}>{t(balance < 0 ? "receivables.underAllocated" : "receivables.overAllocated")}</span> : null}
            {balance === 0 ? <span className="badge good" style={{ marginLeft: 8 }}>{t("receivables.balanced")}</span> : null}
          </p>
        </Card>
        <div className="actions">
          <button type="submit" disabled={submitReceivable.isPending || picked.length === 0}>
            {t("receivables.submit")}
          </button>
        </div>
      </form>
    </Page>
  );
}
