/**
 * Display formatting. Money arrives as integer fen and is formatted only here, at display time.
 * Pure functions (no wx, no clock): the lead may move them into domain/ later.
 */

export interface FenParts {
  /** '' or '-' */
  sign: string;
  /** Whole yuan with thousands separators, e.g. '1,234' */
  yuan: string;
  /** Always two digits, e.g. '05' */
  cents: string;
}

/** Split integer fen into display parts. Throws on a non-integer: money is never a float. */
export function splitFen(fen: number): FenParts {
  if (!Number.isSafeInteger(fen)) {
    throw new RangeError(`amount must be an integer number of fen, got ${fen}`);
  }
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  return {
    sign: fen < 0 ? '-' : '',
    yuan: String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ','),
    cents: cents < 10 ? `0${cents}` : String(cents),
  };
}

/** 123456 → '¥1,234.56'; -500 → '-¥5.00'. */
export function formatFen(fen: number): string {
  const p = splitFen(fen);
  return `${p.sign}¥${p.yuan}.${p.cents}`;
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
  return new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** Days from `today` to `ymd` (both 'YYYY-MM-DD'); negative when `ymd` is in the past. */
export function daysBetween(today: string, ymd: string): number {
  const a = Date.parse(`${today.slice(0, 10)}T00:00:00Z`);
  const b = Date.parse(`${ymd.slice(0, 10)}T00:00:00Z`);
  return Math.round((b - a) / 86400000);
}
