/** Numbers, money and dates in the reader's language (Intl), from the API's exact strings. */
import { useMemo } from "react";
import { useTranslation } from "react-i18next";

import { currencyDigits } from "./decimal";

type NumericString = `${number}`;

export interface Formatters {
  locale: string;
  money(value: string | null | undefined, currency: string): string;
  number(value: number | string | null | undefined): string;
  percent(value: string | null | undefined): string;
  date(value: string | null | undefined): string;
  dateTime(value: string | null | undefined): string;
  month(value: string): string;
}

const DASH = "—";

export function formatters(locale: string): Formatters {
  const numberFormat = new Intl.NumberFormat(locale);
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  const monthFormat = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", timeZone: "UTC" });
  const moneyFormats = new Map<string, Intl.NumberFormat>();
  const moneyFormat = (currency: string) => {
    let format = moneyFormats.get(currency);
    if (!format) {
      const digits = currencyDigits(currency);
      format = new Intl.NumberFormat(locale, {
        style: "currency",
        currency,
        currencyDisplay: "code",
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
      moneyFormats.set(currency, format);
    }
    return format;
  };
  return {
    locale,
    // Intl formats a decimal string exactly (no detour through a binary float).
    money: (value, currency) => (value == null || value === "" ? DASH : moneyFormat(currency).format(value as NumericString)),
    number: (value) => (value == null || value === "" ? DASH : numberFormat.format(value as number)),
    percent: (value) =>
      value == null ? DASH : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 4 }).format(value as NumericString)}%`,
    date: (value) => (value ? dateFormat.format(new Date(value.length === 10 ? `${value}T00:00:00Z` : value)) : DASH),
    dateTime: (value) => (value ? dateTimeFormat.format(new Date(value)) : DASH),
    month: (value) => monthFormat.format(new Date(`${value.slice(0, 7)}-01T00:00:00Z`)),
  };
}

export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  return useMemo(() => formatters(i18n.language), [i18n.language]);
}

export * from "./decimal";
