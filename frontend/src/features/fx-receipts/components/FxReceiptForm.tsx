import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { useIdempotencyKey, type FxReceipt } from "@/shared/api";
import { useFormat } from "@/shared/format";
import { ErrorAlert, Field } from "@/shared/ui";
import { fieldErrors, invalid } from "@/shared/ui/forms";

import { useOpenReceivables, useRecordFxReceipt } from "../api";

const FIELDS = ["receivable", "amount", "currency", "value_date", "payer_name", "reference"];

export function FxReceiptForm() {
  const { t } = useTranslation();
  const f = useFormat();
  const receivables = useOpenReceivables();
  const record = useRecordFxReceipt();
  const idempotency = useIdempotencyKey();
  const [form, setForm] = useState({
    receivable: "",
    amount: "",
    currency: "",
    value_date: new Date().toISOString().slice(0, 10),
    payer_name: "",
    reference: "",
  });
  const [result, setResult] = useState<FxReceipt | null>(null);
  const errorsOf = fieldErrors(record.error);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });

  function pickReceivable(id: string) {
    const r = receivables.data?.results.find((x) => x.id === id);
    setForm({ ...form, receivable: id, currency: r?.currency ?? form.currency, payer_name: form.payer_name || r?.buyer_name || "" });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const body = {
      ...form,
      amount: form.amount.trim(),
      currency: form.currency.trim().toUpperCase(),
      payer_name: form.payer_name.trim(),
      reference: form.reference.trim(),
    };
    record.mutate(
      { body, headers: idempotency.keyFor(body) },
      {
        onSuccess: (receipt) => {
          idempotency.reset();
          setResult(receipt ?? null);
          setForm({ ...form, amount: "", reference: "" });
        },
      },
    );
  }

  return (
    <form onSubmit={submit} aria-label={t("fx.formTitle")} noValidate>
      <ErrorAlert error={record.error} fields={FIELDS} />
      {result ? (
        <div className="alert good" role="status" data-testid="fx-result">
          {t("fx.recorded", {
            applied: f.money(result.applied_amount, result.currency),
            surplus: f.money(result.surplus_amount, result.currency),
          })}{" "}
          {result.receivable_status === "settled" ? <strong>{t("fx.settled")}</strong> : null}
        </div>
      ) : null}
      <div className="row">
        <Field label={t("fields.receivable")} htmlFor="fx-receivable" errors={errorsOf("receivable")}>
          <select id="fx-receivable" value={form.receivable} onChange={(e) => pickReceivable(e.target.value)} {...invalid("fx-receivable", errorsOf("receivable"))}>
            <option value="">{t("common.choose")}</option>
            {receivables.data?.results.map((r) => (
              <option key={r.id} value={r.id}>
                {r.invoice_number} · {r.exporter_name} · {f.money(r.amount, r.currency)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("fields.amount")} htmlFor="fx-amount" errors={errorsOf("amount")}>
          <input id="fx-amount" value={form.amount} inputMode="decimal" onChange={set("amount")} {...invalid("fx-amount", errorsOf("amount"))} />
        </Field>
        <Field label={t("fields.currency")} htmlFor="fx-currency" errors={errorsOf("currency")}>
          <input id="fx-currency" value={form.currency} maxLength={3} onChange={set("currency")} {...invalid("fx-currency", errorsOf("currency"))} />
        </Field>
      </div>
      <div className="row">
        <Field label={t("fields.value_date")} htmlFor="fx-date" errors={errorsOf("value_date")}>
          <input id="fx-date" type="date" value={form.value_date} onChange={set("value_date")} {...invalid("fx-date", errorsOf("value_date"))} />
        </Field>
        <Field label={t("fields.payer_name")} htmlFor="fx-payer" errors={errorsOf("payer_name")}>
          <input id="fx-payer" value={form.payer_name} onChange={set("payer_name")} {...invalid("fx-payer", errorsOf("payer_name"))} />
        </Field>
        <Field label={t("fields.reference")} htmlFor="fx-reference" errors={errorsOf("reference")}>
          <input id="fx-reference" value={form.reference} onChange={set("reference")} {...invalid("fx-reference", errorsOf("reference"))} />
        </Field>
      </div>
      <button type="submit" disabled={record.isPending}>{t("fx.record")}</button>
    </form>
  );
}
