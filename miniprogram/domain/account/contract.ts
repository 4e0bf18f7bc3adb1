import { contract, z } from '../kernel/contract';
import type { StaffRole } from '../community/vocabulary';

/** Staff roles granted to the caller in one community. */
export interface CommunityRoles {
  communityId: string;
  /** The community's name, for the 工作台 switcher (absent if the community record is missing). */
  communityName?: string;
  roles: StaffRole[];
}

export interface WhoAmI {
  openid: string;
  appid: string;
  /** Every role the caller holds in any community, de-duplicated. */
  roles: StaffRole[];
  /** Roles per community: staff roles are granted per community. */
  staffOf: CommunityRoles[];
  isStaff: boolean;
}

export const accountContracts = {
  whoami: contract<WhoAmI>()(z.strictObject({}), { idempotent: true }),
};
