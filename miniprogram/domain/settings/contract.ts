import { communityId, contract, hhmm, text, z } from '../kernel/contract';
import { KEYWORD_TYPES } from '../notice/subscribe';

// ---------------------------------------------------------------- deployment settings

export const TEMPLATE_PURPOSES = [
  'billReminder',
  'overdueReminder',
  'complaintProgress',
  'paymentResult',
] as const;
export type TemplatePurpose = (typeof TEMPLATE_PURPOSES)[number];

export interface TemplateSetting {
  templateId: string;
  keywords: { key: string; type: (typeof KEYWORD_TYPES)[number] }[];
}

export interface DeploymentSettings {
  communityId: string;
  communityName: string;
  /** WeChat Pay sub-merchant id (特约商户号); empty until cloud payment is authorised. */
  subMchId: string;
  templates: Partial<Record<TemplatePurpose, TemplateSetting>>;
  refundApprovalFen: number;
  /** One-off charges above this need a second person's approval (docs/charges.md). */
  chargeApprovalFen: number;
  quietHours: { from: string; to: string };
  bindingReview: 'auto' | 'staff';
  /** Days daily backups are kept (the longest any community asks for applies). */
  backupKeepDays: number;
  /** Owners' own meter readings: the last this-many days of each month; 0: off. */
  readingWindowDays: number;
  /** SMS a day for the environment (0: off), the signature, and days of notice before a deadline. */
  smsDailyCap: number;
  smsSignature: string;
  noticeLeadDays: number;
}

const templateSetting = z.strictObject({
  templateId: text(64, 1, '请填写模板 ID'),
  keywords: z
    .array(
      z.strictObject({
        key: z
          .string()
          .check(z.regex(/^[a-z_]+\d+$/, '关键词名如 thing1、amount2'), z.maxLength(32)),
        type: z.enum(KEYWORD_TYPES),
      }),
    )
    .check(z.minLength(1, '请至少添加 1 个关键词'), z.maxLength(5)),
});

export const settingsContracts = {
  /** Admin: the deployment settings of one community. */
  get: contract<DeploymentSettings>()(z.strictObject({ communityId }), { idempotent: true }),
  /** Admin: change them (each field optional); templates are checked against WeChat's rules. */
  update: contract<DeploymentSettings>()(
    z.strictObject({
      communityId,
      subMchId: z.optional(
        z.string().check(z.regex(/^\d{8,12}$/, '特约商户号为 8–12 位数字'), z.maxLength(12)),
      ),
      templates: z.optional(z.partialRecord(z.enum(TEMPLATE_PURPOSES), templateSetting)),
      refundApprovalFen: z.optional(z.int().check(z.minimum(0), z.maximum(100_000_000))),
      chargeApprovalFen: z.optional(z.int().check(z.minimum(0), z.maximum(100_000_000))),
      quietHours: z.optional(z.strictObject({ from: hhmm, to: hhmm })),
      bindingReview: z.optional(z.enum(['auto', 'staff'])),
      backupKeepDays: z.optional(
        z
          .int('备份保留天数应为 1–365 的整数')
          .check(
            z.minimum(1, '备份保留天数应为 1–365 的整数'),
            z.maximum(365, '备份保留天数应为 1–365 的整数'),
          ),
      ),
      readingWindowDays: z.optional(
        z
          .int('自助抄表天数应为 0–15 的整数')
          .check(
            z.minimum(0, '自助抄表天数应为 0–15 的整数（0 为关闭）'),
            z.maximum(15, '自助抄表天数应为 0–15 的整数'),
          ),
      ),
      smsDailyCap: z.optional(
        z
          .int('每日短信上限应为 0–100000 的整数')
          .check(
            z.minimum(0, '每日短信上限应为 0–100000 的整数（0 为不发短信）'),
            z.maximum(100_000, '每日短信上限应为 0–100000 的整数'),
          ),
      ),
      smsSignature: z.optional(text(12, 2, '短信签名为小程序名称，2–12 个字')),
      noticeLeadDays: z.optional(
        z
          .int('提前通知天数应为 1–60 的整数')
          .check(
            z.minimum(1, '提前通知天数应为 1–60 的整数'),
            z.maximum(60, '提前通知天数应为 1–60 的整数'),
          ),
      ),
    }),
  ),
};
