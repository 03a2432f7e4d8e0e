import { useTranslation } from "react-i18next";

import type { ChainStatus } from "@/shared/api";
import { useFormat, type Formatters } from "@/shared/format";
import { ChainBadge, StatusBadge } from "@/shared/ui";

/** Keys whose values are decimal money strings in the currency named beside them. */
const MONEY = new Set([
  "amount", "fob_value", "declared_value", "received_amount", "financed_amount", "repaid_amount", "outstanding_amount", "overdue_amount",
]);
const RATIO = new Set(["received_ratio", "share"]);

type Row = Record<string, unknown>;

function isChain(value: unknown): value is ChainStatus {
  return !!value && typeof value === "object" && "status" in value && "tx_hash" in value;
}

function isRecord(value: unknown): value is Row {
  return !!value && typeof value === "object" && !Array.isArray(value);
}

function Scalar({ name, value, currency, f }: { name: string; value: unknown; currency: string | null; f: Formatters }) {
  const { t } = useTranslation();
  if (value === null || value === undefined || value === "") return <span className="muted">—</span>;
  if (typeof value === "boolean") return <>{t(value ? "common.yes" : "common.no")}</>;
  if (typeof value === "number") return <>{f.number(value)}</>;
  if (isChain(value)) return <ChainBadge chain={value} />;
  const text = String(value);
  if (MONEY.has(name) && currency && /^-?\d+(\.\d+)?$/.test(text)) return <>{f.money(text, currency)}</>;
  if (RATIO.has(name) && /^\d+(\.\d+)?$/.test(text)) {
    return <>{new Intl.NumberFormat(f.locale, { style: "percent", maximumFractionDigits: 2 }).format(Number(text))}</>;
  }
  if (name === "month" && /^\d{4}-\d{2}$/.test(text)) return <>{f.month(text)}</>;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return <>{f.date(text)}</>;
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) return <>{f.dateTime(text)}</>;
  if (name === "status" || name === "outcome") return <StatusBadge status={text} />;
  return <>{text}</>;
}

function label(t: (key: string, options?: Record<string, unknown>) => string, key: string) {
  return t(`credit.report.${key}`, { defaultValue: key.replace(/_/g, " ") });
}

function RecordsTable({ rows, f }: { rows: Row[]; f: Formatters }) {
  const { t } = useTranslation();
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} className={MONEY.has(c) ? "num" : undefined}>{label(t, c)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {columns.map((c) => (
                <td key={c} className={MONEY.has(c) ? "num" : undefined}>
                  <Scalar name={c} value={row[c]} currency={typeof row.currency === "string" ? row.currency : null} f={f} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A credit report section from its JSON: facts as a list, nested parts as sub-sections, records as tables. */
export function ReportFacts({ data }: { data: Row }) {
  const { t } = useTranslation();
  const f = useFormat();
  const currency = typeof data.currency === "string" ? data.currency : null;
  const entries = Object.entries(data);
  const facts = entries.filter(([, v]) => !(isRecord(v) && !isChain(v)) && !(Array.isArray(v) && v.some(isRecord)));
  const parts = entries.filter(([, v]) => (isRecord(v) && !isChain(v)) || (Array.isArray(v) && v.some(isRecord)));
  return (
    <>
      {facts.length ? (
        <dl className="facts">
          {facts.map(([key, value]) => (
            <div key={key} style={{ display: "contents" }}>
              <dt>{label(t, key)}</dt>
              <dd>
                {Array.isArray(value) ? (
                  value.length ? value.map(String).join(", ") : <span className="muted">{t("common.none")}</span>
                ) : (
                  <Scalar name={key} value={value} currency={currency} f={f} />
                )}
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      {parts.map(([key, value]) => (
        <div key={key} className="report-section" data-part={key}>
          <h4>{label(t, key)}</h4>
          {Array.isArray(value) ? <RecordsTable rows={value as Row[]} f={f} /> : <ReportFacts data={value as Row} />}
        </div>
      ))}
    </>
  );
}
