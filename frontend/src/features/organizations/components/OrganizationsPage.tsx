import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Card, ChainBadge, Page, Pager, QueryList } from "@/shared/ui";
import { useFormat } from "@/shared/format";

import { useOrganizations } from "../api";
import { OnboardForm } from "./OnboardForm";

export function OrganizationsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [page, setPage] = useState(1);
  const organizations = useOrganizations({ page });
  return (
    <Page title={t("operator.organizationsTitle")} subtitle={t("operator.organizationsSubtitle")}>
      <Card title={t("operator.onboardTitle")}>
        <OnboardForm />
      </Card>
      <Card title={t("operator.organizationsList")}>
        <QueryList query={organizations} empty={t("common.none")}>
          {(rows) => (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>{t("fields.name")}</th>
                    <th>{t("fields.kind")}</th>
                    <th>{t("fields.identifier")}</th>
                    <th>{t("fields.chain_address")}</th>
                    <th>{t("fields.chain")}</th>
                    <th>{t("fields.created_at")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((org) => (
                    <tr key={org.id}>
                      <td>{org.name}</td>
                      <td>{t(`role.${org.kind}`)}</td>
                      <td className="mono">
                        {org.uscc ?? org.bic ?? "—"}
                        {org.safe_classification ? ` · ${t("fields.safe_classification")} ${org.safe_classification}` : ""}
                      </td>
                      <td className="hash">{org.chain_address ?? "—"}</td>
                      <td>
                        <ChainBadge chain={org.chain} />
                      </td>
                      <td>{f.dateTime(org.created_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryList>
        {organizations.data ? <Pager page={page} count={organizations.data.count} pageSize={50} onPage={setPage} /> : null}
      </Card>
    </Page>
  );
}
