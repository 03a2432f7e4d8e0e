import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";

import { useFormat } from "@/shared/format";
import { Card, Money, Page, Pager, QueryList, StatusBadge } from "@/shared/ui";

import { useReceivables } from "../api";

export function ReceivablesPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  const receivables = useReceivables({ page });
  return (
    <Page
      title={t("receivables.title")}
      subtitle={t("receivables.subtitle")}
      actions={<Link className="button" to="/exporter/receivables/new">{t("receivables.new")}</Link>}
    >
      <Card>
        <QueryList query={receivables} empty={t("receivables.none")}>
          {(rows) => (
            <div className="table-wrap">
              <table data-testid="receivables-table">
                <thead>
                  <tr>
                    <th>{t("fields.invoice_number")}</th>
                    <th>{t("fields.buyer_name")}</th>
                    <th>{t("fields.due_date")}</th>
                    <th className="num">{t("fields.amount")}</th>
                    <th className="num">{t("fields.financed_amount")}</th>
                    <th className="num">{t("fields.available_amount")}</th>
                    <th className="num">{t("fields.received_amount")}</th>
                    <th>{t("fields.status")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id} className="clickable" onClick={() => navigate(`/exporter/receivables/${r.id}`)} data-invoice={r.invoice_number}>
                      <td><Link to={`/exporter/receivables/${r.id}`}>{r.invoice_number}</Link></td>
                      <td>{r.buyer_name} ({r.buyer_country})</td>
                      <td>{f.date(r.due_date)}</td>
                      <td className="num"><Money value={r.amount} currency={r.currency} /></td>
                      <td className="num"><Money value={r.financed_amount} currency={r.currency} /></td>
                      <td className="num"><Money value={r.available_amount} currency={r.currency} /></td>
                      <td className="num"><Money value={r.received_amount} currency={r.currency} /></td>
                      <td><StatusBadge status={r.status} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryList>
        {receivables.data ? <Pager page={page} count={receivables.data.count} pageSize={50} onPage={setPage} /> : null}
      </Card>
    </Page>
  );
}
