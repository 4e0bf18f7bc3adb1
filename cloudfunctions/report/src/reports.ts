/**
 * The reports, each computed by database aggregation (a fixed number of round trips whatever
 * the community's size): bills are grouped per room in the database, joined to rooms
 * (`$lookup`) for the building, and grouped again; only per-building rows come back.
 *
 * The largest-arrears list and the reasons breakdown read what the overdue and complaint
 * functions store (docs/reports.md): `collection_cases` (a room's escalation stage),
 * `collection_events` of kind `contact` (calls and visits with a fixed non-payment reason),
 * `complaints` (kind `complaint`, `roomId`, `createdAt`) and the shared `bill_holds`.
 */
import { roomLabel } from '../../../miniprogram/domain/community/vocabulary';
import { CHANNEL_LABELS } from '../../../miniprogram/domain/payment/receipt';
import {
  NONPAYMENT_REASONS,
  NONPAYMENT_REASON_LABELS,
  STAGE_LABELS,
  type ContactChannel,
  type NonpaymentReason,
} from '../../../miniprogram/domain/overdue/rules';
import {
  AGING_BUCKETS,
  agingCutoffs,
  collectionRates,
  overdueDays,
  type AgingBucket,
} from '../../../miniprogram/domain/report/rates';
import { addDays, shanghaiDate } from '../../../miniprogram/domain/kernel/time';
import type {
  AgingReport,
  AgingRow,
  ArrearsEntry,
  ArrearsReport,
  CollectionReport,
  CollectionRow,
  ReasonRow,
  ReasonsReport,
} from '../../../miniprogram/domain/report/contract';
import type { CaseDoc } from '../../_shared/overdue-records';
import { isMissing } from '../../_shared/db';

import { requireRole } from '../../_shared/roles';
import { AppError, type ActionContext } from '../../_shared/router';

export const REPORT_ROLES = ['finance'] as const;
const OPEN = ['unpaid', 'partial'];

/** What the overdue function's case list says of a room nobody has reminded yet. */
const NO_STAGE = '尚未提醒';

async function communityName(ctx: ActionContext, communityId: string): Promise<string> {
  try {
    return (
      (await ctx.db.collection('communities').doc(communityId).get()).data as { name: string }
    ).name;
  } catch (e) {
    if (isMissing(e)) throw new AppError('NOT_FOUND', 'communityId: 小区不存在');
    throw e;
  }
}

export async function authorise(ctx: ActionContext, communityId: string) {
  return requireRole(ctx, communityId, REPORT_ROLES);
}

/** Outstanding of one bill as an aggregation expression: max(0, due + late fee − paid). */
function outstandingExpr(ctx: ActionContext) {
  const $ = ctx.db.command.aggregate;
  const left = $.subtract([$.add(['$amountDueFen', '$lateFeeFen']), '$paidFen']);
  return $.cond([$.gt([left, 0]), left, 0]);
}

function startOf(date: string): Date {
  return new Date(`${date}T00:00:00+08:00`);
}

// ------------------------------------------------------------------------------ collection

interface BuildingSums {
  _id: string;
  rooms: number;
  arrears: number;
  due: number;
  paid: number;
  out: number;
}

async function periodsOf(ctx: ActionContext, communityId: string): Promise<string[]> {
  const res = await ctx.db
    .collection('bills')
    .aggregate()
    .match({ communityId })
    .group({ _id: '$period' })
    .sort({ _id: -1 })
    .limit(1000)
    .end();
  return (res.list as { _id: string }[]).map((r) => r._id);
}

/** Allocations grouped per building and channel (one aggregation). */
async function allocationsByBuilding(
  ctx: ActionContext,
  match: Record<string, unknown>,
  allocationMatch: Record<string, unknown>,
): Promise<{ building: string; channel: string; fen: number }[]> {
  const $ = ctx.db.command.aggregate;
  const res = await ctx.db
    .collection('payments')
    .aggregate()
    .match(match)
    .unwind('$allocations')
    .match(allocationMatch)
    .group({
      _id: { roomId: '$allocations.roomId', channel: '$channel' },
      fen: $.sum('$allocations.amountFen'),
    })
    .lookup({ from: 'rooms', localField: '_id.roomId', foreignField: '_id', as: 'room' })
    .unwind('$room')
    .group({
      _id: { building: '$room.building', channel: '$_id.channel' },
      fen: $.sum('$fen'),
    })
    .limit(10000)
    .end();
  return (res.list as { _id: { building: string; channel: string }; fen: number }[]).map((r) => ({
    building: String(r._id.building),
    channel: r._id.channel,
    fen: r.fen,
  }));
}

function emptyRow(building: string): CollectionRow {
  return {
    building,
    billedRooms: 0,
    arrearsRooms: 0,
    dueFen: 0,
    collectedFen: 0,
    outstandingFen: 0,
    householdRateBp: 0,
    amountRateBp: 0,
    currentByChannel: {},
    recoveredByChannel: {},
    recoveredFen: 0,
  };
}

export async function collectionReport(
  input: { communityId: string; period?: string },
  ctx: ActionContext,
): Promise<CollectionReport> {
  await authorise(ctx, input.communityId);
  const name = await communityName(ctx, input.communityId);
  const today = shanghaiDate(ctx.now());
  const periods = await periodsOf(ctx, input.communityId);
  const thisMonth = today.slice(0, 7);
  const period = input.period ?? periods.find((p) => p <= thisMonth) ?? periods[0] ?? thisMonth;
  // 清欠 is counted from this period's start until the next period that has bills (or today).
  const later = periods.filter((p) => p > period).sort();
  const from = `${period}-01`;
  const to = later[0] && `${later[0]}-01` <= today ? `${later[0]}-01` : addDays(today, 1);
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const out = outstandingExpr(ctx);
  const billsRes = await ctx.db
    .collection('bills')
    .aggregate()
    .match({ communityId: input.communityId, period, status: _.neq('void') })
    .group({
      _id: '$roomId',
      due: $.sum($.add(['$amountDueFen', '$lateFeeFen'])),
      paid: $.sum('$paidFen'),
      out: $.sum(out),
    })
    .lookup({ from: 'rooms', localField: '_id', foreignField: '_id', as: 'room' })
    .unwind('$room')
    .group({
      _id: '$room.building',
      rooms: $.sum(1),
      arrears: $.sum($.cond([$.gt(['$out', 0]), 1, 0])),
      due: $.sum('$due'),
      paid: $.sum('$paid'),
      out: $.sum('$out'),
    })
    .sort({ _id: 1 })
    .limit(1000)
    .end();
  const current = await allocationsByBuilding(
    ctx,
    { communityId: input.communityId, 'allocations.period': period },
    { 'allocations.period': period },
  );
  const recovered =
    from < to
      ? await allocationsByBuilding(
          ctx,
          {
            communityId: input.communityId,
            paidAt: _.gte(startOf(from)).and(_.lt(startOf(to))),
          },
          { 'allocations.period': _.lt(period) },
        )
      : [];
  const rows = new Map<string, CollectionRow>();
  const row = (b: string) => {
    if (!rows.has(b)) rows.set(b, emptyRow(b));
    return rows.get(b)!;
  };
  for (const s of billsRes.list as BuildingSums[]) {
    const r = row(String(s._id));
    r.billedRooms = s.rooms;
    r.arrearsRooms = s.arrears;
    r.dueFen = s.due;
    // Collected counts what reached the period's bills, never more than was due on each.
    r.outstandingFen = s.out;
    r.collectedFen = s.due - s.out;
  }
  for (const c of current) {
    const r = row(c.building);
    r.currentByChannel[c.channel] = (r.currentByChannel[c.channel] ?? 0) + c.fen;
  }
  for (const c of recovered) {
    const r = row(c.building);
    r.recoveredByChannel[c.channel] = (r.recoveredByChannel[c.channel] ?? 0) + c.fen;
    r.recoveredFen += c.fen;
  }
  const buildings = [...rows.values()].sort((a, b) =>
    a.building.localeCompare(b.building, 'zh-CN', { numeric: true }),
  );
  const total = emptyRow('');
  for (const r of buildings) {
    Object.assign(r, collectionRates(r));
    total.billedRooms += r.billedRooms;
    total.arrearsRooms += r.arrearsRooms;
    total.dueFen += r.dueFen;
    total.collectedFen += r.collectedFen;
    total.outstandingFen += r.outstandingFen;
    total.recoveredFen += r.recoveredFen;
    for (const [k, v] of Object.entries(r.currentByChannel))
      total.currentByChannel[k] = (total.currentByChannel[k] ?? 0) + v;
    for (const [k, v] of Object.entries(r.recoveredByChannel))
      total.recoveredByChannel[k] = (total.recoveredByChannel[k] ?? 0) + v;
  }
  Object.assign(total, collectionRates(total));
  return {
    communityName: name,
    period,
    window: { from, to },
    asOf: today,
    total,
    buildings,
    periods,
  };
}

// ------------------------------------------------------------------------------ aging

function emptyAging(building: string): AgingRow {
  return {
    building,
    buckets: Object.fromEntries(
      AGING_BUCKETS.map((b) => [b, { fen: 0, rooms: 0, bills: 0 }]),
    ) as AgingRow['buckets'],
    totalFen: 0,
    rooms: 0,
  };
}

export async function agingReport(
  input: { communityId: string; asOf?: string },
  ctx: ActionContext,
): Promise<AgingReport> {
  await authorise(ctx, input.communityId);
  const name = await communityName(ctx, input.communityId);
  const asOf = input.asOf ?? shanghaiDate(ctx.now());
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const cut = agingCutoffs(asOf);
  const match = {
    communityId: input.communityId,
    status: _.in(OPEN),
    dueDate: _.lte(asOf),
  };
  const bucketExpr = $.switch({
    branches: cut.slice(0, 4).map((c) => ({ case: $.gte(['$dueDate', c.minDue]), then: c.bucket })),
    default: '365+',
  });
  const perBucket = await ctx.db
    .collection('bills')
    .aggregate()
    .match(match)
    .project({ roomId: 1, out: outstandingExpr(ctx), bucket: bucketExpr })
    .match({ out: _.gt(0) })
    .group({ _id: { roomId: '$roomId', bucket: '$bucket' }, fen: $.sum('$out'), bills: $.sum(1) })
    .lookup({ from: 'rooms', localField: '_id.roomId', foreignField: '_id', as: 'room' })
    .unwind('$room')
    .group({
      _id: { building: '$room.building', bucket: '$_id.bucket' },
      fen: $.sum('$fen'),
      rooms: $.sum(1),
      bills: $.sum('$bills'),
    })
    .limit(10000)
    .end();
  // Households in arrears per building (a room can sit in several buckets).
  const perRoom = await ctx.db
    .collection('bills')
    .aggregate()
    .match(match)
    .project({ roomId: 1, out: outstandingExpr(ctx) })
    .match({ out: _.gt(0) })
    .group({ _id: '$roomId' })
    .lookup({ from: 'rooms', localField: '_id', foreignField: '_id', as: 'room' })
    .unwind('$room')
    .group({ _id: '$room.building', rooms: $.sum(1) })
    .limit(1000)
    .end();
  const rows = new Map<string, AgingRow>();
  const row = (b: string) => {
    if (!rows.has(b)) rows.set(b, emptyAging(b));
    return rows.get(b)!;
  };
  const total = emptyAging('');
  for (const r of perBucket.list as {
    _id: { building: string; bucket: AgingBucket };
    fen: number;
    rooms: number;
    bills: number;
  }[]) {
    for (const target of [row(String(r._id.building)), total]) {
      const cell = target.buckets[r._id.bucket];
      cell.fen += r.fen;
      cell.rooms += r.rooms;
      cell.bills += r.bills;
      target.totalFen += r.fen;
    }
  }
  for (const r of perRoom.list as { _id: string; rooms: number }[]) {
    row(String(r._id)).rooms = r.rooms;
    total.rooms += r.rooms;
  }
  return {
    communityName: name,
    asOf,
    total,
    buildings: [...rows.values()].sort((a, b) =>
      a.building.localeCompare(b.building, 'zh-CN', { numeric: true }),
    ),
  };
}

// ------------------------------------------------------------------------------ largest arrears

/** The newest contact per room, as the aggregation returns it. */
interface LastContact {
  _id: string;
  reason: NonpaymentReason | null;
  channel: ContactChannel | null;
  at: Date;
}

export async function arrearsReport(
  input: { communityId: string; asOf?: string; limit?: number },
  ctx: ActionContext,
): Promise<ArrearsReport> {
  await authorise(ctx, input.communityId);
  const name = await communityName(ctx, input.communityId);
  const asOf = input.asOf ?? shanghaiDate(ctx.now());
  const _ = ctx.db.command;
  const $ = _.aggregate;
  // Largest arrears per room, with the room and its overdue account (`case_<roomId>`).
  const res = await ctx.db
    .collection('bills')
    .aggregate()
    .match({ communityId: input.communityId, status: _.in(OPEN), dueDate: _.lte(asOf) })
    .project({ roomId: 1, dueDate: 1, out: outstandingExpr(ctx) })
    .match({ out: _.gt(0) })
    .group({
      _id: '$roomId',
      fen: $.sum('$out'),
      bills: $.sum(1),
      oldest: $.min('$dueDate'),
      billIds: $.addToSet('$_id'),
    })
    .sort({ fen: -1, _id: 1 })
    .limit(input.limit ?? 20)
    .lookup({ from: 'rooms', localField: '_id', foreignField: '_id', as: 'room' })
    .unwind('$room')
    .lookup({ from: 'collection_cases', localField: '_id', foreignField: 'roomId', as: 'cases' })
    .end();
  const top = res.list as {
    _id: string;
    fen: number;
    bills: number;
    oldest: string;
    billIds: string[];
    room: { building: string; unit: string; number: string };
    cases: Pick<CaseDoc, 'communityId' | 'stage' | 'billIds'>[];
  }[];
  top.sort((a, b) => b.fen - a.fen || a._id.localeCompare(b._id));
  const ids = top.map((t) => t._id);
  const lastContact = new Map<string, LastContact>();
  const holds = new Map<string, string[]>();
  if (ids.length) {
    const contacts = await ctx.db
      .collection('collection_events')
      .aggregate()
      .match({ communityId: input.communityId, roomId: _.in(ids), kind: 'contact' })
      .sort({ at: -1, _id: -1 })
      .group({
        _id: '$roomId',
        reason: $.first('$reason'),
        channel: $.first('$channel'),
        at: $.first('$at'),
      })
      .limit(1000)
      .end();
    for (const c of contacts.list as LastContact[]) lastContact.set(c._id, c);
    const h = await ctx.db
      .collection('bill_holds')
      .where({ communityId: input.communityId, roomId: _.in(ids), active: true })
      .limit(1000)
      .get();
    for (const d of h.data as { roomId: string; reason: string }[]) {
      holds.set(d.roomId, [...new Set([...(holds.get(d.roomId) ?? []), d.reason])]);
    }
  }
  const entries: ArrearsEntry[] = top.map((t) => {
    // As the overdue function: a stage counts while its episode covers one of the open bills.
    const open = new Set(t.billIds);
    const c = (t.cases ?? []).find(
      (x) => x.communityId === input.communityId && x.billIds.some((id) => open.has(id)),
    );
    const stage = c?.stage ?? null;
    const contact = lastContact.get(t._id);
    return {
      roomId: t._id,
      roomLabel: roomLabel(t.room),
      building: String(t.room.building),
      outstandingFen: t.fen,
      bills: t.bills,
      oldestDueDate: t.oldest,
      overdueDays: overdueDays(t.oldest, asOf),
      escalationStage: stage,
      escalationLabel: stage ? STAGE_LABELS[stage] : NO_STAGE,
      lastContactReason: contact?.reason ?? null,
      lastContactReasonText: contact?.reason ? NONPAYMENT_REASON_LABELS[contact.reason] : '—',
      lastContactChannel: contact?.channel ?? null,
      lastContactAt: contact ? new Date(contact.at).toISOString() : null,
      holds: holds.get(t._id) ?? [],
    };
  });
  return { communityName: name, asOf, entries };
}

// ------------------------------------------------------------------------------ reasons

export async function reasonsReport(
  input: { communityId: string; from?: string; to?: string },
  ctx: ActionContext,
): Promise<ReasonsReport> {
  await authorise(ctx, input.communityId);
  const name = await communityName(ctx, input.communityId);
  const today = shanghaiDate(ctx.now());
  const to = input.to ?? today;
  const from = input.from ?? addDays(to, -89);
  if (from > to) throw new AppError('INVALID_INPUT', 'from: 开始日期不能晚于结束日期');
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const range = _.gte(startOf(from)).and(_.lt(startOf(addDays(to, 1))));
  // Contacts recorded by the overdue function (`record`): one event each, with a fixed reason.
  const res = await ctx.db
    .collection('collection_events')
    .aggregate()
    .match({ communityId: input.communityId, kind: 'contact', at: range })
    .group({
      _id: { reason: '$reason', channel: '$channel' },
      contacts: $.sum(1),
      rooms: $.addToSet('$roomId'),
    })
    .limit(1000)
    .end();
  const merged = new Map<
    NonpaymentReason,
    { contacts: number; rooms: Set<string>; byChannel: ReasonRow['byChannel'] }
  >();
  for (const r of res.list as {
    _id: { reason: NonpaymentReason | null; channel: ContactChannel | null };
    contacts: number;
    rooms: string[];
  }[]) {
    const reason = r._id.reason;
    if (!reason || !(reason in NONPAYMENT_REASON_LABELS)) continue;
    const m = merged.get(reason) ?? { contacts: 0, rooms: new Set<string>(), byChannel: {} };
    m.contacts += r.contacts;
    for (const id of r.rooms) m.rooms.add(id);
    if (r._id.channel) m.byChannel[r._id.channel] = (m.byChannel[r._id.channel] ?? 0) + r.contacts;
    merged.set(reason, m);
  }
  const reasons: ReasonRow[] = [...merged]
    .map(([reason, m]) => ({
      reason,
      reasonText: NONPAYMENT_REASON_LABELS[reason],
      contacts: m.contacts,
      rooms: m.rooms.size,
      byChannel: m.byChannel,
    }))
    .sort(
      (a, b) =>
        b.contacts - a.contacts ||
        NONPAYMENT_REASONS.indexOf(a.reason) - NONPAYMENT_REASONS.indexOf(b.reason),
    );
  // Complaint tickets (suggestions are not complaints) filed in the range, per room.
  const complaints = { total: 0, fromArrearsRooms: 0 };
  const perRoomRes = await ctx.db
    .collection('complaints')
    .aggregate()
    .match({ communityId: input.communityId, kind: 'complaint', createdAt: range })
    .group({ _id: '$roomId', n: $.sum(1) })
    .limit(10000)
    .end();
  const perRoom = perRoomRes.list as { _id: string; n: number }[];
  complaints.total = perRoom.reduce((s, r) => s + r.n, 0);
  const ids = perRoom.map((r) => r._id).filter((id) => typeof id === 'string');
  const inArrears = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const a = await ctx.db
      .collection('bills')
      .aggregate()
      .match({
        communityId: input.communityId,
        roomId: _.in(ids.slice(i, i + 500)),
        status: _.in(OPEN),
        dueDate: _.lte(today),
      })
      .project({ roomId: 1, out: outstandingExpr(ctx) })
      .match({ out: _.gt(0) })
      .group({ _id: '$roomId' })
      .limit(1000)
      .end();
    for (const r of a.list as { _id: string }[]) inArrears.add(r._id);
  }
  complaints.fromArrearsRooms = perRoom
    .filter((r) => inArrears.has(r._id))
    .reduce((s, r) => s + r.n, 0);
  const holdsRes = await ctx.db
    .collection('bill_holds')
    .aggregate()
    .match({ communityId: input.communityId, active: true })
    .group({ _id: '$reason', holds: $.sum(1), rooms: $.addToSet('$roomId') })
    .limit(100)
    .end();
  const holds: ReasonsReport['holds'] = {};
  for (const h of holdsRes.list as { _id: string; holds: number; rooms: string[] }[]) {
    holds[h._id] = { holds: h.holds, rooms: h.rooms.length };
  }
  return { communityName: name, from, to, reasons, complaints, holds };
}

export const channelLabel = (c: string): string =>
  (CHANNEL_LABELS as Record<string, string>)[c] ?? c;
