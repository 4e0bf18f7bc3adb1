/**
 * What an owner picks from when binding: communities, their buildings and the rooms of a unit.
 */
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import { type CommunityDoc, type RoomDoc } from '../../../_shared/records';
import type { Handlers } from '../../../_shared/router';
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
