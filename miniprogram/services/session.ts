/** Who the caller is (openid, staff roles), asked once per launch and shared by every page. */
import { callQuiet } from './cloud';
import type { StaffRole } from '../domain/community/vocabulary';
import type { WhoAmI } from '../domain/account/contract';

let pending: Promise<WhoAmI> | null = null;
/** Roles `owner.home` answered with (it carries them so the first screen costs one call). */
let homeRoles: Promise<readonly StaffRole[]> | null = null;

export function whoami(options: { refresh?: boolean } = {}): Promise<WhoAmI> {
  if (!pending || options.refresh) {
    pending = callQuiet('account', 'whoami', {}).catch((err: unknown) => {
      pending = null; // a failure is not cached: the next caller asks again
      throw err;
    });
  }
  return pending;
}

/**
 * The home page hands over its `owner.home` call here (`data.me.roles`): until the app is
 * relaunched, "staff or not" comes from it instead of a separate `account.whoami`.
 */
export function rolesFromHome(roles: Promise<{ roles: readonly StaffRole[] }>): void {
  const mine = roles.then((me) => me.roles);
  homeRoles = mine;
  mine.catch(() => {
    if (homeRoles === mine) homeRoles = null; // a failed home falls back to whoami
  });
}

/** Tab pages whose own owner.home call answers the roles (首页, 我的). */
const HOME_CALLERS = ['pages/home/index', 'pages/me/index'];

/** The page a tab bar is drawn on calls owner.home, whose answer will carry the roles. */
function onHomePage(): boolean {
  if (typeof getCurrentPages !== 'function') return false;
  const pages = getCurrentPages();
  return HOME_CALLERS.includes(pages[pages.length - 1]?.route ?? '');
}

/** Staff or not, treating any failure as "not staff" (the 管理 tab simply stays hidden). */
export async function isStaff(): Promise<boolean> {
  try {
    // the tab bar may attach just before the home page starts its call: let it start
    if (!homeRoles && onHomePage()) await new Promise((r) => setTimeout(r, 0));
    if (homeRoles) return (await homeRoles).length > 0;
    return (await whoami()).isStaff;
  } catch {
    return false;
  }
}

export function hasRole(me: WhoAmI, role: StaffRole): boolean {
  return me.roles.includes(role);
}

/** For tests and for a user switch in the preview. */
export function resetSession(): void {
  pending = null;
  homeRoles = null;
}
