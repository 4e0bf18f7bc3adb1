/**
 * Issue 16's round-trip budgets, held in CI at a modest size (`npm run bench -- --rooms 20000`
 * measures them at full size): database requests counted by the local cloud (`GET /dev/stats`,
 * zeroed by `POST /dev/stats/reset`) per function.
 *
 * - every timer with nothing due does constant work: ≤ 5 requests a firing on the demo, and the
 *   complaint sweep reads none of 1,200 open tickets whose deadlines are weeks away;
 * - the overdue timer's stage day and ordinary day at 500 rooms: one firing, a fixed number of
 *   requests per page of 1,000 bills (no per-bill or per-room write), late fees not written;
 * - the billing issue at 500 rooms, a fifth of them prepaid: one chunk, its requests bounded
 *   whatever the number of prepaid rooms.
 */
import { startTestCloud, useTestCloud } from '../helpers/cloud';
import * as billing from '../../tools/bench/billing';
import * as overdue from '../../tools/bench/overdue';
import { COMMUNITY, benchRoom } from '../../tools/bench/rooms';
import { ledgerViolations } from '../helpers/ledger';
import type { LocalCloud } from '../../tools/cloud/server';

interface Stats {
  db: { requests: number; byFunction: Record<string, number> };
}

async function stats(cloud: LocalCloud): Promise<Stats> {
  return (await (await fetch(`${cloud.url}/dev/stats`)).json()) as Stats;
}

async function resetStats(cloud: LocalCloud): Promise<void> {
  const res = await fetch(`${cloud.url}/dev/stats/reset`, { method: 'POST' });
  expect(((await res.json()) as Stats).db).toEqual({ requests: 0, byFunction: {} });
}

describe('the demo community', () => {
  const cloud = useTestCloud({ seed: 'demo', per: 'file' });

  test.each(['overdue', 'complaint', 'payment', 'backup'])(
    'the %s timer with nothing due makes at most 5 database requests',
    async (fn) => {
      // The first firing does whatever is due today; the next finds nothing left.
      await cloud.fireTimer(fn);
      await resetStats(cloud);
      await cloud.fireTimer(fn);
      const s = await stats(cloud);
      expect(s.db.byFunction[fn]).toBeLessThanOrEqual(5);
      expect(s.db.requests).toBe(s.db.byFunction[fn]);
    },
  );
});

test('the complaint sweep reads only tickets whose deadline instant has come, not every open one', async () => {
  const cloud2 = await startTestCloud({ seed: 'demo' });
  try {
    const [open] = cloud2.store.find('complaints', { status: 'registered' });
    const far = (days: number) => new Date(cloud2.clock.now() + days * 86_400_000);
    // 1,200 open tickets whose deadlines are weeks away (two pages of a scan).
    cloud2.store.insert(
      'complaints',
      Array.from({ length: 1200 }, (_, i) => ({
        ...open,
        _id: `cp_budget_${i}`,
        ticketNo: `TS-${i}`,
        clockStartAt: new Date(cloud2.clock.now()),
        firstResponseDueAt: far(20),
        resolutionDueAt: far(60),
        sweepAt: null,
      })),
    );
    await cloud2.fireTimer('complaint'); // looks at each once and sets when to look again
    await resetStats(cloud2);
    const r = (await cloud2.fireTimer('complaint')) as { scanned: number };
    expect(r.scanned).toBe(0);
    expect((await stats(cloud2)).db.byFunction.complaint).toBeLessThanOrEqual(2);
  } finally {
    await cloud2.close();
  }
}, 120_000);

describe('500 rooms', () => {
  let cloud: LocalCloud;
  afterEach(async () => {
    await cloud.close();
  });

  async function fireOn(day: string): Promise<{ requests: number; done: boolean }> {
    await cloud.setClock(Date.parse(`${day}T08:00:00+08:00`), { fireTimers: false });
    await resetStats(cloud);
    const report = (await cloud.fireTimer('overdue')) as { done: boolean };
    return { requests: (await stats(cloud)).db.byFunction.overdue ?? 0, done: report.done };
  }

  test('the overdue stage day and the next day: one firing each, requests per page not per room', async () => {
    cloud = await startTestCloud();
    overdue.seed(cloud, 500);
    const bills = () => cloud.store.find('bills', { communityId: COMMUNITY, status: 'unpaid' });
    const before = bills().map((b) => [b._id, b.lateFeeFen, b.lateFee ?? null]);
    // 125 overdue rooms reach the 催缴函 stage: letters, tasks, events, case moves, reminders.
    const stage = await fireOn(overdue.DAY);
    expect(stage.done).toBe(true);
    expect(cloud.store.count('collection_letters', { communityId: COMMUNITY })).toBe(125);
    expect(cloud.store.count('collection_cases', { stage: 'formal-notice' })).toBe(125);
    expect(stage.requests).toBeLessThanOrEqual(30);
    const ordinary = await fireOn(overdue.NEXT_DAY);
    expect(ordinary.done).toBe(true);
    expect(ordinary.requests).toBeLessThanOrEqual(20);
    console.log(
      `overdue, 500 rooms: stage day ${stage.requests}, next day ${ordinary.requests} requests`,
    );
    // Late fees are derived, not written day by day (January was settled at month end).
    expect(bills().map((b) => [b._id, b.lateFeeFen, b.lateFee ?? null])).toEqual(before);
  }, 120_000);

  test('the billing issue: one chunk of rooms, prepaid applied in batches', async () => {
    cloud = await startTestCloud();
    billing.seed(cloud, 500);
    // A fifth of the rooms prepaid, each balance different (CloudBase cannot move different
    // amounts in one request): the run's requests must not grow with them.
    const extra = Array.from({ length: 100 }, (_, k) => benchRoom(5 * k + 1)._id);
    cloud.store.insert(
      'prepaid_accounts',
      extra.map((id, k) => ({ _id: id, communityId: COMMUNITY, balanceFen: 20_000 + 37 * k })),
    );
    cloud.store.insert(
      'prepaid_entries',
      extra.map((id, k) => ({
        _id: `op_${id}`,
        communityId: COMMUNITY,
        roomId: id,
        amountFen: 20_000 + 37 * k,
        at: new Date(),
      })),
    );
    const prepaidRooms = cloud.store.count('prepaid_accounts', {});
    expect(prepaidRooms).toBe(105);
    await billing.runPass(cloud, 'preview');
    await resetStats(cloud);
    const issue = await billing.runPass(cloud, 'issue');
    expect(issue.calls).toBe(1);
    expect(issue.bills).toBe(
      cloud.store.count('bills', { communityId: COMMUNITY, period: billing.PERIOD }),
    );
    const used = (await stats(cloud)).db.byFunction.fee!;
    console.log(`billing issue, 500 rooms (${prepaidRooms} prepaid): ${used} database requests`);
    // about 10 fixed (standards, run document, summary) and 8 for the chunk; one update per
    // prepaid room would add 105
    expect(used).toBeLessThanOrEqual(20);
    // Every prepaid room's bill was paid from its balance, by a pending entry each.
    const paid = cloud.store.find('bills', {
      period: billing.PERIOD,
      prepaidAppliedFen: { $gt: 0 },
    });
    expect(paid).toHaveLength(prepaidRooms);
    expect(cloud.store.count('prepaid_entries', { pending: true })).toBe(prepaidRooms);
    expect(ledgerViolations(cloud)).toEqual([]);
  }, 120_000);
});
