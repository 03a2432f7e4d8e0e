import { describe, expect, it } from "vitest";

import { compareDecimals, currencyDigits, formatters, fromUnits, isDecimal, sumDecimals, toUnits } from "./index";

describe("decimal money", () => {
  it("adds decimal strings exactly", () => {
    expect(sumDecimals(["0.10", "0.20"])).toBe("0.30");
    expect(sumDecimals(["99999999999999999.99", "0.01"])).toBe("100000000000000000.00");
    expect(sumDecimals(["1.5", "x"])).toBeNull();
  });

  it("compares and converts without binary floats", () => {
    expect(compareDecimals("80000.00", "80000")).toBe(0);
    expect(compareDecimals("0.3", "0.3001")).toBe(-1);
    expect(toUnits("0.30000001")).toBeNull(); // more places than money is stored with
    expect(fromUnits(toUnits("12.3456")!, 2)).toBe("12.3456");
    expect(isDecimal("1.23456")).toBe(false);
    expect(isDecimal("-1")).toBe(true);
  });

  it("knows how many decimals a currency has", () => {
    expect(currencyDigits("USD")).toBe(2);
    expect(currencyDigits("JPY")).toBe(0);
  });
});

describe("formatting by locale", () => {
  it("formats money exactly from the API's strings", () => {
    const plain = (text: string) => text.replace(/\s/g, " ");
    expect(plain(formatters("en").money("1234567.89", "USD"))).toBe("USD 1,234,567.89");
    expect(plain(formatters("zh-CN").money("1234567.89", "USD"))).toBe("USD 1,234,567.89");
    // Beyond 2^53: a float would lose the cents.
    expect(plain(formatters("en").money("12345678901234567.89", "USD"))).toBe("USD 12,345,678,901,234,567.89");
    expect(formatters("en").money(null, "USD")).toBe("—");
  });

  it("formats dates in the reader's language, date-only values without a zone shift", () => {
    expect(formatters("en").date("2026-03-01")).toBe("Mar 1, 2026");
    expect(formatters("zh-CN").date("2026-03-01")).toBe("2026年3月1日");
    expect(formatters("zh-CN").month("2026-03")).toBe("2026年3月");
  });
});
