import { useState } from "react";
import { useTranslation } from "react-i18next";

import { useFormat } from "@/shared/format";
import { Card, Money, Page, Pager, QueryList, StatusBadge } from "@/shared/ui";

import { useFxReceipts } from "../api";
import { FxReceiptForm } from "./FxReceiptForm";

export function FxReceiptsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [page, setPage] = useState(1);
  const receipts = useFxReceipts(page);
  return (
    <Page title={t("fx.title")} subtitle={t("fx.subtitle")}>
      <Card title={t("fx.formTitle")}>
        <FxReceiptForm />
      </Card>
      <Card title={t("fx.listTitle")}>
        <QueryList query={receipts} empty={t("fx.none")}>
          {(rows) => (
            <div className="table-wrap">
              <table data-testid="fx-table">
                <thead>
                  <tr>
                    <th>{t("fields.value_date")}</th>
                    <th>{t("fields.reference")}</th>
                    <th>{t("fields.payer_name")}</th>
                    <th className="num">{t("fields.amount")}</th>
                    <th className="num">{t("fx.applied")}</th>
                    <th className="num">{t("fields.surplus_amount")}</th>
                    <th>{t("fx.receivableStatus")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id}>
                      <td>{f.date(r.value_date)}</td>
                      <td className="mono">{r.reference}</td>
                      <td>{r.payer_name}</td>
                      <td className="num"><Money value={r.amount} currency={r.currency} /></td>
                      <td className="num"><Money value={r.applied_amount} currency={r.currency} /></td>
                      <td className="num"><Money value={r.surplus_amount} currency={r.currency} /></td>
                      <td><StatusBadge status={r.receivable_status} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryList>
        {receipts.data ? <Pager page={page} count={receipts.data.count} pageSize={50} onPage={setPage} /> : null}
      </Card>
    </Page>
  );
}
