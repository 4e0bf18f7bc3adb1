/**
 * Admins invite colleagues with one-time codes; the colleague accepts one to get the roles.
 */
import { audit, auditTarget } from '../../../_shared/audit';
import {
  createInvite,
  findUsableInvite,
  INVITE_INVALID,
  type InviteDoc,
} from '../../../_shared/invites';
import { reserveAttempt } from '../../../_shared/ratelimit';
import { getCommunity } from '../../../_shared/records';
import { requireRole, staffRoleId, type StaffRoleDoc } from '../../../_shared/roles';
import { AppError, requireOpenid } from '../../../_shared/router';
import { STAFF_ROLES } from '../../../../miniprogram/domain/community/vocabulary';
import { type staffContracts } from '../../../../miniprogram/domain/staff/contract';
import type { Handlers } from '../../../_shared/router';
import { ATTEMPTS, rolesText } from '../repo/grants';

export const invite: Handlers<typeof staffContracts>['invite'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['admin']);
  const community = await getCommunity(ctx, input.communityId);
  const roles = STAFF_ROLES.filter((r) => input.roles.includes(r));
  const { code, expiresAt } = await createInvite(ctx, {
    kind: 'staff',
    communityId: input.communityId,
    roles,
    name: input.name,
    createdBy: caller.openid,
  });
  await audit(ctx, caller, {
    ...auditTarget('invite', input.communityId, input.name, community.name),
    action: 'staff.invite',
    summary: `邀请 ${input.name} 担任 ${rolesText(roles)}（72 小时内有效）`,
    after: { roles, name: input.name },
  });
  return { code, expiresAt: expiresAt.toISOString(), roles };
};

export const acceptInvite: Handlers<typeof staffContracts>['acceptInvite'] = async (input, ctx) => {
  const openid = requireOpenid(ctx);
  const attempt = await reserveAttempt(ctx, `invite:${openid}`, ATTEMPTS);
  const inv = await findUsableInvite(ctx, input.code, 'staff');
  if (!inv || !inv.roles?.length) throw new AppError('PRECONDITION_FAILED', INVITE_INVALID);
  const community = await getCommunity(ctx, inv.communityId);
  const id = staffRoleId(inv.communityId, openid);
  const now = ctx.now();
  const result = await ctx.db.runTransaction(async (t) => {
    const cur = (await t.collection('invites').doc(inv._id).get()).data as InviteDoc;
    if (cur.usedBy) return null;
    let prev: StaffRoleDoc | null = null;
    try {
      prev = (await t.collection('staff_roles').doc(id).get()).data as StaffRoleDoc;
    } catch {
      prev = null;
    }
    const held = prev && !prev.revokedAt ? prev.roles : [];
    const roles = STAFF_ROLES.filter((r) => held.includes(r) || inv.roles!.includes(r));
    await t
      .collection('invites')
      .doc(inv._id)
      .update({ data: { usedBy: openid, usedAt: now } });
    await t
      .collection('staff_roles')
      .doc(id)
      .set({
        data: {
          communityId: inv.communityId,
          openid,
          roles,
          name: inv.name ?? prev?.name ?? '',
          grantedBy: inv.createdBy,
          grantedAt: now,
          revokedAt: null,
        },
      });
    return { roles, before: held };
  });
  if (!result) throw new AppError('PRECONDITION_FAILED', INVITE_INVALID);
  await attempt.refund();
  await audit(
    ctx,
    { openid, roles: result.roles, name: inv.name },
    {
      ...auditTarget('staff', inv.communityId, openid, inv.name ?? ''),
      action: 'staff.join',
      summary: `${inv.name ?? ''} 通过邀请码成为 ${rolesText(result.roles)}`,
      before: { roles: result.before },
      after: { roles: result.roles },
    },
  );
  return { communityId: inv.communityId, communityName: community.name, roles: result.roles };
};
