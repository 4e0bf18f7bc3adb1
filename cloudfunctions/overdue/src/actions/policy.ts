/**
 * The community's overdue policy: escalation stages, grace days and quiet hours (admin sets it).
 */
import { validateStages } from '../../../../miniprogram/domain/overdue/rules';
import {
  type overdueContracts,
  type OverduePolicy,
} from '../../../../miniprogram/domain/overdue/contract';
import { audit, auditTarget } from '../../../_shared/audit';
import { escalationOf, quietHoursOf, type CommunitySettingsDoc } from '../../../_shared/remind';
import { ANY_STAFF, requireRole } from '../../../_shared/roles';
import { AppError } from '../../../_shared/router';
import type { Handlers } from '../../../_shared/router';
import { community } from '../repo/cases';

export function policyView(c: CommunitySettingsDoc): OverduePolicy {
  return {
    communityId: c._id,
    escalation: escalationOf(c),
    overdueGraceDays: c.overdueGraceDays ?? 0,
    installmentGraceDays: c.installmentGraceDays ?? 7,
    quietHours: quietHoursOf(c),
  };
}

export const policy: Handlers<typeof overdueContracts>['policy'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  return policyView(await community(ctx, input.communityId));
};

export const setPolicy: Handlers<typeof overdueContracts>['setPolicy'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['admin']);
  const before = await community(ctx, input.communityId);
  if (input.escalation) {
    const problems = validateStages(input.escalation);
    if (problems.length) throw new AppError('INVALID_INPUT', problems.join('; '));
  }
  const _ = ctx.db.command;
  const data: Record<string, unknown> = {};
  if (input.escalation) data.escalation = _.set(input.escalation);
  if (input.overdueGraceDays !== undefined) data.overdueGraceDays = input.overdueGraceDays;
  if (input.installmentGraceDays !== undefined)
    data.installmentGraceDays = input.installmentGraceDays;
  if (Object.keys(data).length === 0) return policyView(before);
  await ctx.db.collection('communities').doc(before._id).update({ data });
  const after = await community(ctx, input.communityId);
  await audit(ctx, caller, {
    ...auditTarget('community', before._id, before._id, before.name),
    action: 'overdue.policy',
    summary: `修改催缴策略：${Object.keys(data).join('、')}`,
    before: { ...policyView(before) },
    after: { ...policyView(after) },
  });
  return policyView(after);
};
