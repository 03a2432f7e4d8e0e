import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { FinancingStatus } from "@/shared/api";
import { useSession } from "@/shared/auth/AuthProvider";
import { useFormat } from "@/shared/format";
import { Card, Page, Pager, QueryList } from "@/shared/ui";

import { useFinancings } from "../api";
import { FinancingsTable } from "./FinancingsTable";

const VIEWS: Record<string, FinancingStatus[] | undefined> = {
  action: ["applied", "approved", "overdue"],
  active: ["disbursed", "partially_repaid", "overdue"],
  all: undefined,
};

export function BankInbox() {
  const { t } = useTranslation();
  const f = useFormat();
  const { role } = useSession();
  const [view, setView] = useState<keyof typeof VIEWS>("action");
  const [page, setPage] = useState(1);
  const status = VIEWS[view];
  const financings = useFinancings({ page, ...(status ? { status } : {}) });
  const toReview = useFinancings({ status: ["applied"] });
  const toDisburse = useFinancings({ status: ["approved"] });
  const repaying = useFinancings({ status: ["disbursed", "partially_repaid", "overdue"] });
  return (
    <Page title={t("bank.inboxTitle")} subtitle={t("bank.inboxSubtitle")}>
      <div className="grid cols-3" style={{ marginBottom: "1rem" }}>
        <div className="kpi">
          <div className="label">{t("bank.toReview")}</div>
          <div className="value" data-testid="kpi-review">{f.number(toReview.data?.count ?? null)}</div>
        </div>
        <div className="kpi">
          <div className="label">{t("bank.toDisburse")}</div>
          <div className="value">{f.number(toDisburse.data?.count ?? null)}</div>
        </div>
        <div className="kpi">
          <div className="label">{t("bank.repaying")}</div>
          <div className="value">{f.number(repaying.data?.count ?? null)}</div>
        </div>
      </div>
      <Card
        actions={
          <div className="actions" role="tablist">
            {Object.keys(VIEWS).map((key) => (
              <button
                key={key}
                type="button"
                role="tab"
                aria-selected={view === key}
                className={view === key ? "" : "secondary"}
                onClick={() => {
                  setView(key);
                  setPage(1);
                }}
              >
                {t(`bank.view.${key}`)}
              </button>
            ))}
          </div>
        }
      >
        <QueryList query={financings} empty={t("bank.inboxEmpty")}>
          {(rows) => <FinancingsTable financings={rows} me={role} linkBase="/bank/financings" showBank={false} showExporter />}
        </QueryList>
        {financings.data ? <Pager page={page} count={financings.data.count} pageSize={50} onPage={setPage} /> : null}
      </Card>
    </Page>
  );
}
