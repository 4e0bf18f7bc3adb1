/**
 * The cashier's shift close (交班日结) through the local cloud: desk payments join the cashier's
 * open shift, the summary adds them up by channel with the first and last receipt numbers, red
 * receipts count as voided, the close records declared vs expected cash (a difference needs a
 * note), finance — another person — confirms, an entry after the close lands in a new shift and a
 * reversal of a closed shift's receipt is listed in the current one as a correction; the sheet
 * prints as a PDF.
 */
import { DEMO_COMMUNITY_ID as C, DEMO_USERS } from '../../tools/seed/demo';
import { useTestCloud } from '../helpers/cloud';
import { caller } from '../helpers/calls';
import { ledgerViolations } from '../helpers/ledger';
import { fetchLinked } from '../helpers/files';
import { extractText } from '../helpers/pdf-text';
import { PDFDocument } from 'pdf-lib';
import type { ShiftView } from '../../miniprogram/domain/payment/shift';
import type { ShiftList } from '../../miniprogram/domain/payment/shift.contract';
import type { PrintedFile } from '../../miniprogram/domain/print/file';
import type { RecordedPayment, RefundView } from '../../miniprogram/domain/payment/contract';

const cloud = useTestCloud({ seed: 'demo' });
const { raw, call } = caller(cloud, 'payment', DEMO_USERS.cashier);

/** Rooms with bills still unpaid, away from the demo users' own. */
function rooms(n: number): string[] {
  const keep = new Set(['r_1_1_1501', 'r_2_1_302', 'r_1_2_201', 'r_3_2_801']);
  const ids = cloud.store
    .find('bills', { communityId: C, status: 'unpaid' })
    .map((b) => String(b.roomId))
    .filter((r) => !keep.has(r));
  return [...new Set(ids)].sort().slice(0, n);
}

let keys = 0;
function pay(roomId: string, channel: string, amountFen: number, reference?: string) {
  return call<RecordedPayment>({
    action: 'recordOffline',
    roomId,
    channel,
    amountFen,
    idempotencyKey: `shift_test_${++keys}`,
    ...(reference ? { reference } : {}),
  });
}

const summary = () => call<ShiftView>({ action: 'shiftSummary', communityId: C });

function close(shift: ShiftView, declaredCashFen: number, note?: string) {
  return raw({
    action: 'closeShift',
    communityId: C,
    shiftId: shift.shiftId,
    expectedCashFen: shift.totals.expectedCashFen,
    declaredCashFen,
    ...(note ? { note } : {}),
  });
}

test('the open shift adds up desk payments by channel with first/last receipts; close records the difference; finance confirms', async () => {
  const [r1, r2, r3] = rooms(3) as [string, string, string];
  const empty = await summary();
  expect(empty).toMatchObject({ no: 1, status: 'open', openedAt: null });
  expect(empty.totals).toMatchObject({ netFen: 0, receipts: { count: 0, first: null } });

  const p1 = await pay(r1, 'cash', 30_000);
  const p2 = await pay(r2, 'card', 12_345, 'POS-T-1');
  const p3 = await pay(r3, 'cash', 5_000);
  const open = await summary();
  expect(open.shiftId).toBe(empty.shiftId);
  const cash = open.totals.byChannel.find((c) => c.channel === 'cash')!;
  const card = open.totals.byChannel.find((c) => c.channel === 'card')!;
  expect(cash).toMatchObject({ count: 2, receivedFen: 35_000, netFen: 35_000 });
  expect(card).toMatchObject({ count: 1, receivedFen: 12_345 });
  // totals match the stored payments of the shift, and the receipts are the payments'
  const stored = cloud.store.find('payments', { shiftId: open.shiftId });
  expect(stored.reduce((s, p) => s + Number(p.amountFen), 0)).toBe(open.totals.netFen);
  expect(open.totals).toMatchObject({
    netFen: 47_345,
    expectedCashFen: 35_000,
    receipts: { count: 3, first: p1.receiptNo, last: p3.receiptNo },
  });
  expect([p1, p2, p3].map((p) => p.receiptNo).sort()).toEqual(
    [p1.receiptNo, p2.receiptNo, p3.receiptNo].sort(),
  );

  // A cash refund of p3 (finance) is a red receipt in the cashier's open shift: voided, cash less.
  const refund = await call<RefundView>(
    { action: 'requestRefund', paymentId: p3.paymentId, amountFen: 5_000, reason: '重复收款退回' },
    DEMO_USERS.finance,
  );
  const withVoid = await summary();
  expect(withVoid.totals.voided).toMatchObject({
    count: 1,
    amountFen: 5_000,
    items: [{ receiptNo: refund.reversalReceiptNo, reversesReceiptNo: p3.receiptNo }],
  });
  expect(withVoid.totals.expectedCashFen).toBe(30_000);
  expect(withVoid.totals.receipts.count).toBe(3);

  // A difference without a note is refused, naming the field; nothing changes.
  const noNote = await close(withVoid, 29_950);
  expect(noNote).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect((noNote as { message: string }).message).toMatch(/^note: /);
  // A stale expected amount is refused too.
  const stale = await close(open, 35_000);
  expect(stale).toMatchObject({ ok: false, code: 'CONFLICT' });
  expect(cloud.store.find('cashier_shifts', { _id: open.shiftId })[0]!.status).toBe('open');

  const closed = (await close(withVoid, 29_950, '找零少收 5 角')) as { ok: true; data: ShiftView };
  expect(closed.data).toMatchObject({
    status: 'closed',
    declaredCashFen: 29_950,
    differenceFen: -50,
    note: '找零少收 5 角',
  });
  // The same close again answers the closed shift; another count is refused.
  expect(await close(withVoid, 29_950, '找零少收 5 角')).toMatchObject({ ok: true });
  expect(await close(withVoid, 30_000)).toMatchObject({ ok: false, code: 'CONFLICT' });
  expect(
    cloud.store.find('audit_log', { action: 'shift.close', targetId: open.shiftId }),
  ).toHaveLength(1);

  // Confirmation: never by the cashier; finance confirms once.
  const self = await raw({ action: 'confirmShift', shiftId: open.shiftId });
  expect(self).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  const confirmed = await call<ShiftView>(
    { action: 'confirmShift', shiftId: open.shiftId, note: '现金已入保险柜' },
    DEMO_USERS.finance,
  );
  expect(confirmed).toMatchObject({ status: 'confirmed', confirmNote: '现金已入保险柜' });
  expect(confirmed.confirmedByName).toBeTruthy();

  const list = await call<ShiftList>(
    { action: 'shifts', communityId: C, status: 'confirmed' },
    DEMO_USERS.finance,
  );
  expect(list.shifts.map((s) => s.shiftId)).toEqual([open.shiftId]);
  expect(list.shifts[0]!.totals.netFen).toBe(42_345);
  expect(ledgerViolations(cloud)).toEqual([]);
});

test('after the close, a desk payment opens a new shift and a reversal of a closed receipt is a correction there; the sheet prints', async () => {
  const [r1, r2] = rooms(2) as [string, string];
  const p1 = await pay(r1, 'cash', 20_000);
  const first = await summary();
  expect(await close(first, 20_000)).toMatchObject({ ok: true });
  const frozen = cloud.store.find('cashier_shifts', { _id: first.shiftId })[0]!;

  const p2 = await pay(r2, 'transfer', 8_000, 'TRF-T-1');
  await call(
    { action: 'requestRefund', paymentId: p1.paymentId, amountFen: 2_000, reason: '多收退回' },
    DEMO_USERS.finance,
  );
  const second = await summary();
  expect(second.no).toBe(2);
  expect(second.shiftId).not.toBe(first.shiftId);
  expect(second.totals.receipts).toMatchObject({ count: 1, first: p2.receiptNo });
  expect(second.totals.voided.items).toEqual([
    expect.objectContaining({ reversesReceiptNo: p1.receiptNo, correctionOfShiftNo: 1 }),
  ]);
  expect(second.totals.expectedCashFen).toBe(-2_000);
  // the closed shift did not change
  expect(cloud.store.find('cashier_shifts', { _id: first.shiftId })[0]).toEqual(frozen);
  expect(cloud.store.find('payments', { _id: p2.paymentId })[0]!.shiftId).toBe(second.shiftId);

  const pdf = await call<PrintedFile>({ action: 'shiftPdf', shiftId: first.shiftId });
  const text = extractText(await PDFDocument.load(await fetchLinked(pdf))).join('\n');
  expect(text).toContain('交班日结单');
  expect(text).toContain(p1.receiptNo);
  // another cashier's shift is not theirs to print; staff without a role get nothing
  expect(
    await raw({ action: 'shiftPdf', shiftId: first.shiftId }, DEMO_USERS.service),
  ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  expect(ledgerViolations(cloud)).toEqual([]);
});

test('payments racing the close are each counted once: in the closed shift or the next, never lost', async () => {
  const list = rooms(9);
  await pay(list[0]!, 'cash', 10_000);
  // card payments do not change the cash expected, so the close goes ahead whatever lands first;
  // it starts once the first of them has landed, while the others are in flight
  const paying = list.slice(1).map((r, i) => pay(r, 'card', 1_000 + i, `POS-RACE-${i}`));
  await Promise.race(paying);
  const closed = await close(await summary(), 10_000);
  const paid = await Promise.all(paying);
  expect(closed).toMatchObject({ ok: true });
  const shift = (closed as { data: ShiftView }).data;
  const next = await summary();
  expect(next.no).toBe(shift.no + 1);
  expect(shift.totals.receipts.count).toBeGreaterThanOrEqual(2);
  expect(shift.totals.receipts.count + next.totals.receipts.count).toBe(1 + paid.length);
  expect(shift.totals.netFen + next.totals.netFen).toBe(
    10_000 + paid.reduce((s, _p, i) => s + 1_000 + i, 0),
  );
  // the frozen totals are exactly the payments carrying the shift's id
  const mine = cloud.store.find('payments', { shiftId: shift.shiftId });
  expect(mine.reduce((s, p) => s + Number(p.amountFen), 0)).toBe(shift.totals.netFen);
  expect(ledgerViolations(cloud)).toEqual([]);
});
