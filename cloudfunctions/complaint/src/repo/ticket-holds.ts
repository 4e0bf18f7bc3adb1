/**
 * A ticket about a fee places a hold (`_shared/holds.ts`) so overdue escalation and late fees
 * pause on its bills until it is resolved; each reopening starts a new paused range.
 */
import { CATEGORY_LABELS } from '../../../../miniprogram/domain/complaint/rules';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { placeHold, releaseHolds, ticketHoldRef } from '../../../_shared/holds';
import { type ActionContext } from '../../../_shared/router';
import { TICKETS, type TicketDoc } from './tickets';

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
