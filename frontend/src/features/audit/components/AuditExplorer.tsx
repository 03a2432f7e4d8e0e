import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";

import { useFormat } from "@/shared/format";
import { Card, Page, Pager, QueryList, shortHash } from "@/shared/ui";

import { useAuditEvents } from "../api";
import { LogVerification } from "./LogVerification";

const ANCHOR_TONE = { unbatched: "", pending: "warn", anchored: "good", failed: "bad" } as const;

export function AuditExplorer() {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  const [draft, setDraft] = useState({ type: "", object_type: "", object_id: "" });
  const [filters, setFilters] = useState(draft);
  const query = Object.fromEntries(Object.entries(filters).filter(([, v]) => v.trim() !== "")) as typeof filters;
  const events = useAuditEvents({ page, ...query });

  function search(event: FormEvent) {
    event.preventDefault();
    setFilters({ ...draft });
    setPage(1);
  }

  return (
    <Page title={t("audit.title")} subtitle={t("audit.subtitle")}>
      <LogVerification />
      <Card title={t("audit.events")}>
        <form className="toolbar" onSubmit={search} aria-label={t("audit.search")}>
          <div className="field">
            <label htmlFor="audit-type">{t("audit.eventType")}</label>
            <input id="audit-type" value={draft.type} placeholder="financing.approved" onChange={(e) => setDraft({ ...draft, type: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="audit-object-type">{t("audit.objectType")}</label>
            <input id="audit-object-type" value={draft.object_type} placeholder="financing" onChange={(e) => setDraft({ ...draft, object_type: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="audit-object-id">{t("audit.objectId")}</label>
            <input id="audit-object-id" value={draft.object_id} onChange={(e) => setDraft({ ...draft, object_id: e.target.value })} />
          </div>
          <button type="submit">{t("audit.search")}</button>
        </form>
        <QueryList query={events} empty={t("audit.none")}>
          {(rows) => (
            <div className="table-wrap">
              <table data-testid="audit-table">
                <thead>
                  <tr>
                    <th className="num">{t("audit.seq")}</th>
                    <th>{t("audit.eventType")}</th>
                    <th>{t("audit.object")}</th>
                    <th>{t("audit.actor")}</th>
                    <th>{t("fields.created_at")}</th>
                    <th>{t("audit.entryHash")}</th>
                    <th>{t("audit.anchoring")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((e) => (
                    <tr key={e.seq} className="clickable" data-seq={e.seq} data-type={e.type} onClick={() => navigate(`/regulator/audit/${e.seq}`)}>
                      <td className="num"><Link to={`/regulator/audit/${e.seq}`}>{e.seq}</Link></td>
                      <td className="mono">{e.type}</td>
                      <td>{e.object.type} <span className="hash muted">{shortHash(e.object.id)}</span></td>
                      <td>{e.actor?.username ?? t("audit.system")}</td>
                      <td>{f.dateTime(e.created_at)}</td>
                      <td className="hash">{shortHash(e.entry_hash)}</td>
                      <td>
                        <span className={`badge ${ANCHOR_TONE[e.anchoring.state]}`}>{t(`audit.anchorState.${e.anchoring.state}`)}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryList>
        {events.data ? <Pager page={page} count={events.data.count} pageSize={50} onPage={setPage} /> : null}
      </Card>
    </Page>
  );
}
