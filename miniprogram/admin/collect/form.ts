/** The 线下收款 form, checked with the function's contract, payment.recordOffline (pure: no wx). */
import { type OfflineChannel } from '../../domain/payment/channels';
import type { ReceiptLineView } from '../../utils/receipt-view';
import type { BillSummary } from '../../domain/fee/bill';
import { api } from '../../domain/api';
import { check, formErrors, topField } from '../../domain/kernel/check';
import { fenToYuanString, formatYuan, parseYuanInput } from '../../domain/kernel/money';
import { formatClock, formatDate, formatMonths, formatPeriod } from '../../domain/kernel/time';
import type { OpenOrderView } from '../../domain/payment/exceptions.contract';

/** An unpaid bill of the chosen room, as the cashier ticks it. */
export interface DeskBill {
  billId: string;
  title: string;
  /** "2026年7月–9月 · 截止 2026年7月15日" */
  subText: string;
  outstandingFen: number;
  outstandingText: string;
  overdue: boolean;
  overdueText: string;
  checked: boolean;
}

export function toDeskBill(b: BillSummary, checked = false): DeskBill {
  return {
    billId: b.billId,
    title: b.title,
    subText: `${formatMonths(b.coverFrom, b.coverTo)} · 截止 ${formatDate(b.dueDate)}`,
    outstandingFen: b.outstandingFen,
    outstandingText: formatYuan(b.outstandingFen),
    overdue: b.overdueDays > 0,
    overdueText: b.overdueDays > 0 ? `已逾期 ${b.overdueDays} 天` : '',
    checked,
  };
}

/**
 * The bills ticked and what they add up to, and the amount box filled with it (yuan, as typed:
 * "1326.96"); none ticked leaves the amount to the cashier (the money then goes to the oldest
 * bills first and anything beyond them to prepaid).
 */
export function ticked(bills: readonly DeskBill[]): {
  billIds: string[];
  totalFen: number;
  amountText: string;
} {
  const on = bills.filter((b) => b.checked);
  const totalFen = on.reduce((s, b) => s + b.outstandingFen, 0);
  return {
    billIds: on.map((b) => b.billId),
    totalFen,
    amountText: on.length ? fenToYuanString(totalFen) : '',
  };
}

export interface CollectForm {
  channel: OfflineChannel;
  amountText: string;
  referenceText: string;
  tenderedText: string;
  payerName: string;
  note: string;
}

export interface CollectErrors {
  amount: string;
  reference: string;
  tendered: string;
}

export type CollectInput = {
  channel: OfflineChannel;
  amountFen: number;
  billIds?: string[];
  reference?: string;
  tenderedFen?: number;
  payerName?: string;
  note?: string;
};

/** The form field a recordOffline problem belongs to, if it is one of the form's. */
export function collectField(path: string): keyof CollectErrors | undefined {
  const top = topField(path);
  if (top === 'amountFen') return 'amount';
  if (top === 'tenderedFen') return 'tendered';
  if (top === 'reference') return 'reference';
  return undefined;
}

/**
 * What the contract judges, it judges alone; a check of the form before the room is picked (or
 * without its key) stands in valid ones for those.
 */
const STAND_IN = { roomId: 'room', idempotencyKey: 'form-check' };

/**
 * The form checked with payment.recordOffline (the reference each channel needs, cash tendered
 * against the amount: the contract's rules and words), plus what only the form knows: the amounts
 * are typed in yuan. Cash carries no reference (the change is what matters there); the payer's
 * name and the note are cut to what their boxes take.
 */
export function validateCollect(
  f: CollectForm,
  ids: { roomId: string; idempotencyKey: string } = STAND_IN,
  bills: { billIds: string[]; totalFen: number } = { billIds: [], totalFen: 0 },
): { ok: true; input: CollectInput; changeFen: number } | { ok: false; errors: CollectErrors } {
  const amountFen = parseYuanInput(f.amountText);
  const reference = f.channel === 'cash' ? '' : f.referenceText.trim();
  const tenderedText = f.channel === 'cash' ? f.tenderedText.trim() : '';
  const tenderedFen = tenderedText ? parseYuanInput(tenderedText) : undefined;
  const payerName = f.payerName.trim().slice(0, 20);
  const note = f.note.trim().slice(0, 200);
  const input: CollectInput = {
    channel: f.channel,
    amountFen: amountFen ?? Number.NaN,
    ...(bills.billIds.length ? { billIds: bills.billIds } : {}),
    ...(reference ? { reference } : {}),
    ...(tenderedFen != null ? { tenderedFen } : {}),
    ...(payerName ? { payerName } : {}),
    ...(note ? { note } : {}),
  };
  const checked = check(api.payment.recordOffline, { ...ids, ...input });
  const errors: CollectErrors = {
    ...EMPTY_ERRORS,
    ...(checked.ok ? {} : formErrors(checked.errors, collectField, 'amount')),
  };
  if (!f.amountText.trim()) errors.amount = '请输入收款金额';
  else if (amountFen === null) errors.amount = '金额格式不正确，如 965 或 965.50';
  if (tenderedFen === null) errors.tendered = '实收金额格式不正确';
  // money for ticked bills pays those bills; more than they owe would have nowhere to go
  if (!errors.amount && bills.billIds.length && amountFen !== null && amountFen > bills.totalFen)
    errors.amount = `不能超过所选账单合计 ${formatYuan(bills.totalFen)}；如需预存，请不勾选账单`;
  if (!checked.ok || errors.amount || errors.reference || errors.tendered) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    changeFen: tenderedFen != null ? tenderedFen - input.amountFen : 0,
    input,
  };
}

/** One key per form: the server records one payment however often the form is sent. */
export function newIdempotencyKey(): string {
  const rand = Math.random().toString(36).slice(2, 10).padEnd(8, '0');
  return `c${Date.now().toString(36)}${rand}`.slice(0, 40);
}

export interface DoneView {
  paymentId: string;
  receiptNo: string;
  amountFen: number;
  roomLabel: string;
  channelText: string;
  lines: ReceiptLineView[];
  hasPrepaid: boolean;
  prepaidText: string;
  hasChange: boolean;
  changeText: string;
}

export const EMPTY_ERRORS: CollectErrors = { amount: '', reference: '', tendered: '' };

/** An owner's WeChat Pay order holding some of the room's bills, as the desk shows it. */
export interface OpenOrderCard {
  outTradeNo: string;
  text: string;
  closable: boolean;
  closeText: string;
}

export function openOrderCard(o: OpenOrderView, now: Date): OpenOrderCard {
  const closable = Date.parse(o.closableAt) <= now.getTime();
  return {
    outTradeNo: o.outTradeNo,
    text: `${o.payer} ${formatClock(new Date(o.startedAt))} 发起微信支付 ${formatYuan(o.amountFen)}（${o.periods.map(formatPeriod).join('、')}），支付完成前不能再收这些账单`,
    closable,
    closeText: closable ? '关闭订单' : `${formatClock(new Date(o.closableAt))} 后可关闭`,
  };
}
