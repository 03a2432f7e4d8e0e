import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";

import type { Financing, Role } from "@/shared/api";
import { useFormat } from "@/shared/format";
import { ChainBadge, Money, StatusBadge } from "@/shared/ui";

import { NextActor } from "./parts";

export function FinancingsTable({ financings, me, linkBase, showBank, showExporter }: {
  financings: Financing[];
  me: Role | undefined;
  linkBase: string;
  showBank: boolean;
  showExporter: boolean;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const navigate = useNavigate();
  return (
    <div className="table-wrap">
      <table data-testid="financings-table">
        <thead>
          <tr>
            <th>{t("fields.applied_at")}</th>
            {showExporter ? <th>{t("fields.exporter")}</th> : null}
            {showBank ? <th>{t("fields.bank")}</th> : null}
            <th>{t("fields.invoice_number")}</th>
            <th className="num">{t("fields.requested_amount")}</th>
            <th className="num">{t("fields.outstanding_amount")}</th>
            <th>{t("fields.status")}</th>
            <th>{t("financing.nextAction")}</th>
            <th>{t("fields.chain")}</th>
          </tr>
        </thead>
        <tbody>
          {financings.map((x) => (
            <tr
              key={x.id}
              className="clickable"
              data-financing={x.id}
              data-bank={x.bank.name}
              data-status={x.status}
              onClick={() => navigate(`${linkBase}/${x.id}`)}
            >
              <td>{f.dateTime(x.applied_at)}</td>
              {showExporter ? <td>{x.exporter.name}</td> : null}
              {showBank ? <td>{x.bank.name}</td> : null}
              <td><Link to={`${linkBase}/${x.id}`}>{x.receivable_invoice_number}</Link></td>
              <td className="num"><Money value={x.requested_amount} currency={x.currency} /></td>
              <td className="num"><Money value={x.outstanding_amount} currency={x.currency} /></td>
              <td><StatusBadge status={x.status} /></td>
              <td><NextActor financing={x} me={me} /></td>
              <td><ChainBadge chain={x.chain} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
