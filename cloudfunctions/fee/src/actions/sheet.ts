/**
 * The reading sheet (抄表录入) behind the staff readings page: the rooms a meter item applies to
 * (its applicability: all, buildings, use types or listed rooms), in reading order, each with the
 * previous reading saveReadings would use by default and this period's reading if entered.
 * Filters: rooms still to enter (pending), readings waiting for confirmation (flagged) and owners'
 * own readings waiting for staff (submitted, with a link to the owner's photo).
 */
import { type MeterReadingView } from '../../../../miniprogram/domain/fee/readings.contract';
import type {
  ReadingSheet,
  ReadingSheetRow,
} from '../../../../miniprogram/domain/fee/readings.contract';
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

type Aggregate = ReturnType<ReturnType<ActionContext['db']['collection']>['aggregate']>;

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

/** Reading statuses the sheet counts (besides the rooms and those entered). */
const COUNTED = ['flagged', 'submitted', 'confirmed', 'rejected', 'billed'] as const;

type SheetFilter = 'all' | 'pending' | 'flagged' | 'submitted';

/**
 * The scope's rooms with this period's reading beside each (`reading`: none or one), as an
 * aggregation: the reading's key is its id (`mr_<roomId>_<itemId>_<period>`, see readingId), so
 * the join is a plain lookup on `_id` — one indexed fetch, not the month's readings in memory.
 */
function withReading(
  ctx: ActionContext,
  where: Record<string, unknown>,
  input: { itemId: string; period: string },
  before: (p: Aggregate) => Aggregate = (p) => p,
): Aggregate {
  const $ = ctx.db.command.aggregate;
  return before(ctx.db.collection('rooms').aggregate().match(where))
    .addFields({ readingKey: $.concat(['mr_', '$_id', `_${input.itemId}_${input.period}`]) })
    .lookup({
      from: 'meter_readings',
      localField: 'readingKey',
      foreignField: '_id',
      as: 'reading',
    });
}

/** The condition on a room's joined reading that a filter asks for. */
function filterMatch(ctx: ActionContext, filter: Exclude<SheetFilter, 'all'>) {
  const _ = ctx.db.command;
  if (filter === 'pending') return _.or([{ reading: _.size(0) }, { 'reading.status': 'rejected' }]);
  return { 'reading.status': filter };
}

/** The sheet's counts: rooms in scope, readings entered, and readings by status (one request). */
async function sheetCounts(
  ctx: ActionContext,
  where: Record<string, unknown> | null,
  input: { itemId: string; period: string },
): Promise<ReadingSheet['counts']> {
  const counts = {
    rooms: 0,
    entered: 0,
    flagged: 0,
    submitted: 0,
    confirmed: 0,
    rejected: 0,
    billed: 0,
  };
  if (!where) return counts;
  const $ = ctx.db.command.aggregate;
  const groups = (
    await withReading(ctx, where, input)
      .project({ status: $.arrayElemAt(['$reading.status', 0]) })
      .group({ _id: '$status', n: $.sum(1) })
      .limit(100)
      .end()
  ).list as { _id: string | null; n: number }[];
  for (const g of groups) {
    counts.rooms += g.n;
    if (g._id) counts.entered += g.n;
    const status = COUNTED.find((s) => s === g._id);
    if (status) counts[status] += g.n;
  }
  return counts;
}

/** How many rooms a filter leaves, from the counts. */
function totalOf(filter: SheetFilter, c: ReadingSheet['counts']): number {
  if (filter === 'pending') return c.rooms - c.entered + c.rejected;
  if (filter === 'flagged') return c.flagged;
  if (filter === 'submitted') return c.submitted;
  return c.rooms;
}

/**
 * One page of the scope's rooms in reading order (sortKey, as the rooms list), each with its
 * reading; with a filter the rooms are joined first and filtered in the database, else the page
 * is cut first and only its rooms are joined.
 */
async function sheetPage(
  ctx: ActionContext,
  where: Record<string, unknown>,
  input: { itemId: string; period: string; filter: SheetFilter; limit: number },
  offset: number,
): Promise<(SheetRoomDoc & { reading: ReadingDoc[] })[]> {
  const order = (p: Aggregate) => p.sort({ sortKey: 1, _id: 1 });
  const cut = (p: Aggregate) => (offset ? p.skip(offset) : p).limit(input.limit);
  const { filter } = input;
  const joined =
    filter === 'all'
      ? withReading(ctx, where, input, (p) => cut(order(p)))
      : cut(withReading(ctx, where, input, order).match(filterMatch(ctx, filter)));
  return (await joined.project({ building: 1, unit: 1, number: 1, sortKey: 1, reading: 1 }).end())
    .list as (SheetRoomDoc & { reading: ReadingDoc[] })[];
}

export const readingSheet: Handlers<typeof feeContracts>['readingSheet'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const standard = await meterStandard(ctx, input.communityId, input.itemId);
  const where = roomWhere(ctx, input.communityId, standard, input.building);
  const offset = decodeCursor(input.cursor);
  const [page, counts, allBuildings] = await Promise.all([
    where ? sheetPage(ctx, where, input, offset) : Promise.resolve([]),
    sheetCounts(ctx, where, input),
    buildingsOf(ctx, input.communityId, standard),
  ]);
  const total = totalOf(input.filter, counts);
  const byRoom = new Map(page.flatMap((r) => (r.reading[0] ? [[r._id, r.reading[0]]] : [])));
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
    nextCursor: nextCursor(offset, page.length, total),
    total,
    counts,
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
