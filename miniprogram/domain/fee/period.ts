/**
 * Billing periods (`YYYY-MM`), calendar dates (`YYYY-MM-DD`, Asia/Shanghai calendar days) and
 * billing cycles. Pure string arithmetic: nothing here reads a clock or the process time zone.
 */
import { addDays, daysBetween, isDate, isPeriod, monthLength } from '../kernel/time';

export { isDate, isPeriod };

export type BillingCycle = 'monthly' | 'quarterly' | 'halfYear' | 'yearly';
export const BILLING_CYCLES: readonly BillingCycle[] = [
  'monthly',
  'quarterly',
  'halfYear',
  'yearly',
];

export interface YearMonth {
  year: number;
  month: number;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function assertPeriod(value: unknown, name = 'period'): asserts value is string {
  if (!isPeriod(value)) throw new RangeError(`${name} must be YYYY-MM, got ${String(value)}`);
}

export function assertDate(value: unknown, name = 'date'): asserts value is string {
  if (!isDate(value))
    throw new RangeError(`${name} must be a YYYY-MM-DD date, got ${String(value)}`);
}

export function parsePeriod(period: string): YearMonth {
  assertPeriod(period);
  return { year: Number(period.slice(0, 4)), month: Number(period.slice(5, 7)) };
}

export function toPeriod(year: number, month: number): string {
  return `${pad(year, 4)}-${pad(month, 2)}`;
}

/** `2026-11` + 3 → `2027-02`; negative `n` goes back. */
export function addMonths(period: string, n: number): string {
  const { year, month } = parsePeriod(period);
  const index = year * 12 + (month - 1) + n;
  return toPeriod(Math.floor(index / 12), (index % 12) + 1);
}

/** Whole months from `from` to `to` (`2026-01` → `2026-04` is 3). */
export function monthsBetween(from: string, to: string): number {
  const a = parsePeriod(from);
  const b = parsePeriod(to);
  return (b.year - a.year) * 12 + (b.month - a.month);
}

export function daysInMonth(period: string): number {
  const { year, month } = parsePeriod(period);
  return monthLength(year, month);
}

/** `2026-02` → `2026-02-01`. */
export function firstDay(period: string): string {
  assertPeriod(period);
  return `${period}-01`;
}

/** `2026-02` → `2026-02-28`. */
export function lastDay(period: string): string {
  return `${period}-${pad(daysInMonth(period), 2)}`;
}

/** The period a date falls in: `2026-05-17` → `2026-05`. */
export function periodOf(date: string): string {
  assertDate(date);
  return date.slice(0, 7);
}

/** Whole days from `from` to `to`, inclusive of both (`2026-05-17`..`2026-05-31` is 15). */
export function daysInclusive(from: string, to: string): number {
  return daysBetween(from, to) + 1;
}

export { addDays, daysBetween };

export function cycleMonths(cycle: BillingCycle): 1 | 3 | 6 | 12 {
  switch (cycle) {
    case 'monthly':
      return 1;
    case 'quarterly':
      return 3;
    case 'halfYear':
      return 6;
    case 'yearly':
      return 12;
    default:
      throw new RangeError(`unknown billing cycle ${String(cycle)}`);
  }
}

export interface Cycle {
  /** First month of the cycle. */
  start: string;
  /** Last month of the cycle. */
  end: string;
  months: string[];
}

/**
 * The billing cycle that contains `period`. Cycles are aligned to calendar years (quarters
 * Jan–Mar, Apr–Jun …; half-years Jan–Jun, Jul–Dec) unless `firstMonth` moves the year start
 * (e.g. 7 for a July–June fiscal year). The quarter of 2026-05 is 2026-04..2026-06.
 */
export function cycleContaining(period: string, cycle: BillingCycle, firstMonth = 1): Cycle {
  if (!Number.isInteger(firstMonth) || firstMonth < 1 || firstMonth > 12) {
    throw new RangeError(`firstMonth must be 1..12, got ${firstMonth}`);
  }
  const length = cycleMonths(cycle);
  const { month } = parsePeriod(period);
  const offset = (((month - firstMonth) % length) + length) % length;
  const start = addMonths(period, -offset);
  const months = Array.from({ length }, (_, i) => addMonths(start, i));
  return { start, end: addMonths(start, length - 1), months };
}

/** The due date in `period` for a due day of the month, clamped to the month's end (31 → 02-28). */
export function dueDateIn(period: string, dueDay: number): string {
  if (!Number.isInteger(dueDay) || dueDay < 1 || dueDay > 31) {
    throw new RangeError(`dueDay must be 1..31, got ${dueDay}`);
  }
  return `${period}-${pad(Math.min(dueDay, daysInMonth(period)), 2)}`;
}

export interface DateRange {
  /** First day, inclusive. */
  from: string;
  /** Last day, inclusive. */
  to: string;
}

/** The overlap of two inclusive ranges, or null. */
export function intersectRanges(a: DateRange, b: DateRange): DateRange | null {
  const from = a.from > b.from ? a.from : b.from;
  const to = a.to < b.to ? a.to : b.to;
  return from <= to ? { from, to } : null;
}

/** The whole-month date range of periods `start`..`end`. */
export function periodRange(start: string, end: string = start): DateRange {
  return { from: firstDay(start), to: lastDay(end) };
}

export interface MonthSlice extends DateRange {
  period: string;
  /** Days of the range in this month. */
  days: number;
  daysInMonth: number;
}

/** Splits an inclusive date range at month boundaries. */
export function sliceByMonth(range: DateRange): MonthSlice[] {
  assertDate(range.from, 'from');
  assertDate(range.to, 'to');
  if (range.from > range.to) throw new RangeError(`empty range ${range.from}..${range.to}`);
  const slices: MonthSlice[] = [];
  let period = periodOf(range.from);
  const lastPeriod = periodOf(range.to);
  for (;;) {
    const from = period === periodOf(range.from) ? range.from : firstDay(period);
    const to = period === lastPeriod ? range.to : lastDay(period);
    slices.push({
      period,
      from,
      to,
      days: daysInclusive(from, to),
      daysInMonth: daysInMonth(period),
    });
    if (period === lastPeriod) return slices;
    period = addMonths(period, 1);
  }
}
