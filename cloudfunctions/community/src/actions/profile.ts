/**
 * The community's profile (name, address, phone, hours, front desk, payment methods): read by any
 * staff member, changed by an admin (audited).
 */
import { audit } from '../../../_shared/audit';
import { getCommunity } from '../../../_shared/records';
import { ANY_STAFF, requireRole } from '../../../_shared/roles';
import { communityInfo } from '../repo/views';
import type { CommunityInfo } from '../../../../miniprogram/domain/community/contract';
import type { Handlers } from '../../../_shared/router';
import type { communityContracts } from '../../../../miniprogram/domain/community/contract';

export const getSettings: Handlers<typeof communityContracts>['get'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  return communityInfo(await getCommunity(ctx, input.communityId));
};

export const updateSettings: Handlers<typeof communityContracts>['update'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['admin']);
  const before = communityInfo(await getCommunity(ctx, input.communityId));
  const { communityId, ...patch } = input;
  const changed: Record<string, unknown> = {};
  const was: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) {
    const old = (before as unknown as Record<string, unknown>)[k];
    if (JSON.stringify(old) !== JSON.stringify(v)) {
      changed[k] = v;
      was[k] = old;
    }
  }
  if (Object.keys(changed).length === 0) return before;
  await ctx.db
    .collection('communities')
    .doc(communityId)
    .update({ data: { ...changed, updatedAt: ctx.now() } });
  await audit(ctx, caller, {
    communityId,
    action: 'community.update',
    targetType: 'community',
    targetId: communityId,
    targetLabel: before.name,
    summary: `修改小区设置：${Object.keys(changed).join('、')}`,
    before: was,
    after: changed,
  });
  return { ...before, ...(changed as Partial<CommunityInfo>) };
};
