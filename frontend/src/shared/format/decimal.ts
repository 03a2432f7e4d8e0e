/**
 * Money arrives as decimal strings; sums and comparisons are done exactly on scaled BigInts
 * (four places, the API's storage scale), never on binary floats.
 */
const SCALE = 4;
const FACTOR = 10n ** BigInt(SCALE);
const PATTERN = /^\s*(-)?(\d+)(?:\.(\d+))?\s*$/;

export function isDecimal(value: string): boolean {
  const match = PATTERN.exec(value);
  return match !== null && (match[3] ?? "").length <= SCALE;
}

export function toUnits(value: string): bigint | null {
  const match = PATTERN.exec(value);
  if (!match) return null;
  const [, sign, whole = "0", fraction = ""] = match;
  if (fraction.length > SCALE) return null;
  const units = BigInt(whole) * FACTOR + BigInt(fraction.padEnd(SCALE, "0") || "0");
  return sign ? -units : units;
}

export function fromUnits(units: bigint, places = 2): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / FACTOR;
  let fraction = (abs % FACTOR).toString().padStart(SCALE, "0");
  fraction = fraction.slice(0, Math.max(places, fraction.replace(/0+$/, "").length));
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

export function sumDecimals(values: string[], places = 2): string | null {
  let total = 0n;
  for (const value of values) {
    const units = toUnits(value);
    if (units === null) return null;
    total += units;
  }
  return fromUnits(total, places);
}

export function compareDecimals(a: string, b: string): number {
  const x = toUnits(a) ?? 0n;
  const y = toUnits(b) ?? 0n;
  return x < y ? -1 : x > y ? 1 : 0;
}

export function minDecimal(a: string, b: string): string {
  return compareDecimals(a, b) <= 0 ? a : b;
}

/** The number of decimals a currency has (JPY 0, USD 2, ...), as Intl knows it. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}
