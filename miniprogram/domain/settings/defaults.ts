/**
 * Operating settings every deployment starts with (the setup step writes them once; staff change
 * them later per community): the overdue escalation policy (先礼后兵、分级递进、人文关怀),
 * complaint deadlines, the quiet hours for reminders, how long backups are kept and the owners'
 * meter-reading window.
 */
import { DEFAULT_CHARGE_APPROVAL_FEN } from '../charge/rules';

export interface EscalationStage {
  /** Days past the due date (after any grace) when the stage starts. */
  day: number;
  stage: 'friendly-reminder' | 'second-reminder' | 'formal-notice' | 'home-visit';
  label: string;
}

export interface ComplaintDeadline {
  category: 'fee-dispute' | 'service' | 'repair' | 'security' | 'cleaning' | 'noise' | 'other';
  firstResponseWorkingHours: number;
  resolutionDays: number;
}

export interface DefaultSettings {
  escalation: EscalationStage[];
  complaintDeadlines: ComplaintDeadline[];
  /** Reminders are not sent between these local times (UTC+8), e.g. 21:00–08:00. */
  quietHours: { from: string; to: string };
  /** Refunds above this amount need an admin's approval. */
  refundApprovalFen: number;
  /** One-off charges (临时收费) above this amount need finance or an admin other than the raiser. */
  chargeApprovalFen: number;
  /** New bindings: verified at once on a match, or held for staff review. */
  bindingReview: 'auto' | 'staff';
  /**
   * Daily backups (the `backup` function) are kept this many days. Backups cover the whole
   * environment, so the longest any community asks for applies (docs/backup.md).
   */
  backupKeepDays: number;
  /**
   * Owners submit their own meter readings (with a photo) in the last this-many days of each
   * month, for that month's usage; 0 turns owner readings off (docs/billing.md).
   */
  readingWindowDays: number;
  /**
   * SMS through CloudBase (paid resource package): at most this many a day for the whole
   * environment; 0 leaves SMS off (docs/overdue.md, "Reaching every owner").
   */
  smsDailyCap: number;
  /** The SMS signature: the mini-program's name as registered (WeChat adds it, 【…】). */
  smsSignature: string;
  /** A payment notice is published at least this many days before its deadline. */
  noticeLeadDays: number;
}

export const DEFAULT_SETTINGS: DefaultSettings = {
  escalation: [
    { day: 1, stage: 'friendly-reminder', label: '温馨提示（订阅消息）' },
    { day: 15, stage: 'second-reminder', label: '再次提醒' },
    { day: 30, stage: 'formal-notice', label: '书面催缴函' },
    { day: 60, stage: 'home-visit', label: '上门拜访' },
  ],
  complaintDeadlines: [
    { category: 'fee-dispute', firstResponseWorkingHours: 2, resolutionDays: 5 },
    ...(['service', 'repair', 'security', 'cleaning', 'noise', 'other'] as const).map(
      (category) => ({
        category,
        firstResponseWorkingHours: 2,
        resolutionDays: 3,
      }),
    ),
  ],
  quietHours: { from: '21:00', to: '08:00' },
  refundApprovalFen: 100_000,
  chargeApprovalFen: DEFAULT_CHARGE_APPROVAL_FEN,
  bindingReview: 'auto',
  backupKeepDays: 30,
  readingWindowDays: 7,
  smsDailyCap: 0,
  smsSignature: '物业费收缴',
  noticeLeadDays: 15,
};
