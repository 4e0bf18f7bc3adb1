/**
 * The service desk at scale: a community with 10,000 tickets of the last year (5% open, ratings,
 * breaches) and 5,000 call records, through the `complaint` function on the local cloud: the
 * dashboard for a year, the open desk, and one timer sweep. Reports milliseconds and database
 * round trips (`cloud.stats.total`). Targets: dashboard and desk well inside the function's 20 s
 * timeout, and round trips that do not grow with the number of tickets except the medians'
 * projection (1 per 1,000 tickets).
 */
import { performance } from 'node:perf_hooks';
import {
  COMPLAINT_CATEGORIES,
  DEFAULT_CALENDAR,
  deadlinesFor,
  ticketNumber,
} from '../../miniprogram/domain/complaint/rules';
import { deskOrder } from '../../miniprogram/domain/complaint/desk-order';
import { DEFAULT_SETTINGS } from '../../miniprogram/domain/settings/defaults';
import { shanghaiDate } from '../../miniprogram/domain/kernel/time';
import { startCloud, type LocalCloud } from '../cloud/server';
import { ensureSchema } from '../seed/demo';
import { ADMIN, COMMUNITY } from './rooms';
import type { Bench, BenchResult } from './types';

const TICKETS = 10_000;
const CALLS = 5_000;
const DAY = 86400_000;

/**
 * `count` tickets of community COMMUNITY filed over the last year as the complaint function stores
 * them (5% open; ratings, breaches; descriptions of 5 to 300 characters), e.g. for the staff list
 * budgets (./budgets.ts).
 */
export function insertTickets(store: LocalCloud['store'], count: number, now: number): void {
  const statuses = ['registered', 'accepted', 'in-progress', 'resolved', 'closed'] as const;
  const docs: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const createdAt = new Date(now - ((i * 7919) % 360) * DAY - (i % 86_400) * 1000);
    const category = COMPLAINT_CATEGORIES[i % COMPLAINT_CATEGORIES.length]!;
    const status = i % 20 === 0 ? statuses[i % 3]! : i % 7 === 0 ? 'resolved' : 'closed';
    const due = deadlinesFor(
      category,
      createdAt,
      DEFAULT_SETTINGS.complaintDeadlines,
      DEFAULT_CALENDAR,
    );
    const responded = status !== 'registered';
    const done = status === 'resolved' || status === 'closed';
    const firstResponseAt = responded ? new Date(createdAt.getTime() + 40 * 60_000) : null;
    docs.push({
      _id: `cp_b_${i}`,
      ticketNo: ticketNumber(createdAt, i % 10_000),
      communityId: COMMUNITY,
      roomId: `r_${i % 2000}`,
      roomLabel: `${1 + (i % 20)}栋1单元${101 + (i % 100)}`,
      openid: `o_${i % 2000}`,
      ownerName: '',
      kind: i % 9 === 0 ? 'suggestion' : 'complaint',
      category,
      description: `基准工单：${'楼道灯不亮，'.repeat(i % 50)}`,
      photos: [],
      billIds: [],
      bills: [],
      status,
      handler: null,
      handlerName: '',
      createdAt,
      updatedAt: createdAt,
      clockStartAt: createdAt,
      firstResponseDueAt: due.firstResponseDueAt,
      resolutionDueAt: due.resolutionDueAt,
      firstResponseAt,
      firstResponseMinutes: responded ? 20 + (i % 180) : null,
      resolvedAt: done ? new Date(createdAt.getTime() + DAY) : null,
      resolutionMinutes: done ? 600 + (i % 5000) : null,
      closedAt: status === 'closed' ? new Date(createdAt.getTime() + 2 * DAY) : null,
      reopenCount: 0,
      breachKeys: i % 13 === 0 ? ['first-response:0'] : [],
      nearKeys: [],
      ...deskOrder({ status, clockStartAt: createdAt, firstResponseAt, ...due }),
      holdRefId: null,
      events: [],
      rating: done && i % 3 === 0 ? { stars: 1 + (i % 5), comment: '', at: createdAt } : null,
      returnVisit: null,
    });
  }
  for (let i = 0; i < docs.length; i += 1000) store.insert('complaints', docs.slice(i, i + 1000));
}

function seed(cloud: LocalCloud): void {
  const store = cloud.store;
  ensureSchema(store);
  const now = cloud.clock.now();
  store.insert('communities', [{ _id: COMMUNITY, name: '基准小区' }]);
  store.insert('staff_roles', [
    { _id: `${COMMUNITY}:${ADMIN}`, communityId: COMMUNITY, openid: ADMIN, roles: ['admin'] },
  ]);
  insertTickets(store, TICKETS, now);
  const calls: Record<string, unknown>[] = [];
  for (let i = 0; i < CALLS; i++) {
    const at = new Date(now - ((i * 104_729) % 360) * DAY - (i % 86_400) * 1000);
    calls.push({
      communityId: COMMUNITY,
      at,
      day: shanghaiDate(at),
      direction: i % 4 === 0 ? 'outbound' : 'inbound',
      caller: '业主',
      phone: '',
      roomId: null,
      roomLabel: '',
      topic: '咨询',
      outcome: '已解答',
      rings: i % 4 === 0 ? null : 1 + (i % 6),
      answerSeconds: null,
      withinThreeRings: i % 4 === 0 ? null : 1 + (i % 6) <= 3,
      ticketId: null,
      ticketNo: '',
      by: ADMIN,
      byName: '',
      createdAt: at,
      search: '业主 咨询 已解答',
    });
  }
  store.insert('service_calls', calls);
}

async function timed(
  cloud: LocalCloud,
  event: Record<string, unknown> | null,
): Promise<{ ms: number; trips: number; result: unknown }> {
  const before = cloud.stats.total;
  const t0 = performance.now();
  const result = event
    ? await cloud.call('complaint', event, ADMIN)
    : await cloud.fireTimer('complaint');
  const ms = Math.round(performance.now() - t0);
  const r = result as { ok?: boolean; message?: string };
  if (event && r.ok !== true) throw new Error(`complaint.${String(event.action)}: ${r.message}`);
  return { ms, trips: cloud.stats.total - before, result };
}

export const complaintsBench: Bench = {
  title: `service desk (${TICKETS} tickets, ${CALLS} calls through the complaint function)`,
  async run() {
    const cloud = await startCloud({ port: 0, quiet: true, timers: false });
    const results: BenchResult[] = [];
    try {
      seed(cloud);
      await timed(cloud, { action: 'desk', communityId: COMMUNITY }); // warm the worker
      const to = shanghaiDate(new Date(cloud.clock.now()));
      const from = shanghaiDate(new Date(cloud.clock.now() - 364 * DAY));
      const dash = await timed(cloud, { action: 'dashboard', communityId: COMMUNITY, from, to });
      const total = (dash.result as { data: { total: number } }).data.total;
      results.push({
        name: 'dashboard for a year',
        value: dash.ms,
        unit: 'ms',
        note: `${total} tickets, ${dash.trips} round trips`,
      });
      const desk = await timed(cloud, { action: 'desk', communityId: COMMUNITY });
      const open = (desk.result as { data: { counts: { open: number } } }).data.counts.open;
      results.push({
        name: 'desk of open tickets',
        value: desk.ms,
        unit: 'ms',
        note: `${open} open, ${desk.trips} round trips`,
      });
      const sweep = await timed(cloud, null);
      const again = await timed(cloud, null);
      results.push({
        name: 'timer sweep (first run, records breaches)',
        value: sweep.ms,
        unit: 'ms',
        note: `${sweep.trips} round trips; ${JSON.stringify(sweep.result)}`,
      });
      results.push({
        name: 'timer sweep (repeat, nothing to do)',
        value: again.ms,
        unit: 'ms',
        note: `${again.trips} round trips`,
      });
    } finally {
      await cloud.close();
    }
    return results;
  },
};
