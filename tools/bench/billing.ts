/**
 * The billing run at scale: a generated community of 2,000 and 20,000 rooms (every room with an
 * owner on record, 1% with a prepaid balance, two quarterly standards) previewed and issued
 * through the `fee` function on the local cloud, as staff would (calling again while a pass is
 * not done). Reports rooms per second and the database round trips per 1,000 rooms (requests
 * the SDK sent, `cloud.stats.total`). Target: ≤ 30 round trips per 1,000 rooms, linear growth.
 */
import { performance } from 'node:perf_hooks';
import { startCloud, type LocalCloud } from '../cloud/server';
import { ensureSchema } from '../seed/demo';
import { COMMUNITY, benchRoom, smallThenLarge } from './rooms';
import type { Bench, BenchResult } from './types';

export const FINANCE = 'o_bench_finance';
export const PERIOD = '2027-01';

export function seed(cloud: LocalCloud, rooms: number): void {
  const store = cloud.store;
  ensureSchema(store);
  const now = new Date(cloud.clock.now());
  store.insert('communities', [{ _id: COMMUNITY, name: '基准小区', paymentMethods: ['wechat'] }]);
  store.insert('staff_roles', [
    { _id: `${COMMUNITY}:${FINANCE}`, communityId: COMMUNITY, openid: FINANCE, roles: ['finance'] },
  ]);
  const roomDocs: Record<string, unknown>[] = [];
  const owners: Record<string, unknown>[] = [];
  const accounts: Record<string, unknown>[] = [];
  const entries: Record<string, unknown>[] = [];
  for (let i = 0; i < rooms; i++) {
    const room = benchRoom(i);
    const id = room._id;
    roomDocs.push({ ...room, moveInDate: i % 97 === 0 ? '2027-02-10' : room.moveInDate });
    owners.push({
      _id: `ro_${id}`,
      communityId: COMMUNITY,
      roomId: id,
      ownerId: `p_${id}`,
      relation: 'owner',
      since: null,
      until: null,
    });
    if (i % 100 === 7) {
      // Balances all different (the worst case: no two rooms share a balance update).
      const balanceFen = 10_000 + ((i * 7907) % 190_000);
      accounts.push({ _id: id, communityId: COMMUNITY, balanceFen });
      entries.push({
        _id: `op_${id}`,
        communityId: COMMUNITY,
        roomId: id,
        amountFen: balanceFen,
        at: now,
      });
    }
  }
  store.insert('rooms', roomDocs);
  store.insert('room_owners', owners);
  store.insert('prepaid_accounts', accounts);
  store.insert('prepaid_entries', entries);
  const standard = (itemId: string, name: string, priceE4: number) => ({
    _id: `fs_${COMMUNITY}_${itemId}`,
    communityId: COMMUNITY,
    itemId,
    name,
    kind: 'area',
    cycle: 'quarterly',
    firstMonth: 1,
    billingMode: 'prepaid',
    dueDay: 15,
    rounding: 'halfUp',
    applicability: { scope: 'all' },
    vacancyDiscount: null,
    prepaymentDiscount: [],
    lateFee: null,
    effectiveTo: null,
    versions: [
      {
        versionId: 'v1',
        effectiveFrom: '2025-01-01',
        pricing: { kind: 'area', areaBasis: 'building', unitPriceE4: priceE4 },
        approvalRef: 'bench',
        approvedAt: '2024-12-01',
      },
    ],
    revision: 1,
    issuedThrough: null,
  });
  store.insert('fee_standards', [
    standard('property', '物业服务费', 23500),
    standard('energy', '公共能耗费', 1500),
  ]);
}

export interface PassFigures {
  ms: number;
  trips: number;
  calls: number;
  bills: number;
}

export async function runPass(
  cloud: LocalCloud,
  action: 'preview' | 'issue',
): Promise<PassFigures> {
  const before = cloud.stats.total;
  const t0 = performance.now();
  let calls = 0;
  for (;;) {
    calls++;
    const res = (await cloud.call(
      'fee',
      { action, communityId: COMMUNITY, period: PERIOD },
      FINANCE,
    )) as { ok: boolean; message?: string; data: Record<string, { done: boolean; bills: number }> };
    if (!res.ok) throw new Error(`${action}: ${res.message}`);
    const pass = res.data[action]!;
    if (pass.done) {
      return {
        ms: performance.now() - t0,
        trips: cloud.stats.total - before,
        calls,
        bills: pass.bills,
      };
    }
  }
}

async function measure(rooms: number): Promise<BenchResult[]> {
  const cloud = await startCloud({ port: 0, quiet: true, timers: false });
  try {
    seed(cloud, rooms);
    // Warm the worker (process start and SDK load are not the run's cost).
    await cloud.call('fee', { action: 'standards', communityId: COMMUNITY }, FINANCE);
    const preview = await runPass(cloud, 'preview');
    const issue = await runPass(cloud, 'issue');
    const again = await runPass(cloud, 'issue');
    const bills = cloud.store.count('bills', { communityId: COMMUNITY, period: PERIOD });
    if (bills !== issue.bills || again.bills !== issue.bills) {
      throw new Error(`issued ${bills} bills, expected ${issue.bills}`);
    }
    const k = rooms / 1000;
    const label = rooms.toLocaleString('en-US');
    const row = (name: string, p: PassFigures): BenchResult[] => [
      {
        name: `${name}, ${label} rooms: rooms per second`,
        value: Math.round(rooms / (p.ms / 1000)),
        unit: 'rooms/s',
        note: `${Math.round(p.ms)} ms in ${p.calls} call${p.calls > 1 ? 's' : ''}, ${p.bills} bills`,
      },
      {
        name: `${name}, ${label} rooms: round trips per 1,000 rooms`,
        value: Math.round((p.trips / k) * 10) / 10,
        unit: 'trips',
        note: `${p.trips} round trips; target ≤ 30`,
      },
    ];
    return [...row('preview', preview), ...row('issue', issue)];
  } finally {
    await cloud.close();
  }
}

export const billingBench: Bench = {
  title: 'billing run (fee.preview + fee.issue on the local cloud)',
  run: () => smallThenLarge(measure),
};
