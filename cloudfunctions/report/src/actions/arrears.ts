/**
 * The largest arrears, with each room's escalation stage (`collection_cases`, the current
 * episode), last contact (`collection_events` of kind `contact`) and holds (docs/reports.md).
 */
import { overdueDaysOn } from '../../../../miniprogram/domain/ledger/aging';
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import {
  NONPAYMENT_REASON_LABELS,
  STAGE_LABELS,
  type ContactChannel,
  type NonpaymentReason,
} from '../../../../miniprogram/domain/overdue/rules';
import { addDays, shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import type { ArrearsEntry } from '../../../../miniprogram/domain/report/contract';
import type { CaseDoc } from '../../../_shared/overdue-records';
import { growthBy, lateFeeGrowth } from '../../../_shared/ledger/as-of';
import { slices } from '../../../_shared/paging';
import { NO_STAGE, OPEN, openReport, outstandingExpr } from '../repo/reports';
import type { ActionContext, Handlers } from '../../../_shared/router';
import type { reportContracts } from '../../../../miniprogram/domain/report/contract';

// ------------------------------------------------------------------------------ largest arrears
export /** The newest contact per room, as the aggregation returns it. */
interface LastContact {
  _id: string;
  reason: NonpaymentReason | null;
  channel: ContactChannel | null;
  at: Date;
}

/** A room's arrears as the aggregation sums them, with its room and overdue account joined. */
interface RoomArrearsRow {
  _id: string;
  fen: number;
  bills: number;
  oldest: string;
  billIds: string[];
  room: { building: string; unit: string; number: string };
  cases: Pick<CaseDoc, 'communityId' | 'stage' | 'billIds'>[];
}

/**
 * Rooms' stored arrears (bills due by `asOf`), largest first: the first `limit` rooms, or the
 * rooms `roomIds` (one request either way).
 */
async function roomArrears(
  ctx: ActionContext,
  communityId: string,
  asOf: string,
  pick: { limit: number } | { roomIds: string[] },
): Promise<RoomArrearsRow[]> {
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const where: Record<string, unknown> = { communityId, status: _.in(OPEN), dueDate: _.lte(asOf) };
  if ('roomIds' in pick) where.roomId = _.in(pick.roomIds);
  const res = await ctx.db
    .collection('bills')
    .aggregate()
    .match(where)
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
    .limit('limit' in pick ? pick.limit : pick.roomIds.length)
    .lookup({ from: 'rooms', localField: '_id', foreignField: '_id', as: 'room' })
    .unwind('$room')
    .lookup({ from: 'collection_cases', localField: '_id', foreignField: 'roomId', as: 'cases' })
    .end();
  return res.list as RoomArrearsRow[];
}

const largestFirst = (a: RoomArrearsRow, b: RoomArrearsRow) =>
  b.fen - a.fen || a._id.localeCompare(b._id);

/**
 * The `limit` rooms owing most today: the stored sums plus today's late-fee growth (`grown`, by
 * room). A room outside the stored top `limit` owes at most the last one's stored sum plus its
 * growth, so only rooms with growth enough to pass the last of the list are read as well
 * (usually none).
 */
async function largestToday(
  ctx: ActionContext,
  communityId: string,
  asOf: string,
  limit: number,
  grown: ReadonlyMap<string, number>,
): Promise<RoomArrearsRow[]> {
  const withGrowth = (rows: RoomArrearsRow[]) =>
    rows.map((r) => ({ ...r, fen: r.fen + (grown.get(r._id) ?? 0) }));
  const stored = await roomArrears(ctx, communityId, asOf, { limit });
  const top = withGrowth(stored).sort(largestFirst);
  if (stored.length === limit && grown.size > 0) {
    const floor = stored[stored.length - 1]!.fen;
    const last = top[top.length - 1]!.fen;
    const listed = new Set(stored.map((r) => r._id));
    const rivals = [...grown]
      .filter(([roomId, fen]) => !listed.has(roomId) && floor + fen >= last)
      .map(([roomId]) => roomId);
    for (const roomIds of slices(rivals, 1000))
      top.push(...withGrowth(await roomArrears(ctx, communityId, asOf, { roomIds })));
  }
  return top.sort(largestFirst).slice(0, limit);
}

export const arrearsReport: Handlers<typeof reportContracts>['arrears'] = async (input, ctx) => {
  const name = await openReport(ctx, input.communityId);
  const today = shanghaiDate(ctx.now());
  const asOf = input.asOf ?? today;
  const _ = ctx.db.command;
  const $ = _.aggregate;
  // Today's late fees (what each owner is shown), then the largest arrears with them.
  const growth = await lateFeeGrowth(ctx.db, input.communityId, today, {
    dueBefore: addDays(asOf, 1),
  });
  const top = await largestToday(
    ctx,
    input.communityId,
    asOf,
    input.limit ?? 20,
    growthBy(growth, (g) => g.roomId),
  );
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
      overdueDays: overdueDaysOn(t.oldest, asOf),
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
};
