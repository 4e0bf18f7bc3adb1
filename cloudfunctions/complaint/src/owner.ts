/**
 * Owner side: file a complaint or suggestion about one of their verified rooms (optionally about
 * bills of that room), follow it, reply, confirm or reopen within 7 days, and rate it.
 * A ticket about a fee places a hold (`_shared/holds.ts`) so overdue escalation and late fees
 * pause on those bills until it is resolved.
 */
import {
  CATEGORY_LABELS,
  KIND_LABELS,
  STATUS_LABELS,
  deadlinesFor,
  ticketNumber,
} from '../../../miniprogram/domain/complaint/rules';
import { roomLabel } from '../../../miniprogram/domain/community/vocabulary';
import { shanghaiDate } from '../../../miniprogram/domain/kernel/time';
import type {
  FiledTicket,
  FormOptions,
  OwnerTicketSummary,
  OwnerTicketView,
  complaintContracts,
} from '../../../miniprogram/domain/complaint/contract';
import type { z } from 'zod';
import { audit } from '../../_shared/audit';
import { fetchAll, isDuplicate, isMissing, withConflictRetry } from '../../_shared/db';
import { placeHold, releaseHolds, ticketHoldRef } from '../../_shared/holds';
import { stableId } from '../../_shared/ids';
import { AppError, requireOpenid, type ActionContext } from '../../_shared/router';
import {
  TICKETS,
  community,
  event,
  inReopenWindow,
  loadTicket,
  notifyProgress,
  notifyStaff,
  ownerSummary,
  ownerView,
  settingsOf,
  staffWith,
  type TicketDoc,
} from './repo';

type In<A extends keyof typeof complaintContracts> = z.output<
  (typeof complaintContracts)[A]['input']
>;

interface BindingDoc {
  roomId: string;
  communityId: string;
  status: string;
  name?: string;
}

interface RoomDoc {
  _id: string;
  communityId: string;
  building: string;
  unit: string;
  number: string;
}

interface BillDoc {
  _id: string;
  roomId: string;
  communityId: string;
  title: string;
  status: string;
  period: string;
}

async function myBindings(ctx: ActionContext): Promise<BindingDoc[]> {
  const openid = requireOpenid(ctx);
  return fetchAll<BindingDoc>(
    ctx.db.collection('room_bindings').where({ openid, status: 'verified' }),
  );
}

/** The caller's own ticket; someone else's is "not found", never a hint that it exists. */
async function myTicket(ctx: ActionContext, ticketId: string): Promise<TicketDoc> {
  const openid = requireOpenid(ctx);
  const t = await loadTicket(ctx, ticketId);
  if (t.openid !== openid) throw new AppError('NOT_FOUND', 'ticketId: 未找到该工单');
  return t;
}

const OWNER = (ctx: ActionContext) => ({ by: 'owner' as const, openid: ctx.openid, name: '业主' });

/** The hold's refId for the ticket's current episode (a reopening starts a new paused range). */
export function holdRef(t: Pick<TicketDoc, '_id' | 'reopenCount'>): string {
  return ticketHoldRef(t._id, t.reopenCount);
}

/** Whether a ticket pauses escalation: a fee dispute, or any ticket about named bills. */
export function pausesFees(t: Pick<TicketDoc, 'category' | 'billIds' | 'kind'>): boolean {
  return t.kind === 'complaint' && (t.category === 'fee-dispute' || t.billIds.length > 0);
}

export async function placeTicketHold(ctx: ActionContext, t: TicketDoc): Promise<string> {
  const refId = holdRef(t);
  await placeHold(ctx.db, {
    communityId: t.communityId,
    roomId: t.roomId,
    billIds: t.billIds,
    reason: 'complaint',
    refId,
    from: shanghaiDate(ctx.now()),
    note: `投诉工单 ${t.ticketNo}：${CATEGORY_LABELS[t.category]}`,
    by: ctx.openid || 'system',
    at: ctx.now(),
  });
  return refId;
}

export async function releaseTicketHold(ctx: ActionContext, t: TicketDoc): Promise<number> {
  if (!t.holdRefId) return 0;
  const n = await releaseHolds(ctx.db, 'complaint', t.holdRefId, {
    to: shanghaiDate(ctx.now()),
    by: ctx.openid || 'system',
    at: ctx.now(),
  });
  await ctx.db
    .collection(TICKETS)
    .doc(t._id)
    .update({ data: { holdRefId: null } });
  return n;
}

export async function formOptions(
  _input: In<'formOptions'>,
  ctx: ActionContext,
): Promise<FormOptions> {
  const bindings = await myBindings(ctx);
  const roomIds = [...new Set(bindings.map((b) => b.roomId))];
  if (roomIds.length === 0) return { rooms: [], bills: [] };
  const _ = ctx.db.command;
  const rooms = await fetchAll<RoomDoc>(ctx.db.collection('rooms').where({ _id: _.in(roomIds) }));
  const bills = await fetchAll<BillDoc>(
    ctx.db.collection('bills').where({ roomId: _.in(roomIds), status: _.neq('void') }),
    1000,
  );
  bills.sort((a, b) => b.period.localeCompare(a.period) || a._id.localeCompare(b._id));
  return {
    rooms: rooms.map((r) => ({ roomId: r._id, communityId: r.communityId, label: roomLabel(r) })),
    bills: bills.slice(0, 24).map((b) => ({
      billId: b._id,
      roomId: b.roomId,
      title: b.title,
      status: b.status,
    })),
  };
}

async function ensureCounter(ctx: ActionContext, id: string): Promise<void> {
  try {
    const got = await ctx.db.collection('counters').where({ _id: id }).limit(1).get();
    if (got.data.length) return;
    await ctx.db.collection('counters').add({ data: { _id: id, seq: 0, kind: 'complaint' } });
  } catch (e) {
    if (!isDuplicate(e)) throw e;
  }
}

export async function file(input: In<'file'>, ctx: ActionContext): Promise<FiledTicket> {
  const openid = requireOpenid(ctx);
  const now = ctx.now();
  const _id = stableId('cp_', openid, input.requestId);
  // A retried submit (same requestId) returns the ticket it already made.
  const existing = await ctx.db.collection(TICKETS).where({ _id }).limit(1).get();
  if (existing.data[0]) {
    const t = existing.data[0] as TicketDoc;
    return {
      ticketId: t._id,
      ticketNo: t.ticketNo,
      status: t.status,
      held: t.holdRefId !== null,
      firstResponseDueAt: new Date(t.firstResponseDueAt).toISOString(),
    };
  }
  const binding = (await myBindings(ctx)).find((b) => b.roomId === input.roomId);
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
  if (input.photos.some((p) => !p.includes(`/complaints/${openid}/`))) {
    throw new AppError('INVALID_INPUT', 'photos: 请在本页上传照片后再提交');
  }
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
  await audit(
    ctx,
    { openid, roles: ['owner'] },
    {
      communityId: doc.communityId,
      action: 'complaint.file',
      targetType: 'complaint',
      targetId: doc._id,
      targetLabel: doc.ticketNo,
      summary: `业主提交${CATEGORY_LABELS[doc.category]}${KIND_LABELS[doc.kind]}（${doc.roomLabel}）${doc.holdRefId ? '，相关账单暂缓催缴' : ''}`,
    },
  );
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
  return {
    ticketId: doc._id,
    ticketNo: doc.ticketNo,
    status: doc.status,
    held: doc.holdRefId !== null,
    firstResponseDueAt: new Date(doc.firstResponseDueAt).toISOString(),
  };
}

export async function mine(_input: In<'mine'>, ctx: ActionContext): Promise<OwnerTicketSummary[]> {
  const openid = requireOpenid(ctx);
  const docs = await fetchAll<TicketDoc>(ctx.db.collection(TICKETS).where({ openid }), 1000);
  return docs
    .map(ownerSummary)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.ticketNo.localeCompare(a.ticketNo));
}

export async function detail(input: In<'detail'>, ctx: ActionContext): Promise<OwnerTicketView> {
  return ownerView(await myTicket(ctx, input.ticketId), ctx.now());
}

/** Applies an owner's change only if the ticket is still in `from` (no lost updates). */
async function ownerUpdate(
  ctx: ActionContext,
  t: TicketDoc,
  from: readonly string[],
  data: Record<string, unknown>,
): Promise<TicketDoc> {
  const _ = ctx.db.command;
  const res = await ctx.db
    .collection(TICKETS)
    .where({ _id: t._id, status: _.in([...from]) })
    .update({ data: { ...data, updatedAt: ctx.now() } });
  if (Number(res.stats.updated) !== 1)
    throw new AppError('CONFLICT', '工单状态刚刚有更新，请刷新后再试');
  return loadTicket(ctx, t._id);
}

export async function ownerReply(
  input: In<'ownerReply'>,
  ctx: ActionContext,
): Promise<OwnerTicketView> {
  const t = await myTicket(ctx, input.ticketId);
  if (t.status === 'closed')
    throw new AppError('PRECONDITION_FAILED', '工单已关闭；如问题仍未解决，请点击“重新处理”');
  if (input.photos.some((p) => !p.includes(`/complaints/${t.openid}/`))) {
    throw new AppError('INVALID_INPUT', 'photos: 请在本页上传照片后再提交');
  }
  const _ = ctx.db.command;
  const after = await ownerUpdate(ctx, t, ['registered', 'accepted', 'in-progress', 'resolved'], {
    events: _.push([
      event(ctx.now(), 'owner-reply', OWNER(ctx), input.text, { photos: input.photos }),
    ]),
  });
  const staff = after.handler
    ? [after.handler]
    : (await staffWith(ctx, t.communityId, ['service'])).map((s) => s.openid);
  await notifyStaff(
    ctx,
    staff,
    after,
    'complaint-owner-reply',
    `业主回复 ${after.ticketNo}`,
    input.text.slice(0, 60),
  );
  return ownerView(after, ctx.now());
}

export async function confirm(input: In<'confirm'>, ctx: ActionContext): Promise<OwnerTicketView> {
  const t = await myTicket(ctx, input.ticketId);
  if (t.status !== 'resolved' || !inReopenWindow(t, ctx.now()))
    throw new AppError('PRECONDITION_FAILED', '该工单当前不需要确认');
  const _ = ctx.db.command;
  const after = await ownerUpdate(ctx, t, ['resolved'], {
    status: 'closed',
    closedAt: ctx.now(),
    events: _.push([
      event(ctx.now(), 'confirm', OWNER(ctx), '业主确认问题已解决', { status: 'closed' }),
    ]),
  });
  await releaseTicketHold(ctx, after);
  return ownerView(await loadTicket(ctx, t._id), ctx.now());
}

export async function reopen(input: In<'reopen'>, ctx: ActionContext): Promise<OwnerTicketView> {
  const t = await myTicket(ctx, input.ticketId);
  if (!inReopenWindow(t, ctx.now()))
    throw new AppError(
      'PRECONDITION_FAILED',
      '抱歉，工单解决已超过 7 天，不能重新处理；欢迎提交新的投诉或致电物业服务中心',
    );
  const now = ctx.now();
  const settings = settingsOf(await community(ctx, t.communityId));
  const due = deadlinesFor(t.category, now, settings.deadlines, settings.calendar);
  const _ = ctx.db.command;
  const after = await ownerUpdate(ctx, t, ['resolved', 'closed'], {
    status: 'in-progress',
    reopenCount: t.reopenCount + 1,
    clockStartAt: now,
    firstResponseDueAt: due.firstResponseDueAt,
    resolutionDueAt: due.resolutionDueAt,
    resolvedAt: null,
    resolutionMinutes: null,
    closedAt: null,
    events: _.push([
      event(now, 'reopen', OWNER(ctx), `业主申请重新处理：${input.reason}`, {
        status: 'in-progress',
      }),
    ]),
  });
  if (pausesFees(after)) {
    const refId = await placeTicketHold(ctx, after);
    await ctx.db
      .collection(TICKETS)
      .doc(after._id)
      .update({ data: { holdRefId: refId } });
  }
  const staff = after.handler
    ? [after.handler]
    : (await staffWith(ctx, t.communityId, ['service'])).map((s) => s.openid);
  await notifyStaff(
    ctx,
    staff,
    after,
    'complaint-owner-reply',
    `工单重新处理 ${after.ticketNo}`,
    input.reason.slice(0, 60),
  );
  return ownerView(await loadTicket(ctx, t._id), ctx.now());
}

export async function rate(input: In<'rate'>, ctx: ActionContext): Promise<OwnerTicketView> {
  const t = await myTicket(ctx, input.ticketId);
  if (t.status !== 'resolved' && t.status !== 'closed')
    throw new AppError('PRECONDITION_FAILED', '问题解决后才能评价，感谢您的耐心');
  const _ = ctx.db.command;
  const now = ctx.now();
  const res = await ctx.db
    .collection(TICKETS)
    .where({ _id: t._id, rating: _.eq(null), status: _.in(['resolved', 'closed']) })
    .update({
      data: {
        rating: { stars: input.stars, comment: input.comment, at: now },
        updatedAt: now,
        events: _.push([
          event(
            now,
            'rate',
            OWNER(ctx),
            `评价 ${'★'.repeat(input.stars)}${'☆'.repeat(5 - input.stars)}${input.comment ? `：${input.comment}` : ''}`,
          ),
        ]),
      },
    });
  if (Number(res.stats.updated) !== 1)
    throw new AppError('CONFLICT', '您已评价过该工单，感谢您的反馈');
  const after = await loadTicket(ctx, t._id);
  if (input.stars <= 2) {
    const admins = (await staffWith(ctx, t.communityId, ['admin'])).filter((s) =>
      s.roles.includes('admin'),
    );
    await notifyStaff(
      ctx,
      admins.map((a) => a.openid),
      after,
      'complaint-escalated',
      `差评提醒 ${after.ticketNo}`,
      `业主评价 ${input.stars} 星，请安排回访`,
    );
  }
  return ownerView(after, ctx.now());
}

export { notifyProgress };
