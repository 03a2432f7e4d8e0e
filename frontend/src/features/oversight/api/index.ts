import { useQueryClient } from "@tanstack/react-query";

import { $api, type OversightStats } from "@/shared/api";

export function useStats() {
  return $api.useQuery("get", "/api/oversight/stats/", {}, { refetchInterval: 30_000 });
}

export function useAlerts(query: { page?: number; acknowledged?: boolean }) {
  return $api.useQuery("get", "/api/oversight/alerts/", { params: { query } });
}

export function useAcknowledge() {
  const queryClient = useQueryClient();
  return $api.useMutation("post", "/api/oversight/alerts/{id}/acknowledge/", {
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["get", "/api/oversight/alerts/"] }),
  });
}

/** The stats as chart series for one currency (amounts of different currencies are never added up). */
export function toDashboard(stats: OversightStats, currency: string) {
  const amount = (value: string) => Number(value);
  const byBank = stats.volumes.by_bank
    .filter((row) => row.currency === currency)
    .map((row) => ({ name: row.bank.name, amount: amount(row.amount), count: row.count }));
  const byMonth = stats.volumes.by_month
    .filter((row) => row.currency === currency)
    .sort((a, b) => a.month.localeCompare(b.month))
    .map((row) => ({ month: row.month, amount: amount(row.amount), count: row.count }));
  const byCurrency = stats.volumes.by_currency.map((row) => ({ currency: row.currency, count: row.count, amount: row.amount }));
  const portfolio = stats.portfolio.find((row) => row.currency === currency);
  // Blocked attempts are counted per bank across currencies: they are a count of refusals, not money.
  const blockedByBank = new Map<string, number>();
  stats.double_financing.blocked_by_bank.forEach((row) =>
    blockedByBank.set(row.bank.name, (blockedByBank.get(row.bank.name) ?? 0) + row.count),
  );
  return {
    byBank,
    byMonth,
    byCurrency,
    outstanding: portfolio ? { amount: portfolio.outstanding, count: portfolio.outstanding_count } : undefined,
    overdue: portfolio ? { amount: portfolio.overdue, count: portfolio.overdue_count } : undefined,
    blocked: stats.double_financing.blocked_attempts,
    suspectedDuplicates: stats.double_financing.suspected_duplicate_receivables,
    blockedByBank: [...blockedByBank].map(([name, count]) => ({ name, count })),
    lookups: { served: stats.credit_lookups.served, refused: stats.credit_lookups.refused },
    applications: stats.applications,
  };
}

/** Currencies that have any volume or exposure, the busiest first. */
export function currenciesOf(stats: OversightStats): string[] {
  const counts = new Map<string, number>();
  stats.volumes.by_currency.forEach((row) => counts.set(row.currency, (counts.get(row.currency) ?? 0) + row.count));
  stats.portfolio.forEach((row) => counts.set(row.currency, counts.get(row.currency) ?? 0));
  return [...counts].sort((a, b) => b[1] - a[1]).map(([currency]) => currency);
}
