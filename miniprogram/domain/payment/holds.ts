/**
 * A live WeChat Pay order's claim on a bill, in words: who is paying, since when, and when the
 * order may be closed (WeChat Pay refuses `closeOrder` in the first 5 minutes). The ledger refuses
 * a second payment with these sentences; the cashier's desk shows the same facts.
 */
import { formatClock } from '../kernel/time';
import type { BillPayHold } from '../fee/bill';
import { CHANNEL_LABELS, type PaymentChannel } from './channels';

/** WeChat Pay allows closing an order 5 minutes after it was created. */
export const ORDER_CLOSABLE_AFTER_MS = 5 * 60_000;

export function closableAt(hold: Pick<BillPayHold, 'at'>): Date {
  return new Date(new Date(hold.at).getTime() + ORDER_CLOSABLE_AFTER_MS);
}

/** The last 6 characters of an order number: enough to tell orders apart on a screen. */
export function orderTail(outTradeNo: string): string {
  return outTradeNo.slice(-6);
}

/** Why a bill cannot be collected now: an owner is paying it through WeChat Pay. */
export function heldByOrderMessage(period: string, hold: BillPayHold, now: Date): string {
  const closable = closableAt(hold);
  const then =
    closable.getTime() > now.getTime()
      ? `或在 ${formatClock(closable)} 后在收款页关闭该订单再收款`
      : '或在收款页关闭该订单再收款';
  return `账单 ${period} 正由${hold.payer}通过微信支付（${formatClock(new Date(hold.at))} 发起，订单尾号 ${orderTail(hold.outTradeNo)}），请等待其完成，${then}`;
}

/** Who settled a bill the owner was about to pay, for the owner's refusal. */
export function settledByMessage(
  period: string,
  paid: { channel: PaymentChannel; receiptNo: string } | null,
): string {
  if (!paid) return `账单 ${period} 刚刚已缴清，无需再付，请刷新后查看`;
  const where =
    paid.channel === 'wechat' ? '微信支付' : `物业服务中心（${CHANNEL_LABELS[paid.channel]}）`;
  const receipt = paid.receiptNo ? `，收据 ${paid.receiptNo}` : '';
  return `账单 ${period} 刚刚已由${where}缴清${receipt}，无需再付，请刷新后查看`;
}
