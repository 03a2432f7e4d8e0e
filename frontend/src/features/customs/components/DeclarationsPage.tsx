import { useState } from "react";
import { useTranslation } from "react-i18next";

import { useSession } from "@/shared/auth/AuthProvider";
import { Card, Page, Pager, QueryList } from "@/shared/ui";

import { useDeclarations } from "../api";
import { DeclarationsTable } from "./DeclarationsTable";

export function DeclarationsPage() {
  const { t } = useTranslation();
  const { role } = useSession();
  const [page, setPage] = useState(1);
  const [number, setNumber] = useState("");
  const declarations = useDeclarations({ page, ...(number.length === 18 ? { number } : {}) });
  return (
    <Page title={t("customs.title")} subtitle={t(role === "exporter" ? "customs.subtitleExporter" : "customs.subtitle")}>
      <Card>
        <div className="toolbar">
          <div className="field">
            <label htmlFor="decl-search">{t("customs.searchNumber")}</label>
            <input id="decl-search" value={number} inputMode="numeric" maxLength={18} onChange={(e) => setNumber(e.target.value.trim())} />
          </div>
        </div>
        <QueryList query={declarations} empty={t("customs.none")}>
          {(rows) => <DeclarationsTable declarations={rows} showExporter={role !== "exporter"} />}
        </QueryList>
        {declarations.data ? <Pager page={page} count={declarations.data.count} pageSize={50} onPage={setPage} /> : null}
      </Card>
    </Page>
  );
}
