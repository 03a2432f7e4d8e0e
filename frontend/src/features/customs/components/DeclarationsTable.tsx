import { useTranslation } from "react-i18next";

import type { Declaration } from "@/shared/api";
import { useFormat } from "@/shared/format";
import { ChainBadge, Money } from "@/shared/ui";

export function DeclarationsTable({ declarations, showExporter }: { declarations: Declaration[]; showExporter: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="table-wrap">
      <table data-testid="declarations-table">
        <thead>
          <tr>
            <th>{t("fields.declaration_number")}</th>
            {showExporter ? <th>{t("fields.exporter")}</th> : null}
            <th>{t("fields.export_date")}</th>
            <th>{t("fields.destination_country")}</th>
            <th className="num">{t("fields.fob_value")}</th>
            <th className="num">{t("fields.financed_amount")}</th>
            <th className="num">{t("fields.available_amount")}</th>
            <th>{t("fields.chain")}</th>
          </tr>
        </thead>
        <tbody>
          {declarations.map((d) => (
            <tr key={d.id} data-declaration={d.number}>
              <td className="mono">{d.number}</td>
              {showExporter ? <td>{d.exporter_name}</td> : null}
              <td>{f.date(d.export_date)}</td>
              <td>{d.destination_country}</td>
              <td className="num">
                <Money value={d.fob_value} currency={d.currency} />
              </td>
              <td className="num" data-testid="financed">
                <Money value={d.financed_amount} currency={d.currency} />
              </td>
              <td className="num" data-testid="available">
                <Money value={d.available_amount} currency={d.currency} />
              </td>
              <td>
                <ChainBadge chain={d.chain} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
