import { z } from 'zod';
import { contract } from '../kernel/contract';
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
  quietHours: { from: string; to: string };
  bindingReview: 'auto' | 'staff';
}

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:mm');
const templateSetting = z
  .object({
    templateId: z.string().trim().min(1).max(64),
    keywords: z
      .array(
        z
          .object({
            key: z.string().regex(/^[a-z_]+\d+$/, '关键词名如 thing1、amount2'),
            type: z.enum(KEYWORD_TYPES),
          })
          .strict(),
      )
      .min(1)
      .max(5),
  })
  .strict();

export const settingsContracts = {
  /** Admin: the deployment settings of one community. */
  get: contract<DeploymentSettings>()(
    z.object({ communityId: z.string().min(1).max(64) }).strict(),
  ),
  /** Admin: change them (each field optional); templates are checked against WeChat's rules. */
  update: contract<DeploymentSettings>()(
    z
      .object({
        communityId: z.string().min(1).max(64),
        subMchId: z
          .string()
          .regex(/^\d{8,12}$/, '特约商户号为 8–12 位数字')
          .optional(),
        templates: z.partialRecord(z.enum(TEMPLATE_PURPOSES), templateSetting).optional(),
        refundApprovalFen: z.number().int().min(0).max(100_000_000).optional(),
        quietHours: z.object({ from: hhmm, to: hhmm }).strict().optional(),
        bindingReview: z.enum(['auto', 'staff']).optional(),
      })
      .strict(),
  ),
};
