/**
 * The reading sheet (抄表录入) behind the staff readings page: the rooms a meter item applies to
 * (its applicability: all, buildings, use types or listed rooms), in reading order, each with the
 * previous reading saveReadings would use by default and this period's reading if entered.
 * Filters: rooms still to enter (pending), readings waiting for confirmation (flagged) and owners'
 * own readings waiting for staff (submitted, with a link to the owner's photo).
 */
import { type MeterReadingView } from '../../../../miniprogram/domain/fee/readings.contract';
import type { ReadingSheetRow } from '../../../../miniprogram/domain/fee/readings.contract';
import { decodeCursor, findById, nextCursor } from '../../../_shared/paging';
import type { CommunityDoc } from '../../../_shared/records';
import { readingPeriodNow } from '../../../../miniprogram/domain/fee/owner-reading';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { DEFAULT_SETTINGS } from '../../../../miniprogram/domain/settings/defaults';
import { ANY_STAFF, requireRole } from '../../../_shared/roles';
import type { ActionContext } from '../../../_shared/router';
import { fetchWhere } from '../../../_shared/paging';
import { labelOf } from '../repo/rooms';
import { fileLinks } from '../../../_shared/storage';
import { type FeeStandardDoc, loadStandards } from '../repo/standards';
import {
  meterStandard,
  meterUnit,
  readingHistory,
  readingView,
  type ReadingDoc,
} from '../repo/readings';
import type { Handlers } from '../../../_shared/router';
import type { feeContracts } from '../../../../miniprogram/domain/fee/contract';

interface SheetRoomDoc {
  _id: string;
  building: string;
  unit: string;
  number: string;
  useType?: string;
  sortKey?: string;
}

export const meterItems: Handlers<typeof feeContracts>['meterItems'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const [docs, community] = await Promise.all([
    loadStandards(ctx, input.communityId),
    findById<CommunityDoc>(ctx, 'communities', input.communityId),
  ]);
  return {
    readingPeriod: readingPeriodNow(
      shanghaiDate(ctx.now()),
      community?.readingWindowDays ?? DEFAULT_SETTINGS.readingWindowDays,
    ),
    items: docs
      .filter((d) => d.kind === 'meter')
      .map((d) => ({ itemId: d.itemId, name: d.name, unit: meterUnit(d) })),
  };
};

/** The room query of an applicability (one indexed condition, not a scan with a filter). */
function roomWhere(
  ctx: ActionContext,
  communityId: string,
  doc: FeeStandardDoc,
  building?: string,
): Record<string, unknown> | null {
  const _ = ctx.db.command;
  const where: Record<string, unknown> = { communityId };
  const a = doc.applicability;
  // meters are read in rooms; a standard for parking spaces or storerooms has none to read
  if (a.scope === 'spaces') return null;
  if (a.scope === 'buildings') {
    if (building && !a.buildingIds.includes(building)) return null;
    where.building = building ?? _.in([...a.buildingIds]);
  } else if (building) {
    where.building = building;
  }
  if (a.scope === 'useTypes') where.useType = _.in([...a.useTypes]);
  if (a.scope === 'rooms') where._id = _.in([...a.roomIds]);
  return where;
}

export const readingSheet: Handlers<typeof feeContracts>['readingSheet'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const standard = await meterStandard(ctx, input.communityId, input.itemId);
  const where = roomWhere(ctx, input.communityId, standard, input.building);
  const [rooms, readings, allBuildings] = await Promise.all([
    where
      ? fetchWhere<SheetRoomDoc>(ctx, 'rooms', where, {
          _id: true,
          building: true,
          unit: true,
          number: true,
          sortKey: true,
        })
      : Promise.resolve([]),
    fetchWhere<ReadingDoc>(ctx, 'meter_readings', {
      communityId: input.communityId,
      itemId: input.itemId,
      period: input.period,
    }),
    buildingsOf(ctx, input.communityId, standard),
  ]);
  rooms.sort((a, b) => (a.sortKey ?? a._id).localeCompare(b.sortKey ?? b._id));
  const byRoom = new Map(readings.map((r) => [r.roomId, r]));
  const inScope = rooms;
  const scoped = inScope.map((r) => byRoom.get(r._id)).filter((r): r is ReadingDoc => !!r);
  const count = (s: string) => scoped.filter((r) => r.status === s).length;
  const matching = inScope.filter((room) => {
    const reading = byRoom.get(room._id);
    if (input.filter === 'pending') return !reading || reading.status === 'rejected';
    if (input.filter === 'flagged') return reading?.status === 'flagged';
    if (input.filter === 'submitted') return reading?.status === 'submitted';
    return true;
  });
  const offset = decodeCursor(input.cursor);
  const page = matching.slice(offset, offset + input.limit);
  const previous = await previousReadings(
    ctx,
    input,
    page.map((r) => r._id),
  );
  // Owners' photos, as links (staff never get another user's file id to open).
  const photos = await fileLinks(
    page.flatMap((room) => byRoom.get(room._id)?.ownerReading?.photo ?? []),
  );
  const rows: ReadingSheetRow[] = page.map((room) => {
    const label = labelOf(room);
    const reading = byRoom.get(room._id);
    const prev = previous.get(room._id);
    return {
      roomId: room._id,
      roomLabel: label,
      previous: prev?.current ?? null,
      previousPeriod: prev?.period ?? null,
      reading: reading
        ? (readingView(
            reading,
            label,
            photos.get(reading.ownerReading?.photo ?? ''),
          ) as MeterReadingView)
        : null,
    };
  });
  return {
    itemId: standard.itemId,
    name: standard.name,
    unit: meterUnit(standard),
    period: input.period,
    buildings: allBuildings,
    rows,
    nextCursor: nextCursor(offset, page.length, matching.length),
    total: matching.length,
    counts: {
      rooms: inScope.length,
      entered: scoped.length,
      flagged: count('flagged'),
      submitted: count('submitted'),
      confirmed: count('confirmed'),
      rejected: count('rejected'),
      billed: count('billed'),
    },
  };
};

/** Buildings the item applies to, in order (for the page's building tabs). */
async function buildingsOf(
  ctx: ActionContext,
  communityId: string,
  doc: FeeStandardDoc,
): Promise<string[]> {
  const a = doc.applicability;
  if (a.scope === 'buildings') return [...a.buildingIds].sort(byCode);
  const docs = await fetchWhere<{ _id: string; code: string }>(
    ctx,
    'buildings',
    { communityId },
    { _id: true, code: true },
  );
  return docs.map((b) => b.code).sort(byCode);
}

function byCode(a: string, b: string): number {
  return a.localeCompare(b, 'zh', { numeric: true });
}

/** Each room's latest usable reading before the period (as saveReadings looks it up). */
async function previousReadings(
  ctx: ActionContext,
  input: { communityId: string; itemId: string; period: string },
  roomIds: string[],
): Promise<Map<string, { period: string; current: string }>> {
  const history = await readingHistory(ctx, input, roomIds);
  return new Map([...history].map(([roomId, list]) => [roomId, list[0]!]));
}
