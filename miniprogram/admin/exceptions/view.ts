/**
 * 支付异常 as finance reads it: what went wrong in words, the money (WeChat collected vs our
 * order, and the difference), the rooms, how long it has been open, the resolutions it allows and,
 * once resolved, who did what and why.
 */
import {
  EXCEPTION_ACTION_LABELS,
  PAY_EXCEPTION_LABELS,
  type ExceptionAction,
  type PayExceptionView,
} from '../../domain/payment/exceptions.contract';
import { formatYuan } from '../../domain/kernel/money';
import { formatDateTime } from '../../domain/kernel/time';

export interface ExceptionItem {
  id: string;
  kindText: string;
  /** Short-paid and failed refunds need attention first. */
  tone: 'danger' | 'warning';
  amountText: string;
  /** "订单 ¥500.00 · 少收 ¥100.00" (short-/over-paid) */
  orderText: string;
  roomsText: string;
  refText: string;
  reason: string;
  atText: string;
  ageText: string;
  lastFailure: string;
  actions: { action: ExceptionAction; label: string; primary: boolean }[];
  resolved: boolean;
  resolutionText: string;
}

/** How long something has waited, in the largest whole unit: 刚刚, 12 分钟, 3 小时, 2 天. */
export function ageText(minutes: number): string {
  if (minutes < 1) return '刚刚';
  if (minutes < 60) return `${minutes} 分钟`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} 小时`;
  return `${Math.floor(minutes / (24 * 60))} 天`;
}

function orderText(v: PayExceptionView): string {
  if (v.orderFen === undefined) return '';
  const diff = v.amountFen - v.orderFen;
  const gap =
    diff < 0 ? `少收 ${formatYuan(-diff)}` : diff > 0 ? `多收 ${formatYuan(diff)}` : '金额一致';
  return `订单 ${formatYuan(v.orderFen)} · ${gap}`;
}

export function exceptionItem(v: PayExceptionView): ExceptionItem {
  const r = v.resolution;
  return {
    id: v.exceptionId,
    kindText: PAY_EXCEPTION_LABELS[v.kind],
    tone: v.kind === 'short-paid' || v.kind === 'refund-failed' ? 'danger' : 'warning',
    amountText: formatYuan(v.amountFen),
    orderText: orderText(v),
    roomsText: v.roomLabels.join('、') || '未关联房屋',
    refText: v.receiptNo ? `收据 ${v.receiptNo}` : v.outTradeNo ? `订单 ${v.outTradeNo}` : '',
    // Short-/over-paid: the amounts line says it all (the record's own sentence repeats it in fen).
    reason: v.kind === 'short-paid' || v.kind === 'over-paid' ? '' : v.reason,
    atText: formatDateTime(v.at),
    ageText: r ? `${ageText(v.ageMinutes)}后处理` : `已等待 ${ageText(v.ageMinutes)}`,
    lastFailure: v.lastFailure ?? '',
    actions: v.actions.map((action, i) => ({
      action,
      label: EXCEPTION_ACTION_LABELS[action],
      primary: i === 0,
    })),
    resolved: v.status === 'resolved',
    resolutionText: r
      ? `${EXCEPTION_ACTION_LABELS[r.action]}${r.receiptNo ? `（收据 ${r.receiptNo}）` : ''} · ${formatDateTime(r.at)} · ${r.reason}`
      : '',
  };
}

/** What the confirmation says before money moves. */
export function confirmText(item: ExceptionItem, action: ExceptionAction): string {
  if (action === 'refund')
    return `将 ${item.amountText} 原路退回付款人。退款后该订单关闭，账单恢复待缴。`;
  if (action === 'apply')
    return `按微信实收 ${item.amountText} 入账，冲抵该订单的账单（不足部分账单仍待缴，多出部分计入预存），并出具收据。`;
  return '关闭后该异常不再列出，资金不做任何变动；请确认已通过其他方式处理。';
}
