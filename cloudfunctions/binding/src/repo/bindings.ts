/**
 * An owner's bindings (room_bindings): ids, the rate limit and mismatch wording, how an owner
 * sees a binding, and the checks that the caller owns a room.
 */
import { roomLabel, type Relation } from '../../../../miniprogram/domain/community/vocabulary';
import { HOUR_MS } from '../../../_shared/ratelimit';
import {
  findCommunity,
  findRoom,
  getBinding,
  iso,
  type BindingDoc,
  type CommunityDoc,
  type RoomDoc,
} from '../../../_shared/records';
import { AppError, requireOpenid, type ActionContext } from '../../../_shared/router';
import type { MyBinding } from '../../../../miniprogram/domain/binding/contract';

export const BIND_LIMIT = { max: 5, windowMs: HOUR_MS };

export const MISMATCH = '填写的信息与物业登记信息不一致，请核对后重试；如有疑问请联系物业服务中心';

export const RELATION_RANK: Record<Relation, number> = {
  owner: 0,
  'co-owner': 1,
  family: 2,
  tenant: 3,
};

export function bindingId(roomId: string, openid: string): string {
  return `${roomId}:${openid}`;
}

/** Names compare after NFKC and without spaces: "王 建国" = "王建国". */
export function sameName(a: string, b: string): boolean {
  const n = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');
  return n(a) === n(b) && n(a) !== '';
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

export async function viewOf(ctx: ActionContext, b: BindingDoc): Promise<MyBinding> {
  const room = await findRoom(ctx, b.roomId);
  const community = await findCommunity(ctx, b.communityId);
  return myBinding(b, room ?? undefined, community);
}

/** The caller's verified owner/co-owner binding to a room, or FORBIDDEN. */
export async function requireRoomOwner(ctx: ActionContext, roomId: string): Promise<BindingDoc> {
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
