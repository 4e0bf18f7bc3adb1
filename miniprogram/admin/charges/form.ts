/**
 * 临时收费: the form checked with the function's contract (charge.previewCharge: the same fields
 * raiseCharge takes, less its requestId), and how a charge reads in the list (pure).
 */
import type { TagType } from '../../utils/bill-view';
import { api } from '../../domain/api';
import { checkedWith, type Checked } from '../../behaviors/page-state';
import {
  CHARGE_REASONS,
  CHARGE_REASON_LABELS,
  type ChargeReason,
  type ChargeStatus,
} from '../../domain/charge/rules';
import type { ChargeView } from '../../domain/charge/contract';
import { formatYuan, parseYuanInput } from '../../domain/kernel/money';
import { formatDate, formatDateTime } from '../../domain/kernel/time';

export const REASON_OPTIONS = CHARGE_REASONS.map((value) => ({
  value,
  label: CHARGE_REASON_LABELS[value],
}));

export interface ChargeForm {
  communityId: string;
  roomId: string;
  reason: ChargeReason;
  otherText: string;
  amountText: string;
  note: string;
}

export interface ChargeInput {
  communityId: string;
  roomId: string;
  reason: ChargeReason;
  otherText?: string;
  amountFen: number;
  note: string;
}

export const NO_CHARGE_ERRORS = { roomId: '', otherText: '', amountFen: '', note: '' };

/** The form as the contract checks it: every problem next to its field, in the contract's words. */
export function checkChargeForm(f: ChargeForm): Checked<ChargeInput> {
  const input: ChargeInput = {
    communityId: f.communityId,
    roomId: f.roomId,
    reason: f.reason,
    ...(f.reason === 'other' ? { otherText: f.otherText.trim() } : {}),
    amountFen: parseYuanInput(f.amountText) ?? Number.NaN,
    note: f.note.trim(),
  };
  const checked = checkedWith(api.charge.previewCharge, input);
  if (!f.roomId) {
    const errors = checked.ok ? {} : checked.errors;
    return { ok: false, errors: { ...errors, roomId: '请先选择房屋' } };
  }
  return checked;
}

const STATUS_TAG: Record<ChargeStatus, TagType> = {
  'pending-approval': 'warning',
  billed: 'primary',
  rejected: 'default',
};

export interface ChargeItem {
  chargeId: string;
  title: string;
  roomLabel: string;
  amountText: string;
  statusLabel: string;
  tagType: TagType;
  billText: string;
  raisedText: string;
  note: string;
  decisionText: string;
  canDecide: boolean;
}

export function toChargeItem(c: ChargeView, approver: boolean): ChargeItem {
  return {
    chargeId: c.chargeId,
    title: c.title,
    roomLabel: c.roomLabel,
    amountText: formatYuan(c.amountFen),
    statusLabel: c.billStatus === 'paid' ? '已缴清' : c.statusLabel,
    tagType: c.billStatus === 'paid' ? 'success' : STATUS_TAG[c.status],
    billText: c.status === 'billed' ? `缴费期限 ${formatDate(c.dueDate)}` : '',
    raisedText: `${c.raisedByName || '工作人员'} 发起 · ${formatDateTime(c.raisedAt)}`,
    note: c.note,
    decisionText: c.decidedByName
      ? `${c.decidedByName} ${c.status === 'rejected' ? '驳回' : '批准'}${c.decisionNote ? `：${c.decisionNote}` : ''}`
      : '',
    canDecide: approver && c.status === 'pending-approval',
  };
}
