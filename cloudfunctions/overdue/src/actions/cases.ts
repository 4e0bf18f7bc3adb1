/**
 * Overdue accounts: the list staff work from, and one room's case in full.
 */
import { overdueDaysOn } from '../../../../miniprogram/domain/ledger/aging';
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
import { holdsForRooms } from '../../../_shared/holds';
import { billsAsOf } from '../../../_shared/ledger/as-of';
import { boundOpenids, specialCareRooms } from '../../../_shared/notice-push';
import { requireRole } from '../../../_shared/roles';
import type { CaseDoc, EventDoc, LetterDoc, PlanDoc } from '../../../_shared/overdue-records';
import type { RoomDoc } from '../../../_shared/records';
import type { Handlers } from '../../../_shared/router';
import {
  OPEN,
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

export const cases: Handlers<typeof overdueContracts>['cases'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ['service', 'finance']);
  const c = await community(ctx, input.communityId);
  const day = today(ctx);
  const _ = ctx.db.command;
  // As of today: late fees derived as the owners are charged them.
  const bills = await billsAsOf(
    ctx.db,
    await fetchAll<BillDoc>(
      ctx.db
        .collection('bills')
        .where({ communityId: c._id, status: _.in(OPEN), dueDate: _.lt(day) }),
    ),
    day,
  );
  const roomIds = [...new Set(bills.map((b) => b.roomId))];
  const rooms = new Map<string, RoomDoc>();
  const cases = new Map<string, CaseDoc>();
  for (let i = 0; i < roomIds.length; i += 500) {
    const chunk = roomIds.slice(i, i + 500);
    for (const r of await fetchAll<RoomDoc>(ctx.db.collection('rooms').where({ _id: _.in(chunk) })))
      rooms.set(r._id, r);
    for (const k of await fetchAll<CaseDoc>(
      ctx.db.collection('collection_cases').where({ _id: _.in(chunk.map((r) => `case_${r}`)) }),
    ))
      cases.set(k.roomId, k);
  }
  const holds = await holdsForRooms(ctx.db, c._id, roomIds);
  const tasks = await fetchAll<TaskDoc>(
    ctx.db.collection('collection_tasks').where({ communityId: c._id, status: 'open' }),
  );
  const cared = await specialCareRooms(ctx.db, c._id, roomIds);
  const bound = await boundOpenids(ctx.db, roomIds);
  const byRoom = new Map<string, BillDoc[]>();
  for (const b of bills) byRoom.set(b.roomId, [...(byRoom.get(b.roomId) ?? []), b]);
  let items = [...byRoom.entries()]
    .map(([roomId, list]) =>
      caseItem(
        { roomId, roomLabel: rooms.has(roomId) ? roomLabel(rooms.get(roomId)!) : roomId },
        list,
        day,
        c.overdueGraceDays ?? 0,
        cases.get(roomId),
        holds.get(roomId) ?? [],
        tasks.filter((t) => t.roomId === roomId).length,
        cared.has(roomId),
        (bound.get(roomId) ?? []).length > 0,
      ),
    )
    .filter((i) => i.arrearsFen > 0);
  if (input.filter === 'held') items = items.filter((i) => i.held);
  if (input.filter === 'letters')
    items = items.filter((i) => i.stage === 'formal-notice' || i.stage === 'home-visit');
  if (input.filter === 'visits') items = items.filter((i) => i.stage === 'home-visit');
  items.sort(
    (a, b) => b.overdueDays - a.overdueDays || a.roomLabel.localeCompare(b.roomLabel, 'zh'),
  );
  return {
    items: items.slice(0, input.limit),
    total: items.length,
    totalArrearsFen: items.reduce((s, i) => s + i.arrearsFen, 0),
  };
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
      { roomId: r._id, roomLabel: label },
      bills,
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
