/**
 * An owner invites family members and tenants with one-time codes, the invitee accepts, and the
 * owner sees who is bound to the room.
 */
import { RELATION_LABELS, roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import { maskName } from '../../../../miniprogram/domain/community/mask';
import { audit, auditTarget, ownerActor } from '../../../_shared/audit';
import {
  createInvite,
  findUsableInvite,
  INVITE_INVALID,
  type InviteDoc,
} from '../../../_shared/invites';
import { reserveAttempt } from '../../../_shared/ratelimit';
import { findRoom, getBinding, type BindingDoc } from '../../../_shared/records';
import { AppError, requireOpenid } from '../../../_shared/router';
import { BIND_LIMIT, RELATION_RANK, bindingId, requireRoomOwner, viewOf } from '../repo/bindings';
import type { Handlers } from '../../../_shared/router';
import type { bindingContracts } from '../../../../miniprogram/domain/binding/contract';

export const invite: Handlers<typeof bindingContracts>['invite'] = async (input, ctx) => {
  const mineB = await requireRoomOwner(ctx, input.roomId);
  const room = await findRoom(ctx, input.roomId);
  if (!room) throw new AppError('NOT_FOUND', '房屋不存在');
  const { code, expiresAt } = await createInvite(ctx, {
    kind: 'member',
    communityId: room.communityId,
    roomId: room._id,
    relation: input.relation,
    createdBy: mineB.openid,
  });
  await audit(ctx, ownerActor(mineB.openid), {
    ...auditTarget('room', room.communityId, room._id, roomLabel(room)),
    action: 'binding.invite',
    summary: `邀请${RELATION_LABELS[input.relation]}绑定 ${roomLabel(room)}（72 小时内有效）`,
  });
  return {
    code,
    expiresAt: expiresAt.toISOString(),
    relation: input.relation,
    roomLabel: roomLabel(room),
  };
};

export const acceptInvite: Handlers<typeof bindingContracts>['acceptInvite'] = async (
  input,
  ctx,
) => {
  const openid = requireOpenid(ctx);
  const attempt = await reserveAttempt(ctx, `invite:${openid}`, BIND_LIMIT);
  const inv = await findUsableInvite(ctx, input.code, 'member');
  const inviter = inv?.roomId ? await getBinding(ctx, bindingId(inv.roomId, inv.createdBy)) : null;
  if (
    !inv ||
    !inv.roomId ||
    !inviter ||
    inviter.status !== 'verified' ||
    (inviter.relation !== 'owner' && inviter.relation !== 'co-owner')
  ) {
    throw new AppError('PRECONDITION_FAILED', INVITE_INVALID);
  }
  const room = await findRoom(ctx, inv.roomId);
  if (!room) throw new AppError('PRECONDITION_FAILED', INVITE_INVALID);
  const id = bindingId(room._id, openid);
  const existing = await getBinding(ctx, id);
  if (existing?.status === 'verified') {
    await attempt.refund();
    return viewOf(ctx, existing);
  }
  const now = ctx.now();
  const doc: Omit<BindingDoc, '_id'> = {
    communityId: room.communityId,
    roomId: room._id,
    openid,
    relation: inv.relation ?? 'family',
    status: 'verified',
    name: '',
    method: 'invite',
    ownerId: null,
    invitedBy: inv.createdBy,
    requestedAt: now,
    decidedAt: now,
    decidedBy: inv.createdBy,
    reason: null,
    verifiedAt: now,
  };
  const used = await ctx.db.runTransaction(async (t) => {
    const cur = (await t.collection('invites').doc(inv._id).get()).data as InviteDoc;
    if (cur.usedBy) return false;
    await t
      .collection('invites')
      .doc(inv._id)
      .update({ data: { usedBy: openid, usedAt: now } });
    await t.collection('room_bindings').doc(id).set({ data: doc });
    return true;
  });
  if (!used) throw new AppError('PRECONDITION_FAILED', INVITE_INVALID);
  await attempt.refund();
  await audit(ctx, ownerActor(openid), {
    ...auditTarget('binding', room.communityId, id, roomLabel(room)),
    action: 'binding.accept',
    summary: `通过业主邀请绑定 ${roomLabel(room)}（${RELATION_LABELS[doc.relation]}）`,
    after: { status: 'verified', relation: doc.relation, invitedBy: inv.createdBy },
  });
  return viewOf(ctx, { _id: id, ...doc });
};

export const members: Handlers<typeof bindingContracts>['members'] = async (input, ctx) => {
  const mineB = await requireRoomOwner(ctx, input.roomId);
  const _ = ctx.db.command;
  const res = await ctx.db
    .collection('room_bindings')
    .where({ roomId: input.roomId, status: _.in(['verified', 'pending-review']) })
    .limit(100)
    .get();
  return {
    members: (res.data as BindingDoc[])
      .map((b) => ({
        bindingId: b._id,
        name: maskName(b.name || RELATION_LABELS[b.relation]),
        relation: b.relation,
        status: b.status,
        isMe: b.openid === mineB.openid,
      }))
      .sort((a, b) => RELATION_RANK[a.relation] - RELATION_RANK[b.relation]),
  };
};
