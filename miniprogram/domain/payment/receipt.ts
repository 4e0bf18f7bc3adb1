/**
 * Receipts (电子收据): numbered per community and year without gaps, e.g. `SJ2026-000123`.
 * The number is taken from a counter inside the payment's own transaction, so a number is used
 * exactly when its payment commits.
 */
import { chineseCapital, formatYuan, type Fen } from '../kernel/money';

/** SJ: a receipt (收据); HZ: a red reversal receipt (红字收据) for a refund or correction. */
export type ReceiptKind = 'SJ' | 'HZ';

export function receiptNo(year: number, seq: number, kind: ReceiptKind = 'SJ'): string {
  if (!Number.isInteger(year) || year < 2000 || year > 9999) {
    throw new RangeError(`bad year ${year}`);
  }
  if (!Number.isInteger(seq) || seq < 1 || seq > 999_999) {
    throw new RangeError(`bad receipt sequence ${seq}`);
  }
  return `${kind}${year}-${String(seq).padStart(6, '0')}`;
}

export function receiptCounterId(
  communityId: string,
  year: number,
  kind: ReceiptKind = 'SJ',
): string {
  return kind === 'SJ'
    ? `receipt:${communityId}:${year}`
    : `receipt-${kind}:${communityId}:${year}`;
}

/** The amount lines of a receipt: figures and Chinese capitals (大写). */
export function amountInWords(fen: Fen): { figures: string; capital: string } {
  return { figures: formatYuan(fen), capital: chineseCapital(fen) };
}
