/**
 * The daily overdue timer at scale: a generated community of 2,000 and 20,000 rooms, a quarter of
 * them overdue (every one of those reaching the day-30 stage on the measured day: a letter, a
 * letter task and a case each — the worst day), a late fee enabled on the standard, one room in
 * ten bound to WeChat without a subscription left. The timer is fired as CloudBase would (one
 * invocation at a time, each resuming where the last stopped) until the day is done; then fired
 * again the same day (idempotent: nothing redone) and on the next day (the everyday cost: marking
 * and late fees only). Reports seconds, invocations and round trips per 1,000 rooms.
 */
import { performance } from 'node:perf_hooks';
import { startCloud, type LocalCloud } from '../cloud/server';
import { ensureSchema } from '../seed/demo';
import type { OverdueRunReport } from '../../miniprogram/domain/overdue/contract';
import { COMMUNITY, benchRoom, smallThenLarge } from './rooms';
import type { Bench, BenchResult } from './types';

export const DAY = '2027-02-14';
/** The day after: an ordinary day (no stage due, only ageing). */
export const NEXT_DAY = '2027-02-15';
const DUE = '2027-01-15'; // 30 days before DAY

export function seed(cloud: LocalCloud, rooms: number): void {
  const store = cloud.store;
  ensureSchema(store);
  store.insert('communities', [
    {
      _id: COMMUNITY,
      name: '基准小区',
      servicePhone: '0571-8888 6666',
      paymentMethods: ['wechat'],
    },
  ]);
  const roomDocs: Record<string, unknown>[] = [];
  const bills: Record<string, unknown>[] = [];
  const bindings: Record<string, unknown>[] = [];
  for (let i = 0; i < rooms; i++) {
    const room = benchRoom(i);
    const id = room._id;
    roomDocs.push(room);
    const overdue = i % 4 === 0;
    const amount = 40_000 + ((i * 7919) % 30_000);
    bills.push({
      _id: `b_${id}`,
      communityId: COMMUNITY,
      roomId: id,
      period: '2027-01',
      key: 'property',
      title: '物业服务费',
      items: [{ itemId: 'property', name: '物业服务费', basis: '', amountFen: amount }],
      amountDueFen: amount,
      lateFeeFen: 0,
      paidFen: overdue ? 0 : amount,
      dueDate: DUE,
      status: overdue ? 'unpaid' : 'paid',
    });
    if (i % 10 === 0) {
      bindings.push({
        _id: `${id}:o_${i}`,
        roomId: id,
        openid: `o_${i}`,
        communityId: COMMUNITY,
        relation: 'owner',
        status: 'verified',
      });
    }
  }
  store.insert('rooms', roomDocs);
  store.insert('bills', bills);
  store.insert('room_bindings', bindings);
  store.insert('fee_standards', [
    {
      _id: `fs_${COMMUNITY}_property`,
      communityId: COMMUNITY,
      itemId: 'property',
      lateFee: {
        enabled: true,
        rateBpPerDay: 5,
        graceDays: 0,
        cap: { kind: 'percentOfPrincipal', bp: 1000 },
      },
    },
  ]);
  // January's late fees were settled by the first run of February (the measured days are not
  // month ends: that settlement writes each open bill once a month).
  store.insert('overdue_runs', [
    { _id: `${COMMUNITY}:settled`, communityId: COMMUNITY, through: '2027-01-31' },
  ]);
  // The earlier stages were done on their days, so the measured day runs exactly one stage.
  store.insert(
    'collection_cases',
    bills
      .filter((b) => b.status === 'unpaid')
      .map((b) => ({
        _id: `case_${String(b.roomId)}`,
        communityId: COMMUNITY,
        roomId: b.roomId,
        roomLabel: '',
        stage: 'second-reminder',
        stageAt: new Date('2027-01-30T00:00:00Z'),
        stagesDone: [
          { stage: 'friendly-reminder', at: new Date('2027-01-16T00:00:00Z'), day: '2027-01-16' },
          { stage: 'second-reminder', at: new Date('2027-01-30T00:00:00Z'), day: '2027-01-30' },
        ],
        billIds: [b._id],
        oldestDueDate: DUE,
        updatedAt: new Date('2027-01-30T00:00:00Z'),
      })),
  );
}

interface DayFigures {
  ms: number;
  trips: number;
  firings: number;
  report: OverdueRunReport;
}

async function runDay(cloud: LocalCloud, day: string): Promise<DayFigures> {
  await cloud.setClock(Date.parse(`${day}T08:00:00+08:00`), { fireTimers: false });
  const before = cloud.stats.total;
  const t0 = performance.now();
  for (let firings = 1; ; firings++) {
    const report = (await cloud.fireTimer('overdue')) as OverdueRunReport;
    if (report.done || firings >= 20) {
      return { ms: performance.now() - t0, trips: cloud.stats.total - before, firings, report };
    }
  }
}

async function measure(rooms: number): Promise<BenchResult[]> {
  const cloud = await startCloud({ port: 0, quiet: true, timers: false });
  try {
    seed(cloud, rooms);
    // Warm the worker (process start and SDK load are not the run's cost).
    await cloud.call('overdue', { action: 'myPlans' }, 'o_warm');
    const first = await runDay(cloud, DAY);
    const again = await runDay(cloud, DAY);
    const next = await runDay(cloud, NEXT_DAY);
    const overdue = rooms / 4;
    if (!first.report.done || first.report.stagesRun['formal-notice'] !== overdue) {
      throw new Error(`expected ${overdue} letters, got ${JSON.stringify(first.report)}`);
    }
    if (again.report.stagesRun['formal-notice'] !== first.report.stagesRun['formal-notice']) {
      throw new Error('a second delivery the same day redid work');
    }
    if (cloud.store.count('collection_letters', { communityId: COMMUNITY }) !== overdue) {
      throw new Error('letters were not written once per overdue room');
    }
    const k = rooms / 1000;
    const label = rooms.toLocaleString('en-US');
    const row = (name: string, d: DayFigures): BenchResult[] => [
      {
        name: `${name}, ${label} rooms: time`,
        value: Math.round(d.ms) / 1000,
        unit: 's',
        note: `${d.firings} timer invocation${d.firings > 1 ? 's' : ''} (≤ 45 s of work each, 60 s timeout)`,
      },
      {
        name: `${name}, ${label} rooms: round trips per 1,000 rooms`,
        value: Math.round((d.trips / k) * 10) / 10,
        unit: 'trips',
        note: `${d.trips} round trips, ${d.report.billsScanned} overdue bills, ${d.report.lateFeesAccrued} late fees`,
      },
    ];
    return [
      ...row('day 30 (letters for every overdue room)', first),
      ...row('same day again (repeated delivery)', again),
      ...row('next day (marking and late fees)', next),
    ];
  } finally {
    await cloud.close();
  }
}

export const overdueBench: Bench = {
  title: 'overdue timer (daily run on the local cloud)',
  run: () => smallThenLarge(measure),
};
