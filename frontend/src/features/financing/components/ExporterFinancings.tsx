import { useState } from "react";
import { useTranslation } from "react-i18next";

import { useSession } from "@/shared/auth/AuthProvider";
import { Card, Empty, ErrorAlert, Loading, Page, Pager } from "@/shared/ui";

import { useFinancings } from "../api";
import { FinancingsTable } from "./FinancingsTable";

export function ExporterFinancings() {
  const { t } = useTranslation();
  const { role } = useSession();
  const [page, setPage] = useState(1);
  const financings = useFinancings({ page });
  return (
    <Page title={t("financing.exporterTitle")} subtitle={t("financing.exporterSubtitle")}>
      <Card>
        {financings.isPending ? <Loading /> : null}
        <ErrorAlert error={financings.error} />
        {financings.data?.results.length === 0 ? <Empty>{t("financing.noneYet")}</Empty> : null}
        {financings.data?.results.length ? (
          <FinancingsTable financings={financings.data.results} me={role} linkBase="/exporter/financings" showBank showExporter={false} />
        ) : null}
        {financings.data ? <Pager page={page} count={financings.data.count} pageSize={50} onPage={setPage} /> : null}
      </Card>
    </Page>
  );
}
