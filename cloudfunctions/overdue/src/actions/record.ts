/**
 * A call or visit recorded with the reason for non-payment: a promise to pay places a 'promise'
 * hold; a linked complaint about service or a dispute pauses collection until it is resolved.
 */
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import {
  CONTACT_CHANNEL_LABELS,
  NONPAYMENT_REASON_LABELS,
} from '../../../../miniprogram/domain/overdue/rules';
import { addDays } from '../../../../miniprogram/domain/kernel/time';
import { type overdueContracts } from '../../../../miniprogram/domain/overdue/contract';
import { audit, auditTarget } from '../../../_shared/audit';
import { type TaskDoc } from '../../../_shared/contacts';
import { isMissing } from '../../../_shared/db';
import { placeHold, ticketHoldRef } from '../../../_shared/holds';
import { stableId } from '../../../_shared/ids';
import { requireRole } from '../../../_shared/roles';
import { AppError } from '../../../_shared/router';
import type { EventDoc } from '../../../_shared/overdue-records';
import type { Handlers } from '../../../_shared/router';
import { addEvent, community, eventView, room, today } from '../repo/cases';

/** The fields of a complaint ticket (complaint function) a contact record links to. */
export interface LinkedTicket {
  _id: string;
  communityId: string;
  roomId: string;
  ticketNo: string;
  status: 'registered' | 'accepted' | 'in-progress' | 'resolved' | 'closed';
  billIds?: string[];
  reopenCount: number;
  holdRefId: string | null;
}

export const record: Handlers<typeof overdueContracts>['record'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['service']);
  const c = await community(ctx, input.communityId);
  const r = await room(ctx, c._id, input.roomId);
  const day = today(ctx);
  if (input.promiseDate !== undefined && input.promiseDate < day)
    throw new AppError('INVALID_INPUT', 'promiseDate: 承诺缴费日期不能早于今天');
  if (input.promiseDate !== undefined && input.promiseDate > addDays(day, 90))
    throw new AppError('INVALID_INPUT', 'promiseDate: 承诺缴费日期最多 90 天内');
  let task: TaskDoc | undefined;
  if (input.taskId) {
    try {
      task = (await ctx.db.collection('collection_tasks').doc(input.taskId).get()).data as TaskDoc;
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
    if (!task || task.communityId !== c._id || task.roomId !== r._id)
      throw new AppError('INVALID_INPUT', 'taskId: 该房屋没有此联系任务');
  }
  // A linked complaint must be an open ticket of this room. When the owner is dissatisfied
  // with the service or disputes the bill, the ticket pauses collection on the room until it
  // is resolved (the complaint desk releases the hold, as for fee complaints).
  let ticket: LinkedTicket | undefined;
  if (input.complaintId) {
    try {
      ticket = (await ctx.db.collection('complaints').doc(input.complaintId).get())
        .data as LinkedTicket;
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
    if (!ticket || ticket.communityId !== c._id || ticket.roomId !== r._id)
      throw new AppError('INVALID_INPUT', 'complaintId: 该房屋没有此投诉工单');
    if (ticket.status === 'resolved' || ticket.status === 'closed')
      throw new AppError('INVALID_INPUT', 'complaintId: 该投诉工单已办结，请关联未办结的工单');
  }
  const label = roomLabel(r);
  const ev: EventDoc = {
    _id: stableId('ev', r._id, 'contact', caller.openid, ctx.now().toISOString()),
    communityId: c._id,
    roomId: r._id,
    kind: 'contact',
    stage: null,
    title: `${CONTACT_CHANNEL_LABELS[input.channel]}联系：${NONPAYMENT_REASON_LABELS[input.reason]}`,
    detail: input.promiseDate ? `业主承诺于 ${input.promiseDate} 前缴费，期间暂缓催缴` : '',
    channel: input.channel,
    reason: input.reason,
    notes: input.notes,
    nextStep: input.nextStep,
    ownerResponse: input.ownerResponse,
    by: caller.openid,
    byName: caller.name,
    at: ctx.now(),
    promiseDate: input.promiseDate ?? null,
    complaintId: input.complaintId ?? null,
    taskId: input.taskId ?? null,
  };
  await addEvent(ctx, ev);
  if (ticket && (input.reason === 'service' || input.reason === 'dispute') && !ticket.holdRefId) {
    const refId = ticketHoldRef(ticket._id, ticket.reopenCount);
    await placeHold(ctx.db, {
      communityId: c._id,
      roomId: r._id,
      billIds: ticket.billIds ?? [],
      reason: 'complaint',
      refId,
      from: day,
      note: `上门/电话联系：${NONPAYMENT_REASON_LABELS[input.reason]}，关联投诉工单 ${ticket.ticketNo}`,
      by: caller.openid,
      at: ctx.now(),
    });
    await ctx.db
      .collection('complaints')
      .doc(ticket._id)
      .update({ data: { holdRefId: refId } });
  }
  if (input.promiseDate) {
    await placeHold(ctx.db, {
      communityId: c._id,
      roomId: r._id,
      reason: 'promise',
      refId: ev._id,
      from: day,
      to: input.promiseDate,
      note: input.notes,
      by: caller.openid,
      at: ctx.now(),
    });
  }
  if (task && task.status === 'open') {
    await ctx.db
      .collection('collection_tasks')
      .doc(task._id)
      .update({
        data: {
          status: 'done',
          outcome: `${NONPAYMENT_REASON_LABELS[input.reason]}；${input.nextStep}`,
          doneAt: ctx.now(),
          doneBy: caller.openid,
        },
      });
  }
  await audit(ctx, caller, {
    ...auditTarget('collectionCase', c._id, r._id, label),
    action: 'overdue.contact',
    summary: `${ev.title}${input.promiseDate ? `，承诺 ${input.promiseDate} 前缴费` : ''}`,
    after: {
      reason: input.reason,
      nextStep: input.nextStep,
      promiseDate: input.promiseDate ?? null,
    },
  });
  return eventView(ev);
};
