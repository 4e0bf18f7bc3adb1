/** Who the caller is (openid, staff roles), asked once per launch and shared by every page. */
import { callQuiet } from './cloud';
import type { StaffRole } from '../domain/community/vocabulary';
import type { WhoAmI } from '../domain/account/contract';

let pending: Promise<WhoAmI> | null = null;

export function whoami(options: { refresh?: boolean } = {}): Promise<WhoAmI> {
  if (!pending || options.refresh) {
    pending = callQuiet('account', 'whoami', {}).catch((err: unknown) => {
      pending = null; // a failure is not cached: the next caller asks again
      throw err;
    });
  }
  return pending;
}

/** Staff or not, treating any failure as "not staff" (the 管理 tab simply stays hidden). */
export async function isStaff(): Promise<boolean> {
  try {
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
}
