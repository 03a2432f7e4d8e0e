import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { $api } from "@/shared/api";
import { useSession } from "@/shared/auth/AuthProvider";
import { sumDecimals, useFormat } from "@/shared/format";
import { Card, Empty, ErrorAlert, Loading, Page } from "@/shared/ui";

import { useFinancings } from "../api";
import { FinancingsTable } from "./FinancingsTable";

function byCurrency<T>(rows: T[], currency: (row: T) => string, amount: (row: T) => string): [string, string][] {
  const groups = new Map<string, string[]>();
  rows.forEach((row) => groups.set(currency(row), [...(groups.get(currency(row)) ?? []), amount(row)]));
  return [...groups].map(([code, amounts]) => [code, sumDecimals(amounts) ?? "0"]);
}

export function ExporterOverview() {
  const { t } = useTranslation();
  const f = useFormat();
  const { role, me } = useSession();
  const financings = useFinancings({});
  const declarations = $api.useQuery("get", "/api/customs/declarations/", { params: { query: {} } });
  const rows = financings.data?.results ?? [];
  const outstanding = byCurrency(rows, (x) => x.currency, (x) => x.outstanding_amount);
  const available = byCurrency(declarations.data?.results ?? [], (d) => d.currency, (d) => d.available_amount);
  const inFlight = rows.filter((x) => ["applied", "approved"].includes(x.status));
  return (
    <Page
      title={t("overview.title", { name: me?.organization?.name ?? "" })}
      subtitle={t("overview.subtitle")}
      actions={<Link className="button" to="/exporter/receivables/new">{t("receivables.new")}</Link>}
    >
      <div className="grid cols-3" style={{ marginBottom: "1rem" }}>
        <div className="kpi">
          <div className="label">{t("overview.available")}</div>
          <div className="value">{available.length ? available.map(([c, a]) => f.money(a, c)).join(" · ") : "—"}</div>
          <div className="sub">{t("overview.availableSub")}</div>
        </div>
        <div className="kpi">
          <div className="label">{t("overview.outstanding")}</div>
          <div className="value">{outstanding.some(([, a]) => a !== "0.00") ? outstanding.map(([c, a]) => f.money(a, c)).join(" · ") : "—"}</div>
          <div className="sub">{t("overview.outstandingSub")}</div>
        </div>
        <div className="kpi">
          <div className="label">{t("overview.awaitingBanks")}</div>
          <div className="value">{f.number(inFlight.length)}</div>
          <div className="sub">{t("overview.awaitingBanksSub")}</div>
        </div>
      </div>
      <Card title={t("overview.recent")}>
        {financings.isPending ? <Loading /> : null}
        <ErrorAlert error={financings.error} />
        {rows.length === 0 && !financings.isPending ? <Empty>{t("financing.noneYet")}</Empty> : null}
        {rows.length ? <FinancingsTable financings={rows.slice(0, 10)} me={role} linkBase="/exporter/financings" showBank showExporter={false} /> : null}
      </Card>
    </Page>
  );
}
