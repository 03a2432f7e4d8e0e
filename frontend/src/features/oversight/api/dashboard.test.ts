import { describe, expect, it } from "vitest";

import type { OversightStats } from "@/shared/api";

import { currenciesOf, toDashboard } from "./index";

const stats = {
  generated_at: "2026-11-26T07:00:00Z",
  period_from: null,
  period_to: null,
  volumes: {
    by_bank: [
      { bank: { id: "b1", name: "Bank of Guangxi" }, currency: "USD", count: 2, amount: "130000.00" },
      { bank: { id: "b2", name: "Beibu Gulf Bank" }, currency: "EUR", count: 1, amount: "20000.00" },
    ],
    by_currency: [
      { currency: "EUR", count: 1, amount: "20000.00" },
      { currency: "USD", count: 2, amount: "130000.00" },
    ],
    by_month: [
      { month: "2026-11", currency: "USD", count: 1, amount: "80000.00" },
      { month: "2026-10", currency: "USD", count: 1, amount: "50000.00" },
    ],
  },
  applications: [],
  portfolio: [
    { currency: "USD", outstanding: "50000.00", outstanding_count: 1, overdue: "0.00", overdue_count: 0, repaid: "80000.00", repaid_count: 1, disbursed: "130000.00", written_off: "0.00" },
  ],
  double_financing: {
    blocked_attempts: 3,
    blocked_by_bank: [
      { bank: { id: "b2", name: "Beibu Gulf Bank" }, currency: "USD", count: 2, requested: "160000.00" },
      { bank: { id: "b2", name: "Beibu Gulf Bank" }, currency: "EUR", count: 1, requested: "10000.00" },
    ],
    suspected_duplicate_receivables: 1,
  },
  credit_lookups: { served: 4, refused: 1, refused_by_reason: [], by_bank: [] },
  concentration: { by_bank: [], by_buyer_country: [] },
} as unknown as OversightStats;

describe("the dashboard's series", () => {
  it("never add up amounts of different currencies", () => {
    expect(currenciesOf(stats)).toEqual(["USD", "EUR"]);
    const usd = toDashboard(stats, "USD");
    expect(usd.byBank).toEqual([{ name: "Bank of Guangxi", amount: 130000, count: 2 }]);
    expect(usd.byMonth.map((row) => row.month)).toEqual(["2026-10", "2026-11"]);
    expect(usd.outstanding).toEqual({ amount: "50000.00", count: 1 });
    expect(toDashboard(stats, "EUR").outstanding).toBeUndefined();
  });

  it("count blocked attempts per bank across currencies", () => {
    const d = toDashboard(stats, "USD");
    expect(d.blocked).toBe(3);
    expect(d.blockedByBank).toEqual([{ name: "Beibu Gulf Bank", count: 3 }]);
    expect(d.lookups).toEqual({ served: 4, refused: 1 });
  });
});
