import { useState } from "react";
import { useTranslation } from "react-i18next";

import { asApiError, type CreditAuthorization } from "@/shared/api";
import { useFormat } from "@/shared/format";
import { Card, Loading, Page, QueryList, StatusBadge, useErrorText } from "@/shared/ui";

import { useAuthorizations, useCreditReport, useOurLookups } from "../api";
import { AccessLogTable } from "./AccessLogTable";
import { SCOPES } from "./GrantForm";
import { ReportFacts } from "./ReportView";

export function CreditLookupPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const errorText = useErrorText();
  const authorizations = useAuthorizations({});
  const [selected, setSelected] = useState<CreditAuthorization | null>(null);
  const [request, setRequest] = useState<{ exporterId: string; authorizationId: string; nonce: number } | null>(null);
  const lookups = useOurLookups();
  const report = useCreditReport(request);

  function lookUp(authorization: CreditAuthorization) {
    setSelected(authorization);
    const next = { exporterId: authorization.exporter, authorizationId: authorization.id, nonce: Date.now() };
    setRequest(next);
  }

  const refusal = asApiError(report.error);
  const data = report.data as Record<string, unknown> | undefined;

  return (
    <Page title={t("credit.lookupTitle")} subtitle={t("credit.lookupSubtitle")}>
      <Card title={t("credit.grantsToUs")}>
        <QueryList query={authorizations} empty={t("credit.noneToUs")}>
          {(rows) => (
            <table data-testid="grants-table">
              <thead>
                <tr>
                  <th>{t("fields.exporter")}</th>
                  <th>{t("fields.purpose")}</th>
                  <th>{t("fields.scopes")}</th>
                  <th>{t("credit.dataPeriod")}</th>
                  <th>{t("fields.expires_at")}</th>
                  <th>{t("fields.status")}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {rows.map((a) => (
                  <tr key={a.id} className={selected?.id === a.id ? "selected" : ""} data-exporter={a.exporter_name}>
                    <td>{a.exporter_name}</td>
                    <td>{a.purpose}</td>
                    <td>{a.scopes.map((s) => t(`credit.scope.${s}`)).join(", ")}</td>
                    <td>{f.date(a.data_from)} – {f.date(a.data_to)}</td>
                    <td>{f.dateTime(a.expires_at)}</td>
                    <td><StatusBadge status={a.status} /></td>
                    <td>
                      <button type="button" onClick={() => lookUp(a)} disabled={report.isFetching}>
                        {t("credit.lookUp")}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </QueryList>
      </Card>
      {report.isFetching ? <Loading /> : null}
      {refusal && !report.isFetching ? (
        <div className="alert bad" role="alert" data-testid="lookup-refused" data-error-code={refusal.code}>
          <strong>{t("credit.refused")}</strong> {errorText(refusal)}
        </div>
      ) : null}
      {data && !report.isFetching && selected ? (
        <Card title={t("credit.reportTitle", { name: selected.exporter_name })} testId="credit-report">
          <p className="muted" style={{ marginTop: 0 }}>{t("credit.reportLogged")}</p>
          {SCOPES.map((scope) =>
            scope in data ? (
              <section key={scope} data-scope={scope} style={{ marginBottom: "1rem" }}>
                <h3>{t(`credit.scope.${scope}`)}</h3>
                <ReportFacts data={(data[scope] ?? {}) as Record<string, unknown>} />
              </section>
            ) : (
              <p key={scope} className="muted" data-scope-missing={scope}>
                {t("credit.scopeNotGranted", { scope: t(`credit.scope.${scope}`) })}
              </p>
            ),
          )}
        </Card>
      ) : null}
      <Card title={t("credit.ourLookups")} testId="lookup-log">
        <QueryList query={lookups} empty={t("credit.noAccess")} loading={false} showError={false}>
          {(rows) => <AccessLogTable rows={rows} view="bank" />}
        </QueryList>
      </Card>
    </Page>
  );
}
