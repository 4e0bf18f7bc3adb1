/**
 * Money: integer fen (分) everywhere it is stored or sent. The one home of money text: formatting
 * to yuan (formatYuan, 大写 chineseCapital), parsing what people type (parseYuan, parseYuanInput)
 * and splitting an amount into parts that add up exactly (allocate). Calculations that round live
 * in exact.ts.
 */
import Big from 'big.js';

/** An integer number of fen (1 元 = 100 分). Negative only where a sign is meaningful. */
export type Fen = number;

export function isFen(value: unknown): value is Fen {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** Throws a RangeError unless `value` is a safe integer (no floats, NaN, Infinity or > 2^53). */
export function assertFen(value: unknown, name = 'amount'): asserts value is Fen {
  if (!isFen(value)) {
    throw new RangeError(`${name} must be an integer number of fen, got ${String(value)}`);
  }
}

export function assertNonNegativeFen(value: unknown, name: string): asserts value is Fen {
  assertFen(value, name);
  if (value < 0) throw new RangeError(`${name} must not be negative, got ${value}`);
}

/** Integer division that rounds down for non-negative operands (DP 0, round down). */
export const Whole = Big();
Whole.DP = 0;
Whole.RM = Big.roundDown;

export const MAX_FEN = new Big(Number.MAX_SAFE_INTEGER);

/** 123456 → "¥1,234.56"; -1230 → "-¥12.30"; 0 → "¥0.00". Always exactly two decimals. */
export function formatYuan(fen: Fen): string {
  const p = splitFen(fen);
  return `${p.sign}¥${p.yuan}.${p.cents}`;
}

/**
 * Whole yuan for chart labels and axes, rounded half-up: 123456 → "¥1,235", 5000 → "¥50".
 * Never for amounts a person pays or is receipted (those are exact: formatYuan).
 */
export function formatYuanWhole(fen: Fen): string {
  const abs = Math.abs(fen);
  const p = splitFen(Math.sign(fen) * (abs - (abs % 100) + (abs % 100 >= 50 ? 100 : 0)));
  return `${p.sign}¥${p.yuan}`;
}

/** Yuan as plain digits without symbol or separators: 123456 → "1234.56" (exports, form fields). */
export function fenToYuanString(fen: Fen): string {
  const p = splitFen(fen);
  return `${p.sign}${p.yuan.replace(/,/g, '')}.${p.cents}`;
}

const YUAN_TEXT = /^(-)?(0|[1-9]\d*)(?:\.(\d{1,2}))?$/;

export interface ParseYuanOptions {
  /** Accept a leading "-" (refunds, reversals). Default false. */
  allowNegative?: boolean;
}

/**
 * Strict yuan text → fen: "630.76" → 63076, "5" → 500, "0.5" → 50. Rejects (RangeError) empty
 * text, whitespace, symbols, thousands separators, more than two decimals ("1.234"), leading
 * zeros ("01"), a bare point ("5." / ".5"), amounts beyond the safe integer range, and a minus
 * sign unless `allowNegative`.
 */
export function parseYuan(text: string, options: ParseYuanOptions = {}): Fen {
  const match = typeof text === 'string' ? YUAN_TEXT.exec(text) : null;
  if (!match) throw new RangeError(`not a yuan amount: ${JSON.stringify(text)}`);
  const [, minus, whole = '0', decimals = ''] = match;
  if (minus && !options.allowNegative) {
    throw new RangeError(`negative amount not allowed: ${text}`);
  }
  const fen = new Big(`${whole}${decimals.padEnd(2, '0')}`);
  if (fen.gt(MAX_FEN)) throw new RangeError(`amount too large: ${text}`);
  const value = Number(fen.toFixed(0));
  return minus && value !== 0 ? -value : value;
}

/**
 * Splits `totalFen` into parts proportional to `weights` that sum exactly to the total
 * (largest-remainder method, like dinero.js `allocate`): every part first gets the floor of its
 * exact share; the fen left over go one each to the largest remainders, ties to the earlier
 * index. Deterministic. Weights are non-negative safe integers with a positive sum; a negative
 * total is split as its magnitude and negated.
 */
export function allocate(totalFen: Fen, weights: readonly number[]): Fen[] {
  assertFen(totalFen, 'totalFen');
  if (weights.length === 0) throw new RangeError('allocate needs at least one weight');
  let weightSum = new Big(0);
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) {
      throw new RangeError(`weights must be non-negative integers, got ${w}`);
    }
    weightSum = weightSum.plus(w);
  }
  if (weightSum.eq(0)) throw new RangeError('weights must not all be zero');
  const magnitude = new Big(Math.abs(totalFen));
  const shares = weights.map((w, index) => {
    const exact = magnitude.times(w);
    const floor = new Whole(exact).div(weightSum);
    return { index, floor, remainder: exact.minus(floor.times(weightSum)) };
  });
  const floorSum = shares.reduce((sum, s) => sum.plus(s.floor), new Big(0));
  let leftOver = Number(magnitude.minus(floorSum).toFixed(0));
  const parts = shares.map((s) => Number(s.floor.toFixed(0)));
  const byRemainder = [...shares].sort((a, b) => b.remainder.cmp(a.remainder) || a.index - b.index);
  for (const s of byRemainder) {
    if (leftOver === 0) break;
    parts[s.index] = (parts[s.index] ?? 0) + 1;
    leftOver -= 1;
  }
  return totalFen < 0 ? parts.map((p) => (p === 0 ? 0 : -p)) : parts;
}

export interface OutstandingBill {
  id: string;
  outstandingFen: Fen;
}

export interface BillAllocation {
  id: string;
  amountFen: Fen;
}

export interface OldestFirstAllocation {
  /** One entry per bill that receives money, in the order given; never above its outstanding. */
  allocations: BillAllocation[];
  /** What is left after every bill is settled (becomes prepaid balance, 预存). */
  remainderFen: Fen;
}

/**
 * Applies a payment to bills in the order given, settling each in full before the next. The
 * caller passes the bills oldest first (by due date, then period): see `sortOldestFirst`.
 * Bills with nothing outstanding receive nothing; duplicate ids are an error.
 */
export function allocateOldestFirst(
  amountFen: Fen,
  bills: readonly OutstandingBill[],
): OldestFirstAllocation {
  assertNonNegativeFen(amountFen, 'amountFen');
  const seen = new Set<string>();
  const allocations: BillAllocation[] = [];
  let left = amountFen;
  for (const bill of bills) {
    if (seen.has(bill.id)) throw new RangeError(`bill ${bill.id} listed twice`);
    seen.add(bill.id);
    assertNonNegativeFen(bill.outstandingFen, `outstandingFen of ${bill.id}`);
    const take = Math.min(left, bill.outstandingFen);
    if (take > 0) {
      allocations.push({ id: bill.id, amountFen: take });
      left -= take;
    }
  }
  return { allocations, remainderFen: left };
}

/** Oldest first: earlier due date, then earlier period, then id (a total, deterministic order). */
export function sortOldestFirst<T extends { id: string; dueDate: string; period: string }>(
  bills: readonly T[],
): T[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...bills].sort(
    (a, b) => cmp(a.dueDate, b.dueDate) || cmp(a.period, b.period) || cmp(a.id, b.id),
  );
}

const CAPITAL_DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'] as const;
const CAPITAL_PLACES = ['', '拾', '佰', '仟'] as const;

function capitalDigit(d: number): string {
  return CAPITAL_DIGITS[d] ?? '';
}

/** 1..9999 in capitals; inner zero runs read as one 零, trailing zeros are silent. 10 → 壹拾. */
function capitalSection(n: number): string {
  let out = '';
  let pendingZero = false;
  for (let place = 3; place >= 0; place -= 1) {
    const d = Math.floor(n / 10 ** place) % 10;
    if (d === 0) {
      if (out !== '') pendingZero = true;
      continue;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    out += capitalDigit(d) + CAPITAL_PLACES[place];
  }
  return out;
}

/**
 * A positive whole number of yuan in capitals, split into 4-digit sections (个, 万, 亿; above
 * 亿 the high part is read recursively, so 1,0000,0000,0000 is 壹万亿). One 零 stands for a
 * section's leading zeros or a whole zero section between non-zero ones; zeros at the end of a
 * section are silent (1000,1000 → 壹仟万壹仟; 1000,0100 → 壹仟万零壹佰; 1,0000,0001 → 壹亿零壹).
 */
function capitalInteger(n: number): string {
  if (n >= 1e8) {
    const high = Math.floor(n / 1e8);
    const low = n % 1e8;
    const head = `${capitalInteger(high)}亿`;
    if (low === 0) return head;
    return head + (low < 1e7 ? '零' : '') + capitalInteger(low);
  }
  if (n >= 1e4) {
    const high = Math.floor(n / 1e4);
    const low = n % 1e4;
    const head = `${capitalSection(high)}万`;
    if (low === 0) return head;
    return head + (low < 1000 ? '零' : '') + capitalSection(low);
  }
  return capitalSection(n);
}

/**
 * The amount in Chinese financial capitals (大写), as printed on receipts, following the
 * People's Bank of China rules for 中文大写金额 (正确填写票据和结算凭证的基本规定):
 * - 拾 always has its digit (壹拾, never 拾);
 * - a zero run inside the integer part reads as one 零 (see capitalInteger);
 * - "整" follows 元 when there are no 角 and 分 (100 → 壹元整, 0 → 零元整); nothing follows 分,
 *   and an amount ending in 角 has no 整 (150 → 壹元伍角);
 * - 角 zero but 分 not: "元零X分" (1001 → 壹拾元零壹分); the optional 零 between a zero 元 digit
 *   and a non-zero 角 is not written (63076 → 陆佰叁拾元柒角陆分);
 * - under one yuan the 元 is omitted (5 → 伍分, 50 → 伍角);
 * - negative amounts are prefixed with 负.
 */
export function chineseCapital(fen: Fen): string {
  assertFen(fen);
  if (fen === 0) return '零元整';
  const sign = fen < 0 ? '负' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const jiao = Math.floor(abs / 10) % 10;
  const fenDigit = abs % 10;
  let out = yuan > 0 ? `${capitalInteger(yuan)}元` : '';
  if (jiao === 0 && fenDigit === 0) return `${sign}${out}整`;
  if (jiao > 0) out += `${capitalDigit(jiao)}角`;
  else if (yuan > 0) out += '零';
  if (fenDigit > 0) out += `${capitalDigit(fenDigit)}分`;
  return sign + out;
}

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
  assertFen(fen);
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  return {
    sign: fen < 0 ? '-' : '',
    yuan: String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ','),
    cents: cents < 10 ? `0${cents}` : String(cents),
  };
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
