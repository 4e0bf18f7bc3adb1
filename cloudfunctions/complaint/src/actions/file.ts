/**
 * An owner files a complaint or suggestion about one of their verified rooms (optionally about
 * bills of that room): the form's choices, and the ticket with its number and deadlines.
 */
import type { RoomDoc } from '../../../_shared/records';
import { myVerifiedBindings } from '../../../_shared/bindings';
import {
  CATEGORY_LABELS,
  KIND_LABELS,
  STATUS_LABELS,
  deadlinesFor,
  ticketNumber,
} from '../../../../miniprogram/domain/complaint/rules';
import { deskOrder } from '../../../../miniprogram/domain/complaint/desk-order';
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import {
  coverOf,
  outstandingFen,
  type BillDoc as Bill,
} from '../../../../miniprogram/domain/fee/bill';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { audit, ownerActor } from '../../../_shared/audit';
import { fetchAll, isDuplicate, isMissing, withConflictRetry } from '../../../_shared/db';
import { stableId } from '../../../_shared/ids';
import { AppError, requireOpenid, type ActionContext } from '../../../_shared/router';
import {
  TICKETS,
  type TicketDoc,
  community,
  event,
  photoPlace,
  settingsOf,
  ticketTarget,
} from '../repo/tickets';
import { requireUploads } from '../../../_shared/uploads';
import { notifyStaff, staffWith } from '../repo/notify';
import { pausesFees, placeTicketHold } from '../repo/ticket-holds';
import { OWNER } from './my-tickets';
import type { Handlers } from '../../../_shared/router';
import type {
  FiledTicket,
  complaintContracts,
} from '../../../../miniprogram/domain/complaint/contract';

type BillDoc = Pick<
  Bill,
  '_id' | 'roomId' | 'communityId' | 'title' | 'status' | 'period' | 'dueDate' | 'items'
> &
  Pick<Bill, 'amountDueFen' | 'lateFeeFen' | 'paidFen'>;

export const formOptions: Handlers<typeof complaintContracts>['formOptions'] = async (
  _input,
  ctx,
) => {
  const bindings = await myVerifiedBindings(ctx);
  const roomIds = [...new Set(bindings.map((b) => b.roomId))];
  if (roomIds.length === 0) return { rooms: [], bills: [] };
  const _ = ctx.db.command;
  const rooms = await fetchAll<RoomDoc>(ctx.db.collection('rooms').where({ _id: _.in(roomIds) }));
  const bills = await fetchAll<BillDoc>(
    ctx.db.collection('bills').where({ roomId: _.in(roomIds), status: _.neq('void') }),
    1000,
  );
  // What a complaint pauses is collection: the bills still owed come first (oldest due first),
  // then the latest paid ones; up to 8 a room.
  const owed = (b: BillDoc) => outstandingFen(b) > 0;
  bills.sort(
    (a, b) =>
      Number(owed(b)) - Number(owed(a)) ||
      (owed(a) ? a.dueDate.localeCompare(b.dueDate) : b.period.localeCompare(a.period)) ||
      a._id.localeCompare(b._id),
  );
  const perRoom = new Map<string, number>();
  const shown = bills.filter((b) => {
    const n = perRoom.get(b.roomId) ?? 0;
    perRoom.set(b.roomId, n + 1);
    return n < 8;
  });
  return {
    rooms: rooms.map((r) => ({ roomId: r._id, communityId: r.communityId, label: roomLabel(r) })),
    bills: shown.map((b) => ({
      billId: b._id,
      roomId: b.roomId,
      title: b.title,
      status: b.status,
      outstandingFen: outstandingFen(b),
      ...coverOf(b),
    })),
  };
};

export async function ensureCounter(ctx: ActionContext, id: string): Promise<void> {
  try {
    const got = await ctx.db.collection('counters').where({ _id: id }).limit(1).get();
    if (got.data.length) return;
    await ctx.db.collection('counters').add({ data: { _id: id, seq: 0, kind: 'complaint' } });
  } catch (e) {
    if (!isDuplicate(e)) throw e;
  }
}

/** What the owner is told of a filed ticket (again, for a retried submit). */
function filed(t: TicketDoc): FiledTicket {
  return {
    ticketId: t._id,
    ticketNo: t.ticketNo,
    status: t.status,
    held: t.holdRefId !== null,
    firstResponseDueAt: new Date(t.firstResponseDueAt).toISOString(),
  };
}

export const file: Handlers<typeof complaintContracts>['file'] = async (input, ctx) => {
  const openid = requireOpenid(ctx);
  const now = ctx.now();
  const _id = stableId('cp_', openid, input.requestId);
  // A retried submit (same requestId) returns the ticket it already made.
  const existing = await ctx.db.collection(TICKETS).where({ _id }).limit(1).get();
  if (existing.data[0]) {
    return filed(existing.data[0] as TicketDoc);
  }
  const binding = (await myVerifiedBindings(ctx)).find((b) => b.roomId === input.roomId);
  if (!binding) throw new AppError('INVALID_INPUT', 'roomId: 只能为您已认证的房屋提交');
  const room = (await ctx.db.collection('rooms').doc(input.roomId).get()).data as RoomDoc;
  const billIds = [...new Set(input.billIds)];
  let bills: BillDoc[] = [];
  if (billIds.length) {
    const _ = ctx.db.command;
    bills = await fetchAll<BillDoc>(ctx.db.collection('bills').where({ _id: _.in(billIds) }));
    if (bills.length !== billIds.length || bills.some((b) => b.roomId !== input.roomId)) {
      throw new AppError('INVALID_INPUT', 'billIds: 所选账单不属于该房屋，请刷新后重试');
    }
  }
  await requireUploads('photos', input.photos, photoPlace(openid));
  const c = await community(ctx, room.communityId);
  const settings = settingsOf(c);
  const due = deadlinesFor(input.category, now, settings.deadlines, settings.calendar);
  const day = shanghaiDate(now).replace(/-/g, '');
  const counterId = `complaint_${room.communityId}_${day}`;
  await ensureCounter(ctx, counterId);

  // Auto-assignment by category, when configured and the person still holds a service role.
  let handler: string | null = null;
  let handlerName = '';
  const rule = settings.autoAssign[input.category];
  if (rule) {
    const staff = await staffWith(ctx, room.communityId, ['service']);
    const who = staff.find((s) => s.openid === rule);
    if (who) {
      handler = who.openid;
      handlerName = who.name;
    }
  }

  // Two submits at once conflict on the counter; the loser retries and finds the winner's ticket.
  const doc = await withConflictRetry(() =>
    ctx.db.runTransaction(async (tx) => {
      // A concurrent submit of the same request may have won the race.
      try {
        const got = (await tx.collection(TICKETS).doc(_id).get()).data as TicketDoc | null;
        if (got) return { ...got, _id };
      } catch (e) {
        if (!isMissing(e)) throw e;
      }
      const counter = (await tx.collection('counters').doc(counterId).get()).data as {
        seq: number;
      };
      const next = counter.seq + 1;
      await tx
        .collection('counters')
        .doc(counterId)
        .update({ data: { seq: next } });
      const ticket: Omit<TicketDoc, '_id'> = {
        ticketNo: ticketNumber(now, next),
        communityId: room.communityId,
        roomId: room._id,
        roomLabel: roomLabel(room),
        openid,
        ownerName: binding.name ?? '',
        kind: input.kind,
        category: input.category,
        description: input.description,
        photos: input.photos,
        billIds,
        bills: bills.map((b) => ({ billId: b._id, title: b.title })),
        status: 'registered',
        handler,
        handlerName,
        createdAt: now,
        updatedAt: now,
        clockStartAt: now,
        firstResponseDueAt: due.firstResponseDueAt,
        resolutionDueAt: due.resolutionDueAt,
        firstResponseAt: null,
        firstResponseMinutes: null,
        resolvedAt: null,
        resolutionMinutes: null,
        closedAt: null,
        reopenCount: 0,
        breachKeys: [],
        nearKeys: [],
        sweepAt: null,
        ...deskOrder({ status: 'registered', clockStartAt: now, firstResponseAt: null, ...due }),
        holdRefId: null,
        events: [
          event(
            now,
            'created',
            OWNER(ctx),
            `提交${CATEGORY_LABELS[input.category]}${KIND_LABELS[input.kind]}：${input.description}`,
            { status: 'registered', photos: input.photos },
          ),
          ...(handler
            ? [
                event(
                  now,
                  'assign',
                  { by: 'system', openid: '', name: '系统' },
                  `按类别自动分派给 ${handlerName}`,
                  { internal: true },
                ),
              ]
            : []),
        ],
        rating: null,
        returnVisit: null,
      };
      await tx.collection(TICKETS).doc(_id).set({ data: ticket });
      return { _id, ...ticket } as TicketDoc;
    }),
  );

  if (pausesFees(doc) && doc.holdRefId === null && doc.reopenCount === 0) {
    const refId = await placeTicketHold(ctx, doc);
    await ctx.db
      .collection(TICKETS)
      .doc(doc._id)
      .update({ data: { holdRefId: refId } });
    doc.holdRefId = refId;
  }
  await audit(ctx, ownerActor(openid), {
    ...ticketTarget(doc),
    action: 'complaint.file',
    summary: `业主提交${CATEGORY_LABELS[doc.category]}${KIND_LABELS[doc.kind]}（${doc.roomLabel}）${doc.holdRefId ? '，相关账单暂缓催缴' : ''}`,
  });
  if (handler) {
    await notifyStaff(
      ctx,
      [handler],
      doc,
      'complaint-assigned',
      `新工单 ${doc.ticketNo}`,
      `${doc.roomLabel} ${CATEGORY_LABELS[doc.category]}：请在 ${STATUS_LABELS.accepted}时限内回复`,
    );
  }
  return filed(doc);
};
