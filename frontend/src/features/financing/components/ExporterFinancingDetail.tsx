import { useTranslation } from "react-i18next";
import { useParams } from "react-router";

import { useSession } from "@/shared/auth/AuthProvider";
import { Card, ErrorAlert, Loading, Page } from "@/shared/ui";

import { useFinancing, useWithdraw } from "../api";
import { FinancingFacts } from "./FinancingFacts";

export function ExporterFinancingDetail() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const { role } = useSession();
  const financing = useFinancing(id);
  const withdraw = useWithdraw();
  if (financing.isPending) return <Loading />;
  if (financing.error) return <ErrorAlert error={financing.error} />;
  const x = financing.data;
  const canWithdraw = x.status === "applied" || x.status === "approved";
  return (
    <Page
      title={t("financing.detailTitle", { invoice: x.receivable_invoice_number, bank: x.bank.name })}
      actions={
        canWithdraw ? (
          <button
            type="button"
            className="secondary"
            disabled={withdraw.isPending}
            onClick={() => {
              if (window.confirm(t("financing.confirmWithdraw"))) withdraw.mutate({ params: { path: { id } } });
            }}
          >
            {t("financing.withdraw")}
          </button>
        ) : null
      }
    >
      <ErrorAlert error={withdraw.error} />
      <Card>
        <FinancingFacts financing={x} me={role} />
      </Card>
    </Page>
  );
}
