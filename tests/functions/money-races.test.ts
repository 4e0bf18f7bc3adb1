/**
 * Money under concurrency (issue 15 "Done when"), through the local cloud and the real SDK:
 * - an owner's WeChat order and the cashier's cash fired at the same moment for the same bills:
 *   exactly one takes them, the other is told who is paying (or who paid), nothing goes to
 *   prepaid — 12 trials;
 * - six overlapping deliveries of the overdue timer leave exactly the late fees one delivery
 *   leaves, never above the cap;
 * - 20 cashier payments at once in one community all succeed, with unique, gap-free receipts.
 * After each, the ledger invariants (`npm run ledger:check`'s rules) hold.
 */
import type { LocalCloud } from '../../tools/cloud/server';
import { DEMO_USERS } from '../../tools/seed/demo';
import { startTestCloud } from '../helpers/cloud';
import { ledgerViolations } from '../helpers/ledger';
import type { OverdueRunReport } from '../../miniprogram/domain/overdue/contract';
import {
  bindPayers,
  bills,
  cash,
  enableLateFees,
  order,
  outstanding,
  owing,
  paySheet,
} from './money-helpers';

let cloud: LocalCloud;
afterEach(async () => {
  await cloud?.close();
});

const TRIALS = 12;

test(`${TRIALS} trials of a WeChat order and cash at once on the same bills: exactly one takes them`, async () => {
  cloud = await startTestCloud({ seed: 'demo' });
  const payers = bindPayers(cloud, TRIALS, 'o_race');
  const won = { wechat: 0, cash: 0 };
  const refusals = new Set<string>();
  for (const p of payers) {
    const open = owing(cloud, p.roomId);
    const ids = open.map((b) => b._id);
    const [o, c] = await Promise.all([
      order(cloud, p.openid, ids),
      cash(cloud, p.roomId, ids, outstanding(open)),
    ]);
    // Exactly one of the two took the bills; the other was refused politely.
    expect([o.ok, c.ok].filter(Boolean)).toHaveLength(1);
    const refused = o.ok ? c : o;
    expect(refused).toMatchObject({ ok: false, code: 'CONFLICT' });
    if (!refused.ok)
      refusals.add(refused.message.replace(/订单尾号 \w+/, '订单尾号 …').replace(/\d/g, '#'));
    if (o.ok) {
      won.wechat++;
      expect(refused.ok ? '' : refused.message).toMatch(/正由业主 .+通过微信支付/);
      await paySheet(cloud, o.data, p.openid);
    } else {
      won.cash++;
      expect(refused.ok ? '' : refused.message).toMatch(
        /物业服务中心（现金）缴清|正在支付中|刚有变动/,
      );
    }
    for (const b of bills(cloud, { _id: { $in: ids } })) {
      expect(b.status).toBe('paid');
      expect(b.payHold ?? null).toBeNull();
    }
    // Nothing went to the room's prepaid balance: no one paid twice.
    expect(cloud.store.count('prepaid_entries', { roomId: p.roomId })).toBe(0);
    const taken = cloud.store.find('payments', { 'allocations.billId': { $in: ids } });
    expect(taken).toHaveLength(1);
    expect(ledgerViolations(cloud)).toEqual([]);
  }
  console.log(
    `order vs cash: ${TRIALS} trials, WeChat took the bills ${won.wechat}×, cash ${won.cash}×; refusals: ${[...refusals].join(' | ')}`,
  );
}, 180_000);

/** Late fees of every bill that has one, after the timer ran on each day given. */
async function lateFeesAfter(days: string[], deliveries: number): Promise<Map<string, number>> {
  cloud = await startTestCloud({ seed: 'demo' });
  enableLateFees(cloud);
  for (const day of days) {
    await cloud.setClock(Date.parse(`${day}T08:00:05+08:00`), { fireTimers: false });
    const runs = (await Promise.all(
      Array.from({ length: deliveries }, () => cloud.fireTimer('overdue')),
    )) as OverdueRunReport[];
    expect(runs).toHaveLength(deliveries);
    expect(ledgerViolations(cloud)).toEqual([]);
  }
  const fees = new Map(
    bills(cloud, { lateFeeFen: { $gt: 0 } }).map((b) => [b._id, b.lateFeeFen] as const),
  );
  await cloud.close();
  return fees;
}

test('six overlapping overdue deliveries leave the same late fees as one, within the cap', async () => {
  // Three days in a row, the last far enough on that some bills reach the 5% cap.
  const days = ['2026-11-26', '2026-11-27', '2027-03-01'];
  const once = await lateFeesAfter(days, 1);
  const six = await lateFeesAfter(days, 6);
  expect(once.size).toBeGreaterThan(10);
  expect(Object.fromEntries(six)).toEqual(Object.fromEntries(once));
  const total = [...once.values()].reduce((s, f) => s + f, 0);
  console.log(
    `overdue: 6 overlapping deliveries on each of ${days.length} days → ${six.size} bills, ${total} fen of late fees, identical to one delivery`,
  );
}, 240_000);

test('20 cashier payments at once in one community all succeed with gap-free receipts', async () => {
  cloud = await startTestCloud({ seed: 'demo' });
  const payers = bindPayers(cloud, 20, 'o_rush');
  const numbered = () => cloud.store.count('payments', { receiptNo: /^SJ/ });
  const numbersBefore = numbered();
  const replies = await Promise.all(
    payers.map((p) => {
      const open = owing(cloud, p.roomId);
      return cash(
        cloud,
        p.roomId,
        open.map((b) => b._id),
        outstanding(open),
      );
    }),
  );
  expect(replies.filter((r) => !r.ok)).toEqual([]);
  const numbers = replies.map((r) => (r.ok ? r.data.receiptNo : '')).sort();
  expect(new Set(numbers).size).toBe(20);
  expect(numbered()).toBe(numbersBefore + 20);
  expect(ledgerViolations(cloud)).toEqual([]);
  // The cashier's own view of the room agrees: nothing left to collect.
  const view = (await cloud.call(
    'payment',
    { action: 'roomBills', roomId: payers[0]!.roomId },
    DEMO_USERS.cashier,
  )) as { ok: boolean; data: { unpaid: unknown[] } };
  expect(view.data.unpaid).toEqual([]);
}, 120_000);
