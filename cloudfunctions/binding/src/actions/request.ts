/**
 * An owner asks to bind a room by the name and mobile on record (rate-limited, never revealing
 * the record), lists their bindings and withdraws one.
 */
import { RELATION_LABELS, roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import { maskName } from '../../../../miniprogram/domain/community/mask';
import { audit, auditTarget, ownerActor } from '../../../_shared/audit';
import { revokeBindings } from '../../../_shared/bindings';
import { reserveAttempt } from '../../../_shared/ratelimit';
import {
  findCommunity,
  findRoom,
  getBinding,
  isActive,
  ownersByIds,
  relationsOfRoom,
  roomsByIds,
  today,
  type BindingDoc,
  type CommunityDoc,
} from '../../../_shared/records';
import { AppError, requireOpenid } from '../../../_shared/router';
import { codeUsable, findCode, type HouseholdCodeDoc } from '../../../_shared/household-codes';
import { CODE_INVALID } from './directory';
import { notifyOwner } from '../../../_shared/notify';
import { DEFAULT_SETTINGS } from '../../../../miniprogram/domain/settings/defaults';
import {
  BIND_LIMIT,
  MISMATCH,
  RELATION_RANK,
  bindingId,
  myBinding,
  sameName,
  viewOf,
} from '../repo/bindings';
import type { Handlers } from '../../../_shared/router';
import type { bindingContracts } from '../../../../miniprogram/domain/binding/contract';

export const request: Handlers<typeof bindingContracts>['request'] = async (input, ctx) => {
  const openid = requireOpenid(ctx);
  const attempt = await reserveAttempt(ctx, `bind:${openid}`, BIND_LIMIT);
  const room = await findRoom(ctx, input.roomId);
  const mismatch = async (): Promise<never> => {
    if (room) {
      await audit(ctx, ownerActor(openid), {
        ...auditTarget('room', room.communityId, room._id, roomLabel(room)),
        action: 'binding.failed',
        summary: `业主认证信息不一致（${input.token ? '通知单小程序码' : input.mobile ? '手机号' : '手机号后 4 位'}）`,
      });
    }
    throw new AppError('PRECONDITION_FAILED', MISMATCH);
  };
  if (!room) return mismatch();
  const day = today(ctx);
  const rels = (await relationsOfRoom(ctx, room._id)).filter((r) => isActive(r, day));
  const owners = await ownersByIds(
    ctx,
    rels.map((r) => r.ownerId),
  );
  // A household code's token stands in for the mobile: it was delivered to this room.
  const code = input.token ? await findCode(ctx.db, input.token) : null;
  if (input.token && (!codeUsable(code, day) || code.roomId !== room._id)) {
    // Counts as a failed attempt: tokens are not for guessing.
    throw new AppError('PRECONDITION_FAILED', CODE_INVALID);
  }
  const match = rels
    .filter((r) => {
      const o = owners.get(r.ownerId);
      if (!o || !sameName(o.name, input.name)) return false;
      if (code) return true;
      return input.mobile ? o.mobile === input.mobile : o.mobile.slice(-4) === input.mobileLast4;
    })
    .sort((a, b) => RELATION_RANK[a.relation] - RELATION_RANK[b.relation])[0];
  if (!match) return mismatch();
  await attempt.refund();

  const id = bindingId(room._id, openid);
  const existing = await getBinding(ctx, id);
  const community = await findCommunity(ctx, room.communityId);
  if (existing && (existing.status === 'verified' || existing.status === 'pending-review')) {
    return myBinding(existing, room, community);
  }
  const now = ctx.now();
  // The community's review mode (settings.update bindingReview), 'auto' unless set.
  const auto = !!code || (community?.bindingReview ?? DEFAULT_SETTINGS.bindingReview) === 'auto';
  const doc: Omit<BindingDoc, '_id'> = {
    communityId: room.communityId,
    roomId: room._id,
    openid,
    relation: match.relation,
    status: auto ? 'verified' : 'pending-review',
    name: input.name,
    method: code ? 'household-code' : input.mobile ? 'mobile' : 'last4',
    ownerId: match.ownerId,
    invitedBy: null,
    requestedAt: now,
    decidedAt: auto ? now : null,
    decidedBy: auto ? 'auto' : null,
    reason: null,
    ...(auto ? { verifiedAt: now } : {}),
  };
  if (code) {
    // One use: the code is spent in the transaction that binds.
    const spent = await ctx.db.runTransaction(async (t) => {
      const cur = (await t.collection('household_codes').doc(code._id).get())
        .data as HouseholdCodeDoc;
      if (cur.usedBy || cur.token !== code.token) return false;
      await t
        .collection('household_codes')
        .doc(code._id)
        .update({ data: { usedBy: openid, usedAt: now } });
      await t.collection('room_bindings').doc(id).set({ data: doc });
      return true;
    });
    if (!spent) throw new AppError('PRECONDITION_FAILED', CODE_INVALID);
  } else await ctx.db.collection('room_bindings').doc(id).set({ data: doc });
  await audit(ctx, ownerActor(openid), {
    ...auditTarget('binding', room.communityId, id, roomLabel(room)),
    action: auto ? 'binding.verified' : 'binding.request',
    summary: `${auto ? '认证通过' : '申请绑定'} ${roomLabel(room)}（${RELATION_LABELS[match.relation]}，${maskName(input.name)}）`,
    before: existing ? { status: existing.status } : null,
    after: { status: doc.status, relation: doc.relation },
  });
  return myBinding({ _id: id, ...doc }, room, community);
};

export const mine: Handlers<typeof bindingContracts>['mine'] = async (_input, ctx) => {
  const openid = requireOpenid(ctx);
  const res = await ctx.db.collection('room_bindings').where({ openid }).limit(100).get();
  const list = res.data as BindingDoc[];
  const roomMap = await roomsByIds(
    ctx,
    list.map((b) => b.roomId),
  );
  const communityIds = [...new Set(list.map((b) => b.communityId))];
  const cmap = new Map<string, CommunityDoc>();
  for (const id of communityIds) {
    const c = await findCommunity(ctx, id);
    if (c) cmap.set(id, c);
  }
  const bindings = list
    .map((b) => myBinding(b, roomMap.get(b.roomId), cmap.get(b.communityId)))
    .sort((a, b) => a.roomLabel.localeCompare(b.roomLabel, 'zh', { numeric: true }));
  return { bindings };
};

export const cancel: Handlers<typeof bindingContracts>['cancel'] = async (input, ctx) => {
  const openid = requireOpenid(ctx);
  const b = await getBinding(ctx, input.bindingId);
  if (!b) throw new AppError('NOT_FOUND', '没有找到该绑定');
  let reason: string;
  if (b.openid === openid) {
    reason = '本人解除绑定';
  } else {
    // Only the room's verified owner/co-owner may remove a family member or tenant.
    const mineB = await getBinding(ctx, bindingId(b.roomId, openid));
    const isOwner =
      mineB?.status === 'verified' && (mineB.relation === 'owner' || mineB.relation === 'co-owner');
    if (!isOwner || (b.relation !== 'family' && b.relation !== 'tenant')) {
      throw new AppError('NOT_FOUND', '没有找到该绑定');
    }
    reason = '业主解除绑定';
  }
  if (b.status === 'revoked' || b.status === 'rejected') return viewOf(ctx, b);
  const revoked = await revokeBindings(ctx, b.roomId, [b], reason, openid);
  const room = await findRoom(ctx, b.roomId);
  await audit(ctx, ownerActor(openid), {
    ...auditTarget('binding', b.communityId, b._id, room ? roomLabel(room) : b.roomId),
    action: 'binding.cancel',
    summary: `${reason}（${RELATION_LABELS[b.relation]}）${revoked.length > 1 ? `，连同其邀请的 ${revoked.length - 1} 人` : ''}`,
    before: { status: b.status },
    after: { status: 'revoked' },
  });
  if (b.openid !== openid && room) {
    await notifyOwner(ctx, {
      openid: b.openid,
      communityId: b.communityId,
      kind: 'binding-revoked',
      title: '房屋绑定已解除',
      body: `${roomLabel(room)} 的业主解除了您的绑定。`,
      page: 'pages/rooms/index',
      keywords: { subject: `${roomLabel(room)} 房屋绑定`, result: '已解除', note: reason },
    });
  }
  return viewOf(ctx, { ...b, status: 'revoked', reason, decidedAt: ctx.now(), decidedBy: openid });
};
