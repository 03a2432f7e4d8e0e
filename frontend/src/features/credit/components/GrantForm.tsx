import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { useIdempotencyKey, type CreditScope } from "@/shared/api";
import { ErrorAlert, Field } from "@/shared/ui";
import { fieldErrors, invalid } from "@/shared/ui/forms";

import { useBanks, useGrant } from "../api";

export const SCOPES: CreditScope[] = ["basic", "transaction_credit", "regulatory_credit"];
const FIELDS = ["bank", "purpose", "scopes", "data_from", "data_to", "expires_at"];

function isoDate(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

export function GrantForm() {
  const { t } = useTranslation();
  const banks = useBanks();
  const grant = useGrant();
  const idempotency = useIdempotencyKey();
  const [bank, setBank] = useState("");
  const [purpose, setPurpose] = useState("");
  const [scopes, setScopes] = useState<CreditScope[]>(["basic", "transaction_credit"]);
  const [dataFrom, setDataFrom] = useState(isoDate(-365));
  const [dataTo, setDataTo] = useState(isoDate(0));
  const [expires, setExpires] = useState(`${isoDate(30)}T18:00`);
  const [granted, setGranted] = useState(false);
  const errorsOf = fieldErrors(grant.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    const expiresAt = expires ? new Date(expires) : null;
    const body = {
      bank,
      purpose: purpose.trim(),
      scopes,
      data_from: dataFrom,
      data_to: dataTo,
      expires_at: expiresAt && !Number.isNaN(expiresAt.getTime()) ? expiresAt.toISOString() : expires,
    };
    setGranted(false);
    grant.mutate(
      { body, headers: idempotency.keyFor(body) },
      {
        onSuccess: () => {
          idempotency.reset();
          setGranted(true);
          setPurpose("");
        },
      },
    );
  }

  return (
    <form onSubmit={submit} aria-label={t("credit.grantTitle")} noValidate>
      <ErrorAlert error={grant.error} fields={FIELDS} />
      {granted ? <div className="alert good" role="status">{t("credit.granted")}</div> : null}
      <div className="row">
        <Field label={t("fields.bank")} htmlFor="grant-bank" errors={errorsOf("bank")}>
          <select id="grant-bank" value={bank} onChange={(e) => setBank(e.target.value)} {...invalid("grant-bank", errorsOf("bank"))}>
            <option value="">{t("common.choose")}</option>
            {banks.data?.results.map((b) => (
              <option key={b.id} value={b.id}>{b.name}</option>
            ))}
          </select>
        </Field>
        <Field label={t("fields.purpose")} htmlFor="grant-purpose" errors={errorsOf("purpose")}>
          <input id="grant-purpose" value={purpose} onChange={(e) => setPurpose(e.target.value)} placeholder={t("credit.purposeExample")} {...invalid("grant-purpose", errorsOf("purpose"))} />
        </Field>
      </div>
      <fieldset>
        <legend>{t("fields.scopes")}</legend>
        <div className="checks">
          {SCOPES.map((scope) => (
            <label key={scope}>
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(e) => setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))}
              />
              {t(`credit.scope.${scope}`)}
            </label>
          ))}
        </div>
        {errorsOf("scopes") ? <span className="error" role="alert">{errorsOf("scopes")!.join(" ")}</span> : null}
      </fieldset>
      <div className="row">
        <Field label={t("fields.data_from")} htmlFor="grant-from" errors={errorsOf("data_from")}>
          <input id="grant-from" type="date" value={dataFrom} onChange={(e) => setDataFrom(e.target.value)} {...invalid("grant-from", errorsOf("data_from"))} />
        </Field>
        <Field label={t("fields.data_to")} htmlFor="grant-to" errors={errorsOf("data_to")}>
          <input id="grant-to" type="date" value={dataTo} onChange={(e) => setDataTo(e.target.value)} {...invalid("grant-to", errorsOf("data_to"))} />
        </Field>
        <Field label={t("fields.expires_at")} htmlFor="grant-expires" errors={errorsOf("expires_at")}>
          <input id="grant-expires" type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} {...invalid("grant-expires", errorsOf("expires_at"))} />
        </Field>
      </div>
      <p className="muted">{t("credit.signatureNote")}</p>
      <button type="submit" disabled={grant.isPending}>{t("credit.grant")}</button>
    </form>
  );
}
