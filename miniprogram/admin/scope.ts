/**
 * Which community a staff page works in: the first one where the caller holds one of the roles
 * the page needs (admin implies every role, as the functions check it). Null: not allowed.
 */
import type { StaffRole, WhoAmI } from '../domain/types/api';
import { whoami } from '../services/session';

export interface StaffScope {
  communityId: string;
  roles: StaffRole[];
  isAdmin: boolean;
  openid: string;
}

export function scopeOf(me: WhoAmI, allowed: readonly StaffRole[]): StaffScope | null {
  const grant = me.staffOf.find((s) => s.roles.some((r) => r === 'admin' || allowed.includes(r)));
  if (!grant) return null;
  return {
    communityId: grant.communityId,
    roles: grant.roles,
    isAdmin: grant.roles.includes('admin'),
    openid: me.openid,
  };
}

/** Asks the server afresh: roles may have changed since the app started. */
export async function staffScope(allowed: readonly StaffRole[]): Promise<StaffScope | null> {
  return scopeOf(await whoami({ refresh: true }), allowed);
}
