/**
 * Admins list the community's staff, change a colleague's roles and revoke them (never the last
 * admin).
 */
import { audit, auditTarget } from '../../../_shared/audit';
import { getCommunity } from '../../../_shared/records';
import { requireRole, staffRoleId, type StaffRoleDoc } from '../../../_shared/roles';
import { AppError } from '../../../_shared/router';
import { STAFF_ROLES } from '../../../../miniprogram/domain/community/vocabulary';
import { type staffContracts } from '../../../../miniprogram/domain/staff/contract';
import type { Handlers } from '../../../_shared/router';
import { activeAdmins, getGrant, grants, member, rolesText } from '../repo/grants';

export const list: Handlers<typeof staffContracts>['list'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ['admin']);
  const list = (await grants(ctx, input.communityId))
    .map(member)
    .filter((m) => input.includeRevoked || m.active)
    .sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, 'zh'));
  return { members: list };
};

export const grant: Handlers<typeof staffContracts>['grant'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['admin']);
  await getCommunity(ctx, input.communityId);
  const all = await grants(ctx, input.communityId);
  const prev = all.find((g) => g.openid === input.openid) ?? null;
  const roles = STAFF_ROLES.filter((r) => input.roles.includes(r));
  const admins = activeAdmins(all);
  if (!roles.includes('admin') && admins.length === 1 && admins[0]!.openid === input.openid) {
    throw new AppError('PRECONDITION_FAILED', '至少要保留一名管理员：请先授权另一位管理员');
  }
  const now = ctx.now();
  const doc: Omit<StaffRoleDoc, '_id'> = {
    communityId: input.communityId,
    openid: input.openid,
    roles,
    name: input.name ?? prev?.name ?? '',
    grantedBy: caller.openid,
    grantedAt: now,
    revokedAt: null,
  };
  await ctx.db
    .collection('staff_roles')
    .doc(staffRoleId(input.communityId, input.openid))
    .set({ data: doc });
  const before = prev && !prev.revokedAt ? prev.roles : [];
  await audit(ctx, caller, {
    ...auditTarget('staff', input.communityId, input.openid, doc.name ?? ''),
    action: 'staff.grant',
    summary: `设置 ${doc.name || input.openid} 的角色：${rolesText(before)} → ${rolesText(roles)}`,
    before: { roles: before },
    after: { roles },
  });
  return member({ _id: staffRoleId(input.communityId, input.openid), ...doc });
};

export const revoke: Handlers<typeof staffContracts>['revoke'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['admin']);
  const prev = await getGrant(ctx, input.communityId, input.openid);
  if (!prev || prev.revokedAt || prev.roles.length === 0) {
    throw new AppError('NOT_FOUND', '该人员在本小区没有角色');
  }
  const admins = activeAdmins(await grants(ctx, input.communityId));
  if (prev.roles.includes('admin') && admins.length === 1) {
    throw new AppError('PRECONDITION_FAILED', '至少要保留一名管理员：不能撤销最后一位管理员');
  }
  const now = ctx.now();
  await ctx.db
    .collection('staff_roles')
    .doc(prev._id)
    .update({ data: { roles: [], revokedAt: now, revokedBy: caller.openid } });
  await audit(ctx, caller, {
    ...auditTarget('staff', input.communityId, input.openid, prev.name ?? ''),
    action: 'staff.revoke',
    summary: `撤销 ${prev.name || input.openid} 的全部角色（${rolesText(prev.roles)}）${input.reason ? `：${input.reason}` : ''}`,
    before: { roles: prev.roles },
    after: { roles: [], reason: input.reason ?? null },
  });
  return member({ ...prev, roles: [], revokedAt: now });
};
