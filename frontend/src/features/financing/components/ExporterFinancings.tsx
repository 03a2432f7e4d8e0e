import { useState } from "react";
import { useTranslation } from "react-i18next";

import { useSession } from "@/shared/auth/AuthProvider";
import { Card, Page, Pager, QueryList } from "@/shared/ui";

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
        <QueryList query={financings} empty={t("financing.noneYet")}>
          {(rows) => <FinancingsTable financings={rows} me={role} linkBase="/exporter/financings" showBank showExporter={false} />}
        </QueryList>
        {financings.data ? <Pager page={page} count={financings.data.count} pageSize={50} onPage={setPage} /> : null}
      </Card>
    </Page>
  );
}
