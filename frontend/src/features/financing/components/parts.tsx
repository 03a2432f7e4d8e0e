/** Pieces every financing screen shows: its path through the states and who must act next. */
import { useTranslation } from "react-i18next";

import type { Financing, Role } from "@/shared/api";

const PATH = ["applied", "approved", "disbursed", "partially_repaid", "repaid"] as const;
const STOPPED = new Set(["rejected", "withdrawn", "overdue", "written_off"]);

export function FinancingTimeline({ financing }: { financing: Financing }) {
  const { t } = useTranslation();
  const status = financing.status;
  // Where a stopped financing left the happy path.
  const reached = STOPPED.has(status)
    ? financing.disbursed_at
      ? 2
      : financing.approved_at
        ? 1
        : 0
    : PATH.indexOf(status as (typeof PATH)[number]);
  return (
    <ol className="timeline" aria-label={t("financing.timeline")} data-testid="timeline">
      {PATH.map((step, index) => {
        if (step === "partially_repaid" && status !== "partially_repaid") return null;
        const state = index < reached || (index === reached && STOPPED.has(status)) ? "done" : index === reached ? "current" : "";
        return (
          <li key={step} className={state} aria-current={state === "current" ? "step" : undefined}>
            {t(`status.${step}`)}
          </li>
        );
      })}
      {STOPPED.has(status) ? <li className="stopped" aria-current="step">{t(`status.${status}`)}</li> : null}
    </ol>
  );
}

export function NextActor({ financing, me }: { financing: Financing; me: Role | undefined }) {
  const { t } = useTranslation();
  const who = financing.next_action_by;
  if (!who) return <span className="muted">{t("financing.nobody")}</span>;
  const mine = who === me;
  return (
    <span className={`next-actor${mine ? " you" : ""}`} data-next-actor={who}>
      {mine ? t("financing.you") : t(`financing.actor.${who}`, { defaultValue: who })}
    </span>
  );
}
