/**
 * Reports at scale: a generated community of 20,000 rooms (50 buildings) with 24 monthly periods
 * of bills (480,000 bills), the payments of the last two periods, overdue accounts and 12,000
 * recorded contacts, then each report through
 * the `report` function on the local cloud as finance would open it. Reports the time and the
 * database round trips per report (requests the SDK sent, `cloud.stats.total`): they must not
 * grow with the number of bills (aggregation, not fetching bills).
 */
import { performance } from 'node:perf_hooks';
import { startCloud, type LocalCloud } from '../cloud/server';
import { NONPAYMENT_REASONS } from '../../miniprogram/domain/overdue/vocabulary';
import { ensureSchema } from '../seed/demo';
import type { Bench, BenchResult } from './types';

export const COMMUNITY = 'c_bench_reports';
export const FINANCE = 'o_bench_finance';
const CHANNELS = ['wechat', 'wechat', 'wechat', 'cash', 'transfer', 'card'];
const STAGES = ['friendly-reminder', 'second-reminder', 'formal-notice', 'home-visit'];

export function periodsBack(latest: string, n: number): string[] {
  const [y, m] = latest.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const t = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

export function seed(cloud: LocalCloud, rooms: number, periods: string[]): number {
  const store = cloud.store;
  ensureSchema(store);
  store.insert('communities', [{ _id: COMMUNITY, name: '报表基准小区' }]);
  store.insert('staff_roles', [
    { _id: `${COMMUNITY}:${FINANCE}`, communityId: COMMUNITY, openid: FINANCE, roles: ['finance'] },
  ]);
  const roomDocs: Record<string, unknown>[] = [];
  for (let i = 0; i < rooms; i++) {
    roomDocs.push({
      _id: `rr_${i}`,
      communityId: COMMUNITY,
      building: String(1 + Math.floor(i / 400)),
      unit: String(1 + (Math.floor(i / 100) % 4)),
      number: String(101 + (i % 100)),
    });
  }
  store.insert('rooms', roomDocs);
  let bills = 0;
  const recent = new Set(periods.slice(-2));
  periods.forEach((period, pi) => {
    const docs: Record<string, unknown>[] = [];
    const payments: Record<string, unknown>[] = [];
    const age = periods.length - 1 - pi;
    for (let i = 0; i < rooms; i++) {
      const due = 15_000 + ((i * 7919) % 20_000);
      // Older periods are mostly paid; a few rooms never pay.
      const unpaid = (i * 31 + pi * 17) % 100 < (age === 0 ? 35 : age < 3 ? 12 : 3);
      const id = `rb_${i}_${period}`;
      docs.push({
        _id: id,
        communityId: COMMUNITY,
        roomId: `rr_${i}`,
        period,
        key: 'property',
        amountDueFen: due,
        lateFeeFen: 0,
        paidFen: unpaid ? 0 : due,
        dueDate: `${period}-15`,
        status: unpaid ? 'unpaid' : 'paid',
      });
      if (!unpaid && recent.has(period)) {
        payments.push({
          _id: `rp_${i}_${period}`,
          communityId: COMMUNITY,
          roomIds: [`rr_${i}`],
          channel: CHANNELS[i % CHANNELS.length],
          amountFen: due,
          allocations: [
            { billId: id, roomId: `rr_${i}`, roomLabel: '', period, title: '', amountFen: due },
          ],
          prepaidFen: 0,
          receiptNo: `SJ-${i}-${period}`,
          paidAt: new Date(`${period}-${String(1 + (i % 27)).padStart(2, '0')}T10:00:00+08:00`),
          recordedBy: 'bench',
        });
      }
    }
    store.insert('bills', docs);
    if (payments.length) store.insert('payments', payments);
    bills += docs.length;
  });
  seedFollowUp(cloud, rooms, periods);
  return bills;
}

/**
 * What overdue follow-up writes, shaped as the overdue function stores it: an account
 * (`collection_cases`) for every tenth room, on its latest bill, and three recorded contacts
 * (`collection_events`, kind `contact`) for every fifth room over the last 90 days (12,000 events).
 */
function seedFollowUp(cloud: LocalCloud, rooms: number, periods: string[]): void {
  const latest = periods[periods.length - 1]!;
  const cases: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < rooms; i++) {
    const roomId = `rr_${i}`;
    if (i % 10 === 0) {
      const stage = STAGES[(i / 10) % STAGES.length]!;
      cases.push({
        _id: `case_${roomId}`,
        communityId: COMMUNITY,
        roomId,
        roomLabel: '',
        stage,
        stageAt: new Date('2026-11-01T01:00:00Z'),
        stagesDone: [{ stage, at: new Date('2026-11-01T01:00:00Z'), day: '2026-11-01' }],
        billIds: [`rb_${i}_${latest}`],
        oldestDueDate: `${latest}-15`,
        updatedAt: new Date('2026-11-01T01:00:00Z'),
      });
    }
    if (i % 5 === 0) {
      for (let k = 0; k < 3; k++) {
        const reason = NONPAYMENT_REASONS[(i + k) % NONPAYMENT_REASONS.length]!;
        events.push({
          _id: `ev_${roomId}_${k}`,
          communityId: COMMUNITY,
          roomId,
          kind: 'contact',
          stage: null,
          title: '',
          detail: '',
          channel: k === 2 ? 'visit' : 'call',
          reason,
          notes: '',
          nextStep: '',
          ownerResponse: '',
          by: 'bench',
          byName: '',
          at: new Date(Date.parse('2026-11-19T02:00:00Z') - ((i + k * 29) % 85) * 86_400_000),
          promiseDate: null,
          complaintId: null,
          taskId: null,
        });
      }
    }
  }
  cloud.store.insert('collection_cases', cases);
  cloud.store.insert('collection_events', events);
}

export const reportsBench: Bench = {
  title: 'reports (report.* on the local cloud, 20,000 rooms × 24 periods)',
  async run() {
    const rooms = 20_000;
    const periods = periodsBack('2026-10', 24);
    const cloud = await startCloud({ port: 0, quiet: true, timers: false });
    try {
      const t0 = performance.now();
      const bills = seed(cloud, rooms, periods);
      const seedMs = performance.now() - t0;
      await cloud.setClock(Date.parse('2026-11-20T10:00:00+08:00'), { fireTimers: false });
      // Warm the worker (process start and SDK load are not the report's cost).
      await cloud.call('report', { action: 'arrears', communityId: 'none' }, FINANCE);
      const out: BenchResult[] = [
        {
          name: 'seed bills',
          value: bills,
          unit: 'bills',
          note: `${rooms} rooms × ${periods.length} periods in ${Math.round(seedMs)} ms`,
        },
      ];
      const cases: [string, Record<string, unknown>][] = [
        ['collection report (one period)', { action: 'collection', period: '2026-10' }],
        ['aging report', { action: 'aging' }],
        ['largest arrears (top 20)', { action: 'arrears' }],
        ['non-payment reasons (90 days)', { action: 'reasons' }],
      ];
      for (const [name, event] of cases) {
        const before = cloud.stats.total;
        const t = performance.now();
        const res = (await cloud.call('report', { communityId: COMMUNITY, ...event }, FINANCE)) as {
          ok: boolean;
          message?: string;
        };
        if (!res.ok) throw new Error(`${name}: ${res.message}`);
        const ms = performance.now() - t;
        const trips = cloud.stats.total - before;
        out.push(
          { name: `${name}: time`, value: Math.round(ms), unit: 'ms', note: `${bills} bills` },
          {
            name: `${name}: round trips`,
            value: trips,
            unit: 'trips',
            note: 'fixed, independent of size',
          },
        );
      }
      return out;
    } finally {
      await cloud.close();
    }
  },
};
