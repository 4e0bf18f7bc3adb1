/**
 * Proration of monthly prices by days: a partial month counts days ÷ days in that calendar month
 * (so a day in February is worth more than a day in March, as owners are told: "15/31 天"), and
 * a range over several months is taken month by month.
 */
import Big from 'big.js';
import type { DateRange, MonthSlice } from './period';
import type { Fraction } from './rounding';

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}

/** Σ days ÷ days-in-month over the slices, exactly (a common denominator ≤ 28·29·30·31/2). */
export function monthsFraction(slices: readonly MonthSlice[]): Fraction {
  const denominator = slices.reduce((acc, s) => lcm(acc, s.daysInMonth), 1);
  const numerator = slices.reduce((acc, s) => acc + s.days * (denominator / s.daysInMonth), 0);
  return { numerator: new Big(numerator), denominator: new Big(denominator) };
}

export function isWholeMonth(slice: MonthSlice): boolean {
  return slice.days === slice.daysInMonth;
}

/**
 * The time factor in words, in date order: consecutive whole months merge ("3 个月"), partial
 * months show their days over the month's days ("15/31 天"): "14/30 天 + 2 个月".
 */
export function monthsText(slices: readonly MonthSlice[]): string {
  const terms: string[] = [];
  let wholeRun = 0;
  const flush = () => {
    if (wholeRun > 0) terms.push(`${wholeRun} 个月`);
    wholeRun = 0;
  };
  for (const s of slices) {
    if (isWholeMonth(s)) {
      wholeRun += 1;
    } else {
      flush();
      terms.push(`${s.days}/${s.daysInMonth} 天`);
    }
  }
  flush();
  return terms.join(' + ');
}

/** `monthsText` ready to follow "×": parenthesised when it has several terms. */
export function monthsFactorText(slices: readonly MonthSlice[]): string {
  const text = monthsText(slices);
  return text.includes(' + ') ? `(${text})` : text;
}

/** Merges overlapping or adjacent inclusive ranges, sorted by start. */
export function mergeRanges(
  ranges: readonly DateRange[],
  nextDay: (d: string) => string,
): DateRange[] {
  const sorted = [...ranges].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const merged: DateRange[] = [];
  for (const r of sorted) {
    if (r.from > r.to) continue;
    const last = merged[merged.length - 1];
    if (last && r.from <= nextDay(last.to)) {
      if (r.to > last.to) last.to = r.to;
    } else {
      merged.push({ from: r.from, to: r.to });
    }
  }
  return merged;
}
