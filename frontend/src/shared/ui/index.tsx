/** Small building blocks shared by every portal. */
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { asApiError, localizeFieldMessage, type ChainStatus } from "../api";
import { useFormat } from "../format";

export function Page({ title, subtitle, actions, children }: { title: string; subtitle?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <section>
      <div className="page-head">
        <div>
          <h1>{title}</h1>
          {subtitle ? <p>{subtitle}</p> : null}
        </div>
        {actions ? <div className="actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}

export function Card({ title, children, actions, testId }: { title?: ReactNode; children: ReactNode; actions?: ReactNode; testId?: string }) {
  return (
    <div className="card" data-testid={testId}>
      {title || actions ? (
        <div className="page-head" style={{ marginBottom: "0.6rem" }}>
          {title ? <h2 style={{ margin: 0 }}>{title}</h2> : <span />}
          {actions}
        </div>
      ) : null}
      {children}
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return <p className="muted" role="status">{t("common.loading")}</p>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** An API error in the reader's language: known codes are translated, others show the server's sentence. */
export function useErrorText() {
  const { t } = useTranslation();
  return (error: unknown): string | null => {
    const apiError = asApiError(error);
    if (!apiError) return null;
    return t(`errors.${apiError.code}`, { defaultValue: apiError.message, ...apiError.details });
  };
}

export function ErrorAlert({ error, fields = [] }: { error: unknown; fields?: string[] }) {
  const text = useErrorText();
  const { t } = useTranslation();
  const apiError = asApiError(error);
  if (!apiError) return null;
  // Field errors the form shows beside its inputs are not repeated here.
  const others = Object.entries(apiError.fieldErrors).filter(([key]) => !fields.includes(key));
  return (
    <div className="alert bad" role="alert" data-error-code={apiError.code}>
      <strong>{text(apiError)}</strong>
      {others.length ? (
        <ul>
          {others.map(([key, messages]) => (
            <li key={key}>
              {key === "non_field_errors" ? "" : `${t(`fields.${key}`, { defaultValue: key })}: `}
              {messages.map((message) => localizeFieldMessage(t, message)).join(" ")}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * The usual states of a paginated list query, in order: loading (unless `loading` is false),
 * the error (`error` if given, else the query's; hidden when `showError` is false), `empty`
 * when there are no results, and `children(results)` when there are some.
 */
export function QueryList<T>({
  query,
  error,
  empty,
  loading = true,
  showError = true,
  children,
}: {
  query: { isPending: boolean; error: unknown; data?: { results: T[] } | undefined };
  error?: unknown;
  empty: ReactNode;
  loading?: boolean;
  showError?: boolean;
  children: (rows: T[]) => ReactNode;
}) {
  const results = query.data?.results;
  return (
    <>
      {loading && query.isPending ? <Loading /> : null}
      {showError ? <ErrorAlert error={error ?? query.error} /> : null}
      {results?.length === 0 ? <Empty>{empty}</Empty> : null}
      {results?.length ? children(results) : null}
    </>
  );
}

export function Field({
  label,
  htmlFor,
  errors,
  hint,
  children,
}: {
  label: ReactNode;
  htmlFor: string;
  errors?: string[] | undefined;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint ? <span className="hint">{hint}</span> : null}
      {errors?.length ? (
        <span className="error" id={`${htmlFor}-error`} role="alert">
          {errors.join(" ")}
        </span>
      ) : null}
    </div>
  );
}

export function Money({ value, currency }: { value: string | null | undefined; currency: string }) {
  const f = useFormat();
  return <span className="money">{f.money(value, currency)}</span>;
}

export function ChainBadge({ chain }: { chain: ChainStatus | null | undefined }) {
  const { t } = useTranslation();
  if (!chain) return <span className="badge">{t("chain.none")}</span>;
  const tone = chain.status === "confirmed" ? "good" : chain.status === "failed" ? "bad" : "warn";
  return (
    <span className="chain" data-chain-status={chain.status}>
      <span className={`badge ${tone}`}>{t(`chain.${chain.status}`)}</span>
      {chain.tx_hash ? (
        <span className="hash muted" title={chain.tx_hash}>
          {" "}
          {shortHash(chain.tx_hash)}
          {chain.block_number != null ? ` · ${t("chain.block", { block: chain.block_number })}` : ""}
        </span>
      ) : null}
    </span>
  );
}

export function shortHash(hash: string): string {
  return hash.length > 14 ? `${hash.slice(0, 8)}…${hash.slice(-6)}` : hash;
}

export function Pager({ page, count, pageSize, onPage }: { page: number; count: number; pageSize: number; onPage(page: number): void }) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(count / pageSize));
  if (pages <= 1) return null;
  return (
    <div className="pager">
      <button type="button" className="secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t("common.previous")}
      </button>
      <span className="muted">{t("common.pageOf", { page, pages })}</span>
      <button type="button" className="secondary" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t("common.next")}
      </button>
    </div>
  );
}

const STATUS_TONE: Record<string, string> = {
  applied: "info",
  approved: "info",
  disbursed: "warn",
  partially_repaid: "warn",
  repaid: "good",
  settled: "good",
  open: "info",
  rejected: "bad",
  withdrawn: "",
  overdue: "bad",
  written_off: "bad",
  active: "good",
  revoked: "bad",
  expired: "",
  served: "good",
};

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const tone = STATUS_TONE[status] ?? (status.startsWith("authorization_") || status.startsWith("scope_") ? "bad" : "");
  return (
    <span className={`badge ${tone}`} data-status={status}>
      {t(`status.${status}`, { defaultValue: status })}
    </span>
  );
}
