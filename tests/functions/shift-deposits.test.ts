/**
 * Deposits in the cashier's shift close (交班日结; docs/payments.md "Shift close", docs/charges.md):
 * a deposit taken at the desk by a cashier, and its refund by a desk channel, join the cashier's
 * shift inside the transaction that writes them; the shift shows them as their own lines (押金收取
 * / 押金退还, YJ/YH first to last), not as fee income, and counts their cash in the drawer; the
 * close checks and freezes them, the sheet prints them; a deposit after the close lands in the
 * next shift and a refund of one taken in a closed shift is marked there; racing the close or
 * another desk, each is counted exactly once. The demo seed leaves a cash deposit in the shifts.
 */
import { DEMO_COMMUNITY_ID as C, DEMO_USERS } from '../../tools/seed/demo';
import { seedChargesDemo } from '../../tools/seed/charges';
import { seedShifts } from '../../tools/seed/shifts';
import type { SeedContext } from '../../tools/cloud/server';
import { useTestCloud } from '../helpers/cloud';
import { caller } from '../helpers/calls';
import { ledgerViolations } from '../helpers/ledger';
import { fetchLinked } from '../helpers/files';
import { extractText } from '../helpers/pdf-text';
import { PDFDocument } from 'pdf-lib';
import type { ShiftView } from '../../miniprogram/domain/payment/shift';
import type { ShiftList } from '../../miniprogram/domain/payment/shift.contract';
import type { PrintedFile } from '../../miniprogram/domain/print/file';
import type { RecordedPayment } from '../../miniprogram/domain/payment/contract';
import type { DepositView } from '../../miniprogram/domain/charge/contract';

const cloud = useTestCloud({ seed: 'demo' });
const { raw, call } = caller(cloud, 'payment', DEMO_USERS.cashier);
const charge = caller(cloud, 'charge', DEMO_USERS.cashier);

/** Rooms away from the demo users' own (deposits need no bill; payments need an unpaid one). */
function rooms(n: number): string[] {
  const keep = new Set(['r_1_1_1501', 'r_2_1_302', 'r_1_2_201', 'r_3_2_801']);
  const ids = cloud.store
    .find('bills', { communityId: C, status: 'unpaid' })
    .map((b) => String(b.roomId))
    .filter((r) => !keep.has(r));
  return [...new Set(ids)].sort().slice(0, n);
}

let keys = 0;
async function deposit(
  roomId: string,
  amountFen: number,
  channel = 'cash',
  by: string = DEMO_USERS.cashier,
): Promise<DepositView> {
  const asked = await charge.call<DepositView>({
    action: 'requestDeposit',
    communityId: C,
    roomId,
    kind: 'renovation',
    amountFen,
    note: '装修施工',
    requestId: `shift-deposit-${++keys}`,
  });
  return charge.call<DepositView>(
    {
      action: 'collectDeposit',
      depositId: asked.depositId,
      channel,
      ...(channel === 'cash' ? {} : { reference: `POS-DEP-${keys}` }),
    },
    by,
  );
}

function refund(
  dep: DepositView,
  channel = 'cash',
  deductions: { reason: string; amountFen: number }[] = [],
) {
  return charge.call<DepositView>(
    {
      action: 'refundDeposit',
      depositId: dep.depositId,
      channel,
      deductions,
      ...(channel === 'cash' ? {} : { reference: `TRF-DEP-${dep.depositId.slice(-6)}` }),
    },
    DEMO_USERS.finance,
  );
}

const summary = (openid: string = DEMO_USERS.cashier) =>
  call<ShiftView>({ action: 'shiftSummary', communityId: C }, openid);

function close(shift: ShiftView, declaredCashFen: number, openid: string = DEMO_USERS.cashier) {
  return raw(
    {
      action: 'closeShift',
      communityId: C,
      shiftId: shift.shiftId,
      expectedCashFen: shift.totals.expectedCashFen,
      declaredCashFen,
    },
    openid,
  );
}

const entryOf = (dep: DepositView, kind: 'dc' | 'dr') =>
  cloud.store.find('deposit_entries', { _id: `${kind}_${dep.depositId}` })[0]!;

test('a cash deposit and its refund are the shift’s own lines, in the cash expected; the close freezes them and the sheet prints them', async () => {
  const [r1, r3] = rooms(2) as [string, string];
  // the demo owner's room, so the owner can agree to the deduction below
  const r2 = 'r_1_1_1501';
  const paid = await call<RecordedPayment>({
    action: 'recordOffline',
    roomId: r1,
    channel: 'cash',
    amountFen: 20_000,
    idempotencyKey: `shift_dep_${++keys}`,
  });
  const cash = await deposit(r2, 300_000);
  const card = await deposit(r3, 50_000, 'card');
  const open = await summary();
  expect(entryOf(cash, 'dc').shiftId).toBe(open.shiftId);
  // fee income is the payment only; the deposits are their own lines
  expect(open.totals).toMatchObject({
    netFen: 20_000,
    receipts: { count: 1, first: paid.receiptNo },
  });
  expect(open.totals.byChannel.map((c) => [c.channel, c.netFen])).toEqual([['cash', 20_000]]);
  expect(open.totals.deposits.collected).toMatchObject({
    count: 2,
    amountFen: 350_000,
    cashFen: 300_000,
    first: [cash, card].map((d) => d.collected!.receiptNo).sort()[0],
    last: [cash, card].map((d) => d.collected!.receiptNo).sort()[1],
  });
  expect(open.totals.expectedCashFen).toBe(320_000);

  // Refunded in cash less a deduction the owner agrees to: the cash paid back leaves the drawer.
  await refund(cash, 'cash', [{ reason: '墙面修补', amountFen: 40_000 }]);
  expect((await summary()).totals.deposits.refunded.count).toBe(0);
  const acked = await charge.call<DepositView>(
    { action: 'ackDeduction', depositId: cash.depositId },
    DEMO_USERS.owner,
  );
  const withRefund = await summary();
  expect(entryOf(cash, 'dr').shiftId).toBe(open.shiftId);
  expect(withRefund.totals.deposits.refunded).toMatchObject({
    count: 1,
    amountFen: 260_000,
    cashFen: 260_000,
    first: acked.released!.receiptNo,
  });
  expect(withRefund.totals.deposits.refunded.items[0]!.correctionOfShiftNo).toBeUndefined();
  expect(withRefund.totals.expectedCashFen).toBe(320_000 - 260_000);
  expect(withRefund.totals.netFen).toBe(20_000);

  // A count that leaves the deposits out is a difference; the close checks the expected amount.
  const stale = await close(open, 320_000);
  expect(stale).toMatchObject({ ok: false, code: 'CONFLICT' });
  const closed = await close(withRefund, 60_000);
  expect(closed).toMatchObject({ ok: true, data: { status: 'closed', differenceFen: 0 } });
  const frozen = cloud.store.find('cashier_shifts', { _id: open.shiftId })[0] as unknown as {
    entries: number;
    totals: ShiftView['totals'];
  };
  expect(frozen.entries).toBe(4);
  expect(frozen.totals.deposits).toEqual(withRefund.totals.deposits);
  const listed = await call<ShiftList>(
    { action: 'shifts', communityId: C, status: 'closed' },
    DEMO_USERS.finance,
  );
  expect(listed.shifts[0]!.totals.deposits.collected.amountFen).toBe(350_000);

  const pdf = await call<PrintedFile>({ action: 'shiftPdf', shiftId: open.shiftId });
  const text = extractText(await PDFDocument.load(await fetchLinked(pdf))).join('\n');
  for (const s of ['押金收取', '押金退还', cash.collected!.receiptNo, acked.released!.receiptNo])
    expect(text).toContain(s);
  expect(ledgerViolations(cloud)).toEqual([]);
});

test('after the close a deposit opens the next shift; a refund of one taken in the closed shift is marked there; money finance takes (no cashier role, no drawer) joins no shift', async () => {
  const [r1, r2] = rooms(2) as [string, string];
  const before = await deposit(r1, 100_000);
  const first = await summary();
  expect(await close(first, first.totals.expectedCashFen)).toMatchObject({ ok: true });
  const frozen = cloud.store.find('cashier_shifts', { _id: first.shiftId })[0];

  const after = await deposit(r2, 20_000);
  const refunded = await refund(before);
  const second = await summary();
  expect(second.no).toBe(first.no + 1);
  expect(entryOf(after, 'dc').shiftId).toBe(second.shiftId);
  expect(entryOf(before, 'dr')).toMatchObject({
    shiftId: second.shiftId,
    shiftCorrectionOf: first.shiftId,
  });
  expect(second.totals.deposits.collected).toMatchObject({ count: 1, amountFen: 20_000 });
  expect(second.totals.deposits.refunded.items).toEqual([
    expect.objectContaining({
      receiptNo: refunded.released!.receiptNo,
      amountFen: 100_000,
      correctionOfShiftNo: first.no,
    }),
  ]);
  expect(second.totals.expectedCashFen).toBe(20_000 - 100_000);
  // the closed shift did not change
  expect(cloud.store.find('cashier_shifts', { _id: first.shiftId })[0]).toEqual(frozen);

  // Finance (no cashier role) taking a deposit has no drawer shift: it joins none.
  const byFinance = await deposit(r1, 30_000, 'cash', DEMO_USERS.finance);
  expect(entryOf(byFinance, 'dc').shiftId).toBeUndefined();
  expect((await summary()).totals.deposits.collected.count).toBe(1);
  expect(ledgerViolations(cloud)).toEqual([]);
});

test('deposits racing the close, and two desks taking one deposit, are each counted exactly once', async () => {
  const list = rooms(9);
  await deposit(list[0]!, 10_000);
  // card deposits leave the cash expected alone, so the close goes ahead whatever lands first;
  // it starts once the first has landed, while the others are in flight
  const taking = list.slice(1).map((r, i) => deposit(r, 1_000 + i, 'card'));
  await Promise.race(taking);
  const closed = await close(await summary(), 10_000);
  const taken = await Promise.all(taking);
  expect(closed).toMatchObject({ ok: true });
  const shift = (closed as { data: ShiftView }).data;
  const next = await summary();
  expect(next.no).toBe(shift.no + 1);
  expect(shift.totals.deposits.collected.count).toBeGreaterThanOrEqual(2);
  const counted = shift.totals.deposits.collected.count + next.totals.deposits.collected.count;
  expect(counted).toBe(1 + taken.length);
  expect(shift.totals.deposits.collected.amountFen + next.totals.deposits.collected.amountFen).toBe(
    10_000 + taken.reduce((s, _d, i) => s + 1_000 + i, 0),
  );
  // the frozen totals are exactly the entries carrying the shift's id
  const mine = cloud.store.find('deposit_entries', { shiftId: shift.shiftId });
  expect(mine.reduce((s, e) => s + Number(e.amountFen), 0)).toBe(
    shift.totals.deposits.collected.amountFen,
  );

  // The cashier and an admin at another desk take the same deposit at once: one wins, and only
  // the winner's shift counts it.
  const asked = await charge.call<DepositView>({
    action: 'requestDeposit',
    communityId: C,
    roomId: list[1]!,
    kind: 'parking',
    amountFen: 50_000,
    note: '车位',
    requestId: `shift-deposit-race-${++keys}`,
  });
  const desks = [DEMO_USERS.cashier, DEMO_USERS.admin];
  const replies = await Promise.all(
    desks.map((openid) =>
      charge.raw({ action: 'collectDeposit', depositId: asked.depositId, channel: 'cash' }, openid),
    ),
  );
  expect(replies.filter((r) => r.ok)).toHaveLength(1);
  expect(replies.find((r) => !r.ok)).toMatchObject({ code: 'CONFLICT' });
  const winner = desks[replies.findIndex((r) => r.ok)]!;
  const loser = desks.find((d) => d !== winner)!;
  expect((await summary(winner)).totals.expectedCashFen).toBeGreaterThanOrEqual(50_000);
  expect((await summary(loser)).totals.deposits.collected.items).not.toContainEqual(
    expect.objectContaining({ amountFen: 50_000, channel: 'cash' }),
  );
  // every shift's entry count is what its totals count (the close would find nothing missing)
  for (const openid of desks) {
    const s = await summary(openid);
    const doc = cloud.store.find('cashier_shifts', { _id: s.shiftId })[0] as
      { entries: number } | undefined;
    const t = s.totals;
    expect(doc?.entries ?? 0).toBe(
      t.receipts.count + t.voided.count + t.deposits.collected.count + t.deposits.refunded.count,
    );
  }
  expect(ledgerViolations(cloud)).toEqual([]);
});

test('the demo seed leaves today’s cash deposits in the open shift and yesterday’s shift dated yesterday, the books still balancing', async () => {
  const ctx: SeedContext = {
    url: cloud.url,
    call: (fn, e, o) => cloud.call(fn, e, o),
    store: cloud.store,
    clock: cloud.clock,
  };
  // as npm start seeds them: yesterday's shift closed first, then today's desk work
  await seedShifts(ctx);
  await seedChargesDemo(ctx);
  const open = await summary();
  // today's 车位押金 (¥500) and the charges seed's cash deposits
  expect(open.totals.deposits.collected.count).toBeGreaterThanOrEqual(2);
  expect(open.totals.deposits.collected.cashFen).toBeGreaterThan(50_000);
  const past = await call<ShiftList>({ action: 'shifts', communityId: C, status: 'confirmed' });
  // yesterday's shift holds yesterday's entries only: opened before it was closed
  const y = past.shifts[0]!;
  expect(Date.parse(y.openedAt!)).toBeLessThan(Date.parse(y.closedAt!));
  expect(y.totals.deposits.collected.count).toBe(0);
  expect(ledgerViolations(cloud)).toEqual([]);
});
