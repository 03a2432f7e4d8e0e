import { useTranslation } from "react-i18next";

import type { CreditAccess } from "@/shared/api";
import { useFormat } from "@/shared/format";
import { ChainBadge, StatusBadge } from "@/shared/ui";

/**
 * Lookups of a credit profile, one row each. The exporter's view names the bank that looked and
 * shows the platform's reason under the outcome; the bank's view (its own lookups) explains a
 * refusal in the user's language.
 */
export function AccessLogTable({ rows, view }: { rows: CreditAccess[]; view: "exporter" | "bank" }) {
  const { t } = useTranslation();
  const f = useFormat();
  const exporterView = view === "exporter";
  return (
    <table>
      <thead>
        <tr>
          <th>{t("fields.occurred_at")}</th>
          {exporterView ? <th>{t("fields.bank")}</th> : null}
          <th>{t("fields.user")}</th>
          <th>{t("fields.scopes")}</th>
          <th>{t("credit.outcome")}</th>
          {exporterView ? null : <th>{t("credit.why")}</th>}
          <th>{t("fields.chain")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((x) => (
          <tr key={x.id} data-outcome={x.outcome}>
            <td>{f.dateTime(x.time)}</td>
            {exporterView ? <td>{x.bank.name}</td> : null}
            <td>{x.user.username}</td>
            <td>{x.scopes.map((s) => t(`credit.scope.${s}`)).join(", ")}</td>
            <td>
              <StatusBadge status={x.outcome} />
              {exporterView && x.reason ? <div className="muted">{x.reason}</div> : null}
            </td>
            {exporterView ? null : (
              <td title={x.reason}>{x.refused ? t(`errors.${x.outcome}`, { defaultValue: x.reason }) : ""}</td>
            )}
            <td><ChainBadge chain={x.chain} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
