import { z } from 'zod';
import { contract, communityId, type Page } from '../kernel/contract';
import { STAFF_ROLES, type StaffRole } from '../community/vocabulary';
import { docId, isoDate, openidField, pageCursor, pageLimit } from '../kernel/contract';
import { inviteCode } from '../kernel/contract';

const staffRole = z.enum(STAFF_ROLES);

export interface StaffMember {
  openid: string;
  name: string;
  roles: StaffRole[];
  active: boolean;
  grantedBy: string | null;
  grantedAt: string | null;
  revokedAt: string | null;
}

export interface AuditEntryView {
  auditId: string;
  at: string;
  actor: string;
  actorRoles: string[];
  action: string;
  targetType: string;
  targetId: string;
  targetLabel: string;
  summary: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export const staffContracts = {
  /**
   * First admin of a community (creating it when new): needs the deployment's bootstrap code and
   * works only while the community has no admin. See docs/community.md.
   */
  bootstrap: contract<{ communityId: string; communityName: string; roles: StaffRole[] }>()(
    z
      .object({
        code: z.string().min(12).max(128),
        communityId,
        communityName: z.string().trim().min(1).max(50).optional(),
      })
      .strict(),
  ),
  /** Admin: everyone with a role in the community. */
  list: contract<{ members: StaffMember[] }>()(
    z.object({ communityId, includeRevoked: z.boolean().default(false) }).strict(),
  ),
  /** Admin: a one-time code (72 h) a new colleague redeems to get the roles. */
  invite: contract<{ code: string; expiresAt: string; roles: StaffRole[] }>()(
    z
      .object({
        communityId,
        roles: z.array(staffRole).min(1).max(4),
        name: z.string().trim().min(1).max(20),
      })
      .strict(),
  ),
  /** Anyone: redeem a staff invite code. */
  acceptInvite: contract<{ communityId: string; communityName: string; roles: StaffRole[] }>()(
    z.object({ code: inviteCode }).strict(),
  ),
  /** Admin: set someone's roles (replaces them). The last admin cannot drop admin. */
  grant: contract<StaffMember>()(
    z
      .object({
        communityId,
        openid: openidField,
        roles: z.array(staffRole).min(1).max(4),
        name: z.string().trim().min(1).max(20).optional(),
      })
      .strict(),
  ),
  /** Admin: revoke every role of someone. The last admin cannot be revoked. */
  revoke: contract<StaffMember>()(
    z
      .object({ communityId, openid: openidField, reason: z.string().trim().max(100).optional() })
      .strict(),
  ),
  /** Admin: search the append-only audit log, newest first. */
  auditLog: contract<Page<AuditEntryView>>()(
    z
      .object({
        communityId,
        /**
         * An audited action ("binding.approve") or its family ("binding"). Not `action`: that
         * key names the function's action in every event.
         */
        operation: z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)?$/, '如 binding 或 binding.approve')
          .optional(),
        actor: openidField.optional(),
        targetId: docId.optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        limit: pageLimit,
        cursor: pageCursor,
      })
      .strict(),
  ),
};
