/**
 * Staff grants of a community (`staff_roles`), how they are shown, and the attempt limit on
 * codes (bootstrap and invites).
 */
import { HOUR_MS } from '../../../_shared/ratelimit';
import { iso } from '../../../_shared/records';
import { staffRoleId, type StaffRoleDoc } from '../../../_shared/roles';
import { type ActionContext } from '../../../_shared/router';
import { STAFF_ROLES, type StaffRole } from '../../../../miniprogram/domain/community/vocabulary';
import type { StaffMember } from '../../../../miniprogram/domain/staff/contract';

export const ROLE_LABELS: Record<StaffRole, string> = {
  admin: '管理员',
  cashier: '收费员',
  service: '客服',
  finance: '财务',
};

export function member(doc: StaffRoleDoc): StaffMember {
  return {
    openid: doc.openid,
    name: doc.name ?? '',
    roles: STAFF_ROLES.filter((r) => doc.roles.includes(r)),
    active: !doc.revokedAt && doc.roles.length > 0,
    grantedBy: doc.grantedBy ?? null,
    grantedAt: iso(doc.grantedAt ?? null),
    revokedAt: iso(doc.revokedAt ?? null),
  };
}

export function rolesText(roles: readonly StaffRole[]): string {
  return roles.map((r) => ROLE_LABELS[r]).join('、') || '无';
}

export async function grants(ctx: ActionContext, communityId: string): Promise<StaffRoleDoc[]> {
  const res = await ctx.db.collection('staff_roles').where({ communityId }).limit(1000).get();
  return res.data as StaffRoleDoc[];
}

export function activeAdmins(list: StaffRoleDoc[]): StaffRoleDoc[] {
  return list.filter((g) => !g.revokedAt && g.roles.includes('admin'));
}

export async function getGrant(ctx: ActionContext, communityId: string, openid: string) {
  const res = await ctx.db
    .collection('staff_roles')
    .where({ _id: staffRoleId(communityId, openid) })
    .limit(1)
    .get();
  return (res.data[0] as StaffRoleDoc | undefined) ?? null;
}

export const ATTEMPTS = { max: 5, windowMs: HOUR_MS };
