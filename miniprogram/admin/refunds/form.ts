/** 退款: the request form checked as the server checks it, and how a refund reads in the list (pure). */
import type { TagType } from '../../utils/bill-view';
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
};

const STATUS_TAG: Record<RefundStatus, TagType> = {
  'pending-approval': 'warning',
  approved: 'primary',
  rejected: 'default',
  failed: 'danger',
  done: 'success',
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

/** The request: a payment looked up, an amount in ¥ within what it took, a reason. */
export function checkRefundForm(f: {
  paymentId: string;
  amountText: string;
  reason: string;
  /** the looked-up payment's amount, or null when none is loaded */
  paidFen: number | null;
}):
  | { ok: true; input: { paymentId: string; amountFen: number; reason: string } }
  | { ok: false; errors: RefundErrors } {
  const errors: RefundErrors = { ...NO_REFUND_ERRORS };
  const paymentId = f.paymentId.trim();
  if (!paymentId) errors.paymentId = '请填写收款编号';
  else if (f.paidFen === null) errors.paymentId = '请先查询并核对这笔收款';
  const amountFen = parseYuanInput(f.amountText);
  if (!f.amountText.trim()) errors.amount = '请输入退款金额';
  else if (amountFen === null) errors.amount = '金额格式不正确，如 100 或 100.50';
  else if (amountFen <= 0) errors.amount = '退款金额需大于 0 元';
  else if (f.paidFen !== null && amountFen > f.paidFen)
    errors.amount = `退款金额不能超过收款金额 ${formatYuan(f.paidFen)}`;
  const reason = f.reason.trim();
  if (reason.length < 2) errors.reason = '请填写退款原因（至少 2 个字）';
  else if (reason.length > 200) errors.reason = '退款原因最多 200 字';
  if (errors.paymentId || errors.amount || errors.reason) return { ok: false, errors };
  return { ok: true, input: { paymentId, amountFen: amountFen!, reason } };
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
