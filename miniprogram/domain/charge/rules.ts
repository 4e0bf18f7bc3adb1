/**
 * One-off charges (临时收费) and deposits (押金), the pure rules (docs/charges.md): the reasons a
 * charge is raised for, when a second person must approve it, and what a deposit refund pays back
 * after deductions. Money is integer fen; no I/O, no clock.
 */
import { codesOf } from '../kernel/codes';

/** Why a one-off charge is raised; `other` needs the reason in words. */
export const CHARGE_REASON_LABELS = {
  debris: '装修垃圾清运费',
  'access-card': '门禁卡工本费',
  remote: '车库遥控器工本费',
  repair: '有偿维修服务费',
  other: '其他',
};
export type ChargeReason = keyof typeof CHARGE_REASON_LABELS;
export const CHARGE_REASONS = codesOf(CHARGE_REASON_LABELS);

export const DEPOSIT_KIND_LABELS = {
  renovation: '装修押金',
  parking: '车位押金',
};
export type DepositKind = keyof typeof DEPOSIT_KIND_LABELS;
export const DEPOSIT_KINDS = codesOf(DEPOSIT_KIND_LABELS);

/** A charge above this needs finance or an admin other than the raiser (community setting). */
export const DEFAULT_CHARGE_APPROVAL_FEN = 50_000;

export type ChargeStatus = 'pending-approval' | 'billed' | 'rejected';

export const CHARGE_STATUS_LABELS: Record<ChargeStatus, string> = {
  'pending-approval': '待审批',
  billed: '已出账',
  rejected: '已驳回',
};

/**
 * requested: asked of the owner, not yet paid; held: collected and held as a liability;
 * awaiting-ack: a refund with deductions waits for the owner's acknowledgement; refunding: the
 * refund is under way (claimed, money being sent back); refunded: released in full.
 */
export type DepositStatus = 'requested' | 'held' | 'awaiting-ack' | 'refunding' | 'refunded';

export const DEPOSIT_STATUS_LABELS: Record<DepositStatus, string> = {
  requested: '待缴纳',
  held: '在押',
  'awaiting-ack': '待业主确认扣款',
  refunding: '退还中',
  refunded: '已退还',
};

/** Statuses in which the company holds the deposit's money (a liability, never income). */
export const HELD_DEPOSIT_STATUSES: readonly DepositStatus[] = [
  'held',
  'awaiting-ack',
  'refunding',
];

/** The title a charge's bill and its receipt carry. */
export function chargeTitle(reason: ChargeReason, otherText?: string): string {
  return reason === 'other' ? `其他：${otherText ?? ''}` : CHARGE_REASON_LABELS[reason];
}

export function needsApproval(amountFen: number, thresholdFen: number): boolean {
  return amountFen > thresholdFen;
}

export interface Deduction {
  reason: string;
  amountFen: number;
}

export interface RefundPlan {
  refundFen: number;
  deductedFen: number;
}

/**
 * What goes back to the owner of a held deposit after the deductions: never negative. Null when
 * the deductions add up to more than is held.
 */
export function refundPlan(heldFen: number, deductions: readonly Deduction[]): RefundPlan | null {
  const deductedFen = deductions.reduce((s, d) => s + d.amountFen, 0);
  if (deductedFen > heldFen) return null;
  return { refundFen: heldFen - deductedFen, deductedFen };
}
