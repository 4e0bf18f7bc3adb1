/**
 * What an owner picks from when binding: communities, their buildings and the rooms of a unit.
 */
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import { tokenOfScene } from '../../../../miniprogram/domain/notice/reach';
import { codeUsable, findCode } from '../../../_shared/household-codes';
import {
  findCommunity,
  findRoom,
  getBinding,
  today,
  type CommunityDoc,
  type RoomDoc,
} from '../../../_shared/records';
import { AppError, type Handlers } from '../../../_shared/router';
import { bindingId } from '../repo/bindings';

/** A household code that was used or has lapsed (or never existed: the same words). */
export const CODE_INVALID = '此通知单上的小程序码已使用或已失效，请按房号和手机号认证';
import type { bindingContracts } from '../../../../miniprogram/domain/binding/contract';

export const communities: Handlers<typeof bindingContracts>['communities'] = async (
  _input,
  ctx,
) => {
  const res = await ctx.db.collection('communities').limit(100).get();
  return {
    communities: (res.data as CommunityDoc[])
      .map((c) => ({ communityId: c._id, name: c.name, address: c.address ?? '' }))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh')),
  };
};

export const buildings: Handlers<typeof bindingContracts>['buildings'] = async (input, ctx) => {
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
};

export const rooms: Handlers<typeof bindingContracts>['rooms'] = async (input, ctx) => {
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
};

export const scan: Handlers<typeof bindingContracts>['scan'] = async (input, ctx) => {
  let roomId = input.roomId;
  let token: string | null = null;
  if (input.scene !== undefined) {
    token = tokenOfScene(input.scene);
    const code = token ? await findCode(ctx.db, token) : null;
    if (!codeUsable(code, today(ctx))) throw new AppError('PRECONDITION_FAILED', CODE_INVALID);
    roomId = code.roomId;
  }
  const room = roomId ? await findRoom(ctx, roomId) : null;
  if (!room) throw new AppError('NOT_FOUND', 'roomId: 没有找到该房屋');
  const community = await findCommunity(ctx, room.communityId);
  const mine = ctx.openid ? await getBinding(ctx, bindingId(room._id, ctx.openid)) : null;
  return {
    roomId: room._id,
    roomLabel: roomLabel(room),
    communityId: room.communityId,
    communityName: community?.name ?? '',
    building: room.building,
    unit: room.unit,
    number: room.number,
    floor: room.floor ?? null,
    token,
    bound: mine?.status === 'verified',
  };
};
