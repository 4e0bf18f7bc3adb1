/** View helpers of the owner's payment pages (pure: no wx). */
import type { BillSummary } from '../domain/fee/bill';
import type { OrderStatusView } from '../domain/payment/contract';
import { formatYuan, parseYuanInput } from '../domain/kernel/money';
import { api } from '../domain/api';
import { check } from '../domain/kernel/check';
import { formatMonths } from '../domain/kernel/time';

/** What the WeChat Pay sheet reported (services/pay.ts). */
export type SheetOutcome = 'paid' | 'cancel' | 'fail';

/** A bill on the pay confirmation page. */
export interface PayBillView {
  billId: string;
  title: string;
  roomLabel: string;
  periodText: string;
  outstandingFen: number;
  outstandingText: string;
  overdue: boolean;
}

export function toPayBillView(b: BillSummary): PayBillView {
  return {
    billId: b.billId,
    title: b.title,
    roomLabel: b.roomLabel,
    periodText: formatMonths(b.coverFrom, b.coverTo),
    outstandingFen: b.outstandingFen,
    outstandingText: formatYuan(b.outstandingFen),
    overdue: b.overdueDays > 0,
  };
}

/**
 * The amount typed for a partial payment, checked with payment.createOrder's amount rule (more
 * than 0); the form adds what only it knows: the text is yuan, and the bills' outstanding total.
 */
export function checkPartAmount(
  text: string,
  totalFen: number,
): { fen: number; error: '' } | { fen: null; error: string } {
  const fen = parseYuanInput(text);
  if (fen === null) return { fen: null, error: '请输入正确的金额，如 500 或 500.50' };
  const checked = check(api.payment.createOrder, { amountFen: fen });
  if (!checked.ok) return { fen: null, error: checked.errors[0]?.message ?? '' };
  if (fen > totalFen) return { fen: null, error: `不能超过应缴合计 ${formatYuan(totalFen)}` };
  return { fen, error: '' };
}

export type ResultStatus =
  'checking' | 'paid' | 'pending' | 'cancel' | 'failed' | 'exception' | 'missing';

export const SHEET_OUTCOMES: readonly SheetOutcome[] = ['paid', 'cancel', 'fail'];

/** The page's state from the server's order status and what the pay sheet reported. */
export function resultStatus(view: OrderStatusView, sheet: SheetOutcome): ResultStatus {
  switch (view.status) {
    case 'paid':
      return 'paid';
    case 'exception':
      return 'exception';
    case 'closed':
    case 'failed':
      return 'failed';
    default:
      if (sheet === 'cancel') return 'cancel';
      return sheet === 'fail' ? 'failed' : 'pending';
  }
}
