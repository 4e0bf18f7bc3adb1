/**
 * Which community a staff page works in. Staff of several communities choose one on 工作台 (kept
 * in storage); a page uses that community when the caller holds one of the roles the page needs
 * there (admin implies every role, as the functions check it), otherwise the first community
 * where they do. Null: not allowed anywhere.
 */
import { whoami } from '../services/session';
import type { CommunityRoles, WhoAmI } from '../domain/account/contract';
import type { StaffRole } from '../domain/community/vocabulary';

export interface StaffScope {
  communityId: string;
  communityName: string;
  roles: StaffRole[];
  isAdmin: boolean;
  openid: string;
  /** Every community where the caller is staff (工作台 lists them; cross-community queues read them). */
  grants: CommunityRoles[];
}

const CURRENT_KEY = 'admin.communityId';

/** The community chosen on 工作台, or '' when none was chosen. */
export function chosenCommunity(): string {
  try {
    const v: unknown = wx.getStorageSync(CURRENT_KEY);
    return typeof v === 'string' ? v : '';
  } catch {
    return '';
  }
}

export function chooseCommunity(communityId: string): void {
  wx.setStorageSync(CURRENT_KEY, communityId);
}

/** The grant 工作台 shows: the chosen community if still granted, else the first. */
export function currentGrant(me: WhoAmI): CommunityRoles | null {
  const chosen = chosenCommunity();
  return me.staffOf.find((s) => s.communityId === chosen) ?? me.staffOf[0] ?? null;
}

export function scopeOf(me: WhoAmI, allowed: readonly StaffRole[]): StaffScope | null {
  const fits = (s: CommunityRoles) => s.roles.some((r) => r === 'admin' || allowed.includes(r));
  const chosen = chosenCommunity();
  const grant =
    me.staffOf.find((s) => s.communityId === chosen && fits(s)) ?? me.staffOf.find(fits);
  if (!grant) return null;
  return {
    communityId: grant.communityId,
    communityName: grant.communityName ?? '',
    roles: grant.roles,
    isAdmin: grant.roles.includes('admin'),
    openid: me.openid,
    grants: me.staffOf,
  };
}

/** Asks the server afresh: roles may have changed since the app started. */
export async function staffScope(allowed: readonly StaffRole[]): Promise<StaffScope | null> {
  return scopeOf(await whoami({ refresh: true }), allowed);
}
