/**
 * The call log (来电/去电登记). Answered within 3 rings: the ring count when staff give it (≤ 3),
 * otherwise seconds until answered ≤ 15 (one ring cycle in China is about 5 s: 1 s on, 4 s off).
 * Outbound calls are not measured.
 */
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { audit, auditTarget } from '../../../_shared/audit';
import { escapeRegExp, isMissing } from '../../../_shared/db';
import { requireRole } from '../../../_shared/roles';
import { AppError } from '../../../_shared/router';
import { listPage } from '../../../_shared/paging';
import { CALLS, type CallDoc, SERVICE, callView, loadTicket } from '../repo/tickets';
import type { Handlers } from '../../../_shared/router';
import type {
  CallView,
  complaintContracts,
} from '../../../../miniprogram/domain/complaint/contract';

export const RING_SECONDS = 5;

export function answeredWithinThreeRings(
  direction: 'inbound' | 'outbound',
  rings: number | null,
  answerSeconds: number | null,
): boolean | null {
  if (direction === 'outbound') return null;
  if (rings !== null) return rings <= 3;
  if (answerSeconds !== null) return answerSeconds <= 3 * RING_SECONDS;
  return null;
}

export const logCall: Handlers<typeof complaintContracts>['logCall'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, SERVICE);
  const at = new Date(input.at);
  if (at.getTime() > ctx.now().getTime() + 5 * 60_000)
    throw new AppError('INVALID_INPUT', 'at: 通话时间不能晚于现在');
  let label = '';
  if (input.roomId) {
    try {
      const room = (await ctx.db.collection('rooms').doc(input.roomId).get()).data as {
        communityId: string;
        building: string;
        unit: string;
        number: string;
      };
      if (room.communityId !== input.communityId) throw new Error('other community');
      label = roomLabel(room);
    } catch (e) {
      if (isMissing(e) || (e as Error).message === 'other community')
        throw new AppError('INVALID_INPUT', 'roomId: 本小区没有该房屋');
      throw e;
    }
  }
  let ticketNo = '';
  let roomId = input.roomId ?? null;
  if (input.ticketId) {
    const t = await loadTicket(ctx, input.ticketId).catch(() => null);
    if (!t || t.communityId !== input.communityId)
      throw new AppError('INVALID_INPUT', 'ticketId: 本小区没有该工单');
    ticketNo = t.ticketNo;
    // A call about a ticket is about its room unless staff named another.
    if (!roomId) {
      roomId = t.roomId;
      label = t.roomLabel;
    }
  }
  const rings = input.rings ?? null;
  const answerSeconds = input.answerSeconds ?? null;
  const doc: Omit<CallDoc, '_id'> = {
    communityId: input.communityId,
    at,
    day: shanghaiDate(at),
    direction: input.direction,
    caller: input.caller,
    phone: input.phone ?? '',
    roomId,
    roomLabel: label,
    topic: input.topic,
    outcome: input.outcome,
    rings,
    answerSeconds,
    withinThreeRings: answeredWithinThreeRings(input.direction, rings, answerSeconds),
    ticketId: input.ticketId ?? null,
    ticketNo,
    by: caller.openid,
    byName: caller.name || '工作人员',
    createdAt: ctx.now(),
    search: [input.caller, input.phone ?? '', label, input.topic, input.outcome, ticketNo]
      .join(' ')
      .toLowerCase(),
  };
  const res = await ctx.db.collection(CALLS).add({ data: doc });
  const callId = String((res as { _id: string })._id);
  await audit(ctx, caller, {
    ...auditTarget('serviceCall', input.communityId, callId, label || input.caller),
    action: 'call.log',
    summary: `登记${input.direction === 'inbound' ? '来电' : '去电'}：${input.topic.slice(0, 40)}`,
  });
  return callView({ _id: callId, ...doc });
};

export const listCalls: Handlers<typeof complaintContracts>['calls'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, SERVICE);
  const _ = ctx.db.command;
  const where: Record<string, unknown> = { communityId: input.communityId };
  if (input.from && input.to) where.day = _.gte(input.from).and(_.lte(input.to));
  else if (input.from) where.day = _.gte(input.from);
  else if (input.to) where.day = _.lte(input.to);
  if (input.direction) where.direction = input.direction;
  if (input.ticketId) where.ticketId = input.ticketId;
  if (input.keyword) {
    where.search = ctx.db.RegExp({
      regexp: escapeRegExp(input.keyword.toLowerCase()),
      options: 'i',
    });
  }
  return listPage<CallDoc, CallView>(
    ctx,
    CALLS,
    where,
    [
      ['at', 'desc'],
      ['_id', 'asc'],
    ],
    input,
    (docs) => docs.map(callView),
  );
};
