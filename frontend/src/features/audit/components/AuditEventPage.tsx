import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";

import { useFormat } from "@/shared/format";
import { Card, ErrorAlert, Loading, Page } from "@/shared/ui";

import { useAuditEvent } from "../api";
import { ProofCheck } from "./ProofCheck";

export function AuditEventPage() {
  const { seq = "0" } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const event = useAuditEvent(Number(seq));
  if (event.isPending) return <Loading />;
  if (event.error) return <ErrorAlert error={event.error} />;
  const e = event.data;
  return (
    <Page title={t("audit.eventTitle", { seq: e.seq })} subtitle={e.type} actions={<Link to="/regulator/audit">{t("audit.back")}</Link>}>
      <Card>
        <dl className="facts">
          <dt>{t("audit.eventType")}</dt>
          <dd className="mono">{e.type}</dd>
          <dt>{t("audit.object")}</dt>
          <dd>{e.object.type} <span className="hash">{e.object.id}</span></dd>
          <dt>{t("audit.actor")}</dt>
          <dd>{e.actor?.username ?? t("audit.system")}</dd>
          <dt>{t("fields.created_at")}</dt>
          <dd>{f.dateTime(e.created_at)}</dd>
          <dt>{t("audit.prevHash")}</dt>
          <dd className="hash">{e.prev_hash}</dd>
          <dt>{t("audit.entryHash")}</dt>
          <dd className="hash">{e.entry_hash}</dd>
        </dl>
        <h3 style={{ marginTop: "1rem" }}>{t("audit.payload")}</h3>
        <pre className="json">{JSON.stringify(e.payload, null, 2)}</pre>
      </Card>
      <ProofCheck event={e} />
    </Page>
  );
}
