import { useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { useHealth, type AuditEvent } from "@/shared/api";
import { Card, ErrorAlert, Loading } from "@/shared/ui";

import { useAuditProof, verifyEvent, type EventVerification } from "../api";

const RPC_KEY = "tradefin.verifyRpcUrl";

function Step({ state, title, children }: { state: "ok" | "failed" | "skipped"; title: string; children?: ReactNode }) {
  return (
    <li data-step-state={state} style={{ marginBottom: "0.5rem" }}>
      <span className={`badge ${state === "ok" ? "good" : state === "failed" ? "bad" : ""}`}>{state === "ok" ? "✓" : state === "failed" ? "✗" : "–"}</span>{" "}
      <strong>{title}</strong>
      {children ? <div className="muted" style={{ marginLeft: "1.8rem" }}>{children}</div> : null}
    </li>
  );
}

/** Verify one event's proof in this browser, against the root read from the chain node. */
export function ProofCheck({ event }: { event: AuditEvent }) {
  const { t } = useTranslation();
  const health = useHealth();
  const proof = useAuditProof(event.seq, true);
  const [rpcUrl, setRpcUrl] = useState<string>(() => localStorage.getItem(RPC_KEY) ?? "");
  const [result, setResult] = useState<EventVerification | null>(null);
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const published = health.data?.chain;
  const effectiveRpc = rpcUrl.trim() || published?.rpc_url || "";

  useEffect(() => setResult(null), [event.seq]);

  async function run() {
    if (!proof.data) return;
    setRunning(true);
    setFailure(null);
    try {
      if (rpcUrl.trim()) localStorage.setItem(RPC_KEY, rpcUrl.trim());
      else localStorage.removeItem(RPC_KEY);
      setResult(
        await verifyEvent(event, proof.data, {
          rpcUrl: effectiveRpc,
          contract: published?.contracts?.AuditAnchor ?? null,
          chainId: published?.chain_id ?? null,
        }),
      );
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setRunning(false);
    }
  }

  return (
    <Card title={t("audit.proofTitle")} testId="proof-check">
      <p className="muted" style={{ marginTop: 0 }}>{t("audit.proofHint")}</p>
      {proof.isPending ? <Loading /> : null}
      {proof.error ? (
        (proof.error as { status?: number }).status === 404 ? (
          <div className="alert info" role="status">{t("audit.notAnchoredYet")}</div>
        ) : (
          <ErrorAlert error={proof.error} />
        )
      ) : null}
      {proof.data ? (
        <>
          <dl className="facts" style={{ marginBottom: "0.8rem" }}>
            <dt>{t("audit.batch")}</dt>
            <dd>
              {t("audit.batchRange", { first: proof.data.anchor.first_seq, last: proof.data.anchor.last_seq })} ·{" "}
              {t("audit.leafOf", { index: proof.data.leaf_index, size: proof.data.tree_size })}
            </dd>
            <dt>{t("audit.anchorContract")}</dt>
            <dd className="hash">{proof.data.anchor.contract}</dd>
            <dt>{t("chain.tx")}</dt>
            <dd className="hash">{proof.data.anchor.tx_hash ?? "—"}</dd>
            <dt>{t("audit.pathLength")}</dt>
            <dd>{proof.data.audit_path.length}</dd>
          </dl>
          <div className="toolbar">
            <div className="field" style={{ minWidth: "22rem" }}>
              <label htmlFor="rpc-url">{t("audit.rpcUrl")}</label>
              <input id="rpc-url" value={rpcUrl} placeholder={published?.rpc_url ?? "http://127.0.0.1:8545"} onChange={(e) => setRpcUrl(e.target.value)} />
              <span className="hint">{t("audit.rpcHint")}</span>
            </div>
            <button type="button" onClick={run} disabled={running || !effectiveRpc}>
              {running ? t("audit.verifying") : t("audit.verify")}
            </button>
          </div>
        </>
      ) : null}
      {failure ? <div className="alert bad" role="alert">{failure}</div> : null}
      {result ? (
        <div data-testid="proof-result" data-ok={result.ok ? "true" : "false"}>
          <p className={result.ok ? "verify-ok" : "verify-bad"} role="status">
            {result.ok ? `✓ ${t("audit.verified")}` : `✗ ${t("audit.notVerified")}`}
          </p>
          <ol style={{ listStyle: "none", paddingLeft: 0 }}>
            <Step state={result.entryHash.state} title={t("audit.stepEntry")}>
              <span className="hash">{result.entryHash.computed}</span>
            </Step>
            <Step state={result.inclusion.state} title={t("audit.stepPath")}>
              {result.inclusion.computedRoot ? <span className="hash">{result.inclusion.computedRoot}</span> : null}
              {!result.batchShapeOk ? <div>{t("audit.badShape")}</div> : null}
              {result.inclusion.reason !== "ok" ? <div>{t(`audit.reason.${result.inclusion.reason}`)}</div> : null}
            </Step>
            <Step state={result.chain.state} title={t("audit.stepChain", { chain: result.chain.chainId ?? "?" })}>
              {result.chain.root ? <span className="hash" data-testid="chain-root">{result.chain.root}</span> : null}
              {result.chain.error ? <div>{result.chain.error}</div> : null}
            </Step>
          </ol>
          <p className="muted">
            {t("audit.apiRoot")}: <span className="hash">{result.apiRoot}</span>
          </p>
        </div>
      ) : null}
    </Card>
  );
}
