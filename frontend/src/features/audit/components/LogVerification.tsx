import { useTranslation } from "react-i18next";

import { useFormat } from "@/shared/format";
import { Card, ErrorAlert, Loading } from "@/shared/ui";

import { useLogVerification } from "../api";

/** The platform's own full check of the log against the chain. */
export function LogVerification() {
  const { t } = useTranslation();
  const f = useFormat();
  const verification = useLogVerification();
  return (
    <Card title={t("audit.fullLog")} testId="log-verification">
      {verification.isPending ? <Loading /> : null}
      <ErrorAlert error={verification.error} />
      {verification.data ? (
        verification.data.ok ? (
          <p className="verify-ok" data-ok="true">
            ✓ {t("audit.fullLogOk", { seq: f.number(verification.data.verified_through_seq) })}
          </p>
        ) : (
          <p className="verify-bad" data-ok="false">
            ✗ {t("audit.fullLogBad", { seq: verification.data.first_bad_seq ?? "?" })}
          </p>
        )
      ) : null}
      <p className="muted" style={{ marginBottom: 0 }}>{t("audit.fullLogHint")}</p>
    </Card>
  );
}
