/**
 * Overdue accounts: the list staff work from, and one room's case in full.
 */
import { overdueDaysOn } from '../../../../miniprogram/domain/ledger/aging';
import { addDays } from '../../../../miniprogram/domain/kernel/time';
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import {
  billAmounts,
  coverOf,
  isPastDue,
  outstandingFen,
  type BillDoc,
} from '../../../../miniprogram/domain/fee/bill';
import { maskMobile, maskName } from '../../../../miniprogram/domain/community/mask';
import {
  type overdueContracts,
  type PlanView,
} from '../../../../miniprogram/domain/overdue/contract';
import { type TaskDoc } from '../../../_shared/contacts';
import { fetchAll, isMissing } from '../../../_shared/db';
import { growthBy, lateFeeGrowth } from '../../../_shared/ledger/as-of';
import { holdsForRooms, isHeld } from '../../../_shared/holds';
import { boundOpenids } from '../../../_shared/notice-push';
import { requireRole } from '../../../_shared/roles';
import type { CaseDoc, EventDoc, LetterDoc, PlanDoc } from '../../../_shared/overdue-records';
import { decodeCursor, nextCursor } from '../../../_shared/paging';
import type { ActionContext, Handlers } from '../../../_shared/router';
import {
  arrearsPage,
  arrearsPipeline,
  arrearsTotals,
  rowExtras,
  type ArrearsRow,
} from '../repo/lists';
import {
  arrearsOf,
  caseItem,
  community,
  eventView,
  holdView,
  iso,
  openBills,
  planPaid,
  planView,
  room,
  taskView,
  today,
} from '../repo/cases';

/** Stages each filter lists (a letter is due from 正式催缴, a visit at 上门拜访). */
const FILTER_STAGES: Record<string, string[]> = {
  letters: ['formal-notice', 'home-visit'],
  visits: ['home-visit'],
};

/** Rooms that have a hold covering `day` (candidates for the 暂缓 filter; few in practice). */
async function heldRoomIds(ctx: ActionContext, communityId: string, day: string) {
  const _ = ctx.db.command;
  const docs = await fetchAll<{ roomId: string }>(
    ctx.db
      .collection('bill_holds')
      .where(
        _.and([
          { communityId, from: _.lte(day) },
          _.or([{ active: true, to: null }, { to: _.gte(day) }]),
        ]),
      )
      .field({ roomId: true }),
  );
  return [...new Set(docs.map((d) => d.roomId))];
}

export const cases: Handlers<typeof overdueContracts>['cases'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ['service', 'finance']);
  const c = await community(ctx, input.communityId);
  const day = today(ctx);
  const grace = c.overdueGraceDays ?? 0;
  // past due plus the grace days (isPastDue): due dates before this day
  const pastDue = addDays(day, -grace);
  // Today's late fees: the database holds them as last settled (docs/overdue.md).
  const grown = growthBy(
    await lateFeeGrowth(ctx.db, c._id, day, { dueBefore: pastDue }),
    (g) => g.roomId,
  );
  const asToday = (rows: ArrearsRow[]): ArrearsRow[] =>
    rows.map((r) => {
      const g = grown.get(r._id) ?? 0;
      return { ...r, arrearsFen: r.arrearsFen + g, lateFeeFen: r.lateFeeFen + g };
    });
  const item = (r: ArrearsRow) => {
    const extra = rowExtras(r);
    return caseItem(
      { ...r, roomId: r._id, roomLabel: r.room?.[0] ? roomLabel(r.room[0]) : r._id },
      day,
      grace,
      r.caseDoc?.[0],
      r.holds ?? [],
      extra.openTasks,
      extra.cared,
      extra.bound,
    );
  };
  /** A page of rows as the list shows them, with the totals over every page. */
  const reply = (
    rows: ArrearsRow[],
    offset: number,
    totals: { total: number; arrearsFen: number },
  ) => ({
    items: rows.map(item),
    total: totals.total,
    totalArrearsFen: totals.arrearsFen,
    nextCursor: nextCursor(offset, rows.length, totals.total),
  });
  if (input.filter === 'held') {
    // Held means every overdue bill is paused: decided per room over the few rooms with a hold.
    const candidates = await heldRoomIds(ctx, c._id, day);
    if (candidates.length === 0)
      return { items: [], total: 0, totalArrearsFen: 0, nextCursor: null };
    const { rows } = await arrearsPage(
      arrearsPipeline(ctx, c._id, pastDue, { roomIds: candidates }),
      {
        limit: candidates.length,
      },
    );
    // as the list shows it: every overdue bill of the room paused today
    const held = asToday(rows).filter(
      (r) => r.billIds.length > 0 && r.billIds.every((id) => isHeld(r.holds ?? [], id, day)),
    );
    const offset = decodeCursor(input.cursor);
    const totals = { total: held.length, arrearsFen: held.reduce((s, r) => s + r.arrearsFen, 0) };
    return reply(held.slice(offset, offset + input.limit), offset, totals);
  }
  const stages = FILTER_STAGES[input.filter];
  const pipeline = () => arrearsPipeline(ctx, c._id, pastDue, stages ? { stages } : {});
  // Every room with growth is on the whole list; a stage's list names its rooms to the totals.
  const [{ rows, offset }, totals] = await Promise.all([
    arrearsPage(pipeline(), input),
    arrearsTotals(ctx, pipeline(), stages ? grown : undefined),
  ]);
  if (!stages) for (const g of grown.values()) totals.arrearsFen += g;
  return reply(asToday(rows), offset, totals);
};

export const caseDetail: Handlers<typeof overdueContracts>['case'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ['service', 'finance']);
  const c = await community(ctx, input.communityId);
  const r = await room(ctx, c._id, input.roomId);
  const day = today(ctx);
  const bills = await openBills(ctx, c._id, [r._id]);
  const holds = (await holdsForRooms(ctx.db, c._id, [r._id])).get(r._id) ?? [];
  let caseDoc: CaseDoc | undefined;
  try {
    caseDoc = (await ctx.db.collection('collection_cases').doc(`case_${r._id}`).get())
      .data as CaseDoc;
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
  const events = await fetchAll<EventDoc>(
    ctx.db.collection('collection_events').where({ communityId: c._id, roomId: r._id }),
  );
  events.sort((a, b) => new Date(b.at).getTime() - new Date(a.at).getTime());
  const tasks = await fetchAll<TaskDoc>(
    ctx.db.collection('collection_tasks').where({ communityId: c._id, roomId: r._id }),
  );
  const plans = await fetchAll<PlanDoc>(
    ctx.db.collection('installment_plans').where({ communityId: c._id, roomId: r._id }),
  );
  const label = roomLabel(r);
  const rel = await fetchAll<{ ownerId: string }>(
    ctx.db.collection('room_owners').where({ roomId: r._id, relation: 'owner' }),
  );
  interface OwnerRec {
    _id: string;
    name?: string;
    mobile?: string;
    specialCare?: boolean;
    careNote?: string | null;
  }
  let owner: OwnerRec | null = null;
  if (rel[0]) {
    try {
      owner = (await ctx.db.collection('owners').doc(rel[0].ownerId).get()).data as OwnerRec;
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
  }
  const bound = (await boundOpenids(ctx.db, [r._id])).get(r._id) ?? [];
  // The same bills the header counts: past due (+ grace) and still owing; a bill issued ahead
  // of its due date is not in arrears and not on this page.
  const grace = c.overdueGraceDays ?? 0;
  const open = bills.filter((b) => outstandingFen(b) > 0 && isPastDue(b.dueDate, day, grace));
  const arrears = open.reduce((s, b) => s + outstandingFen(b), 0);
  const letters = await ctx.db
    .collection('collection_letters')
    .where({ roomId: r._id })
    .orderBy('createdAt', 'desc')
    .limit(1)
    .get();
  const letter = letters.data[0] as LetterDoc | undefined;
  const planViews: PlanView[] = [];
  for (const p of plans) planViews.push(planView(p, await planPaid(ctx, p), day));
  return {
    item: caseItem(
      arrearsOf({ roomId: r._id, roomLabel: label }, bills, day, grace),
      day,
      grace,
      caseDoc,
      holds,
      tasks.filter((t) => t.status === 'open').length,
      Boolean(owner?.specialCare),
      bound.length > 0,
    ),
    ownerId: owner?._id ?? null,
    ownerName: maskName(owner?.name ?? ''),
    ownerMobile: maskMobile(owner?.mobile ?? ''),
    careNote: owner?.specialCare ? (owner.careNote ?? '') : '',
    bills: open
      .sort((a, b) => a.dueDate.localeCompare(b.dueDate))
      .map((b) => {
        const s = b as BillDoc & { lateFee?: { waivedFen?: number } };
        return {
          billId: b._id,
          period: b.period,
          ...coverOf(b),
          title: b.title,
          dueDate: b.dueDate,
          ...billAmounts(b),
          lateFeeWaivedFen: s.lateFee?.waivedFen ?? 0,
          overdueDays: overdueDaysOn(b.dueDate, day),
        };
      }),
    events: events.map(eventView),
    tasks: tasks
      .sort((a, b) => (a.status === b.status ? 0 : a.status === 'open' ? -1 : 1))
      .map((t) => taskView(t, label, arrears)),
    plans: planViews,
    holds: holds.filter((h) => h.active).map(holdView),
    letter: letter ? { letterNo: letter.letterNo, deliveredAt: iso(letter.deliveredAt) } : null,
  };
};
