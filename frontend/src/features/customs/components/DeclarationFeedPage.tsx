import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Card, Page, Pager, QueryList } from "@/shared/ui";

import { useDeclarations } from "../api";
import { DeclarationFeedForm } from "./DeclarationFeedForm";
import { DeclarationsTable } from "./DeclarationsTable";

export function DeclarationFeedPage() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const declarations = useDeclarations({ page });
  return (
    <Page title={t("customs.feedTitle")} subtitle={t("customs.feedSubtitle")}>
      <Card title={t("customs.feedForm")}>
        <DeclarationFeedForm />
      </Card>
      <Card title={t("customs.title")}>
        <QueryList query={declarations} empty={t("customs.none")}>
          {(rows) => <DeclarationsTable declarations={rows} showExporter />}
        </QueryList>
        {declarations.data ? <Pager page={page} count={declarations.data.count} pageSize={50} onPage={setPage} /> : null}
      </Card>
    </Page>
  );
}
