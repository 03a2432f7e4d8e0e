import { useState } from "react";
import { useTranslation } from "react-i18next";

import { Card, Empty, ErrorAlert, Loading, Page, Pager } from "@/shared/ui";

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
        {declarations.isPending ? <Loading /> : null}
        <ErrorAlert error={declarations.error} />
        {declarations.data?.results.length === 0 ? <Empty>{t("customs.none")}</Empty> : null}
        {declarations.data?.results.length ? <DeclarationsTable declarations={declarations.data.results} showExporter /> : null}
        {declarations.data ? <Pager page={page} count={declarations.data.count} pageSize={50} onPage={setPage} /> : null}
      </Card>
    </Page>
  );
}
