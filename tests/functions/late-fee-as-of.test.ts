/**
 * Late fees derived as of today (issue 16): the overdue run no longer writes each bill's late fee
 * every day, so what owners and staff see, and what a payment charges, is the stored fee plus the
 * days since, by the one rule. A payment or a WeChat order's claim settles (writes) exactly the
 * amount that was shown, and the ledger invariants hold afterwards.
 */
import { useTestCloud } from '../helpers/cloud';
import { DEMO_USERS } from '../../tools/seed/demo';
import { ledgerViolations } from '../helpers/ledger';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type { BillSummary } from '../../miniprogram/domain/fee/bill';
import {
  bills,
  bindPayers,
  cash,
  enableLateFees,
  order,
  paySheet,
  type StoredBill,
} from './money-helpers';

const cloud = useTestCloud({ seed: 'demo' });

/** The overdue bills of a room as the cashier's desk shows them today. */
async function shown(roomId: string): Promise<Map<string, { lateFeeFen: number; out: number }>> {
  const r = (await cloud.call(
    'payment',
    { action: 'roomBills', roomId },
    DEMO_USERS.cashier,
  )) as Reply<{ unpaid: BillSummary[] }>;
  if (!r.ok) throw new Error(r.message);
  return new Map(
    r.data.unpaid.map((b) => [b.billId, { lateFeeFen: b.lateFeeFen, out: b.outstandingFen }]),
  );
}

function ledgerHolds(): void {
  expect(ledgerViolations(cloud)).toEqual([]);
}

/** A payer's room with a property bill past its grace days and no late fee stored yet. */
function overdueRoom(): { openid: string; roomId: string; bill: StoredBill } {
  enableLateFees(cloud);
  const [payer] = bindPayers(cloud, 1, 'asof');
  const bill = bills(cloud, { roomId: payer!.roomId, status: 'unpaid' }).sort((a, b) =>
    a.period.localeCompare(b.period),
  )[0]!;
  return { ...payer!, bill };
}

test('the cashier is shown the late fee as of today and the payment settles exactly it', async () => {
  const { roomId, bill } = overdueRoom();
  const view = (await shown(roomId)).get(bill._id)!;
  expect(view.lateFeeFen).toBeGreaterThan(bill.lateFeeFen);
  expect(view.out).toBe(bill.amountDueFen + view.lateFeeFen - bill.paidFen);
  const paid = await cash(cloud, roomId, [bill._id], view.out);
  expect(paid.ok).toBe(true);
  const after = bills(cloud, { _id: bill._id })[0]!;
  expect(after).toMatchObject({ status: 'paid', lateFeeFen: view.lateFeeFen });
  expect(after.paidFen).toBe(after.amountDueFen + view.lateFeeFen);
  ledgerHolds();
});

test('a WeChat order is priced on the late fee as of today, settled by its claim and kept while claimed past midnight', async () => {
  const { openid, roomId, bill } = overdueRoom();
  // Just before midnight, so the claim lives into the next day.
  await cloud.setClock(Date.parse('2026-11-26T23:57:00+08:00'), { fireTimers: false });
  const view = (await shown(roomId)).get(bill._id)!;
  const o = await order(cloud, openid, [bill._id]);
  if (!o.ok) throw new Error(o.message);
  expect(o.data.amountFen).toBe(view.out);
  expect(bills(cloud, { _id: bill._id })[0]).toMatchObject({ lateFeeFen: view.lateFeeFen });
  // Past midnight the claim still holds the amount the order was priced on (unclaimed, it would
  // have grown by a day).
  await cloud.setClock(cloud.clock.now() + 5 * 60_000, { fireTimers: false });
  expect((await shown(roomId)).get(bill._id)!.lateFeeFen).toBe(view.lateFeeFen);
  await paySheet(cloud, o.data, openid);
  expect(bills(cloud, { _id: bill._id })[0]).toMatchObject({
    status: 'paid',
    lateFeeFen: view.lateFeeFen,
  });
  ledgerHolds();
});
