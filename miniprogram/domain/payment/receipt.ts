/**
 * Receipts (电子收据): numbered per community and year without gaps, e.g. `SJ2026-000123`.
 * A number is given to a payment right after the payment commits (docs/payments.md, "Receipt
 * numbers"): each number is held by exactly one payment, and none is skipped.
 */
import { chineseCapital, formatYuan, type Fen } from '../kernel/money';

/**
 * SJ: a receipt (收据); HZ: a red reversal receipt (红字收据) for a refund or correction; YJ: a
 * deposit receipt (押金收据); YH: a deposit's red receipt (押金红字收据) when it is refunded.
 */
export type ReceiptKind = 'SJ' | 'HZ' | 'YJ' | 'YH';

export function receiptNo(year: number, seq: number, kind: ReceiptKind = 'SJ'): string {
  if (!Number.isInteger(year) || year < 2000 || year > 9999) {
    throw new RangeError(`bad year ${year}`);
  }
  if (!Number.isInteger(seq) || seq < 1 || seq > 999_999) {
    throw new RangeError(`bad receipt sequence ${seq}`);
  }
  return `${kind}${year}-${String(seq).padStart(6, '0')}`;
}

/**
 * What a payment carries between its commit and its number (a few milliseconds; longer only if
 * the instance died in between, until the payment timer finishes the job). Unique per payment,
 * so the payments' unique receipt index (which decides who holds a number) holds meanwhile.
 */
const PENDING = '待编号:';

export function pendingReceiptNo(paymentId: string): string {
  return `${PENDING}${paymentId}`;
}

export function isPendingReceipt(no: string): boolean {
  return no.startsWith(PENDING);
}

/** The amount lines of a receipt: figures and Chinese capitals (大写). */
export function amountInWords(fen: Fen): { figures: string; capital: string } {
  return { figures: formatYuan(fen), capital: chineseCapital(fen) };
}
