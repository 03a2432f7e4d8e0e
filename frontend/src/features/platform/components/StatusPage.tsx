import { useTranslation } from "react-i18next";

import { useChainWrites } from "@/features/platform/api";
import { useHealth } from "@/shared/api";
import { useFormat } from "@/shared/format";
import { Card, ErrorAlert, Loading, Page } from "@/shared/ui";

function Up({ ok, label }: { ok: boolean; label?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge ${ok ? "good" : "bad"}`} data-ok={ok}>
      {label ?? t(ok ? "platform.up" : "platform.down")}
    </span>
  );
}

/** The outbox: writes in flight, the oldest waiting (late past CHAIN_STUCK_SECONDS), recent failures. */
function ChainWrites() {
  const { t } = useTranslation();
  const f = useFormat();
  const writes = useChainWrites({ refetchInterval: 5_000 });
  if (writes.error) return <ErrorAlert error={writes.error} />;
  if (!writes.data) return <Loading />;
  const { in_flight: inFlight, oldest_unconfirmed: oldest, failed_last_24h: failed, latest_failure: failure } = writes.data;
  return (
    <Card title={t("platform.writes")} testId="chain-writes">
      <p className="muted">{t("platform.writesHint", { seconds: writes.data.late_after_seconds })}</p>
      <table>
        <tbody>
          <tr data-row="in-flight"><th>{t("platform.inFlight")}</th><td>{t("platform.inFlightCounts", inFlight)}</td></tr>
          <tr data-row="oldest">
            <th>{t("platform.oldest")}</th>
            <td>
              {oldest ? (
                <>
                  <Up ok={!oldest.late} label={t(oldest.late ? "platform.late" : "platform.onTime")} />{" "}
                  <span className="hash">{oldest.contract}.{oldest.function}</span>{" "}
                  <span className="muted">
                    {t(`platform.txStates.${oldest.status}`, { defaultValue: oldest.status })} ·{" "}
                    {t("platform.ago", { seconds: oldest.age_seconds })}
                  </span>
                </>
              ) : (
                <span className="muted">{t("platform.noneWaiting")}</span>
              )}
            </td>
          </tr>
          <tr data-row="failures">
            <th>{t("platform.failures")}</th>
            <td>
              <Up ok={failed === 0} label={String(failed)} />{" "}
              {failure ? (
                <span className="muted">
                  {t("platform.latestFailure", {
                    call: `${failure.contract}.${failure.function}`, code: failure.error_code, when: f.dateTime(failure.updated_at),
                  })}
                </span>
              ) : null}
            </td>
          </tr>
        </tbody>
      </table>
    </Card>
  );
}

/** The operator's view of the platform's own health: services, contracts, each worker queue, chain writes. */
export function StatusPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const status = useHealth({ refetchInterval: 5_000 });
  if (status.error) return <ErrorAlert error={status.error} />;
  if (!status.data) return <Loading />;
  const { database, broker, chain, workers } = status.data;
  return (
    <Page title={t("platform.title")} subtitle={t("platform.subtitle")}>
      <Card title={t("platform.services")} testId="services">
        <table>
          <tbody>
            <tr data-service="database"><th>{t("platform.database")}</th><td><Up ok={database} /></td></tr>
            <tr data-service="broker"><th>{t("platform.broker")}</th><td><Up ok={broker} /></td></tr>
            <tr data-service="chain">
              <th>{t("platform.chain")}</th>
              <td>
                <Up ok={chain.ok} />{" "}
                <span className="muted">
                  {chain.chain_id != null ? t("platform.chainAt", { chainId: chain.chain_id, block: chain.block_number }) : null}
                  {chain.problem ? ` · ${t(`platform.problems.${chain.problem.split(":")[0]}`, { defaultValue: chain.problem })}` : null}
                </span>
              </td>
            </tr>
          </tbody>
        </table>
      </Card>
      <Card title={t("platform.workers")} testId="workers">
        <p className="muted">{t("platform.workersHint", { seconds: workers.stale_after_seconds })}</p>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("platform.queue")}</th>
                <th>{t("platform.state")}</th>
                <th>{t("platform.lastSeen")}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(workers.queues).map(([queue, q]) => (
                <tr key={queue} data-queue={queue}>
                  <td>
                    <strong>{queue}</strong> <span className="muted">{t(`platform.queues.${queue}`, { defaultValue: "" })}</span>
                  </td>
                  <td>
                    <Up ok={q.ok} label={t(q.ok ? "platform.alive" : q.last_seen ? "platform.stale" : "platform.never")} />
                  </td>
                  <td>{q.last_seen ? `${f.dateTime(q.last_seen)} (${t("platform.ago", { seconds: q.age_seconds })})` : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      <ChainWrites />
      <Card title={t("platform.contracts")} testId="contracts">
        <table>
          <tbody>
            {Object.entries(chain.contracts).map(([name, address]) => (
              <tr key={name}>
                <td><strong>{name}</strong></td>
                <td className="hash">{address}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </Page>
  );
}
