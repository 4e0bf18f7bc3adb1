/**
 * 退款: the request form checked with the function's contract (payment.requestRefund), and how a
 * refund reads in the list (pure).
 */
import type { TagType } from '../../utils/bill-view';
import { api } from '../../domain/api';
import { check, formErrors, topField } from '../../domain/kernel/check';
import { CHANNEL_TEXT } from '../../utils/receipt-view';
import type { RefundStatus, RefundView } from '../../domain/payment/contract';
import { formatYuan, parseYuanInput } from '../../domain/kernel/money';
import { formatDateTime } from '../../domain/kernel/time';

export type RefundTab = 'all' | RefundStatus;

export const REFUND_TABS: { value: RefundTab; label: string }[] = [
  { value: 'all', label: '全部' },
  { value: 'pending-approval', label: '待审批' },
  { value: 'failed', label: '失败' },
  { value: 'done', label: '已完成' },
  { value: 'rejected', label: '已驳回' },
];

export const REFUND_STATUS_TEXT: Record<RefundStatus, string> = {
  'pending-approval': '待审批',
  approved: '处理中',
  rejected: '已驳回',
  failed: '退款失败',
  done: '已退款',
  closed: '已关闭',
};

const STATUS_TAG: Record<RefundStatus, TagType> = {
  'pending-approval': 'warning',
  approved: 'primary',
  rejected: 'default',
  failed: 'danger',
  done: 'success',
  closed: 'default',
};

export const REFUND_REASONS = ['重复缴费', '多缴费用', '费用调整', '业主退房'];

export interface RefundItemView {
  refundId: string;
  paymentId: string;
  receiptNo: string;
  channelText: string;
  amountText: string;
  reason: string;
  status: RefundStatus;
  statusText: string;
  tagType: TagType;
  requestedText: string;
  reversalReceiptNo: string;
  failure: string;
  canDecide: boolean;
  canRetry: boolean;
}

export function toRefundItemView(r: RefundView, isAdmin: boolean): RefundItemView {
  return {
    refundId: r.refundId,
    paymentId: r.paymentId,
    receiptNo: r.receiptNo,
    channelText: CHANNEL_TEXT[r.channel] ?? r.channel,
    amountText: formatYuan(r.amountFen),
    reason: r.reason,
    status: r.status,
    statusText: REFUND_STATUS_TEXT[r.status],
    tagType: STATUS_TAG[r.status],
    requestedText: formatDateTime(r.requestedAt),
    reversalReceiptNo: r.reversalReceiptNo ?? '',
    failure: r.failure ?? '',
    canDecide: isAdmin && r.status === 'pending-approval',
    // an approved refund that never finished (the call was lost) is retried the same way
    canRetry: r.status === 'failed' || r.status === 'approved',
  };
}

export interface RefundErrors {
  paymentId: string;
  amount: string;
  reason: string;
}

export const NO_REFUND_ERRORS: RefundErrors = { paymentId: '', amount: '', reason: '' };

/** The form field a requestRefund problem belongs to. */
export function refundField(path: string): keyof RefundErrors | undefined {
  const top = topField(path);
  if (top === 'amountFen') return 'amount';
  if (top === 'paymentId' || top === 'reason') return top;
  return undefined;
}

/**
 * The request checked with payment.requestRefund (an amount above 0, a reason of 2 to 200
 * characters: the contract's words), plus what only the form knows: the payment has been looked
 * up, and the amount typed in ¥ is within what it took.
 */
export function checkRefundForm(f: {
  paymentId: string;
  amountText: string;
  reason: string;
  /** the looked-up payment's amount, or null when none is loaded */
  paidFen: number | null;
}):
  | { ok: true; input: { paymentId: string; amountFen: number; reason: string } }
  | { ok: false; errors: RefundErrors } {
  const input = {
    paymentId: f.paymentId.trim(),
    amountFen: parseYuanInput(f.amountText) ?? Number.NaN,
    reason: f.reason.trim(),
  };
  const checked = check(api.payment.requestRefund, input);
  const errors: RefundErrors = {
    ...NO_REFUND_ERRORS,
    ...(checked.ok ? {} : formErrors(checked.errors, refundField, 'paymentId')),
  };
  if (!input.paymentId) errors.paymentId = '请填写收款编号';
  else if (f.paidFen === null) errors.paymentId = '请先查询并核对这笔收款';
  if (!f.amountText.trim()) errors.amount = '请输入退款金额';
  else if (Number.isNaN(input.amountFen)) errors.amount = '金额格式不正确，如 100 或 100.50';
  else if (!errors.amount && f.paidFen !== null && input.amountFen > f.paidFen)
    errors.amount = `退款金额不能超过收款金额 ${formatYuan(f.paidFen)}`;
  if (!checked.ok || errors.paymentId || errors.amount || errors.reason) {
    return { ok: false, errors };
  }
  return { ok: true, input };
}

/** What finance is told after asking: done at once, waiting for an admin, or failed. */
export function outcomeText(r: RefundView): string {
  if (r.status === 'done')
    return `退款 ${formatYuan(r.amountFen)} 已完成${r.reversalReceiptNo ? `，红字收据 ${r.reversalReceiptNo}` : ''}`;
  if (r.status === 'pending-approval')
    return `退款 ${formatYuan(r.amountFen)} 超过审批额度，已提交管理员审批`;
  if (r.status === 'failed') return `退款未成功：${r.failure || '请稍后重试'}`;
  return `退款 ${formatYuan(r.amountFen)} 正在处理`;
}
