/**
 * The service dashboard: tickets, deadlines kept and breached, ratings and calls over a date range.
 */
import {
  COMPLAINT_CATEGORIES,
  TICKET_STATUSES,
  median,
  type ComplaintCategory,
  type TicketStatus,
} from '../../../../miniprogram/domain/complaint/rules';
import { addDays, shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { requireRole } from '../../../_shared/roles';
import { AppError } from '../../../_shared/router';
import { CALLS, SERVICE, TICKETS } from '../repo/tickets';
import type { Handlers } from '../../../_shared/router';
import type { complaintContracts } from '../../../../miniprogram/domain/complaint/contract';

/** Instants bounding Shanghai dates `from`..`to` (inclusive). */
export function range(from: string, to: string): { start: Date; end: Date } {
  return {
    start: new Date(`${from}T00:00:00+08:00`),
    end: new Date(`${addDays(to, 1)}T00:00:00+08:00`),
  };
}

export const dashboard: Handlers<typeof complaintContracts>['dashboard'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, SERVICE);
  const to = input.to ?? shanghaiDate(ctx.now());
  const from = input.from ?? addDays(to, -29);
  if (from > to) throw new AppError('INVALID_INPUT', 'from: 开始日期不能晚于结束日期');
  const { start, end } = range(from, to);
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const match = { communityId: input.communityId, createdAt: _.gte(start).and(_.lt(end)) };
  const agg = () => ctx.db.collection(TICKETS).aggregate().match(match);

  /**
   * The median of a duration over the period's tickets that have it, found by the database: its
   * count, then the one or two middle values in order — two requests however many tickets.
   */
  const medianOf = async (field: 'firstResponseMinutes' | 'resolutionMinutes') => {
    const where = { ...match, [field]: _.neq(null) };
    const n = (await ctx.db.collection(TICKETS).where(where).count()).total;
    if (n === 0) return null;
    const res = await ctx.db
      .collection(TICKETS)
      .where(where)
      .orderBy(field, 'asc')
      .skip(Math.floor((n - 1) / 2))
      .limit(n % 2 === 1 ? 1 : 2)
      .field({ [field]: true })
      .get();
    return median((res.data as Record<string, number>[]).map((d) => d[field]!));
  };

  /** Tickets counted by the value of one field. */
  const countBy = async <K>(field: string) =>
    (
      await agg()
        .group({ _id: `$${field}`, count: $.sum(1) })
        .limit(100)
        .end()
    ).list as { _id: K; count: number }[];

  const [
    byCategory,
    byStatus,
    totalsList,
    ratingsList,
    repeatList,
    firstResponse,
    resolution,
    callsList,
  ] = await Promise.all([
    countBy<ComplaintCategory>('category'),
    countBy<TicketStatus>('status'),
    agg()
      .group({
        _id: null,
        total: $.sum(1),
        breaches: $.sum($.size('$breachKeys')),
        breachedTickets: $.sum($.cond([$.gt([$.size('$breachKeys'), 0]), 1, 0])),
      })
      .end(),
    agg()
      .match({ rating: _.neq(null) })
      .group({ _id: '$rating.stars', count: $.sum(1) })
      .limit(10)
      .end(),
    agg()
      .match({ kind: 'complaint' })
      .group({ _id: '$roomId', roomLabel: $.first('$roomLabel'), count: $.sum(1) })
      .match({ count: _.gt(1) })
      .sort({ count: -1, _id: 1 })
      .limit(50)
      .end(),
    medianOf('firstResponseMinutes'),
    medianOf('resolutionMinutes'),
    ctx.db
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
      .end(),
  ]);
  const totals = (totalsList.list[0] ?? { total: 0, breaches: 0, breachedTickets: 0 }) as {
    total: number;
    breaches: number;
    breachedTickets: number;
  };
  const ratings = ratingsList.list as { _id: number; count: number }[];
  const repeat = repeatList.list as { _id: string; roomLabel: string; count: number }[];
  const callTotals = (callsList.list[0] ?? { total: 0, inbound: 0, measured: 0, within: 0 }) as {
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
    medianFirstResponseMinutes: firstResponse,
    medianResolutionMinutes: resolution,
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
};
