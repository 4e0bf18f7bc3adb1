/**
 * Staff roles, granted per community in `staff_roles` (`_id` `<communityId>:<openid>`). Every
 * admin action calls `requireRole` with the community it acts on; the caller is always the
 * OPENID from the WeChat context. `admin` implies every other role.
 */
import { AppError, requireOpenid, type ActionContext } from './router';
import { STAFF_ROLES, type StaffRole } from '../../miniprogram/domain/community/vocabulary';

export interface StaffRoleDoc {
  _id: string;
  communityId: string;
  openid: string;
  roles: StaffRole[];
  /** How colleagues see this person in lists and the audit log. */
  name?: string;
  grantedBy?: string;
  grantedAt?: Date;
  revokedAt?: Date | null;
  revokedBy?: string;
}

/** The caller of a staff action, as the audit log records them. */
export interface StaffCaller {
  openid: string;
  communityId: string;
  roles: StaffRole[];
  name: string;
}

export function staffRoleId(communityId: string, openid: string): string {
  return `${communityId}:${openid}`;
}

/** Active roles of `openid` in `communityId` (empty when none or revoked). */
export async function rolesIn(
  ctx: ActionContext,
  communityId: string,
  openid: string,
): Promise<{ roles: StaffRole[]; doc: StaffRoleDoc | null }> {
  const res = await ctx.db
    .collection('staff_roles')
    .where({ _id: staffRoleId(communityId, openid) })
    .limit(1)
    .get();
  const doc = (res.data[0] as StaffRoleDoc | undefined) ?? null;
  if (!doc || doc.revokedAt || doc.communityId !== communityId || doc.openid !== openid) {
    return { roles: [], doc };
  }
  return { roles: STAFF_ROLES.filter((r) => doc.roles.includes(r)), doc };
}

/** True when `held` satisfies any of `needed` (admin satisfies everything). */
export function hasRole(held: readonly StaffRole[], needed: readonly StaffRole[]): boolean {
  return held.includes('admin') || needed.some((r) => held.includes(r));
}

/**
 * Requires the caller to hold one of `roles` in `communityId` (admin always qualifies);
 * otherwise FORBIDDEN, with nothing read or written on the caller's behalf.
 */
export async function requireRole(
  ctx: ActionContext,
  communityId: string,
  roles: readonly StaffRole[],
): Promise<StaffCaller> {
  const openid = requireOpenid(ctx);
  const { roles: held, doc } = await rolesIn(ctx, communityId, openid);
  if (!hasRole(held, roles)) {
    throw new AppError('FORBIDDEN', '您在该小区没有此操作的权限，请联系管理员授权');
  }
  return { openid, communityId, roles: held, name: doc?.name ?? '' };
}

/** Any staff role of the community. */
export const ANY_STAFF: readonly StaffRole[] = STAFF_ROLES;
