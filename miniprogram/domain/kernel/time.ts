/**
 * Calendar dates in Asia/Shanghai (UTC+8, no daylight saving), independent of the process TZ:
 * cloud functions run in UTC unless configured, so nothing here reads the local zone. The one home
 * of date text shown to a person or printed (formatDate, formatPeriod, formatDateTime …).
 */
const PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE_RE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MIN_YEAR = 1900;
const MAX_YEAR = 2999;

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** Days in a month of a year (February of a leap year: 29). */
export function monthLength(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** A well-formed `YYYY-MM` period between 1900-01 and 2999-12. */
export function isPeriod(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = PERIOD_RE.exec(value);
  return m !== null && Number(m[1]) >= MIN_YEAR && Number(m[1]) <= MAX_YEAR;
}

/** A real calendar date `YYYY-MM-DD` (2026-02-30 is not), between 1900 and 2999. */
export function isDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  return year >= MIN_YEAR && year <= MAX_YEAR && Number(m[3]) <= monthLength(year, Number(m[2]));
}

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** `YYYY-MM-DD` of an instant, in Asia/Shanghai. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whole days from calendar date `from` to `to` (both `YYYY-MM-DD`); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round(
    (Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) /
      DAY_MS,
  );
}

/** Adds whole days to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

const YMD = /^(\d{4})-(\d{2})-(\d{2})/;
const YM = /^(\d{4})-(\d{2})$/;

/** '2024-06-30' → '2024年6月30日'. Unrecognised input is returned unchanged. */
export function formatDate(ymd: string): string {
  const m = YMD.exec(ymd);
  if (!m) return ymd;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

/** '2024-06-30' → '6月30日' (short form for lists). */
export function formatShortDate(ymd: string): string {
  const m = YMD.exec(ymd);
  if (!m) return ymd;
  return `${Number(m[2])}月${Number(m[3])}日`;
}

/** Billing period '2024-06' → '2024年6月'. */
export function formatPeriod(period: string): string {
  const m = YM.exec(period);
  if (!m) return period;
  return `${m[1]}年${Number(m[2])}月`;
}

/**
 * A timestamp (ISO string with zone, or 'YYYY-MM-DD...') as a date in Asia/Shanghai, 'YYYY-MM-DD'.
 * Strings without a zone are taken as already local.
 */
export function toShanghaiDate(stamp: string): string {
  if (!/[zZ]|[+-]\d{2}:?\d{2}$/.test(stamp)) {
    const m = YMD.exec(stamp);
    return m ? `${m[1]}-${m[2]}-${m[3]}` : stamp;
  }
  const ms = Date.parse(stamp);
  if (Number.isNaN(ms)) return stamp;
  // Shanghai has no daylight saving: UTC+8 all year.
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * A timestamp (ISO with zone) as Beijing date and time, '2026年11月27日 14:03'. Shanghai has no
 * daylight saving: UTC+8 all year.
 */
export function formatDateTime(stamp: string): string {
  const ms = Date.parse(stamp);
  if (Number.isNaN(ms)) return stamp;
  const iso = new Date(ms + SHANGHAI_OFFSET_MS).toISOString();
  return `${formatDate(iso.slice(0, 10))} ${iso.slice(11, 16)}`;
}

/** A moment as Beijing wall-clock time of day, '14:03' (for "started at", "closable after"). */
export function formatClock(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(11, 16);
}
