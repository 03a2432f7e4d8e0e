import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { useIdempotencyKey } from "@/shared/api";
import { ErrorAlert, Field } from "@/shared/ui";
import { fieldErrors, invalid } from "@/shared/ui/forms";

import { useExporters, useFeedDeclaration } from "../api";

const FIELDS = ["number", "exporter_uscc", "export_date", "currency", "fob_value", "destination_country", "consignee"];

export function DeclarationFeedForm() {
  const { t } = useTranslation();
  const exporters = useExporters();
  const feed = useFeedDeclaration();
  const idempotency = useIdempotencyKey();
  const [form, setForm] = useState({
    number: "",
    exporter_uscc: "",
    export_date: new Date().toISOString().slice(0, 10),
    currency: "USD",
    fob_value: "",
    destination_country: "VN",
    consignee: "",
  });
  const [done, setDone] = useState<string | null>(null);
  const errorsOf = fieldErrors(feed.error);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });

  function submit(event: FormEvent) {
    event.preventDefault();
    const body = {
      ...form,
      number: form.number.trim(),
      currency: form.currency.trim().toUpperCase(),
      destination_country: form.destination_country.trim().toUpperCase(),
      fob_value: form.fob_value.trim(),
      consignee: form.consignee.trim(),
    };
    feed.mutate(
      { body, headers: idempotency.keyFor(body) },
      {
        onSuccess: (declaration) => {
          idempotency.reset();
          setDone(declaration?.number ?? null);
          setForm({ ...form, number: "", fob_value: "", consignee: "" });
        },
      },
    );
  }

  return (
    <form onSubmit={submit} aria-label={t("customs.feedTitle")} noValidate>
      <ErrorAlert error={feed.error} fields={FIELDS} />
      {done ? <div className="alert good" role="status">{t("customs.fed", { number: done })}</div> : null}
      <div className="row">
        <Field label={t("fields.declaration_number")} htmlFor="decl-number" errors={errorsOf("number")} hint={t("customs.numberHint")}>
          <input id="decl-number" value={form.number} inputMode="numeric" maxLength={18} onChange={set("number")} {...invalid("decl-number", errorsOf("number"))} />
        </Field>
        <Field label={t("fields.exporter")} htmlFor="decl-exporter" errors={errorsOf("exporter_uscc")}>
          <select id="decl-exporter" value={form.exporter_uscc} onChange={set("exporter_uscc")} {...invalid("decl-exporter", errorsOf("exporter_uscc"))}>
            <option value="">{t("common.choose")}</option>
            {exporters.data?.results.map((org) => (
              <option key={org.id} value={org.uscc ?? ""}>
                {org.name} ({org.uscc})
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("fields.export_date")} htmlFor="decl-date" errors={errorsOf("export_date")}>
          <input id="decl-date" type="date" value={form.export_date} onChange={set("export_date")} {...invalid("decl-date", errorsOf("export_date"))} />
        </Field>
      </div>
      <div className="row">
        <Field label={t("fields.currency")} htmlFor="decl-currency" errors={errorsOf("currency")}>
          <input id="decl-currency" value={form.currency} maxLength={3} onChange={set("currency")} {...invalid("decl-currency", errorsOf("currency"))} />
        </Field>
        <Field label={t("fields.fob_value")} htmlFor="decl-fob" errors={errorsOf("fob_value")}>
          <input id="decl-fob" value={form.fob_value} inputMode="decimal" placeholder="100000.00" onChange={set("fob_value")} {...invalid("decl-fob", errorsOf("fob_value"))} />
        </Field>
        <Field label={t("fields.destination_country")} htmlFor="decl-dest" errors={errorsOf("destination_country")}>
          <input id="decl-dest" value={form.destination_country} maxLength={2} onChange={set("destination_country")} {...invalid("decl-dest", errorsOf("destination_country"))} />
        </Field>
        <Field label={t("fields.consignee")} htmlFor="decl-consignee" errors={errorsOf("consignee")}>
          <input id="decl-consignee" value={form.consignee} onChange={set("consignee")} {...invalid("decl-consignee", errorsOf("consignee"))} />
        </Field>
      </div>
      <button type="submit" disabled={feed.isPending}>
        {t("customs.feed")}
      </button>
    </form>
  );
}
