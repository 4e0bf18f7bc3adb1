/**
 * Who the caller is: the OPENID and the staff roles granted to it, per community.
 */
import { STAFF_ROLES } from '../../../../miniprogram/domain/community/vocabulary';
import type { accountContracts } from '../../../../miniprogram/domain/account/contract';
import type { StaffRoleDoc } from '../../../_shared/roles';
import { requireOpenid, type Handlers } from '../../../_shared/router';

export const whoami: Handlers<typeof accountContracts>['whoami'] = async (_input, ctx) => {
  const openid = requireOpenid(ctx);
  const res = await ctx.db.collection('staff_roles').where({ openid }).limit(100).get();
  const grants = (res.data as StaffRoleDoc[]).filter((g) => !g.revokedAt && g.roles.length > 0);
  const names = new Map<string, string>();
  if (grants.length > 0) {
    const _ = ctx.db.command;
    const cs = await ctx.db
      .collection('communities')
      .where({ _id: _.in(grants.map((g) => g.communityId)) })
      .field({ name: true })
      .limit(100)
      .get();
    for (const c of cs.data as { _id: string; name?: string }[])
      if (c.name) names.set(c._id, c.name);
  }
  const staffOf = grants.map((g) => ({
    communityId: g.communityId,
    ...(names.has(g.communityId) ? { communityName: names.get(g.communityId)! } : {}),
    roles: STAFF_ROLES.filter((r) => g.roles.includes(r)),
  }));
  const roles = STAFF_ROLES.filter((r) => staffOf.some((s) => s.roles.includes(r)));
  return { openid, appid: ctx.appid, roles, staffOf, isStaff: roles.length > 0 };
};
