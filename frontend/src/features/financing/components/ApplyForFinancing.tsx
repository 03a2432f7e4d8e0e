import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { $api, asApiError, newIdempotencyKey } from "@/shared/api";
import { useSession } from "@/shared/auth/AuthProvider";
import { useFormat } from "@/shared/format";
import { Card, ErrorAlert, Field, QueryList, useErrorText } from "@/shared/ui";
import { fieldErrors, invalid } from "@/shared/ui/forms";

import { useApply, useBanks, useFinancings } from "../api";
import { FinancingsTable } from "./FinancingsTable";

type Outcome = { bank: string; ok: boolean; message: string };

/** Apply for financing of one receivable at one or several banks at once. */
export function ApplyForFinancing({ receivableId }: { receivableId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { role } = useSession();
  const errorText = useErrorText();
  const receivable = $api.useQuery("get", "/api/receivables/{id}/", { params: { path: { id: receivableId } } });
  const banks = useBanks();
  const financings = useFinancings({ receivable: receivableId });
  const apply = useApply();
  const [chosen, setChosen] = useState<string[]>([]);
  const [amount, setAmount] = useState<string | null>(null);
  const [tenor, setTenor] = useState("90");
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const [lastError, setLastError] = useState<unknown>(null);
  const keys = useRef(new Map<string, string>());

  const r = receivable.data;
  const value = amount ?? r?.available_amount ?? "";
  const errorsOf = fieldErrors(lastError);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const results: Outcome[] = [];
    setLastError(null);
    for (const bankId of chosen) {
      const body = { receivable: receivableId, bank: bankId, amount: value.trim(), tenor_days: Number(tenor) };
      const signature = JSON.stringify(body);
      if (!keys.current.has(signature)) keys.current.set(signature, newIdempotencyKey());
      const name = banks.data?.results.find((b) => b.id === bankId)?.name ?? bankId;
      try {
        await apply.mutateAsync({ body, headers: { "Idempotency-Key": keys.current.get(signature)! } });
        results.push({ bank: name, ok: true, message: t("financing.applied") });
      } catch (error) {
        setLastError(error);
        results.push({ bank: name, ok: false, message: errorText(error) ?? String(asApiError(error)?.message) });
      }
    }
    setOutcomes(results);
    if (results.every((o) => o.ok)) setChosen([]);
  }

  return (
    <>
      <Card title={t("financing.applyTitle")} testId="apply-card">
        {r && r.status === "settled" ? <p className="muted">{t("financing.settledNoApply")}</p> : null}
        <form onSubmit={submit} aria-label={t("financing.applyTitle")} noValidate>
          {outcomes.length ? (
            <div className={`alert ${outcomes.every((o) => o.ok) ? "good" : "warn"}`} role="status" data-testid="apply-outcomes">
              <ul>
                {outcomes.map((o) => (
                  <li key={o.bank}>
                    <strong>{o.bank}</strong>: {o.message}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <fieldset>
            <legend>{t("financing.chooseBanks")}</legend>
            <div className="checks">
              {banks.data?.results.map((bank) => (
                <label key={bank.id}>
                  <input
                    type="checkbox"
                    checked={chosen.includes(bank.id)}
                    onChange={(e) => setChosen(e.target.checked ? [...chosen, bank.id] : chosen.filter((c) => c !== bank.id))}
                  />
                  {bank.name} <span className="muted mono">{bank.bic}</span>
                </label>
              ))}
            </div>
            {errorsOf("bank") ? <span className="error">{errorsOf("bank")!.join(" ")}</span> : null}
          </fieldset>
          <div className="row">
            <Field
              label={t("fields.amount")}
              htmlFor="apply-amount"
              errors={errorsOf("amount")}
              hint={r ? t("financing.availableHint", { amount: f.money(r.available_amount, r.currency) }) : undefined}
            >
              <input id="apply-amount" value={value} inputMode="decimal" onChange={(e) => setAmount(e.target.value)} {...invalid("apply-amount", errorsOf("amount"))} />
            </Field>
            <Field label={t("fields.tenor_days")} htmlFor="apply-tenor" errors={errorsOf("tenor_days")}>
              <input id="apply-tenor" type="number" min={1} max={720} value={tenor} onChange={(e) => setTenor(e.target.value)} {...invalid("apply-tenor", errorsOf("tenor_days"))} />
            </Field>
          </div>
          <button type="submit" disabled={apply.isPending || chosen.length === 0 || r?.status === "settled"}>
            {t("financing.applyTo", { count: chosen.length })}
          </button>
        </form>
        {outcomes.some((o) => !o.ok) ? <ErrorAlert error={lastError} fields={["amount", "tenor_days", "bank"]} /> : null}
      </Card>
      <Card title={t("financing.ofReceivable")}>
        <QueryList query={financings} empty={t("financing.noneYet")} loading={false} showError={false}>
          {(rows) => <FinancingsTable financings={rows} me={role} linkBase="/exporter/financings" showBank showExporter={false} />}
        </QueryList>
      </Card>
    </>
  );
}
