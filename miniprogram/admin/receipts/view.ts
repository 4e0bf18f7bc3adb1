/**
 * Pure helpers of the 收据管理 page: the default date range, parsing receipt numbers typed or
 * pasted by staff, and list rows for display.
 */
import { shanghaiDate, addDays, formatDateTime } from '../../domain/kernel/time';
import { receiptNoSchema, type ReceiptListItem } from '../../domain/payment/receipts.contract';
import { check } from '../../domain/kernel/check';
import { formatYuan } from '../../domain/kernel/money';

/** The last seven days up to today (Beijing). */
export function defaultRange(now: Date): { from: string; to: string } {
  const to = shanghaiDate(now);
  return { from: addDays(to, -6), to };
}

/**
 * Receipt numbers from free text (spaces, commas, 、 or new lines between them; lower case is
 * accepted). Returns the numbers, or the first piece that is not a receipt number (by the
 * receipts contract's rule).
 */
export function parseReceiptNos(text: string): { nos: string[] } | { bad: string } {
  const parts = text
    .split(/[\s,，、;；]+/)
    .map((p) => p.trim().toUpperCase())
    .filter(Boolean);
  const bad = parts.find((p) => !check({ input: receiptNoSchema }, p).ok);
  if (bad) return { bad };
  return { nos: [...new Set(parts)] };
}

export interface ReceiptRow {
  paymentId: string;
  receiptNo: string;
  reversal: boolean;
  amountText: string;
  roomsText: string;
  paidText: string;
  channelText: string;
  payer: string;
  /** 已冲红 … / 冲红原收据 … */
  statusText: string;
  selected: boolean;
}

export function toReceiptRow(r: ReceiptListItem, selected = false): ReceiptRow {
  const reversal = r.kind === 'reversal';
  return {
    paymentId: r.paymentId,
    receiptNo: r.receiptNo,
    reversal,
    amountText: formatYuan(r.amountFen),
    roomsText: r.roomLabels.join('、') || '—',
    paidText: formatDateTime(r.paidAt),
    channelText: r.channelLabel,
    payer: r.payer,
    statusText: reversal
      ? `红字收据，冲红原收据 ${r.reverses ?? ''}`
      : r.reversedBy.length > 0
        ? `已冲红（${r.reversedBy.join('、')}）`
        : '',
    selected,
  };
}
