/**
 * An owner follows their tickets: list, detail, reply, confirm or reopen within 7 days, rate.
 */
import { deadlinesFor } from '../../../../miniprogram/domain/complaint/rules';
import { fetchAll } from '../../../_shared/db';
import { requireUploads } from '../../../_shared/uploads';
import { AppError, requireOpenid, type ActionContext } from '../../../_shared/router';
import {
  TICKETS,
  type TicketDoc,
  community,
  event,
  inReopenWindow,
  loadTicket,
  ownerSummary,
  ownerView,
  photoPlace,
  settingsOf,
  updateTicket,
} from '../repo/tickets';
import { notifyStaff, staffWith, notifyHandler } from '../repo/notify';
import { pausesFees, placeTicketHold, releaseTicketHold } from '../repo/ticket-holds';
import type { Handlers } from '../../../_shared/router';
import type { complaintContracts } from '../../../../miniprogram/domain/complaint/contract';

/** The caller's own ticket; someone else's is "not found", never a hint that it exists. */
export async function myTicket(ctx: ActionContext, ticketId: string): Promise<TicketDoc> {
  const openid = requireOpenid(ctx);
  const t = await loadTicket(ctx, ticketId);
  if (t.openid !== openid) throw new AppError('NOT_FOUND', 'ticketId: 未找到该工单');
  return t;
}

export const OWNER = (ctx: ActionContext) => ({
  by: 'owner' as const,
  openid: ctx.openid,
  name: '业主',
});

export const mine: Handlers<typeof complaintContracts>['mine'] = async (_input, ctx) => {
  const openid = requireOpenid(ctx);
  const docs = await fetchAll<TicketDoc>(ctx.db.collection(TICKETS).where({ openid }), 1000);
  return docs
    .map(ownerSummary)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.ticketNo.localeCompare(a.ticketNo));
};

export const detail: Handlers<typeof complaintContracts>['detail'] = async (input, ctx) => {
  return ownerView(await myTicket(ctx, input.ticketId), ctx.now());
};

/** An owner's change met a ticket that moved meanwhile. */
const CHANGED = '工单状态刚刚有更新，请刷新后再试';

export const ownerReply: Handlers<typeof complaintContracts>['ownerReply'] = async (input, ctx) => {
  const t = await myTicket(ctx, input.ticketId);
  if (t.status === 'closed')
    throw new AppError('PRECONDITION_FAILED', '工单已关闭；如问题仍未解决，请点击“重新处理”');
  await requireUploads('photos', input.photos, photoPlace(t.openid));
  const _ = ctx.db.command;
  const after = await updateTicket(
    ctx,
    t,
    ['registered', 'accepted', 'in-progress', 'resolved'],
    {
      events: _.push([
        event(ctx.now(), 'owner-reply', OWNER(ctx), input.text, { photos: input.photos }),
      ]),
    },
    CHANGED,
  );
  await notifyHandler(ctx, after, `业主回复 ${after.ticketNo}`, input.text.slice(0, 60));
  return ownerView(after, ctx.now());
};

export const confirm: Handlers<typeof complaintContracts>['confirm'] = async (input, ctx) => {
  const t = await myTicket(ctx, input.ticketId);
  if (t.status !== 'resolved' || !inReopenWindow(t, ctx.now()))
    throw new AppError('PRECONDITION_FAILED', '该工单当前不需要确认');
  const _ = ctx.db.command;
  const after = await updateTicket(
    ctx,
    t,
    ['resolved'],
    {
      status: 'closed',
      closedAt: ctx.now(),
      events: _.push([
        event(ctx.now(), 'confirm', OWNER(ctx), '业主确认问题已解决', { status: 'closed' }),
      ]),
    },
    CHANGED,
  );
  await releaseTicketHold(ctx, after);
  return ownerView(await loadTicket(ctx, t._id), ctx.now());
};

export const reopen: Handlers<typeof complaintContracts>['reopen'] = async (input, ctx) => {
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
  const after = await updateTicket(
    ctx,
    t,
    ['resolved', 'closed'],
    {
      status: 'in-progress',
      reopenCount: t.reopenCount + 1,
      clockStartAt: now,
      firstResponseDueAt: due.firstResponseDueAt,
      resolutionDueAt: due.resolutionDueAt,
      sweepAt: null,
      resolvedAt: null,
      resolutionMinutes: null,
      closedAt: null,
      events: _.push([
        event(now, 'reopen', OWNER(ctx), `业主申请重新处理：${input.reason}`, {
          status: 'in-progress',
        }),
      ]),
    },
    CHANGED,
  );
  if (pausesFees(after)) {
    const refId = await placeTicketHold(ctx, after);
    await ctx.db
      .collection(TICKETS)
      .doc(after._id)
      .update({ data: { holdRefId: refId } });
  }
  await notifyHandler(ctx, after, `工单重新处理 ${after.ticketNo}`, input.reason.slice(0, 60));
  return ownerView(await loadTicket(ctx, t._id), ctx.now());
};

export const rate: Handlers<typeof complaintContracts>['rate'] = async (input, ctx) => {
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
};
