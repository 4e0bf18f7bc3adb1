import { codesOf } from '../kernel/codes';
/**
 * The overdue vocabulary pages need (reasons for non-payment, contact channels, an even split of
 * installments), without big.js: the mini-program's pages import this, the functions import
 * `overdue.ts`, which re-exports it.
 */

// ---------------------------------------------------------------- reasons

export const NONPAYMENT_REASON_LABELS = {
  service: '对服务不满意',
  hardship: '经济困难',
  misunderstanding: '对收费有误解',
  unreachable: '不在家/联系不上',
  dispute: '有争议',
  other: '其他',
};
export type NonpaymentReason = keyof typeof NONPAYMENT_REASON_LABELS;
export const NONPAYMENT_REASONS = codesOf(NONPAYMENT_REASON_LABELS);

export const CONTACT_CHANNEL_LABELS = {
  call: '电话',
  visit: '上门',
  letter: '书面函件',
  wechat: '微信',
  'front-desk': '前台面谈',
};
export type ContactChannel = keyof typeof CONTACT_CHANNEL_LABELS;
export const CONTACT_CHANNELS = codesOf(CONTACT_CHANNEL_LABELS);

/** Why collection of a room's bills is paused (`bill_holds.reason`). */
export const HOLD_REASON_LABELS: Record<string, string> = {
  complaint: '投诉处理中',
  dispute: '费用争议处理中',
  installment: '分期缴纳中',
  promise: '业主承诺缴费',
};

export const PLAN_STATUSES = [
  'proposed',
  'approved',
  'rejected',
  'active',
  'completed',
  'lapsed',
] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const PLAN_STATUS_LABELS: Record<PlanStatus, string> = {
  proposed: '待审批',
  approved: '待业主确认',
  rejected: '未通过',
  active: '执行中',
  completed: '已完成',
  lapsed: '已中止（逾期未缴）',
};

/** Same day of month `k` months later, clamped to the month's last day. */
export function addMonths(date: string, k: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const idx = y * 12 + (m - 1) + k;
  const year = Math.floor(idx / 12);
  const month = (idx % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * Arrears in `n` equal installments a month apart, summing exactly: the fen left over go one each
 * to the earliest installments (the same result as `allocate` with equal weights).
 */
export function evenInstallments(
  arrearsFen: number,
  n: number,
  firstDue: string,
): { dueDate: string; amountFen: number }[] {
  if (!Number.isSafeInteger(arrearsFen) || arrearsFen < 0) throw new RangeError('arrearsFen');
  if (!Number.isInteger(n) || n < 2 || n > 24) throw new RangeError('n must be 2–24');
  const base = Math.floor(arrearsFen / n);
  const extra = arrearsFen - base * n;
  return Array.from({ length: n }, (_, i) => ({
    dueDate: addMonths(firstDue, i),
    amountFen: base + (i < extra ? 1 : 0),
  }));
}
