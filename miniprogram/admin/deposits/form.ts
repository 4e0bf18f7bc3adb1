/**
 * 押金管理: the request form, the desk's collection and finance's refund (with deductions), each
 * checked with the function's contract (charge.requestDeposit / collectDeposit / refundDeposit),
 * and how a deposit reads in the list (pure).
 */
import type { TagType } from '../../utils/bill-view';
import { api } from '../../domain/api';
import { checkedWith, type Checked } from '../../behaviors/page-state';
import {
  DEPOSIT_KINDS,
  DEPOSIT_KIND_LABELS,
  type DepositKind,
  type DepositStatus,
} from '../../domain/charge/rules';
import type { DepositTotals, DepositView } from '../../domain/charge/contract';
import { refundWords } from '../../domain/charge/words';
import type { OfflineChannel, PaymentChannel } from '../../domain/payment/channels';
import { formatYuan, parseYuanInput } from '../../domain/kernel/money';
import { formatClock, formatDateTime } from '../../domain/kernel/time';

export const KIND_OPTIONS = DEPOSIT_KINDS.map((value) => ({
  value,
  label: DEPOSIT_KIND_LABELS[value],
}));

export const NO_DEPOSIT_ERRORS = { roomId: '', amountFen: '', note: '' };

const fen = (text: string) => parseYuanInput(text) ?? Number.NaN;

export function checkDepositForm(f: {
  communityId: string;
  roomId: string;
  kind: DepositKind;
  amountText: string;
  note: string;
  requestId: string;
}) {
  const input = {
    communityId: f.communityId,
    roomId: f.roomId,
    kind: f.kind,
    amountFen: fen(f.amountText),
    note: f.note.trim(),
    requestId: f.requestId,
  };
  const checked = checkedWith(api.charge.requestDeposit, input);
  if (f.roomId) return checked;
  return {
    ok: false as const,
    errors: { ...(checked.ok ? {} : checked.errors), roomId: '请先选择房屋' },
  };
}

export function checkCollect(f: {
  depositId: string;
  channel: OfflineChannel;
  reference: string;
}): Checked<{ depositId: string; channel: OfflineChannel; reference?: string }> {
  const reference = f.reference.trim();
  return checkedWith(api.charge.collectDeposit, {
    depositId: f.depositId,
    channel: f.channel,
    ...(reference ? { reference } : {}),
  });
}

export interface DeductionRow {
  reason: string;
  amountText: string;
}

export interface RefundInput {
  depositId: string;
  channel: PaymentChannel;
  deductions: { reason: string; amountFen: number }[];
  reference?: string;
}

/** The refund as finance typed it; any problem is one line (the editor is small). */
export function checkRefund(f: {
  depositId: string;
  channel: PaymentChannel;
  reference: string;
  rows: readonly DeductionRow[];
  heldFen: number;
}): { ok: true; input: RefundInput; refundFen: number } | { ok: false; message: string } {
  const input: RefundInput = {
    depositId: f.depositId,
    channel: f.channel,
    deductions: f.rows.map((r) => ({ reason: r.reason.trim(), amountFen: fen(r.amountText) })),
    ...(f.reference.trim() ? { reference: f.reference.trim() } : {}),
  };
  const checked = checkedWith(api.charge.refundDeposit, input);
  if (!checked.ok) return { ok: false, message: Object.values(checked.errors).find(Boolean) ?? '' };
  const deducted = input.deductions.reduce((s, d) => s + d.amountFen, 0);
  if (deducted > f.heldFen)
    return { ok: false, message: `扣款合计不能超过押金 ${formatYuan(f.heldFen)}` };
  return { ok: true, input, refundFen: f.heldFen - deducted };
}

const STATUS_TAG: Record<DepositStatus, TagType> = {
  requested: 'warning',
  held: 'primary',
  'awaiting-ack': 'warning',
  refunding: 'danger',
  refunded: 'success',
};

export interface DepositItem {
  depositId: string;
  title: string;
  amountText: string;
  heldFen: number;
  statusLabel: string;
  tagType: TagType;
  note: string;
  collectedText: string;
  releasedNo: string;
  releasedText: string;
  refundText: string;
  failure: string;
  wechat: boolean;
  /** The owner's live WeChat order: until when (the desk waits, or closes it). */
  payingText: string;
  canClose: boolean;
  canCollect: boolean;
  canRefund: boolean;
  canRetry: boolean;
}

export function toDepositItem(
  v: DepositView,
  can: { collect: boolean; refund: boolean },
): DepositItem {
  return {
    depositId: v.depositId,
    title: `${v.roomLabel} · ${v.kindLabel}`,
    amountText: formatYuan(v.amountFen),
    heldFen: v.heldFen,
    statusLabel: v.statusLabel,
    tagType: STATUS_TAG[v.status],
    note: v.note,
    collectedText: v.collected
      ? `押金收据 ${v.collected.receiptNo} · ${v.collected.channelLabel} · ${formatDateTime(v.collected.at)}`
      : '',
    releasedNo: v.released?.receiptNo ?? '',
    releasedText: v.released
      ? `${formatYuan(v.released.amountFen)} · ${formatDateTime(v.released.at)}`
      : '',
    refundText: refundWords(v),
    failure: v.refund?.failure ?? '',
    wechat: v.collected?.channel === 'wechat',
    payingText: v.payingUntil
      ? `业主正在微信支付，订单 ${formatClock(new Date(v.payingUntil))} 前有效`
      : '',
    canClose: can.collect && v.status === 'requested' && v.payingUntil !== null,
    canCollect: can.collect && v.status === 'requested' && v.payingUntil === null,
    canRefund: can.refund && v.status === 'held',
    canRetry: can.refund && v.status === 'refunding',
  };
}

export function totalsView(t: DepositTotals) {
  return {
    held: formatYuan(t.heldFen),
    collected: formatYuan(t.collectedFen),
    refunded: formatYuan(t.refundedFen),
    deducted: formatYuan(t.deductedFen),
  };
}
