/**
 * The call log (来电/去电登记) and the service dashboard. Answered within 3 rings: the ring count
 * when staff give it (≤ 3), otherwise seconds until answered ≤ 15 (one ring cycle in China is
 * about 5 s: 1 s on, 4 s off). Outbound calls are not measured.
 */
import type { z } from 'zod';
import {
  COMPLAINT_CATEGORIES,
  TICKET_STATUSES,
  median,
  type ComplaintCategory,
  type TicketStatus,
} from '../../../miniprogram/domain/complaint/rules';
import { roomLabel } from '../../../miniprogram/domain/community/vocabulary';
import { addDays, shanghaiDate } from '../../../miniprogram/domain/kernel/time';
import type {
  CallView,
  ServiceDashboard,
  complaintContracts,
} from '../../../miniprogram/domain/complaint/contract';
import { audit } from '../../_shared/audit';
import { fetchAll, isMissing } from '../../_shared/db';
import { requireRole } from '../../_shared/roles';
import { AppError, type ActionContext } from '../../_shared/router';
import { CALLS, TICKETS, callView, loadTicket, type CallDoc } from './repo';

type In<A extends keyof typeof complaintContracts> = z.output<
  (typeof complaintContracts)[A]['input']
>;

const SERVICE = ['service'] as const;
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

export async function logCall(input: In<'logCall'>, ctx: ActionContext): Promise<CallView> {
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
    communityId: input.communityId,
    action: 'call.log',
    targetType: 'serviceCall',
    targetId: callId,
    targetLabel: label || input.caller,
    summary: `登记${input.direction === 'inbound' ? '来电' : '去电'}：${input.topic.slice(0, 40)}`,
  });
  return callView({ _id: callId, ...doc });
}

export async function listCalls(
  input: In<'calls'>,
  ctx: ActionContext,
): Promise<{ items: CallView[]; total: number }> {
  await requireRole(ctx, input.communityId, SERVICE);
  const _ = ctx.db.command;
  const where: Record<string, unknown> = { communityId: input.communityId };
  if (input.from && input.to) where.day = _.gte(input.from).and(_.lte(input.to));
  else if (input.from) where.day = _.gte(input.from);
  else if (input.to) where.day = _.lte(input.to);
  if (input.direction) where.direction = input.direction;
  if (input.ticketId) where.ticketId = input.ticketId;
  if (input.keyword) {
    const escaped = input.keyword.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    where.search = ctx.db.RegExp({ regexp: escaped, options: 'i' });
  }
  const q = ctx.db.collection(CALLS).where(where);
  const total = (await q.count()).total;
  const res = await ctx.db.collection(CALLS).where(where).orderBy('at', 'desc').limit(200).get();
  return { items: (res.data as CallDoc[]).map(callView), total };
}

/** Instants bounding Shanghai dates `from`..`to` (inclusive). */
function range(from: string, to: string): { start: Date; end: Date } {
  return {
    start: new Date(`${from}T00:00:00+08:00`),
    end: new Date(`${addDays(to, 1)}T00:00:00+08:00`),
  };
}

export async function dashboard(
  input: In<'dashboard'>,
  ctx: ActionContext,
): Promise<ServiceDashboard> {
  await requireRole(ctx, input.communityId, SERVICE);
  const to = input.to ?? shanghaiDate(ctx.now());
  const from = input.from ?? addDays(to, -29);
  if (from > to) throw new AppError('INVALID_INPUT', 'from: 开始日期不能晚于结束日期');
  const { start, end } = range(from, to);
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const match = { communityId: input.communityId, createdAt: _.gte(start).and(_.lt(end)) };
  const agg = () => ctx.db.collection(TICKETS).aggregate().match(match);

  const byCategory = (
    await agg()
      .group({ _id: '$category', count: $.sum(1) })
      .limit(100)
      .end()
  ).list as { _id: ComplaintCategory; count: number }[];
  const byStatus = (
    await agg()
      .group({ _id: '$status', count: $.sum(1) })
      .limit(100)
      .end()
  ).list as { _id: TicketStatus; count: number }[];
  const totals = ((
    await agg()
      .group({
        _id: null,
        total: $.sum(1),
        breaches: $.sum($.size('$breachKeys')),
        breachedTickets: $.sum($.cond([$.gt([$.size('$breachKeys'), 0]), 1, 0])),
      })
      .end()
  ).list[0] ?? { total: 0, breaches: 0, breachedTickets: 0 }) as {
    total: number;
    breaches: number;
    breachedTickets: number;
  };
  const ratings = (
    await agg()
      .match({ rating: _.neq(null) })
      .group({ _id: '$rating.stars', count: $.sum(1) })
      .limit(10)
      .end()
  ).list as { _id: number; count: number }[];
  const repeat = (
    await agg()
      .match({ kind: 'complaint' })
      .group({ _id: '$roomId', roomLabel: $.first('$roomLabel'), count: $.sum(1) })
      .match({ count: _.gt(1) })
      .sort({ count: -1, _id: 1 })
      .limit(50)
      .end()
  ).list as { _id: string; roomLabel: string; count: number }[];
  // Medians need every value: read just the two durations of the period's tickets.
  const durations = await fetchAll<{
    firstResponseMinutes: number | null;
    resolutionMinutes: number | null;
  }>(
    ctx.db
      .collection(TICKETS)
      .where(match)
      .field({ firstResponseMinutes: true, resolutionMinutes: true }),
  );
  const callTotals = ((
    await ctx.db
      .collection(CALLS)
      .aggregate()
      .match({ communityId: input.communityId, at: _.gte(start).and(_.lt(end)) })
      .group({
        _id: null,
        total: $.sum(1),
        inbound: $.sum($.cond([$.eq(['$direction', 'inbound']), 1, 0])),
        measured: $.sum($.cond([$.eq(['$withinThreeRings', null]), 0, 1])),
        within: $.sum($.cond([$.eq(['$withinThreeRings', true]), 1, 0])),
      })
      .end()
  ).list[0] ?? { total: 0, inbound: 0, measured: 0, within: 0 }) as {
    total: number;
    inbound: number;
    measured: number;
    within: number;
  };

  const dist: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  for (const r of ratings)
    if (r._id >= 1 && r._id <= 5) dist[r._id - 1] = (dist[r._id - 1] ?? 0) + r.count;
  const rated = dist.reduce((s, n) => s + n, 0);
  const starSum = dist.reduce((s, n, i) => s + n * (i + 1), 0);
  const count = (list: { _id: string; count: number }[], key: string) =>
    list.find((x) => x._id === key)?.count ?? 0;
  return {
    from,
    to,
    total: totals.total,
    byCategory: COMPLAINT_CATEGORIES.map((category) => ({
      category,
      count: count(byCategory, category),
    })),
    byStatus: TICKET_STATUSES.map((status) => ({ status, count: count(byStatus, status) })),
    medianFirstResponseMinutes: median(
      durations.map((d) => d.firstResponseMinutes).filter((n): n is number => n !== null),
    ),
    medianResolutionMinutes: median(
      durations.map((d) => d.resolutionMinutes).filter((n): n is number => n !== null),
    ),
    breachedTickets: totals.breachedTickets,
    breaches: totals.breaches,
    breachRate: totals.total
      ? Math.round((totals.breachedTickets / totals.total) * 1000) / 1000
      : 0,
    ratings: rated,
    satisfactionAverage: rated ? Math.round((starSum / rated) * 100) / 100 : null,
    satisfactionDistribution: dist,
    repeatRooms: repeat.map((r) => ({ roomId: r._id, roomLabel: r.roomLabel, count: r.count })),
    calls: {
      total: callTotals.total,
      inbound: callTotals.inbound,
      answeredWithinThreeRings: callTotals.within,
      measured: callTotals.measured,
    },
  };
}
