/**
 * The billing run engine, shared by preview and issue. Rooms are walked in `_id` order, 1,000 per
 * chunk, so every chunk costs a fixed handful of round trips: the rooms, their owners on record,
 * bills already issued for the period (and, for the anomaly check, the previous period), meter
 * readings when a meter item falls due, prepaid balances when issuing; then one write of the run
 * document with the cursor. Issuing writes bills in batches of 500.
 *
 * Idempotency and resumption: a bill's `_id` is `b_<roomId>_<period>_<items>`, so a repeat (a
 * crash half-way, a second invocation, a double tap) finds the bill and writes nothing; the run
 * document's cursor only moves forward by compare-and-set, so two invocations never both count a
 * chunk. The ledger issues the bills (`_shared/ledger/issue.ts`), paying them from prepaid
 * balances first, exactly once.
 */
import { performance } from 'node:perf_hooks';
import {
  type DueItem,
  type BillDraft,
  PASS_TOTALS,
  type PassTally,
  type RoomRef,
  type RoomSkipReason,
  billDraftFor,
  billedItemIds,
  dueItems,
  emptyTally,
  lineAnomalies,
  remainingBill,
  resolveRunPeriod,
  standardsFingerprint,
  tallyAnomalies,
  tallyBill,
  tallyItemSkip,
  tallyRoomSkip,
} from '../../../../miniprogram/domain/fee/billing';
import {
  type BillContext,
  type BillableRoom,
  type FeeStandard,
  type MeterReading,
  type VacancyRecord,
  computeBill,
} from '../../../../miniprogram/domain/fee';
import type { ActionContext } from '../../../_shared/router';
import { issueRunBills } from '../../../_shared/ledger';
import { fetchWhere } from '../../../_shared/paging';
import { type FeeRoomDoc, type OwnerRelationDoc, ROOM_FIELDS, labelOf } from './rooms';
import { type FeeStandardDoc, loadStandards, toStandard } from './standards';
import type { ReadingDoc } from './readings';
import type { VacancyDoc } from './vacancies';
import { decideSpaces, loadChunkSpaces } from './space-bills';
import type { SpaceRecord } from '../../../../miniprogram/domain/community/spaces';

/** Rooms per chunk: one `get()` of rooms (the server maximum). */
export const CHUNK_ROOMS = 1000;
/** Stop starting chunks after this much of the 60 s function timeout. */
export const TIME_BUDGET_MS = 40_000;

export type PassMode = 'preview' | 'issue';

export interface PassDoc {
  token: string;
  /** Issue passes: the preview they issue. */
  previewToken?: string;
  fingerprint: string;
  /** `_id` of the last room processed; null before the first chunk. */
  cursor: string | null;
  done: boolean;
  roomsTotal: number;
  tally: PassTally;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface RunSetup {
  communityId: string;
  /** The billing month run. */
  period: string;
  runId: string;
  docs: FeeStandardDoc[];
  due: DueItem[];
  dueStandards: FeeStandard[];
  byItem: Map<string, { standard: FeeStandard; revision: number }>;
  fingerprint: string;
  vacanciesByRoom: Map<string, VacancyRecord[]>;
  /** The widest charged range of the due items. */
  span: { from: string; to: string };
}

export async function loadSetup(
  ctx: ActionContext,
  communityId: string,
  requestedPeriod: string,
  runIdOf: (communityId: string, period: string) => string,
): Promise<RunSetup> {
  const docs = await loadStandards(ctx, communityId);
  const standards = docs.map(toStandard);
  const period = resolveRunPeriod(standards, requestedPeriod);
  const due = dueItems(standards, period);
  const dueIds = new Set(due.map((d) => d.itemId));
  const dueDocs = docs.filter((d) => dueIds.has(d.itemId));
  const dueStandards = dueDocs.map(toStandard);
  const span = {
    from: due.reduce((m, d) => (d.from < m ? d.from : m), '2999-12-31'),
    to: due.reduce((m, d) => (d.to > m ? d.to : m), '1900-01-01'),
  };
  const vacanciesByRoom = new Map<string, VacancyRecord[]>();
  if (dueStandards.some((s) => s.vacancyDiscount && s.vacancyDiscount.rateBp > 0)) {
    const _ = ctx.db.command;
    const records = await fetchWhere<VacancyDoc>(ctx, 'vacancy_records', {
      communityId,
      status: 'approved',
      from: _.lte(span.to),
      to: _.gte(span.from),
    });
    for (const v of records) {
      const list = vacanciesByRoom.get(v.roomId) ?? [];
      list.push({ roomId: v.roomId, from: v.from, to: v.to, status: v.status });
      vacanciesByRoom.set(v.roomId, list);
    }
  }
  return {
    communityId,
    period,
    runId: runIdOf(communityId, period),
    docs,
    due,
    dueStandards,
    byItem: new Map(
      dueDocs.map((d) => [d.itemId, { standard: toStandard(d), revision: d.revision }]),
    ),
    fingerprint: standardsFingerprint(dueDocs),
    vacanciesByRoom,
    span,
  };
}

interface ExistingBill {
  _id: string;
  roomId: string;
  period: string;
  key: string;
  itemIds?: string[];
  /** Set on a parking space's or storeroom's bill (carried by its holder's room). */
  spaceId?: string;
  items: { itemId: string; amountFen?: number; kind?: 'charge' | 'discount' }[];
}

interface ChunkData {
  rooms: FeeRoomDoc[];
  ownerOf: Map<string, OwnerRelationDoc[]>;
  existing: Map<string, ExistingBill[]>;
  previous: Map<string, ExistingBill[]>;
  readings: Map<string, ReadingDoc>;
  /** Parking spaces and storerooms by holder room (read only when a standard for them is due). */
  spaces: Map<string, SpaceRecord[]>;
  /** Whether a room of the chunk has a prepaid account (issuing only). */
  hasPrepaid: boolean;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = map.get(k);
    if (list) list.push(it);
    else map.set(k, [it]);
  }
  return map;
}

async function loadChunk(
  ctx: ActionContext,
  setup: RunSetup,
  cursor: string | null,
  size: number,
  mode: PassMode,
): Promise<ChunkData> {
  const _ = ctx.db.command;
  const where: Record<string, unknown> = { communityId: setup.communityId };
  if (cursor !== null) where._id = _.gt(cursor);
  // One request for the chunk's rooms with their owners on record and (issuing) their prepaid
  // accounts, joined by `$lookup` on indexed fields.
  let q = ctx.db
    .collection('rooms')
    .aggregate()
    .match(where)
    .sort({ _id: 1 })
    .limit(size)
    .project({ ...ROOM_FIELDS })
    .lookup({ from: 'room_owners', localField: '_id', foreignField: 'roomId', as: 'owners' });
  if (mode === 'issue') {
    q = q.lookup({
      from: 'prepaid_accounts',
      localField: '_id',
      foreignField: '_id',
      as: 'prepaid',
    });
  }
  const joined = (await q.end()).list as (FeeRoomDoc & {
    owners: OwnerRelationDoc[];
    prepaid?: unknown[];
  })[];
  const rooms: FeeRoomDoc[] = joined.map(({ owners: _o, prepaid: _p, ...room }) => room);
  const empty: ChunkData = {
    rooms,
    ownerOf: new Map(),
    existing: new Map(),
    previous: new Map(),
    readings: new Map(),
    spaces: new Map(),
    hasPrepaid: false,
  };
  if (rooms.length === 0 || setup.due.length === 0) return empty;
  // The chunk is a contiguous `_id` range of the community's rooms, so related records are read
  // by a range on `roomId` (an index range scan; no list of 1,000 ids in the request).
  const inChunk = _.gte(rooms[0]!._id).and(_.lte(rooms[rooms.length - 1]!._id));
  const ownerOf = new Map(
    joined.map((r) => [r._id, r.owners.filter((o) => o.relation === 'owner')]),
  );
  const billFields = {
    _id: true,
    roomId: true,
    period: true,
    key: true,
    itemIds: true,
    spaceId: true,
    items: true,
  };
  const existing = await fetchWhere<ExistingBill>(
    ctx,
    'bills',
    { communityId: setup.communityId, roomId: inChunk, period: setup.period },
    billFields,
  );
  let previous: ExistingBill[] = [];
  if (mode === 'preview') {
    const periods = [...new Set(setup.due.map((d) => d.previousPeriod))];
    previous = await fetchWhere<ExistingBill>(
      ctx,
      'bills',
      { communityId: setup.communityId, roomId: inChunk, period: _.in(periods) },
      billFields,
    );
  }
  const meters = setup.due.filter((d) => d.readingPeriod !== null);
  let readings: ReadingDoc[] = [];
  if (meters.length > 0) {
    readings = await fetchWhere<ReadingDoc>(ctx, 'meter_readings', {
      communityId: setup.communityId,
      roomId: inChunk,
      itemId: _.in(meters.map((m) => m.itemId)),
      period: _.in([...new Set(meters.map((m) => m.readingPeriod as string))]),
    });
  }
  return {
    rooms,
    ownerOf,
    hasPrepaid: joined.some((r) => (r.prepaid ?? []).length > 0),
    existing: groupBy(existing, (b) => b.roomId),
    previous: groupBy(previous, (b) => b.roomId),
    readings: new Map(readings.map((r) => [`${r.roomId}:${r.itemId}`, r])),
    spaces: await loadChunkSpaces(ctx, setup, inChunk),
  };
}

function billableRoom(
  room: FeeRoomDoc,
  owners: readonly OwnerRelationDoc[],
  setup: RunSetup,
): BillableRoom {
  const owner = owners.find(
    (o) =>
      (o.since === null || o.since === undefined || o.since <= setup.span.to) &&
      (o.until === null || o.until === undefined || o.until > setup.span.from),
  );
  return {
    roomId: room._id,
    buildingId: room.building,
    useType: room.useType ?? 'residential',
    buildingAreaCm2: room.buildingAreaCentiM2 ?? null,
    innerAreaCm2: room.innerAreaCentiM2 ?? null,
    ownerId: owner?.ownerId ?? null,
    billableFrom: room.billableFrom ?? room.moveInDate ?? null,
    billableTo: room.billableTo ?? null,
    parkingSpaces: room.parkingSpaces ?? 0,
  };
}

function previousAmounts(setup: RunSetup, bills: readonly ExistingBill[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of setup.due) {
    let sum = 0;
    let seen = false;
    for (const b of bills) {
      if (b.period !== d.previousPeriod || b.key === 'opening') continue;
      for (const it of b.items ?? []) {
        if (it.itemId === d.itemId && (it.kind ?? 'charge') === 'charge') {
          sum += it.amountFen ?? 0;
          seen = true;
        }
      }
    }
    if (seen) out.set(d.itemId, sum);
  }
  return out;
}

interface ChunkOutcome {
  tally: PassTally;
  bills: { doc: BillDraft; building: string; computed: ReturnType<typeof remainingBill> }[];
}

/** Decides every room of a chunk (no I/O): skip with a reason, or the bill to issue. */
function decideChunk(
  setup: RunSetup,
  data: ChunkData,
  mode: PassMode,
  issuedAt: Date,
): ChunkOutcome {
  const tally = emptyTally();
  const bills: ChunkOutcome['bills'] = [];
  for (const room of data.rooms) {
    bills.push(
      ...decideSpaces(
        setup,
        {
          _id: room._id,
          building: room.building,
          label: labelOf(room),
          billableTo: room.billableTo ?? null,
        },
        data.spaces.get(room._id) ?? [],
        data.existing.get(room._id) ?? [],
        mode === 'issue' ? { issuedAt } : null,
        tally,
      ),
    );
    tally.roomsScanned += 1;
    const ref: RoomRef = { roomId: room._id, roomLabel: labelOf(room) };
    if (setup.due.length === 0) {
      tallyRoomSkip(tally, ref, 'nothingDue');
      continue;
    }
    const readings: Record<string, MeterReading> = {};
    const readingIds: Record<string, string> = {};
    const flagged = new Set<string>();
    for (const d of setup.due) {
      if (d.readingPeriod === null) continue;
      const r = data.readings.get(`${room._id}:${d.itemId}`);
      if (!r || r.period !== d.readingPeriod) continue;
      // an owner's reading staff have not taken yet waits like a flagged one
      if (r.status === 'flagged' || r.status === 'submitted') flagged.add(d.itemId);
      if (r.status !== 'ok' && r.status !== 'confirmed' && r.status !== 'billed') continue;
      readings[d.itemId] = {
        previous: r.previous,
        current: r.current,
        multiplier: r.multiplier,
        loss: r.loss,
        ...(r.readOn ? { readOn: r.readOn } : {}),
      };
      readingIds[d.itemId] = r._id;
    }
    const context: BillContext = {
      readings,
      vacancies: setup.vacanciesByRoom.get(room._id) ?? [],
    };
    let computed;
    try {
      computed = computeBill(
        billableRoom(room, data.ownerOf.get(room._id) ?? [], setup),
        setup.dueStandards,
        setup.period,
        context,
      );
    } catch (e) {
      console.error(`[fee.run] room ${room._id} cannot be billed:`, (e as Error).message);
      tallyRoomSkip(tally, ref, 'invalidData');
      continue;
    }
    const existing = data.existing.get(room._id) ?? [];
    const billed = new Set(existing.flatMap((b) => billedItemIds(b)));
    const remaining = remainingBill(computed, billed);
    if (computed.lines.length > 0 && remaining.lines.length === 0) {
      tallyRoomSkip(tally, ref, 'alreadyIssued');
      continue;
    }
    for (const s of computed.skippedItems) {
      const reason =
        s.reason === 'noReading' && flagged.has(s.itemId) ? 'readingFlagged' : s.reason;
      tallyItemSkip(tally, ref, s.itemId, reason);
    }
    if (computed.skipped || remaining.totalFen <= 0) {
      const reason: RoomSkipReason =
        computed.skipped ??
        (remaining.discounts.some((d) => d.kind === 'vacancy') ? 'vacant' : 'nothingDue');
      tallyRoomSkip(tally, ref, reason);
      continue;
    }
    if (mode === 'preview') {
      tallyBill(tally, room.building, remaining);
      tallyAnomalies(
        tally,
        ref,
        lineAnomalies(
          room._id,
          remaining.lines,
          previousAmounts(setup, data.previous.get(room._id) ?? []),
        ),
      );
      continue;
    }
    bills.push({
      building: room.building,
      computed: remaining,
      doc: billDraftFor({
        computed: remaining,
        communityId: setup.communityId,
        building: room.building,
        runId: setup.runId,
        issuedAt,
        standards: setup.byItem,
        readingIds,
      }),
    });
  }
  return { tally, bills };
}

async function writeChunk(
  ctx: ActionContext,
  setup: RunSetup,
  outcome: ChunkOutcome,
  hasPrepaid: boolean,
): Promise<number> {
  const tally = outcome.tally;
  const { bills: docs, inserted } = await issueRunBills(
    ctx.db,
    { communityId: setup.communityId, runId: setup.runId, at: ctx.now(), hasPrepaid },
    outcome.bills.map((b) => b.doc),
  );
  const readingIds: string[] = [];
  for (const [i, b] of outcome.bills.entries()) {
    const doc = docs[i]!;
    if (!inserted.has(doc._id)) {
      tallyRoomSkip(tally, { roomId: doc.roomId, roomLabel: doc.roomId }, 'alreadyIssued');
      continue;
    }
    tallyBill(tally, b.building, b.computed, doc.prepaidAppliedFen);
    for (const it of doc.items) if (it.readingId) readingIds.push(it.readingId);
  }
  if (readingIds.length > 0) {
    const _ = ctx.db.command;
    await ctx.db
      .collection('meter_readings')
      .where({ _id: _.in(readingIds) })
      .update({ data: { status: 'billed', billedRunId: setup.runId } });
  }
  return inserted.size;
}

/** Adds one chunk's tally into the pass's. */
export function mergeTally(into: PassTally, add: PassTally): void {
  for (const k of PASS_TOTALS) into[k] += add[k];
  for (const [k, v] of Object.entries(add.byBuilding)) {
    const b = into.byBuilding[k] ?? { bills: 0, totalFen: 0 };
    b.bills += v.bills;
    b.totalFen += v.totalFen;
    into.byBuilding[k] = b;
  }
  for (const [k, v] of Object.entries(add.byItem)) {
    const it = into.byItem[k] ?? { name: v.name, lines: 0, amountFen: 0, discountFen: 0 };
    it.lines += v.lines;
    it.amountFen += v.amountFen;
    it.discountFen += v.discountFen;
    into.byItem[k] = it;
  }
  for (const [k, v] of Object.entries(add.skipped)) {
    const key = k as RoomSkipReason;
    into.skipped[key] = (into.skipped[key] ?? 0) + (v ?? 0);
  }
  for (const [item, counts] of Object.entries(add.itemSkips)) {
    const target = into.itemSkips[item] ?? {};
    for (const [k, v] of Object.entries(counts)) {
      const key = k as keyof typeof counts;
      target[key] = (target[key] ?? 0) + (v ?? 0);
    }
    into.itemSkips[item] = target;
  }
  const room = 200;
  into.skippedRooms.push(
    ...add.skippedRooms.slice(0, Math.max(0, room - into.skippedRooms.length)),
  );
  into.itemSkipRooms.push(
    ...add.itemSkipRooms.slice(0, Math.max(0, room - into.itemSkipRooms.length)),
  );
  into.anomalyCount += add.anomalyCount;
  into.anomalies.push(...add.anomalies.slice(0, Math.max(0, room - into.anomalies.length)));
}

export interface PassProgress {
  pass: PassDoc;
  /** Bills created by this invocation (issue). */
  created: number;
  /** False when another invocation moved the cursor first (this one stopped). */
  owned: boolean;
}

/**
 * Runs chunks of a pass from its cursor until the rooms are done, the time budget is spent or
 * `maxRooms` rooms were processed, then saves the cursor and tally once (issue 16: progress is
 * one write per call, not per chunk). Every chunk's writes are idempotent (deterministic ids), so
 * a call cut off before its save only redoes work that then writes nothing new.
 */
export async function runPass(
  ctx: ActionContext,
  setup: RunSetup,
  mode: PassMode,
  start: PassDoc,
  maxRooms = Number.POSITIVE_INFINITY,
): Promise<PassProgress> {
  const _ = ctx.db.command;
  const t0 = performance.now();
  let slowest = 0;
  let processed = 0;
  let created = 0;
  const pass: PassDoc = { ...start, tally: JSON.parse(JSON.stringify(start.tally)) as PassTally };
  let now = ctx.now();
  while (!pass.done) {
    if (processed >= maxRooms) break;
    if (performance.now() - t0 + 2 * slowest > TIME_BUDGET_MS) break;
    const c0 = performance.now();
    const size = Math.min(CHUNK_ROOMS, maxRooms - processed);
    const data = await loadChunk(ctx, setup, pass.cursor, size, mode);
    now = ctx.now();
    const outcome = decideChunk(setup, data, mode, now);
    if (mode === 'issue' && outcome.bills.length > 0) {
      created += await writeChunk(ctx, setup, outcome, data.hasPrepaid);
    }
    mergeTally(pass.tally, outcome.tally);
    processed += data.rooms.length;
    const last = data.rooms[data.rooms.length - 1];
    if (last) pass.cursor = last._id;
    if (data.rooms.length < size) {
      pass.done = true;
      pass.finishedAt = now;
    }
    slowest = Math.max(slowest, performance.now() - c0);
  }
  if (pass.cursor === start.cursor && pass.done === start.done)
    return { pass, created, owned: true };
  // Compare-and-set on the cursor the call started from: of overlapping calls that did the same
  // chunks only one records them (the others' writes found everything already there).
  const res = await ctx.db
    .collection('billing_runs')
    .where({ _id: setup.runId, [`${mode}.token`]: pass.token, [`${mode}.cursor`]: start.cursor })
    .update({ data: { [mode]: _.set(pass), updatedAt: now } });
  return { pass, created, owned: res.stats.updated === 1 };
}
