import { useTranslation } from "react-i18next";

import { useFormat } from "@/shared/format";
import { Card, ErrorAlert, Loading, Money, StatusBadge } from "@/shared/ui";

import { useReceivable } from "../api";

interface DeclarationCheck {
  status?: string;
  source?: string;
  checked_at?: string;
  declarations?: { number: string; exporter_match?: boolean; currency_match?: boolean }[];
}

/** A receivable with its declaration check and, per declaration, what remains to finance. */
export function ReceivableDetail({ id, compact = false }: { id: string; compact?: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const receivable = useReceivable(id);
  if (receivable.isPending) return <Loading />;
  if (receivable.error) return <ErrorAlert error={receivable.error} />;
  const r = receivable.data;
  const check = (r.declaration_check ?? {}) as DeclarationCheck;
  const passed = check.status === "passed";
  return (
    <Card title={compact ? t("receivables.receivable") : t("receivables.detailTitle", { invoice: r.invoice_number })} testId="receivable-detail">
      {r.suspected_duplicate ? (
        <div className="alert warn" role="alert" data-testid="duplicate-warning">
          {t("receivables.suspectedDuplicate")}
        </div>
      ) : null}
      <div className="grid cols-2">
        <dl className="facts">
          <dt>{t("fields.invoice_number")}</dt>
          <dd>{r.invoice_number}</dd>
          <dt>{t("fields.exporter")}</dt>
          <dd>{r.exporter_name}</dd>
          <dt>{t("fields.buyer_name")}</dt>
          <dd>{r.buyer_name} ({r.buyer_country})</dd>
          <dt>{t("fields.issue_date")}</dt>
          <dd>{f.date(r.issue_date)}</dd>
          <dt>{t("fields.due_date")}</dt>
          <dd>{f.date(r.due_date)}</dd>
          <dt>{t("fields.status")}</dt>
          <dd><StatusBadge status={r.status} /></dd>
        </dl>
        <dl className="facts">
          <dt>{t("fields.amount")}</dt>
          <dd><Money value={r.amount} currency={r.currency} /></dd>
          <dt>{t("fields.financed_amount")}</dt>
          <dd><Money value={r.financed_amount} currency={r.currency} /></dd>
          <dt>{t("fields.available_amount")}</dt>
          <dd data-testid="receivable-available"><Money value={r.available_amount} currency={r.currency} /></dd>
          <dt>{t("fields.received_amount")}</dt>
          <dd><Money value={r.received_amount} currency={r.currency} /></dd>
          <dt>{t("fields.surplus_amount")}</dt>
          <dd><Money value={r.surplus_amount} currency={r.currency} /></dd>
          <dt>{t("receivables.declarationCheck")}</dt>
          <dd data-testid="declaration-check">
            <span className={`badge ${passed ? "good" : "bad"}`}>{t(passed ? "receivables.checkPassed" : "receivables.checkFailed")}</span>{" "}
            <span className="muted">{check.checked_at ? `${t("receivables.checkedAgainstCustoms")} · ${f.dateTime(check.checked_at)}` : ""}</span>
          </dd>
        </dl>
      </div>
      <h3 style={{ marginTop: "1rem" }}>{t("receivables.perDeclaration")}</h3>
      <div className="table-wrap">
        <table data-testid="receivable-declarations">
          <thead>
            <tr>
              <th>{t("fields.declaration_number")}</th>
              <th>{t("fields.export_date")}</th>
              <th>{t("receivables.checkColumn")}</th>
              <th className="num">{t("fields.fob_value")}</th>
              <th className="num">{t("fields.allocated_here")}</th>
              <th className="num">{t("fields.financed_amount")}</th>
              <th className="num">{t("fields.remaining_balance")}</th>
            </tr>
          </thead>
          <tbody>
            {r.declarations.map((d) => {
              const item = check.declarations?.find((c) => c.number === d.number);
              const ok = item ? item.exporter_match !== false && item.currency_match !== false : passed;
              return (
                <tr key={d.number} data-declaration={d.number}>
                  <td className="mono">{d.number}</td>
                  <td>{f.date(d.export_date)}</td>
                  <td><span className={`badge ${ok ? "good" : "bad"}`}>{t(ok ? "receivables.matchesCustoms" : "receivables.mismatch")}</span></td>
                  <td className="num"><Money value={d.fob_value} currency={r.currency} /></td>
                  <td className="num"><Money value={d.amount} currency={r.currency} /></td>
                  <td className="num"><Money value={d.financed_amount} currency={r.currency} /></td>
                  <td className="num" data-testid="remaining"><Money value={d.available_amount} currency={r.currency} /></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
