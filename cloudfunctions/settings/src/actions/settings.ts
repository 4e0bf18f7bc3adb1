/**
 * A community's deployment settings: read them, and change them (admin; templates checked against
 * WeChat's keyword rules; audited).
 */
import { getDoc } from '../../../_shared/records';
import { validateTemplate } from '../../../../miniprogram/domain/notice/subscribe';
import { DEFAULT_SETTINGS } from '../../../../miniprogram/domain/settings/defaults';
import { audit, auditTarget } from '../../../_shared/audit';
import { requireRole } from '../../../_shared/roles';
import { AppError, type ActionContext } from '../../../_shared/router';
import type {
  DeploymentSettings,
  TemplatePurpose,
  TemplateSetting,
} from '../../../../miniprogram/domain/settings/contract';
import { type settingsContracts } from '../../../../miniprogram/domain/settings/contract';
import type { Handlers } from '../../../_shared/router';

export interface CommunityDoc {
  _id: string;
  name: string;
  payment?: { subMchId?: string };
  templates?: Partial<Record<TemplatePurpose, TemplateSetting>>;
  refundApprovalFen?: number;
  chargeApprovalFen?: number;
  quietHours?: { from: string; to: string };
  bindingReview?: 'auto' | 'staff';
  backupKeepDays?: number;
  readingWindowDays?: number;
  smsDailyCap?: number;
  smsSignature?: string;
  noticeLeadDays?: number;
}

export async function load(ctx: ActionContext, communityId: string): Promise<CommunityDoc> {
  return getDoc<CommunityDoc>(ctx, 'communities', communityId, 'communityId: 小区不存在');
}

export function view(c: CommunityDoc): DeploymentSettings {
  return {
    communityId: c._id,
    communityName: c.name,
    subMchId: c.payment?.subMchId ?? '',
    templates: c.templates ?? {},
    refundApprovalFen: c.refundApprovalFen ?? DEFAULT_SETTINGS.refundApprovalFen,
    chargeApprovalFen: c.chargeApprovalFen ?? DEFAULT_SETTINGS.chargeApprovalFen,
    quietHours: c.quietHours ?? DEFAULT_SETTINGS.quietHours,
    bindingReview: c.bindingReview ?? DEFAULT_SETTINGS.bindingReview,
    backupKeepDays: c.backupKeepDays ?? DEFAULT_SETTINGS.backupKeepDays,
    readingWindowDays: c.readingWindowDays ?? DEFAULT_SETTINGS.readingWindowDays,
    smsDailyCap: c.smsDailyCap ?? DEFAULT_SETTINGS.smsDailyCap,
    smsSignature: c.smsSignature ?? DEFAULT_SETTINGS.smsSignature,
    noticeLeadDays: c.noticeLeadDays ?? DEFAULT_SETTINGS.noticeLeadDays,
  };
}

export function pick(v: DeploymentSettings, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(
    keys
      .filter((k) => k !== 'communityId' && k in v)
      .map((k) => [k, v[k as keyof DeploymentSettings]]),
  );
}

/** Settings stored under their own name on the community document. */
const PLAIN_SETTINGS = [
  'refundApprovalFen',
  'chargeApprovalFen',
  'quietHours',
  'bindingReview',
  'backupKeepDays',
  'readingWindowDays',
  'smsDailyCap',
  'smsSignature',
  'noticeLeadDays',
] as const;

export const get: Handlers<typeof settingsContracts>['get'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ['admin']);
  return view(await load(ctx, input.communityId));
};

export const update: Handlers<typeof settingsContracts>['update'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['admin']);
  const before = await load(ctx, input.communityId);
  const problems: string[] = [];
  for (const [purpose, tmpl] of Object.entries(input.templates ?? {})) {
    if (tmpl) problems.push(...validateTemplate(tmpl).map((p) => `templates.${purpose}.${p}`));
  }
  if (input.quietHours && input.quietHours.from === input.quietHours.to) {
    problems.push('quietHours: 开始与结束时间不能相同');
  }
  if (problems.length) throw new AppError('INVALID_INPUT', problems.join('; '));
  const change: Record<string, unknown> = {};
  if (input.subMchId !== undefined) change['payment.subMchId'] = input.subMchId;
  if (input.templates !== undefined)
    change.templates = { ...(before.templates ?? {}), ...input.templates };
  for (const key of PLAIN_SETTINGS) if (input[key] !== undefined) change[key] = input[key];
  if (Object.keys(change).length === 0) return view(before);
  const _ = ctx.db.command;
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(change))
    data[k] = typeof v === 'object' && v !== null ? _.set(v) : v;
  await ctx.db.collection('communities').doc(input.communityId).update({ data });
  const after = await load(ctx, input.communityId);
  await audit(ctx, caller, {
    ...auditTarget('community', input.communityId, input.communityId, before.name),
    action: 'settings.update',
    summary: `修改部署设置：${Object.keys(change).join('、')}`,
    before: pick(view(before), Object.keys(input)),
    after: pick(view(after), Object.keys(input)),
  });
  return view(after);
};
