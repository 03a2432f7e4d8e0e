import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Cell, Legend, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import { useFormat } from "@/shared/format";
import { Card, Empty, ErrorAlert, Loading, Page } from "@/shared/ui";

import { currenciesOf, toDashboard, useAlerts, useStats } from "../api";

const COLORS = ["#0f4c81", "#1f7a5a", "#b26a00", "#7b3fa0", "#b3261e", "#3d7ab8"];

export function Dashboard() {
  const { t } = useTranslation();
  const f = useFormat();
  const stats = useStats();
  const openAlerts = useAlerts({ acknowledged: false });
  const [chosen, setChosen] = useState<string | null>(null);
  if (stats.isPending) return <Loading />;
  if (stats.error) return <ErrorAlert error={stats.error} />;
  const currencies = currenciesOf(stats.data);
  const currency = chosen && currencies.includes(chosen) ? chosen : (currencies[0] ?? "USD");
  const d = toDashboard(stats.data, currency);
  const compact = new Intl.NumberFormat(f.locale, { notation: "compact", maximumFractionDigits: 1 });
  const axisMoney = (value: number) => compact.format(value);
  const tooltipMoney = (value: unknown) => f.money(String(value), currency);

  return (
    <Page
      title={t("dashboard.title")}
      subtitle={t("dashboard.subtitle")}
      actions={
        currencies.length > 1 ? (
          <div className="field" style={{ margin: 0 }}>
            <label htmlFor="dash-currency">{t("fields.currency")}</label>
            <select id="dash-currency" value={currency} onChange={(e) => setChosen(e.target.value)}>
              {currencies.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </div>
        ) : null
      }
    >
      <div className="grid cols-5" style={{ marginBottom: "1rem" }}>
        <div className="kpi" data-testid="kpi-outstanding">
          <div className="label">{t("dashboard.outstanding")}</div>
          <div className="value">{f.money(d.outstanding?.amount ?? "0", currency)}</div>
          <div className="sub">{t("dashboard.financings", { count: d.outstanding?.count ?? 0 })}</div>
        </div>
        <div className="kpi" data-testid="kpi-overdue">
          <div className="label">{t("dashboard.overdue")}</div>
          <div className="value">{f.money(d.overdue?.amount ?? "0", currency)}</div>
          <div className="sub">{t("dashboard.financings", { count: d.overdue?.count ?? 0 })}</div>
        </div>
        <div className="kpi" data-testid="kpi-blocked">
          <div className="label">{t("dashboard.blocked")}</div>
          <div className="value">{f.number(d.blocked)}</div>
          <div className="sub">{t("dashboard.blockedSub")} · {t("dashboard.suspected", { count: d.suspectedDuplicates })}</div>
        </div>
        <div className="kpi" data-testid="kpi-lookups">
          <div className="label">{t("dashboard.lookups")}</div>
          <div className="value">{f.number(d.lookups.served)}</div>
          <div className="sub">{t("dashboard.lookupsRefused", { count: d.lookups.refused })}</div>
        </div>
        <div className="kpi" data-testid="kpi-alerts">
          <div className="label">{t("dashboard.openAlerts")}</div>
          <div className="value">{f.number(openAlerts.data?.count ?? null)}</div>
          <div className="sub">{t("dashboard.openAlertsSub")}</div>
        </div>
      </div>
      <div className="grid cols-2">
        <Card title={t("dashboard.byBank", { currency })} testId="chart-by-bank">
          {d.byBank.length === 0 ? <Empty>{t("dashboard.noData")}</Empty> : (
            <div className="chart">
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={d.byBank} margin={{ left: 8, right: 8 }}>
                  <CartesianGrid strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="name" tick={{ fontSize: 11 }} interval={0} />
                  <YAxis tickFormatter={axisMoney} width={56} />
                  <Tooltip formatter={tooltipMoney} />
                  <Bar dataKey="amount" name={t("dashboard.volume")} fill={COLORS[0]} radius={[4, 4, 0, 0]} maxBarSize={64} isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          )}
        </Card>
        <Card title={t("dashboard.byMonth", { currency })} testId="chart-by-month">
          {d.byMonth.length === 0 ? <Empty>{t("dashboard.noData")}</Empty> : (
            <div className="chart">
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={d.byMonth.map((row) => ({ ...row, label: f.month(row.month) }))} margin={{ left: 8, right: 8 }}>
                  <CartesianGrid strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="label" tick={{ fontSize: 11 }} />
                  <YAxis tickFormatter={axisMoney} width={56} />
                  <Tooltip formatter={tooltipMoney} />
                  <Bar dataKey="amount" name={t("dashboard.volume")} fill={COLORS[1]} radius={[4, 4, 0, 0]} maxBarSize={64} isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          )}
        </Card>
        <Card title={t("dashboard.byCurrency")} testId="chart-by-currency">
          {d.byCurrency.length === 0 ? <Empty>{t("dashboard.noData")}</Empty> : (
            <div className="chart">
              <ResponsiveContainer width="100%" height="100%">
                <PieChart>
                  <Pie data={d.byCurrency} dataKey="count" nameKey="currency" innerRadius={50} outerRadius={90} isAnimationActive={false}>
                    {d.byCurrency.map((row, i) => <Cell key={row.currency} fill={COLORS[i % COLORS.length]} stroke="none" />)}
                  </Pie>
                  <Tooltip formatter={(value: unknown) => t("dashboard.financings", { count: Number(value) })} />
                  <Legend formatter={(value: string) => `${value} · ${t("dashboard.financings", { count: d.byCurrency.find((row) => row.currency === value)?.count ?? 0 })}`} />
                </PieChart>
              </ResponsiveContainer>
            </div>
          )}
        </Card>
        <Card title={t("dashboard.blockedByBank")} testId="chart-blocked">
          {d.blockedByBank.length === 0 ? (
            <Empty>{d.blocked ? t("dashboard.blockedTotal", { count: d.blocked }) : t("dashboard.noBlocked")}</Empty>
          ) : (
            <div className="chart">
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={d.blockedByBank} margin={{ left: 8, right: 8 }}>
                  <CartesianGrid strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="name" tick={{ fontSize: 11 }} interval={0} />
                  <YAxis allowDecimals={false} width={40} />
                  <Tooltip />
                  <Bar dataKey="count" name={t("dashboard.blocked")} fill={COLORS[4]} radius={[4, 4, 0, 0]} maxBarSize={64} isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
          )}
        </Card>
      </div>
    </Page>
  );
}
