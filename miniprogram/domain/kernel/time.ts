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
/** A stamp that names its zone: 'Z', '+08:00', '+0800'. */
const ZONED = /(?:[zZ]|[+-]\d{2}:?\d{2})$/;

/**
 * The Beijing calendar date of a value, 'YYYY-MM-DD': an instant (a Date, or an ISO stamp with
 * its zone) is read in Asia/Shanghai whatever the process time zone; a calendar date
 * ('2026-12-07', or a stamp without a zone) is already one. Null when it is neither.
 * The one place an instant becomes a calendar date.
 */
export function beijingDay(value: string | Date): string | null {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : shanghaiDate(value);
  }
  if (ZONED.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : shanghaiDate(new Date(ms));
  }
  const m = YMD.exec(value);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

function ymdParts(value: string | Date): [string, number, number] | null {
  const day = beijingDay(value);
  const m = day ? YMD.exec(day) : null;
  return m ? [m[1]!, Number(m[2]), Number(m[3])] : null;
}

/**
 * '2024-06-30' → '2024年6月30日'; an instant (Date, or ISO with zone) → its Beijing date the same
 * way. Never zero-padded. Unrecognised input is returned unchanged.
 */
export function formatDate(value: string | Date): string {
  const p = ymdParts(value);
  return p ? `${p[0]}年${p[1]}月${p[2]}日` : String(value);
}

/** '2024-06-30' (or an instant, in Beijing) → '6月30日' (short form for lists). */
export function formatShortDate(value: string | Date): string {
  const p = ymdParts(value);
  return p ? `${p[1]}月${p[2]}日` : String(value);
}

/** Billing period '2024-06' → '2024年6月'. */
export function formatPeriod(period: string): string {
  const m = YM.exec(period);
  if (!m) return period;
  return `${m[1]}年${Number(m[2])}月`;
}

/**
 * The months a bill covers: '2026-07'..'2026-09' → '2026年7月–9月', across a year
 * '2026年11月–2027年1月', one month '2026年7月'. Never zero-padded.
 */
export function formatMonths(from: string, to: string = from): string {
  const a = YM.exec(from);
  const b = YM.exec(to);
  if (!a || !b || to <= from) return formatPeriod(from);
  return a[1] === b[1]
    ? `${a[1]}年${Number(a[2])}月–${Number(b[2])}月`
    : `${formatPeriod(from)}–${formatPeriod(to)}`;
}

/**
 * A timestamp (ISO string with zone, Date, or 'YYYY-MM-DD...') as a date in Asia/Shanghai,
 * 'YYYY-MM-DD'. Strings without a zone are taken as already local.
 */
export function toShanghaiDate(stamp: string): string {
  return beijingDay(stamp) ?? stamp;
}

/** 'HH:mm' of an instant in Beijing (UTC+8 all year: Shanghai has no daylight saving). */
export function beijingClock(at: string | Date): string {
  const ms = at instanceof Date ? at.getTime() : Date.parse(at);
  if (Number.isNaN(ms)) return '';
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(11, 16);
}

/** An instant (ISO with zone, or Date) as Beijing date and time, '2026年11月27日 14:03'. */
export function formatDateTime(stamp: string | Date): string {
  const clock = beijingClock(stamp);
  if (!clock) return String(stamp);
  return `${formatDate(stamp instanceof Date ? stamp : new Date(Date.parse(stamp)))} ${clock}`;
}

/** An instant as 'YYYY-MM-DD HH:mm' in Beijing (forms, exports and printed records). */
export function beijingStamp(at: string | Date): string {
  const clock = beijingClock(at);
  if (!clock) return String(at);
  return `${beijingDay(at instanceof Date ? at : new Date(Date.parse(at)))} ${clock}`;
}

/** A moment as Beijing wall-clock time of day, '14:03' (for "started at", "closable after"). */
export function formatClock(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(11, 16);
}
