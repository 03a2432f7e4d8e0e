import { useState } from "react";
import { useTranslation } from "react-i18next";

import { useFormat } from "@/shared/format";
import { Card, Page, Pager, QueryList, shortHash } from "@/shared/ui";

import { useAcknowledge, useAlerts } from "../api";
import { alertText } from "./alertText";

export function AlertsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [showAll, setShowAll] = useState(false);
  const [page, setPage] = useState(1);
  const alerts = useAlerts({ page, ...(showAll ? {} : { acknowledged: false }) });
  const acknowledge = useAcknowledge();
  const share = (value: string) => (value ? new Intl.NumberFormat(f.locale, { style: "percent", maximumFractionDigits: 1 }).format(Number(value)) : "");
  return (
    <Page
      title={t("alerts.title")}
      subtitle={t("alerts.subtitle")}
      actions={
        <label className="checks">
          <input type="checkbox" checked={showAll} onChange={(e) => { setShowAll(e.target.checked); setPage(1); }} /> {t("alerts.showAcknowledged")}
        </label>
      }
    >
      <Card>
        <QueryList query={alerts} error={alerts.error ?? acknowledge.error} empty={t("alerts.none")}>
          {(rows) => (
            <div className="table-wrap">
              <table data-testid="alerts-table">
                <thead>
                  <tr>
                    <th>{t("fields.created_at")}</th>
                    <th>{t("alerts.severity")}</th>
                    <th>{t("alerts.kind")}</th>
                    <th>{t("alerts.message")}</th>
                    <th>{t("alerts.subject")}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {rows.map((a) => (
                    <tr key={a.id} data-kind={a.kind}>
                      <td>{f.dateTime(a.created_at)}</td>
                      <td><span className={`badge ${a.severity === "high" ? "bad" : a.severity === "medium" ? "warn" : ""}`}>{t(`alerts.level.${a.severity}`)}</span></td>
                      <td>{t(`alerts.kinds.${a.kind}`, { defaultValue: a.kind })}</td>
                      <td title={a.message}>{alertText(t, a, share)}</td>
                      <td>{t(`alerts.subjects.${a.subject_type}`, { defaultValue: a.subject_type })} <span className="hash muted">{shortHash(a.subject_id)}</span></td>
                      <td>
                        {a.acknowledged_at ? (
                          <span className="muted">{t("alerts.acknowledgedAt", { at: f.dateTime(a.acknowledged_at) })}</span>
                        ) : (
                          <button type="button" className="secondary" disabled={acknowledge.isPending} onClick={() => acknowledge.mutate({ params: { path: { id: a.id } } })}>
                            {t("alerts.acknowledge")}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryList>
        {alerts.data ? <Pager page={page} count={alerts.data.count} pageSize={50} onPage={setPage} /> : null}
      </Card>
    </Page>
  );
}
