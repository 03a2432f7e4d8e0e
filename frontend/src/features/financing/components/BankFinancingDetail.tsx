import { useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";

import { useIdempotencyKey } from "@/shared/api";
import { useSession } from "@/shared/auth/AuthProvider";
import { Card, ErrorAlert, Field, Loading, Page } from "@/shared/ui";
import { fieldErrors, invalid } from "@/shared/ui/forms";

import { useApprove, useDisburse, useFinancing, useReject } from "../api";
import { FinancingFacts } from "./FinancingFacts";

/** What a credit officer needs to decide, and the decision. `receivable` shows the receivable it is about. */
export function BankFinancingDetail({ receivable }: { receivable?: (id: string) => ReactNode }) {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const { role } = useSession();
  const financing = useFinancing(id);
  if (financing.isPending) return <Loading />;
  if (financing.error) return <ErrorAlert error={financing.error} />;
  const x = financing.data;
  return (
    <Page title={t("financing.detailTitle", { invoice: x.receivable_invoice_number, bank: x.exporter.name })} subtitle={t("bank.detailSubtitle")}>
      {x.status === "applied" ? <Decide id={id} requested={x.requested_amount} currency={x.currency} /> : null}
      {x.status === "approved" ? <Disburse id={id} /> : null}
      <Card title={t("financing.application")}>
        <FinancingFacts financing={x} me={role} />
      </Card>
      {receivable ? receivable(x.receivable) : null}
    </Page>
  );
}

function Decide({ id, requested, currency }: { id: string; requested: string; currency: string }) {
  const { t } = useTranslation();
  const approve = useApprove();
  const reject = useReject();
  const approveKey = useIdempotencyKey();
  const rejectKey = useIdempotencyKey();
  const [amount, setAmount] = useState(requested);
  const [rate, setRate] = useState("4.50");
  const [reason, setReason] = useState("");
  const approveErrors = fieldErrors(approve.error);
  const rejectErrors = fieldErrors(reject.error);

  function onApprove(event: FormEvent) {
    event.preventDefault();
    const body = { amount: amount.trim(), interest_rate: rate.trim() };
    approve.mutate({ params: { path: { id } }, body, headers: approveKey.keyFor(body) }, { onSuccess: approveKey.reset });
  }
  function onReject(event: FormEvent) {
    event.preventDefault();
    const body = { reason: reason.trim() };
    reject.mutate({ params: { path: { id } }, body, headers: rejectKey.keyFor(body) }, { onSuccess: rejectKey.reset });
  }

  return (
    <div className="grid cols-2">
      <Card title={t("bank.approveTitle")} testId="approve-card">
        <form onSubmit={onApprove} aria-label={t("bank.approveTitle")} noValidate>
          <ErrorAlert error={approve.error} fields={["amount", "interest_rate"]} />
          <div className="row">
            <Field label={`${t("fields.approved_amount")} (${currency})`} htmlFor="approve-amount" errors={approveErrors("amount")}>
              <input id="approve-amount" value={amount} inputMode="decimal" onChange={(e) => setAmount(e.target.value)} {...invalid("approve-amount", approveErrors("amount"))} />
            </Field>
            <Field label={t("fields.interest_rate")} htmlFor="approve-rate" errors={approveErrors("interest_rate")} hint={t("bank.rateHint")}>
              <input id="approve-rate" value={rate} inputMode="decimal" onChange={(e) => setRate(e.target.value)} {...invalid("approve-rate", approveErrors("interest_rate"))} />
            </Field>
          </div>
          <button type="submit" disabled={approve.isPending}>{t("bank.approve")}</button>
        </form>
      </Card>
      <Card title={t("bank.rejectTitle")}>
        <form onSubmit={onReject} aria-label={t("bank.rejectTitle")} noValidate>
          <ErrorAlert error={reject.error} fields={["reason"]} />
          <Field label={t("fields.reject_reason")} htmlFor="reject-reason" errors={rejectErrors("reason")}>
            <textarea id="reject-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} {...invalid("reject-reason", rejectErrors("reason"))} />
          </Field>
          <button type="submit" className="danger" disabled={reject.isPending}>{t("bank.reject")}</button>
        </form>
      </Card>
    </div>
  );
}

function Disburse({ id }: { id: string }) {
  const { t } = useTranslation();
  const disburse = useDisburse();
  const key = useIdempotencyKey();
  return (
    <Card title={t("bank.disburseTitle")} testId="disburse-card">
      <ErrorAlert error={disburse.error} />
      <p className="muted" style={{ marginTop: 0 }}>{t("bank.disburseHint")}</p>
      <button type="button" disabled={disburse.isPending} onClick={() => disburse.mutate({ params: { path: { id } }, headers: key.keyFor({ disburse: id }) })}>
        {t("bank.disburse")}
      </button>
    </Card>
  );
}
