/**
 * Parking spaces and storerooms (车位、储藏室): the staff list (holders and plates masked), adding
 * or changing one, and ending a holding. A space is held by a room and a person on record for it;
 * the billing run charges the space's standards with that room's bills (docs/spaces.md).
 */
import {
  SPACE_KIND_LABELS,
  SPACE_STATUS_LABELS,
  type SpaceRecord,
  handoverProblem,
  maskPlate,
  spaceIdFor,
  spaceLabel,
  spaceSortKey,
  spaceStatus,
} from '../../../../miniprogram/domain/community/spaces';
import { formatAreaCentiM2 } from '../../../../miniprogram/domain/community/area';
import { maskName } from '../../../../miniprogram/domain/community/mask';
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import type { SpaceListItem } from '../../../../miniprogram/domain/community/spaces.contract';
import { audit, auditTarget } from '../../../_shared/audit';
import { escapeRegExp } from '../../../_shared/db';
import { listPage } from '../../../_shared/paging';
import {
  getInCommunity,
  getRoom,
  isActive,
  ownersByIds,
  relationsOfRoom,
  roomsByIds,
  today,
} from '../../../_shared/records';
import { ANY_STAFF, requireRole } from '../../../_shared/roles';
import { AppError, type ActionContext } from '../../../_shared/router';
import { sortRelations } from '../repo/views';
import type { Handlers } from '../../../_shared/router';
import type { communityContracts } from '../../../../miniprogram/domain/community/contract';

type SpaceHandlers = Handlers<typeof communityContracts>;

/** List items for a page of spaces: 2 round trips (holder rooms, holder people) per page. */
export async function spaceItems(
  ctx: ActionContext,
  spaces: SpaceRecord[],
): Promise<SpaceListItem[]> {
  const rooms = await roomsByIds(
    ctx,
    spaces.flatMap((s) => (s.holderRoomId ? [s.holderRoomId] : [])),
  );
  const people = await ownersByIds(
    ctx,
    spaces.flatMap((s) => (s.holderOwnerId ? [s.holderOwnerId] : [])),
  );
  const day = today(ctx);
  return spaces.map((s) => {
    const room = s.holderRoomId ? rooms.get(s.holderRoomId) : undefined;
    const status = spaceStatus(s, day);
    return {
      spaceId: s._id,
      number: s.number,
      zone: s.zone,
      kind: s.kind,
      kindLabel: SPACE_KIND_LABELS[s.kind],
      label: spaceLabel(s),
      areaCentiM2: s.areaCentiM2,
      area: s.areaCentiM2 === null ? '' : formatAreaCentiM2(s.areaCentiM2),
      holderRoomId: s.holderRoomId,
      holderRoomLabel: room ? roomLabel(room) : '',
      holderOwnerId: s.holderOwnerId,
      holderName: maskName(s.holderOwnerId ? people.get(s.holderOwnerId)?.name : ''),
      plates: s.plates.map(maskPlate),
      startDate: s.startDate,
      endDate: s.endDate,
      status,
      statusLabel: SPACE_STATUS_LABELS[status],
    };
  });
}

export const listSpaces: SpaceHandlers['spaces'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const where: Record<string, unknown> = { communityId: input.communityId };
  if (input.kind) where.kind = input.kind;
  if (input.keyword) {
    where.number = ctx.db.RegExp({ regexp: escapeRegExp(input.keyword.toUpperCase()) });
  }
  return listPage<SpaceRecord, SpaceListItem>(
    ctx,
    'spaces',
    where,
    [['sortKey', 'asc']],
    input,
    (spaces) => spaceItems(ctx, spaces),
  );
};

/**
 * The person who holds a space for `roomId`: `ownerId` when given (someone on record for the
 * room today), else the room's current owner.
 */
export async function holderOf(
  ctx: ActionContext,
  communityId: string,
  roomId: string,
  ownerId: string | null | undefined,
): Promise<string> {
  await getRoom(ctx, communityId, roomId);
  const day = today(ctx);
  const active = sortRelations(
    (await relationsOfRoom(ctx, roomId)).filter((r) => isActive(r, day)),
  );
  const rel = ownerId ? active.find((r) => r.ownerId === ownerId) : active[0];
  if (!rel) {
    throw new AppError(
      'INVALID_INPUT',
      ownerId
        ? 'holderOwnerId: 该人员不是这间房屋登记在册的人员'
        : 'holderRoomId: 这间房屋没有登记在册的业主，请先登记',
    );
  }
  return rel.ownerId;
}

export const saveSpace: SpaceHandlers['saveSpace'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['admin']);
  const id = spaceIdFor(input.communityId, input.number);
  let before: SpaceRecord | null = null;
  if (input.spaceId) {
    before = await getInCommunity<SpaceRecord>(
      ctx,
      'spaces',
      input.communityId,
      input.spaceId,
      '车位不存在',
    );
    if (before.number !== input.number) {
      throw new AppError('INVALID_INPUT', 'number: 编号不能修改（请新增一个车位）');
    }
  } else {
    const taken = await ctx.db.collection('spaces').where({ _id: id }).count();
    if (taken.total > 0) throw new AppError('CONFLICT', `编号 ${input.number} 已经登记`);
  }
  const holderRoomId = input.holderRoomId ?? null;
  // the same room without a person named keeps the person on record (a tenant stays the holder)
  const keep = before && before.holderRoomId === holderRoomId ? before.holderOwnerId : undefined;
  const holderOwnerId = holderRoomId
    ? await holderOf(ctx, input.communityId, holderRoomId, input.holderOwnerId ?? keep)
    : null;
  const handover =
    before &&
    handoverProblem(before, {
      holderRoomId,
      holderOwnerId,
      startDate: input.startDate ?? null,
      endDate: input.endDate ?? null,
    });
  if (handover) throw new AppError('INVALID_INPUT', `${handover.field}: ${handover.message}`);
  const now = ctx.now();
  const doc: SpaceRecord = {
    _id: id,
    communityId: input.communityId,
    number: input.number,
    zone: input.zone,
    kind: input.kind,
    areaCentiM2: input.areaCentiM2 ?? null,
    holderRoomId,
    holderOwnerId,
    plates: input.plates ?? before?.plates ?? [],
    startDate: holderRoomId ? (input.startDate ?? null) : null,
    endDate: holderRoomId ? (input.endDate ?? null) : null,
    sortKey: spaceSortKey(input.number),
  };
  const { _id, ...data } = doc;
  if (before) {
    await ctx.db
      .collection('spaces')
      .doc(_id)
      .update({ data: { ...data, updatedAt: now } });
  } else {
    await ctx.db.collection('spaces').add({ data: { ...doc, createdAt: now, updatedAt: now } });
  }
  const masked = (s: SpaceRecord | null) =>
    s && { ...s, plates: s.plates.map(maskPlate), sortKey: undefined };
  await audit(ctx, caller, {
    ...auditTarget('space', input.communityId, id, spaceLabel(doc)),
    action: before ? 'space.update' : 'space.create',
    summary: `${before ? '修改' : '登记'}${SPACE_KIND_LABELS[doc.kind]} ${doc.number}`,
    before: masked(before),
    after: masked(doc),
  });
  return (await spaceItems(ctx, [doc]))[0]!;
};

export const endSpace: SpaceHandlers['endSpace'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['admin']);
  const space = await getInCommunity<SpaceRecord>(
    ctx,
    'spaces',
    input.communityId,
    input.spaceId,
    '车位不存在',
  );
  if (!space.holderRoomId) {
    throw new AppError('PRECONDITION_FAILED', `${spaceLabel(space)} 目前没有使用人`);
  }
  if (space.startDate !== null && input.endDate < space.startDate) {
    throw new AppError('INVALID_INPUT', `endDate: 结束日期不能早于起始日期 ${space.startDate}`);
  }
  await ctx.db
    .collection('spaces')
    .doc(space._id)
    .update({ data: { endDate: input.endDate, updatedAt: ctx.now() } });
  await audit(ctx, caller, {
    ...auditTarget('space', input.communityId, space._id, spaceLabel(space)),
    action: 'space.end',
    summary: `${spaceLabel(space)} 使用至 ${input.endDate}：${input.reason}`,
    before: { endDate: space.endDate },
    after: { endDate: input.endDate, reason: input.reason },
  });
  return (await spaceItems(ctx, [{ ...space, endDate: input.endDate }]))[0]!;
};
