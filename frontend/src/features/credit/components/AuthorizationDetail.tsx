import { useTranslation } from "react-i18next";
import { useParams } from "react-router";

import { useFormat } from "@/shared/format";
import { Card, ChainBadge, ErrorAlert, Loading, Page, QueryList, StatusBadge } from "@/shared/ui";

import { useAccesses, useAuthorization } from "../api";
import { AccessLogTable } from "./AccessLogTable";

export function AuthorizationDetail() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const authorization = useAuthorization(id);
  const accesses = useAccesses(id);
  if (authorization.isPending) return <Loading />;
  if (authorization.error) return <ErrorAlert error={authorization.error} />;
  const a = authorization.data;
  return (
    <Page title={t("credit.detailTitle", { bank: a.bank_name })}>
      <Card>
        <dl className="facts">
          <dt>{t("fields.status")}</dt>
          <dd><StatusBadge status={a.status} /></dd>
          <dt>{t("fields.purpose")}</dt>
          <dd>{a.purpose}</dd>
          <dt>{t("fields.scopes")}</dt>
          <dd>{a.scopes.map((s) => t(`credit.scope.${s}`)).join(", ")}</dd>
          <dt>{t("credit.dataPeriod")}</dt>
          <dd>{f.date(a.data_from)} – {f.date(a.data_to)}</dd>
          <dt>{t("fields.valid_from")}</dt>
          <dd>{f.dateTime(a.valid_from)}</dd>
          <dt>{t("fields.expires_at")}</dt>
          <dd>{f.dateTime(a.expires_at)}</dd>
          <dt>{t("credit.digest")}</dt>
          <dd className="hash">{a.digest}</dd>
          <dt>{t("credit.signature")}</dt>
          <dd className="hash">{a.signature}</dd>
          <dt>{t("fields.chain")}</dt>
          <dd><ChainBadge chain={a.chain} /></dd>
        </dl>
      </Card>
      <Card title={t("credit.accessLog")} testId="access-log">
        <p className="muted" style={{ marginTop: 0 }}>{t("credit.accessLogHint")}</p>
        <QueryList query={accesses} empty={t("credit.noAccess")}>
          {(rows) => <AccessLogTable rows={rows} view="exporter" />}
        </QueryList>
      </Card>
    </Page>
  );
}
