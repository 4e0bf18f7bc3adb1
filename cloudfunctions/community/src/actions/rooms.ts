/** Rooms: the staff list (owners masked), one room in full, and single-room edits. */
import type { DB } from 'wx-server-sdk';
import { roomLabel, roomSortKey } from '../../../../miniprogram/domain/community/vocabulary';
import { audit } from '../../../_shared/audit';
import { escapeRegExp } from '../../../_shared/db';
import { listPage } from '../../../_shared/paging';
import {
  getRoom,
  isActive,
  ownersByIds,
  relationsOfRoom,
  roomsByIds,
  staffBindingView,
  today,
  type BindingDoc,
  type BuildingDoc,
  type RelationDoc,
  type RoomDoc,
} from '../../../_shared/records';
import { ANY_STAFF, requireRole } from '../../../_shared/roles';
import { AppError, type ActionContext } from '../../../_shared/router';
import { roomIdFor } from '../repo/roster-plan';
import { roomListItem, roomPerson, sortRelations } from '../repo/views';
import { buildingId } from './buildings';
import type { RoomDetail, RoomListItem } from '../../../../miniprogram/domain/community/contract';
import type { Handlers } from '../../../_shared/router';
import type { communityContracts } from '../../../../miniprogram/domain/community/contract';

/** Room ids whose active people match a keyword (surname/name prefix or mobile suffix). */
async function roomIdsByPeople(
  ctx: ActionContext,
  communityId: string,
  where: Record<string, unknown>,
): Promise<string[]> {
  const owners = (
    await ctx.db
      .collection('owners')
      .where({ communityId, ...where } as DB.QueryCondition)
      .field({ _id: true })
      .limit(1000)
      .get()
  ).data as { _id: string }[];
  if (owners.length === 0) return [];
  const _ = ctx.db.command;
  const day = today(ctx);
  const rels = (
    await ctx.db
      .collection('room_owners')
      .where({ communityId, ownerId: _.in(owners.map((o) => o._id)) })
      .limit(1000)
      .get()
  ).data as RelationDoc[];
  return [...new Set(rels.filter((r) => isActive(r, day)).map((r) => r.roomId))];
}

export const listRooms: Handlers<typeof communityContracts>['rooms'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const db = ctx.db;
  const _ = db.command;
  const where: Record<string, unknown> = { communityId: input.communityId };
  if (input.building) where.building = input.building;
  if (input.unit) where.unit = input.unit;
  if (input.occupancy) where.occupancy = input.occupancy;
  const idFilters: string[][] = [];
  if (input.keyword) {
    const kw = input.keyword;
    const byNumber = (
      await db
        .collection('rooms')
        .where({ ...where, number: db.RegExp({ regexp: escapeRegExp(kw) }) } as DB.QueryCondition)
        .field({ _id: true })
        .limit(1000)
        .get()
    ).data.map((r) => String(r._id));
    const personWhere = /^\d{4,11}$/.test(kw)
      ? { mobile: db.RegExp({ regexp: `${escapeRegExp(kw)}$` }) }
      : { name: db.RegExp({ regexp: `^${escapeRegExp(kw)}` }) };
    const byPeople = await roomIdsByPeople(ctx, input.communityId, personWhere);
    idFilters.push([...new Set([...byNumber, ...byPeople])]);
  }
  let excluded: string[] = [];
  if (input.specialCare !== undefined) {
    const care = await roomIdsByPeople(ctx, input.communityId, { specialCare: true });
    if (input.specialCare) idFilters.push(care);
    else excluded = care;
  }
  if (idFilters.length) {
    let ids = idFilters[0]!;
    for (const f of idFilters.slice(1)) ids = ids.filter((id) => f.includes(id));
    ids = ids.filter((id) => !excluded.includes(id));
    where._id = _.in(ids.slice(0, 1000));
  } else if (excluded.length) {
    where._id = _.nin(excluded.slice(0, 1000));
  }
  return listPage<RoomDoc, RoomListItem>(
    ctx,
    'rooms',
    where,
    [['sortKey', 'asc']],
    input,
    (rooms) => roomItems(ctx, rooms),
  );
};

/** List items for a page of rooms: 3 round trips whatever the page size. */
export async function roomItems(ctx: ActionContext, rooms: RoomDoc[]): Promise<RoomListItem[]> {
  if (rooms.length === 0) return [];
  const _ = ctx.db.command;
  const ids = rooms.map((r) => r._id);
  const rels = (
    await ctx.db
      .collection('room_owners')
      .where({ roomId: _.in(ids) })
      .limit(1000)
      .get()
  ).data as RelationDoc[];
  const owners = await ownersByIds(
    ctx,
    rels.map((r) => r.ownerId),
  );
  const bindings = (
    await ctx.db
      .collection('room_bindings')
      .where({ roomId: _.in(ids), status: 'verified' })
      .field({ roomId: true })
      .limit(1000)
      .get()
  ).data as { roomId: string }[];
  const day = today(ctx);
  return rooms.map((room) =>
    roomListItem(
      room,
      rels.filter((r) => r.roomId === room._id),
      owners,
      day,
      bindings.filter((b) => b.roomId === room._id).length,
    ),
  );
}

export async function roomDetail(
  ctx: ActionContext,
  communityId: string,
  roomId: string,
): Promise<RoomDetail> {
  const room = await getRoom(ctx, communityId, roomId);
  const rels = sortRelations(await relationsOfRoom(ctx, roomId));
  const owners = await ownersByIds(
    ctx,
    rels.map((r) => r.ownerId),
  );
  const bindings = (await ctx.db.collection('room_bindings').where({ roomId }).limit(100).get())
    .data as BindingDoc[];
  const day = today(ctx);
  const verified = bindings.filter((b) => b.status === 'verified').length;
  const rooms = new Map([[room._id, room]]);
  return {
    ...roomListItem(room, rels, owners, day, verified),
    people: rels.map((r) => roomPerson(r, owners.get(r.ownerId), day)),
    bindings: bindings.map((b) => staffBindingView(b, rooms.get(b.roomId))),
  };
}

export const getRoomDetail: Handlers<typeof communityContracts>['room'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  return roomDetail(ctx, input.communityId, input.roomId);
};

const ROOM_FIELDS = [
  'building',
  'unit',
  'number',
  'floor',
  'buildingAreaCentiM2',
  'innerAreaCentiM2',
  'useType',
  'occupancy',
  'moveInDate',
] as const;

export const saveRoom: Handlers<typeof communityContracts>['saveRoom'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['admin']);
  const { communityId } = input;
  const bld = (
    await ctx.db
      .collection('buildings')
      .where({ _id: buildingId(communityId, input.building) })
      .limit(1)
      .get()
  ).data[0] as BuildingDoc | undefined;
  if (!bld)
    throw new AppError('INVALID_INPUT', `building: 楼栋「${input.building}」不存在，请先添加楼栋`);
  if (!bld.units.includes(input.unit)) {
    throw new AppError('INVALID_INPUT', `unit: ${input.building}栋没有「${input.unit}」单元`);
  }
  const existing = input.roomId ? await getRoom(ctx, communityId, input.roomId) : null;
  const next: Omit<RoomDoc, '_id'> = {
    communityId,
    building: input.building,
    unit: input.unit,
    number: input.number,
    floor: input.floor === undefined ? (existing?.floor ?? null) : input.floor,
    sortKey: roomSortKey(input),
    buildingAreaCentiM2: input.buildingAreaCentiM2,
    innerAreaCentiM2:
      input.innerAreaCentiM2 === undefined
        ? (existing?.innerAreaCentiM2 ?? null)
        : input.innerAreaCentiM2,
    useType: input.useType,
    occupancy: input.occupancy,
    moveInDate: input.moveInDate === undefined ? (existing?.moveInDate ?? null) : input.moveInDate,
  };
  if (next.innerAreaCentiM2 !== null && next.innerAreaCentiM2 > next.buildingAreaCentiM2) {
    throw new AppError('INVALID_INPUT', 'innerAreaCentiM2: 套内面积不能大于建筑面积');
  }
  const duplicate = (
    await ctx.db
      .collection('rooms')
      .where({ communityId, building: next.building, unit: next.unit, number: next.number })
      .limit(1)
      .get()
  ).data[0] as RoomDoc | undefined;
  if (duplicate && duplicate._id !== existing?._id) {
    throw new AppError('CONFLICT', `${roomLabel(next)} 已存在`);
  }
  const now = ctx.now();
  let id: string;
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  if (existing) {
    id = existing._id;
    for (const k of ROOM_FIELDS) {
      if ((existing[k] ?? null) !== (next[k] ?? null)) {
        before[k] = existing[k] ?? null;
        after[k] = next[k] ?? null;
      }
    }
    if (Object.keys(after).length === 0) return (await roomItems(ctx, [existing]))[0]!;
    try {
      await ctx.db
        .collection('rooms')
        .doc(id)
        .update({ data: { ...after, sortKey: next.sortKey, updatedAt: now } });
    } catch (e) {
      if (/E11000|duplicate/i.test((e as Error).message)) {
        throw new AppError('CONFLICT', `${roomLabel(next)} 已存在`);
      }
      throw e;
    }
  } else {
    id = roomIdFor(communityId, next.building, next.unit, next.number);
    for (const k of ROOM_FIELDS) after[k] = next[k] ?? null;
    try {
      await ctx.db
        .collection('rooms')
        .add({ data: { _id: id, ...next, createdAt: now, updatedAt: now } });
    } catch (e) {
      if (/E11000|duplicate/i.test((e as Error).message)) {
        throw new AppError('CONFLICT', `${roomLabel(next)} 已存在`);
      }
      throw e;
    }
  }
  await audit(ctx, caller, {
    communityId,
    action: existing ? 'room.update' : 'room.create',
    targetType: 'room',
    targetId: id,
    targetLabel: roomLabel(next),
    summary: existing
      ? `修改房屋 ${roomLabel(next)}：${Object.keys(after).join('、')}`
      : `新增房屋 ${roomLabel(next)}`,
    before: existing ? before : null,
    after,
  });
  const saved = await roomsByIds(ctx, [id]);
  return (await roomItems(ctx, [saved.get(id)!]))[0]!;
};
