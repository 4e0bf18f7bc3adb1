/**
 * The owner side of binding (业主认证): pick a room, prove you are on record (name + mobile or its
 * last 4 digits), invite family members and tenants, see and withdraw bindings. A mismatch never
 * reveals what is on record, and failures are rate-limited per WeChat user.
 */
import {
  RELATION_LABELS,
  roomLabel,
  type Relation,
} from '../../../miniprogram/domain/community/vocabulary';
import { maskName } from '../../../miniprogram/domain/community/mask';
import { audit, type AuditActor } from '../../_shared/audit';
import { revokeBindings } from '../../_shared/bindings';
import {
  createInvite,
  findUsableInvite,
  INVITE_INVALID,
  type InviteDoc,
} from '../../_shared/invites';
import { HOUR_MS, reserveAttempt } from '../../_shared/ratelimit';
import {
  findCommunity,
  findRoom,
  getBinding,
  iso,
  isActive,
  ownersByIds,
  relationsOfRoom,
  roomsByIds,
  today,
  type BindingDoc,
  type CommunityDoc,
  type RoomDoc,
} from '../../_shared/records';
import { AppError, requireOpenid, type ActionContext } from '../../_shared/router';
import { notifyOwner } from '../../_shared/notify';
import { DEFAULT_SETTINGS } from '../../../miniprogram/domain/settings/defaults';
import type { MyBinding, RoomMember } from '../../../miniprogram/domain/binding/contract';

export const BIND_LIMIT = { max: 5, windowMs: HOUR_MS };
export const MISMATCH = '填写的信息与物业登记信息不一致，请核对后重试；如有疑问请联系物业服务中心';
const RELATION_RANK: Record<Relation, number> = { owner: 0, 'co-owner': 1, family: 2, tenant: 3 };

export function bindingId(roomId: string, openid: string): string {
  return `${roomId}:${openid}`;
}

/** Names compare after NFKC and without spaces: "王 建国" = "王建国". */
export function sameName(a: string, b: string): boolean {
  const n = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');
  return n(a) === n(b) && n(a) !== '';
}

function ownerActor(openid: string): AuditActor {
  return { openid, roles: ['owner'] };
}

export function myBinding(
  b: BindingDoc,
  room: RoomDoc | undefined,
  community: CommunityDoc | undefined | null,
): MyBinding {
  return {
    bindingId: b._id,
    roomId: b.roomId,
    roomLabel: room ? roomLabel(room) : '',
    communityId: b.communityId,
    communityName: community?.name ?? '',
    relation: b.relation,
    status: b.status,
    reason: b.reason ?? null,
    requestedAt: iso(b.requestedAt ?? b.verifiedAt),
    decidedAt: iso(b.decidedAt ?? null),
  };
}

async function viewOf(ctx: ActionContext, b: BindingDoc): Promise<MyBinding> {
  const room = await findRoom(ctx, b.roomId);
  const community = await findCommunity(ctx, b.communityId);
  return myBinding(b, room ?? undefined, community);
}

/** The caller's verified owner/co-owner binding to a room, or FORBIDDEN. */
async function requireRoomOwner(ctx: ActionContext, roomId: string): Promise<BindingDoc> {
  const openid = requireOpenid(ctx);
  const mine = await getBinding(ctx, bindingId(roomId, openid));
  if (
    !mine ||
    mine.status !== 'verified' ||
    (mine.relation !== 'owner' && mine.relation !== 'co-owner')
  ) {
    throw new AppError('FORBIDDEN', '只有已认证的业主或共有人可以管理该房屋的家庭成员和租户');
  }
  return mine;
}

export async function communities(_input: object, ctx: ActionContext) {
  const res = await ctx.db.collection('communities').limit(100).get();
  return {
    communities: (res.data as CommunityDoc[])
      .map((c) => ({ communityId: c._id, name: c.name, address: c.address ?? '' }))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh')),
  };
}

export async function buildings(input: { communityId: string }, ctx: ActionContext) {
  const res = await ctx.db
    .collection('buildings')
    .where({ communityId: input.communityId })
    .limit(1000)
    .get();
  return {
    buildings: (res.data as { code: string; name: string; units: string[] }[])
      .map((b) => ({ code: b.code, name: b.name, units: b.units }))
      .sort((a, b) => a.code.localeCompare(b.code, 'zh', { numeric: true })),
  };
}

export async function rooms(
  input: { communityId: string; building: string; unit: string },
  ctx: ActionContext,
) {
  const res = await ctx.db
    .collection('rooms')
    .where({ communityId: input.communityId, building: input.building, unit: input.unit })
    .orderBy('sortKey', 'asc')
    .limit(1000)
    .get();
  return {
    rooms: (res.data as RoomDoc[]).map((r) => ({
      roomId: r._id,
      number: r.number,
      floor: r.floor ?? null,
      label: roomLabel(r),
    })),
  };
}

export async function request(
  input: { roomId: string; name: string; mobile?: string; mobileLast4?: string },
  ctx: ActionContext,
): Promise<MyBinding> {
  const openid = requireOpenid(ctx);
  const attempt = await reserveAttempt(ctx, `bind:${openid}`, BIND_LIMIT);
  const room = await findRoom(ctx, input.roomId);
  const mismatch = async (): Promise<never> => {
    if (room) {
      await audit(ctx, ownerActor(openid), {
        communityId: room.communityId,
        action: 'binding.failed',
        targetType: 'room',
        targetId: room._id,
        targetLabel: roomLabel(room),
        summary: `业主认证信息不一致（${input.mobile ? '手机号' : '手机号后 4 位'}）`,
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
  const match = rels
    .filter((r) => {
      const o = owners.get(r.ownerId);
      if (!o || !sameName(o.name, input.name)) return false;
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
  const auto = (community?.bindingReview ?? DEFAULT_SETTINGS.bindingReview) === 'auto';
  const doc: Omit<BindingDoc, '_id'> = {
    communityId: room.communityId,
    roomId: room._id,
    openid,
    relation: match.relation,
    status: auto ? 'verified' : 'pending-review',
    name: input.name,
    method: input.mobile ? 'mobile' : 'last4',
    ownerId: match.ownerId,
    invitedBy: null,
    requestedAt: now,
    decidedAt: auto ? now : null,
    decidedBy: auto ? 'auto' : null,
    reason: null,
    ...(auto ? { verifiedAt: now } : {}),
  };
  await ctx.db.collection('room_bindings').doc(id).set({ data: doc });
  await audit(ctx, ownerActor(openid), {
    communityId: room.communityId,
    action: auto ? 'binding.verified' : 'binding.request',
    targetType: 'binding',
    targetId: id,
    targetLabel: roomLabel(room),
    summary: `${auto ? '认证通过' : '申请绑定'} ${roomLabel(room)}（${RELATION_LABELS[match.relation]}，${maskName(input.name)}）`,
    before: existing ? { status: existing.status } : null,
    after: { status: doc.status, relation: doc.relation },
  });
  return myBinding({ _id: id, ...doc }, room, community);
}

export async function mine(_input: object, ctx: ActionContext): Promise<{ bindings: MyBinding[] }> {
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
}

export async function cancel(input: { bindingId: string }, ctx: ActionContext): Promise<MyBinding> {
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
    communityId: b.communityId,
    action: 'binding.cancel',
    targetType: 'binding',
    targetId: b._id,
    targetLabel: room ? roomLabel(room) : b.roomId,
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
}

export async function invite(
  input: { roomId: string; relation: 'family' | 'tenant' },
  ctx: ActionContext,
): Promise<{ code: string; expiresAt: string; relation: Relation; roomLabel: string }> {
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
    communityId: room.communityId,
    action: 'binding.invite',
    targetType: 'room',
    targetId: room._id,
    targetLabel: roomLabel(room),
    summary: `邀请${RELATION_LABELS[input.relation]}绑定 ${roomLabel(room)}（72 小时内有效）`,
  });
  return {
    code,
    expiresAt: expiresAt.toISOString(),
    relation: input.relation,
    roomLabel: roomLabel(room),
  };
}

export async function acceptInvite(
  input: { code: string },
  ctx: ActionContext,
): Promise<MyBinding> {
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
    communityId: room.communityId,
    action: 'binding.accept',
    targetType: 'binding',
    targetId: id,
    targetLabel: roomLabel(room),
    summary: `通过业主邀请绑定 ${roomLabel(room)}（${RELATION_LABELS[doc.relation]}）`,
    after: { status: 'verified', relation: doc.relation, invitedBy: inv.createdBy },
  });
  return viewOf(ctx, { _id: id, ...doc });
}

export async function members(
  input: { roomId: string },
  ctx: ActionContext,
): Promise<{ members: RoomMember[] }> {
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
}
