import { useTranslation } from "react-i18next";

import type { Financing, Role } from "@/shared/api";
import { useFormat } from "@/shared/format";
import { ChainBadge, Money, StatusBadge } from "@/shared/ui";

import { FinancingTimeline, NextActor } from "./parts";

export function FinancingFacts({ financing: x, me }: { financing: Financing; me: Role | undefined }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      <FinancingTimeline financing={x} />
      <div className="grid cols-2" style={{ marginTop: "1rem" }}>
        <dl className="facts">
          <dt>{t("fields.status")}</dt>
          <dd data-testid="financing-status"><StatusBadge status={x.status} /></dd>
          <dt>{t("financing.nextAction")}</dt>
          <dd><NextActor financing={x} me={me} /></dd>
          <dt>{t("fields.exporter")}</dt>
          <dd>{x.exporter.name}</dd>
          <dt>{t("fields.bank")}</dt>
          <dd>{x.bank.name} <span className="mono muted">{x.bank.bic}</span></dd>
          <dt>{t("fields.invoice_number")}</dt>
          <dd>{x.receivable_invoice_number}</dd>
          {x.reject_reason ? (
            <>
              <dt>{t("fields.reject_reason")}</dt>
              <dd data-testid="reject-reason">{x.reject_reason}</dd>
            </>
          ) : null}
        </dl>
        <dl className="facts">
          <dt>{t("fields.requested_amount")}</dt>
          <dd><Money value={x.requested_amount} currency={x.currency} /></dd>
          <dt>{t("fields.approved_amount")}</dt>
          <dd><Money value={x.approved_amount} currency={x.currency} /></dd>
          <dt>{t("fields.repaid_amount")}</dt>
          <dd data-testid="repaid"><Money value={x.repaid_amount} currency={x.currency} /></dd>
          <dt>{t("fields.outstanding_amount")}</dt>
          <dd data-testid="outstanding"><Money value={x.outstanding_amount} currency={x.currency} /></dd>
          <dt>{t("fields.interest_rate")}</dt>
          <dd>{f.percent(x.interest_rate)}</dd>
          <dt>{t("fields.tenor_days")}</dt>
          <dd>{t("financing.days", { count: x.tenor_days })}</dd>
          <dt>{t("fields.due_date")}</dt>
          <dd>{f.date(x.due_date)}</dd>
        </dl>
      </div>
      <h3 style={{ marginTop: "1rem" }}>{t("financing.onChain")}</h3>
      <dl className="facts" data-testid="chain-record">
        <dt>{t("financing.chainRecord")}</dt>
        <dd><ChainBadge chain={x.chain_record} /></dd>
        <dt>{t("financing.chainLatest")}</dt>
        <dd><ChainBadge chain={x.chain} /></dd>
        {x.chain?.tx_hash ? (
          <>
            <dt>{t("chain.tx")}</dt>
            <dd className="hash">{x.chain.tx_hash}</dd>
          </>
        ) : null}
      </dl>
      <h3 style={{ marginTop: "1rem" }}>{t("financing.dates")}</h3>
      <dl className="facts">
        <dt>{t("fields.applied_at")}</dt>
        <dd>{f.dateTime(x.applied_at)}</dd>
        <dt>{t("fields.approved_at")}</dt>
        <dd>{f.dateTime(x.approved_at)}</dd>
        <dt>{t("fields.disbursed_at")}</dt>
        <dd>{f.dateTime(x.disbursed_at)}</dd>
        <dt>{t("fields.closed_at")}</dt>
        <dd>{f.dateTime(x.closed_at)}</dd>
      </dl>
      {x.reservations.length ? (
        <>
          <h3 style={{ marginTop: "1rem" }}>{t("financing.reservations")}</h3>
          <table>
            <thead>
              <tr>
                <th>{t("fields.declaration_number")}</th>
                <th className="num">{t("fields.amount")}</th>
                <th>{t("fields.status")}</th>
              </tr>
            </thead>
            <tbody>
              {x.reservations.map((r) => (
                <tr key={r.declaration}>
                  <td className="mono">{r.declaration}</td>
                  <td className="num"><Money value={r.amount} currency={x.currency} /></td>
                  <td>{r.released ? t("financing.released") : t("financing.held")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </>
  );
}
