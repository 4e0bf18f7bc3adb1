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

const YUAN_INPUT = /^(0|[1-9]\d{0,9})(?:\.(\d{1,2}))?$/;

/**
 * What a person typed as yuan → integer fen, or null when it is not a plain amount: '965' →
 * 96500, '965.5' → 96550, '0.05' → 5. Digits and one point only (surrounding spaces and a
 * trailing '.' or '元' are forgiven); never goes through a float.
 */
export function parseYuanInput(text: string): number | null {
  const t = String(text ?? '')
    .trim()
    .replace(/元$/, '')
    .replace(/\.$/, '')
    .trim();
  const m = YUAN_INPUT.exec(t);
  if (!m) return null;
  const cents = (m[2] ?? '').padEnd(2, '0');
  return Number(m[1]) * 100 + Number(cents);
}

/** Integer fen → what goes back into an amount field: 96550 → '965.50'. */
export function fenToInput(fen: number): string {
  const p = splitFen(fen);
  return `${p.sign}${p.yuan.replace(/,/g, '')}.${p.cents}`;
}

/**
 * A timestamp (ISO with zone) as Beijing date and time, '2026年11月27日 14:03'. Shanghai has no
 * daylight saving: UTC+8 all year.
 */
export function formatDateTime(stamp: string): string {
  const ms = Date.parse(stamp);
  if (Number.isNaN(ms)) return stamp;
  const iso = new Date(ms + 8 * 3600 * 1000).toISOString();
  return `${formatDate(iso.slice(0, 10))} ${iso.slice(11, 16)}`;
}
