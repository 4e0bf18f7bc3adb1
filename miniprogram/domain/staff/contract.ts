import {
  communityId,
  contract,
  date,
  docId,
  freeText,
  inviteCode,
  openidField,
  pageCursor,
  pageLimit,
  text,
  z,
  type Page,
} from '../kernel/contract';
import { STAFF_ROLES, type StaffRole } from '../community/vocabulary';

const staffRoles = z
  .array(z.enum(STAFF_ROLES))
  .check(z.minLength(1, '请至少选择一个角色'), z.maxLength(4));

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
    z.strictObject({
      code: z.string().check(z.minLength(12), z.maxLength(128)),
      communityId,
      communityName: z.optional(text(50)),
    }),
  ),
  /** Admin: everyone with a role in the community. */
  list: contract<{ members: StaffMember[] }>()(
    z.strictObject({ communityId, includeRevoked: z._default(z.boolean(), false) }),
  ),
  /** Admin: a one-time code (72 h) a new colleague redeems to get the roles. */
  invite: contract<{ code: string; expiresAt: string; roles: StaffRole[] }>()(
    z.strictObject({ communityId, roles: staffRoles, name: text(20, 1, '请填写同事的姓名') }),
  ),
  /** Anyone: redeem a staff invite code. */
  acceptInvite: contract<{ communityId: string; communityName: string; roles: StaffRole[] }>()(
    z.strictObject({ code: inviteCode }),
  ),
  /** Admin: set someone's roles (replaces them). The last admin cannot drop admin. */
  grant: contract<StaffMember>()(
    z.strictObject({
      communityId,
      openid: openidField,
      roles: staffRoles,
      name: z.optional(text(20)),
    }),
  ),
  /** Admin: revoke every role of someone. The last admin cannot be revoked. */
  revoke: contract<StaffMember>()(
    z.strictObject({ communityId, openid: openidField, reason: z.optional(freeText(100)) }),
  ),
  /** Admin: search the append-only audit log, newest first. */
  auditLog: contract<Page<AuditEntryView>>()(
    z.strictObject({
      communityId,
      /**
       * An audited action ("binding.approve") or its family ("binding"). Not `action`: that
       * key names the function's action in every event.
       */
      operation: z.optional(
        z
          .string()
          .check(
            z.trim(),
            z.maxLength(64),
            z.regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)?$/, '如 binding 或 binding.approve'),
          ),
      ),
      actor: z.optional(openidField),
      targetId: z.optional(docId),
      from: z.optional(date),
      to: z.optional(date),
      limit: pageLimit,
      cursor: pageCursor,
    }),
  ),
};
