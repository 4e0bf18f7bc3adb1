/** 认证审核 view models: bindings as staff see them (applicant masked), and the quick reasons. */
import { bindingReason } from '../../domain/binding/contract';
import { check } from '../../domain/kernel/check';
import { type BindingStatus } from '../../domain/community/vocabulary';
import { bindingStatusView } from '../../utils/binding-view';
import type { TagType } from '../../utils/bill-view';
import type { StaffBindingView } from '../../domain/community/contract';
import { formatDateTime } from '../../domain/kernel/time';

export const STATUS_TABS: { value: BindingStatus; label: string }[] = [
  { value: 'pending-review', label: '待审核' },
  { value: 'verified', label: '已认证' },
  { value: 'rejected', label: '未通过' },
  { value: 'revoked', label: '已解绑' },
];

const METHOD_TEXT: Record<string, string> = {
  mobile: '姓名与手机号核对一致',
  last4: '姓名与手机号后 4 位核对一致',
  invite: '业主邀请绑定',
  staff: '物业代为办理',
  seed: '物业登记',
};

export const REJECT_REASONS = [
  '信息与登记不符',
  '非本房屋业主',
  '房屋已过户',
  '请到物业服务中心核验',
];
export const UNBIND_REASONS = ['房屋已过户', '业主申请解绑', '租约已到期', '绑定信息有误'];

export interface ReviewItem {
  bindingId: string;
  roomLabel: string;
  relationText: string;
  status: BindingStatus;
  statusText: string;
  tagType: TagType;
  applicantText: string;
  methodText: string;
  requestedText: string;
  decidedText: string;
  reasonText: string;
  canReview: boolean;
  canUnbind: boolean;
}

export function toReviewItem(b: StaffBindingView): ReviewItem {
  return {
    bindingId: b.bindingId,
    roomLabel: b.roomLabel,
    ...bindingStatusView(b),
    applicantText: b.applicantName || '（未填写）',
    methodText: METHOD_TEXT[b.method] ?? '其他方式',
    requestedText: b.requestedAt ? formatDateTime(b.requestedAt) : '',
    decidedText: b.decidedAt ? formatDateTime(b.decidedAt) : '',
    reasonText: b.reason ?? '',
    canReview: b.status === 'pending-review',
    canUnbind: b.status === 'verified',
  };
}

/** A reason binding.review / binding.unbind accept (their rule, 2–100 characters): '' or why not. */
export function checkReason(text: string): string {
  const checked = check({ input: bindingReason }, String(text ?? ''));
  return checked.ok ? '' : (checked.errors[0]?.message ?? '');
}
