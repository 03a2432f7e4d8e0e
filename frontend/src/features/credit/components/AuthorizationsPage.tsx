import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { useFormat } from "@/shared/format";
import { Card, ChainBadge, Page, Pager, QueryList, StatusBadge } from "@/shared/ui";

import { useAuthorizations, useRevoke } from "../api";
import { GrantForm } from "./GrantForm";

export function AuthorizationsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [page, setPage] = useState(1);
  const authorizations = useAuthorizations({ page });
  const revoke = useRevoke();
  return (
    <Page title={t("credit.title")} subtitle={t("credit.subtitle")}>
      <Card title={t("credit.grantTitle")}>
        <GrantForm />
      </Card>
      <Card title={t("credit.listTitle")}>
        <QueryList query={authorizations} error={authorizations.error ?? revoke.error} empty={t("credit.none")}>
          {(rows) => (
            <div className="table-wrap">
              <table data-testid="authorizations-table">
                <thead>
                  <tr>
                    <th>{t("fields.bank")}</th>
                    <th>{t("fields.purpose")}</th>
                    <th>{t("fields.scopes")}</th>
                    <th>{t("credit.dataPeriod")}</th>
                    <th>{t("fields.expires_at")}</th>
                    <th>{t("fields.status")}</th>
                    <th>{t("fields.chain")}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {rows.map((a) => (
                    <tr key={a.id} data-authorization={a.id} data-bank={a.bank_name}>
                      <td>{a.bank_name}</td>
                      <td>{a.purpose}</td>
                      <td>{a.scopes.map((s) => t(`credit.scope.${s}`)).join(", ")}</td>
                      <td>{f.date(a.data_from)} – {f.date(a.data_to)}</td>
                      <td>{f.dateTime(a.expires_at)}</td>
                      <td><StatusBadge status={a.status} /></td>
                      <td><ChainBadge chain={a.chain} /></td>
                      <td className="actions">
                        <Link to={`/exporter/authorizations/${a.id}`}>{t("credit.accessLog")}</Link>
                        {a.status === "active" ? (
                          <button
                            type="button"
                            className="link"
                            disabled={revoke.isPending}
                            onClick={() => {
                              if (window.confirm(t("credit.confirmRevoke", { bank: a.bank_name }))) {
                                revoke.mutate({ params: { path: { id: a.id } } });
                              }
                            }}
                          >
                            {t("credit.revoke")}
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryList>
        {authorizations.data ? <Pager page={page} count={authorizations.data.count} pageSize={50} onPage={setPage} /> : null}
      </Card>
    </Page>
  );
}
