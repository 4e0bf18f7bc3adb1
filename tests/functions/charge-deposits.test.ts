/**
 * One-off charges and deposits through the local cloud (docs/charges.md): a charge above the
 * threshold waits for a second person and is then billed through the ledger and paid as any bill;
 * a deposit is collected with a 押金收据, held outside income and the collection rate, and refunded
 * whole or less deductions the owner acknowledges, by a recorded channel or back through WeChat
 * Pay, with a red receipt; a second collection or refund is refused; `npm run ledger:check` proves
 * held = collected − refunded and flags a tampered deposit.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import { seedChargesDemo } from '../../tools/seed/charges';
import { addDays, shanghaiDate } from '../../miniprogram/domain/kernel/time';
import { useTestCloud } from '../helpers/cloud';
import { ledgerViolations } from '../helpers/ledger';
import { callsTo, dataOf } from '../helpers/calls';
import { postJson } from '../helpers/process';
import type {
  ChargePreview,
  ChargeView,
  CreatedDepositOrder,
  DepositTotals,
  DepositView,
} from '../../miniprogram/domain/charge/contract';
import type { CollectionReport } from '../../miniprogram/domain/report/contract';
import type { PrintedFile } from '../../miniprogram/domain/print/file';
import { PDFDocument } from 'pdf-lib';
import { extractText } from '../helpers/pdf-text';
import type { RecordedPayment } from '../../miniprogram/domain/payment/contract';

const ROOT = path.resolve(__dirname, '..', '..');
const C = DEMO_COMMUNITY_ID;
const OWNER_ROOM = 'r_1_1_1501';
const OTHER_ROOM = 'r_2_1_302';
const cloud = useTestCloud({ seed: 'demo', per: 'file' });
const call = callsTo(cloud);
const charge = <T>(event: Record<string, unknown>, openid: string) =>
  dataOf<T>(call.charge(event, openid));

let keys = 0;
const requestId = () => `req-charge-${++keys}-${Date.now()}`;

function ledgerCheck(): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'tools', 'ledger-check.ts'), '--url', cloud.url],
      { cwd: ROOT, env: { ...process.env }, timeout: 120_000 },
      (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout }),
    );
  });
}

const deposit = (id: string) =>
  cloud.store.find('deposits', { _id: id })[0] as unknown as DepositView & {
    heldFen: number;
    status: string;
  };

async function requested(amountFen: number, roomId = OWNER_ROOM): Promise<DepositView> {
  return charge<DepositView>(
    {
      action: 'requestDeposit',
      communityId: C,
      roomId,
      kind: 'renovation',
      amountFen,
      note: '装修施工 2026-12',
      requestId: requestId(),
    },
    DEMO_USERS.cashier,
  );
}

test('a charge above the threshold waits for finance (never its raiser), then is billed and paid as any bill', async () => {
  const preview = await charge<ChargePreview>(
    {
      action: 'previewCharge',
      communityId: C,
      roomId: OTHER_ROOM,
      reason: 'debris',
      amountFen: 80_000,
    },
    DEMO_USERS.cashier,
  );
  expect(preview).toMatchObject({
    title: '装修垃圾清运费',
    thresholdFen: 50_000,
    needsApproval: true,
    dueDate: '2026-12-11',
  });
  // Bad input names its field and writes nothing.
  const before = cloud.store.find('charges', {}).length;
  const refused = async (event: Record<string, unknown>) => {
    const r = await call.charge(
      {
        action: 'raiseCharge',
        communityId: C,
        roomId: OTHER_ROOM,
        requestId: requestId(),
        ...event,
      },
      DEMO_USERS.cashier,
    );
    expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    return (r as { message: string }).message;
  };
  expect(await refused({ reason: 'debris', amountFen: 1.5 })).toMatch(/^amountFen: /);
  expect(await refused({ reason: 'other', amountFen: 1000 })).toBe(
    'otherText: 请写明收费原因（2–30 字）',
  );
  expect(await refused({ reason: 'debris', amountFen: 1000, dueDate: '2026-11-01' })).toMatch(
    /^dueDate: /,
  );
  expect(cloud.store.find('charges', {})).toHaveLength(before);

  const rid = requestId();
  const raise = {
    action: 'raiseCharge',
    communityId: C,
    roomId: OTHER_ROOM,
    reason: 'debris',
    amountFen: 80_000,
    note: '3 车',
    requestId: rid,
  };
  const raised = await charge<ChargeView>(raise, DEMO_USERS.finance);
  expect(raised).toMatchObject({ status: 'pending-approval', billId: null });
  // The same form sent twice is one charge.
  expect((await charge<ChargeView>(raise, DEMO_USERS.finance)).chargeId).toBe(raised.chargeId);
  expect(cloud.store.find('bills', { chargeId: raised.chargeId })).toHaveLength(0);

  const decide = { action: 'decideCharge', chargeId: raised.chargeId, approve: true };
  expect(await call.charge(decide, DEMO_USERS.finance)).toMatchObject({
    ok: false,
    code: 'FORBIDDEN',
  });
  expect(await call.charge(decide, DEMO_USERS.cashier)).toMatchObject({
    ok: false,
    code: 'FORBIDDEN',
  });
  const approved = await charge<ChargeView>(decide, DEMO_USERS.admin);
  expect(approved).toMatchObject({
    status: 'billed',
    billStatus: 'unpaid',
    decidedByName: expect.any(String) as unknown,
  });
  // Approving again (a retry) bills nothing more; a rejection after it is refused.
  expect(await charge<ChargeView>(decide, DEMO_USERS.admin)).toMatchObject({ status: 'billed' });
  expect(cloud.store.find('bills', { chargeId: raised.chargeId })).toHaveLength(1);
  expect(
    await call.charge({ ...decide, approve: false, note: '重复收费' }, DEMO_USERS.admin),
  ).toMatchObject({ ok: false, code: 'PRECONDITION_FAILED' });
  const bill = cloud.store.find('bills', { _id: approved.billId })[0]!;
  expect(bill).toMatchObject({
    roomId: OTHER_ROOM,
    amountDueFen: 80_000,
    paidFen: 0,
    status: 'unpaid',
    title: '装修垃圾清运费',
  });

  const paid = await dataOf<RecordedPayment>(
    call.payment(
      {
        action: 'recordOffline',
        roomId: OTHER_ROOM,
        channel: 'cash',
        amountFen: 80_000,
        billIds: [approved.billId],
        idempotencyKey: requestId(),
        tenderedFen: 80_000,
      },
      DEMO_USERS.cashier,
    ),
  );
  expect(paid.receiptNo).toMatch(/^SJ2026-\d{6}$/);
  expect(cloud.store.find('bills', { _id: approved.billId })[0]).toMatchObject({ status: 'paid' });
  const list = await charge<{ charges: ChargeView[] }>(
    { action: 'charges', communityId: C },
    DEMO_USERS.service,
  );
  expect(list.charges.find((c) => c.chargeId === raised.chargeId)).toMatchObject({
    billStatus: 'paid',
  });

  // At or below the threshold it is billed at once; 其他 carries its reason in words.
  const small = await charge<ChargeView>(
    {
      action: 'raiseCharge',
      communityId: C,
      roomId: OTHER_ROOM,
      reason: 'other',
      otherText: '钥匙配制',
      amountFen: 2_000,
      requestId: requestId(),
    },
    DEMO_USERS.service,
  );
  expect(small).toMatchObject({ status: 'billed', title: '其他：钥匙配制', billStatus: 'unpaid' });
  const actions = cloud.store.find('audit_log', { targetType: 'charge' }).map((a) => a.action);
  expect(actions).toEqual(expect.arrayContaining(['charge.raise', 'charge.approve']));
  expect(ledgerViolations(cloud)).toEqual([]);
});

test('the threshold is the community’s setting: raised to ¥1,000, an ¥800 charge is billed at once', async () => {
  await dataOf(
    call.settings(
      { action: 'update', communityId: C, chargeApprovalFen: 100_000 },
      DEMO_USERS.admin,
    ),
  );
  const billed = await charge<ChargeView>(
    {
      action: 'raiseCharge',
      communityId: C,
      roomId: OTHER_ROOM,
      reason: 'repair',
      amountFen: 80_000,
      requestId: requestId(),
    },
    DEMO_USERS.service,
  );
  expect(billed).toMatchObject({ status: 'billed', billStatus: 'unpaid' });
  // The owner pays it by WeChat Pay as any bill, and gets an SJ receipt.
  const order = await dataOf<{ outTradeNo: string; payment: { package: string } }>(
    call.payment({ action: 'createOrder', billIds: [billed.billId] }, DEMO_USERS.owner),
  );
  await postJson(`${cloud.url}/gateway/pay`, {
    package: order.payment.package,
    openid: DEMO_USERS.owner,
  });
  const status = await dataOf<{ status: string; receiptNo: string }>(
    call.payment({ action: 'orderStatus', outTradeNo: order.outTradeNo }, DEMO_USERS.owner),
  );
  expect(status).toMatchObject({
    status: 'paid',
    receiptNo: expect.stringMatching(/^SJ2026-\d{6}$/) as unknown,
  });
  expect(cloud.store.find('bills', { _id: billed.billId })[0]).toMatchObject({
    status: 'paid',
    paidFen: 80_000,
  });
  await dataOf(
    call.settings(
      { action: 'update', communityId: C, chargeApprovalFen: 50_000 },
      DEMO_USERS.admin,
    ),
  );
});

test('a deposit collected at the desk is held outside income and the collection rate; refunded whole with a red receipt', async () => {
  const period = '2026-11';
  const rate = () =>
    dataOf<CollectionReport>(
      call.report({ action: 'collection', communityId: C, period }, DEMO_USERS.finance),
    );
  const reportBefore = await rate();

  const dep = await requested(200_000, OTHER_ROOM);
  expect(dep).toMatchObject({ status: 'requested', heldFen: 0, collected: null });
  const collectBad = await call.charge(
    { action: 'collectDeposit', depositId: dep.depositId, channel: 'card' },
    DEMO_USERS.cashier,
  );
  expect(collectBad).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect((collectBad as { message: string }).message).toMatch(/^reference: /);
  expect(deposit(dep.depositId).status).toBe('requested');

  const collect = {
    action: 'collectDeposit',
    depositId: dep.depositId,
    channel: 'cash',
    payerName: '王师傅',
  };
  // Two cashiers at once: exactly one collects.
  const both = await Promise.all([
    call.charge(collect, DEMO_USERS.cashier),
    call.charge(collect, DEMO_USERS.finance),
  ]);
  expect(both.filter((r) => r.ok)).toHaveLength(1);
  expect(both.find((r) => !r.ok)).toMatchObject({ code: 'CONFLICT' });
  expect(cloud.store.find('deposit_entries', { depositId: dep.depositId })).toHaveLength(1);
  const held = deposit(dep.depositId);
  expect(held).toMatchObject({ status: 'held', heldFen: 200_000 });
  const view = (both.find((r) => r.ok) as { data: DepositView }).data;
  expect(view.collected).toMatchObject({
    receiptNo: 'YJ2026-000001',
    amountFen: 200_000,
    channelLabel: '现金',
  });

  // Not income: the collection report is unchanged, and no payment or bill was written.
  expect(await rate()).toEqual(reportBefore);
  expect(cloud.store.find('payments', { roomIds: OTHER_ROOM, amountFen: 200_000 })).toHaveLength(0);
  const listed = await charge<{ totals: DepositTotals }>(
    { action: 'deposits', communityId: C },
    DEMO_USERS.finance,
  );
  expect(listed.totals.heldFen).toBe(listed.totals.collectedFen - listed.totals.releasedFen);

  // A cashier cannot refund; finance refunds it whole by transfer.
  const refund = {
    action: 'refundDeposit',
    depositId: dep.depositId,
    channel: 'transfer',
    reference: 'TR20261126001',
  };
  expect(await call.charge(refund, DEMO_USERS.cashier)).toMatchObject({
    ok: false,
    code: 'FORBIDDEN',
  });
  const done = await charge<DepositView>(refund, DEMO_USERS.finance);
  expect(done).toMatchObject({
    status: 'refunded',
    heldFen: 0,
    refund: { refundFen: 200_000, deductedFen: 0 },
  });
  expect(done.released).toMatchObject({ receiptNo: 'YH2026-000001', amountFen: -200_000 });
  expect(await call.charge(refund, DEMO_USERS.finance)).toMatchObject({
    ok: false,
    code: 'CONFLICT',
  });
  expect(await rate()).toEqual(reportBefore);
  expect(ledgerViolations(cloud)).toEqual([]);
});

test('a deposit paid by WeChat is refunded less a deduction once the owner agrees: money back through WeChat Pay, red receipt', async () => {
  const dep = await requested(300_000);
  const order = await charge<CreatedDepositOrder>(
    { action: 'payDeposit', depositId: dep.depositId },
    DEMO_USERS.owner,
  );
  expect(order.outTradeNo).toMatch(/^DP/);
  expect(order.amountFen).toBe(300_000);
  // While the owner's order is live the desk does not collect it.
  expect(
    await call.charge(
      { action: 'collectDeposit', depositId: dep.depositId, channel: 'cash' },
      DEMO_USERS.cashier,
    ),
  ).toMatchObject({ ok: false, code: 'CONFLICT' });
  await postJson(`${cloud.url}/gateway/pay`, {
    package: order.payment.package,
    openid: DEMO_USERS.owner,
  });
  await waitFor(() => deposit(dep.depositId).status === 'held');
  const mine = await charge<{ deposits: DepositView[] }>(
    { action: 'myDeposits' },
    DEMO_USERS.owner,
  );
  expect(mine.deposits.find((d) => d.depositId === dep.depositId)).toMatchObject({
    status: 'held',
    collected: { channel: 'wechat', receiptNo: expect.stringMatching(/^YJ2026-\d{6}$/) as unknown },
  });

  // Deductions above what is held are refused and change nothing.
  const over = await call.charge(
    {
      action: 'refundDeposit',
      depositId: dep.depositId,
      channel: 'wechat',
      deductions: [{ reason: '墙面损坏', amountFen: 300_001 }],
    },
    DEMO_USERS.finance,
  );
  expect(over).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect((over as { message: string }).message).toMatch(/^deductions: /);
  expect(deposit(dep.depositId).status).toBe('held');

  const refund = {
    action: 'refundDeposit',
    depositId: dep.depositId,
    channel: 'wechat',
    deductions: [
      { reason: '公共楼道墙面修补', amountFen: 45_000 },
      { reason: '装修垃圾超期未清运', amountFen: 5_000 },
    ],
  };
  const [first, second] = await Promise.all([
    call.charge(refund, DEMO_USERS.finance),
    call.charge(refund, DEMO_USERS.admin),
  ]);
  expect([first, second].filter((r) => r.ok)).toHaveLength(1);
  const waiting = deposit(dep.depositId);
  expect(waiting).toMatchObject({ status: 'awaiting-ack', heldFen: 300_000 });
  const sandbox = () => cloud.pay.orders().find((o) => o.outTradeNo === order.outTradeNo)!;
  expect(sandbox().refundedFee).toBe(0);

  // Someone else cannot acknowledge for the owner.
  expect(
    await call.charge({ action: 'ackDeduction', depositId: dep.depositId }, DEMO_USERS.paid),
  ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  // Agreed twice at once (two taps, two phones): one refund.
  const acks = await Promise.all([
    call.charge({ action: 'ackDeduction', depositId: dep.depositId }, DEMO_USERS.owner),
    call.charge({ action: 'ackDeduction', depositId: dep.depositId }, DEMO_USERS.owner),
  ]);
  expect(acks.filter((r) => r.ok)).toHaveLength(1);
  const acked = (acks.find((r) => r.ok) as { data: DepositView }).data;
  expect(acked).toMatchObject({
    status: 'refunded',
    heldFen: 0,
    refund: {
      refundFen: 250_000,
      deductedFen: 50_000,
      acknowledgedAt: expect.any(String) as unknown,
    },
    released: {
      amountFen: -300_000,
      receiptNo: expect.stringMatching(/^YH2026-\d{6}$/) as unknown,
    },
  });
  expect(sandbox().refundedFee).toBe(250_000);
  // WeChat money never passed a drawer: neither entry joins a cashier's shift (交班日结).
  expect(
    cloud.store.find('deposit_entries', { depositId: dep.depositId }).map((e) => e.shiftId),
  ).toEqual([undefined, undefined]);
  expect(
    await call.charge({ action: 'ackDeduction', depositId: dep.depositId }, DEMO_USERS.owner),
  ).toMatchObject({ ok: false, code: 'PRECONDITION_FAILED' });
  expect(sandbox().refundedFee).toBe(250_000);
  // Both receipts print: the 押金收据 for staff, the red receipt (negative, each deduction) for the owner.
  const red = await pdfText(
    await charge<PrintedFile>(
      { action: 'depositReceipt', depositId: dep.depositId, which: 'release' },
      DEMO_USERS.owner,
    ),
  );
  expect(red).toContain('红字收据（冲红）');
  expect(red).toContain(acked.released!.receiptNo);
  expect(red).toContain(`冲销原收据 ${acked.collected!.receiptNo}`);
  expect(red).toContain('扣款：公共楼道墙面修补');
  expect(red).toContain('-¥3,000.00');
  const blue = await pdfText(
    await charge<PrintedFile>(
      { action: 'depositReceipt', depositId: dep.depositId, which: 'collect' },
      DEMO_USERS.cashier,
    ),
  );
  expect(blue).toContain(acked.collected!.receiptNo);
  expect(blue).toContain('叁仟元整');
  expect(
    await call.charge(
      { action: 'depositReceipt', depositId: dep.depositId, which: 'collect' },
      DEMO_USERS.paid,
    ),
  ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  const actions = cloud.store.find('audit_log', { targetId: dep.depositId }).map((a) => a.action);
  expect(actions).toEqual(['deposit.request', 'deposit.refund', 'deposit.acknowledge']);
  expect(ledgerViolations(cloud)).toEqual([]);
});

test('ledger:check proves held = collected − refunded and flags a tampered deposit', async () => {
  const dep = await requested(100_000, OTHER_ROOM);
  await charge<DepositView>(
    { action: 'collectDeposit', depositId: dep.depositId, channel: 'cash' },
    DEMO_USERS.cashier,
  );
  const clean = await ledgerCheck();
  expect(clean.code).toBe(0);
  expect(clean.out).toMatch(/held \d+ = collected \d+ − refunded \d+ fen/);
  expect(clean.out).toMatch(/✓ all invariants hold/);

  cloud.store.update(
    'deposits',
    { _id: dep.depositId },
    { $set: { heldFen: 90_000 } },
    { multi: false, replace: false, upsert: false },
  );
  const tampered = await ledgerCheck();
  expect(tampered.code).toBe(1);
  expect(tampered.out).toMatch(
    new RegExp(`deposit-mismatch\\] ${dep.depositId}: 在押 90000 分，明细合计 100000 分`),
  );
  expect(tampered.out).toMatch(/deposit-totals-mismatch/);
  cloud.store.update(
    'deposits',
    { _id: dep.depositId },
    { $set: { heldFen: 100_000 } },
    { multi: false, replace: false, upsert: false },
  );
  expect(ledgerViolations(cloud)).toEqual([]);

  // An instance that died between the collection's commit and its number: the check reports it
  // and the payment timer gives it the next number.
  const entryId = `dc_${dep.depositId}`;
  const numbered = String(cloud.store.find('deposit_entries', { _id: entryId })[0]!.receiptNo);
  cloud.store.update(
    'deposit_entries',
    { _id: entryId },
    { $set: { receiptNo: `待编号:${entryId}`, receiptPending: true } },
    { multi: false, replace: false, upsert: false },
  );
  expect(ledgerViolations(cloud).map((v) => v.rule)).toEqual(['receipt-pending']);
  await cloud.fireTimer('payment');
  expect(cloud.store.find('deposit_entries', { _id: entryId })[0]).toMatchObject({
    receiptNo: numbered,
  });
  expect(ledgerViolations(cloud)).toEqual([]);
});

async function pdfText(file: PrintedFile): Promise<string> {
  const res = await fetch(file.tempFileURL);
  expect(res.status).toBe(200);
  const pdf = await PDFDocument.load(new Uint8Array(await res.arrayBuffer()));
  return extractText(pdf).join('\n');
}

async function waitFor(ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the demo seed (npm start): a charge approved and paid, a deposit refunded less an agreed deduction, the owner’s deposits', async () => {
  await seedChargesDemo({
    url: cloud.url,
    call: (fn, e, o) => cloud.call(fn, e, o),
    store: cloud.store,
    clock: cloud.clock,
  });
  const staff = await charge<{ deposits: DepositView[]; totals: DepositTotals }>(
    { action: 'deposits', communityId: C },
    DEMO_USERS.finance,
  );
  const refunded = staff.deposits.find(
    (d) => d.roomId === OTHER_ROOM && d.note === '装修期 3 个月',
  );
  expect(refunded).toMatchObject({
    status: 'refunded',
    refund: { deductedFen: 50_000, refundFen: 250_000 },
  });
  const charges = await charge<{ charges: ChargeView[] }>(
    { action: 'charges', communityId: C },
    DEMO_USERS.finance,
  );
  expect(charges.charges.find((c) => c.note === '装修垃圾清运 4 车')).toMatchObject({
    billStatus: 'paid',
  });
  expect(charges.charges.find((c) => c.note.startsWith('更换入户水管'))).toMatchObject({
    status: 'pending-approval',
  });
  const mine = await charge<{ deposits: DepositView[] }>(
    { action: 'myDeposits' },
    DEMO_USERS.owner,
  );
  expect(
    mine.deposits
      .filter((d) => d.roomId === OWNER_ROOM)
      .map((d) => d.status)
      .sort(),
  ).toEqual(expect.arrayContaining(['awaiting-ack', 'requested']));
  expect(ledgerViolations(cloud)).toEqual([]);
});

test('the desk and an owner’s WeChat order: closed after 5 minutes, or found paid after it lapsed — never taken twice', async () => {
  // The desk closes a live order (WeChat Pay allows it 5 minutes after it was made), then takes it.
  const first = await requested(60_000);
  const live = await charge<CreatedDepositOrder>(
    { action: 'payDeposit', depositId: first.depositId },
    DEMO_USERS.owner,
  );
  const close = {
    action: 'closeDepositOrder',
    depositId: first.depositId,
    reason: '业主改为现金缴纳',
  };
  const mine = await charge<{ deposits: DepositView[] }>(
    { action: 'myDeposits' },
    DEMO_USERS.owner,
  );
  expect(mine.deposits.find((d) => d.depositId === first.depositId)!.payingUntil).not.toBeNull();
  expect(await call.charge(close, DEMO_USERS.cashier)).toMatchObject({
    ok: false,
    code: 'CONFLICT',
  });
  await cloud.setClock(cloud.clock.now() + 6 * 60_000, { fireTimers: false });
  const closed = await charge<DepositView>(close, DEMO_USERS.cashier);
  expect(closed).toMatchObject({ status: 'requested', payingUntil: null });
  expect(cloud.pay.orders().find((o) => o.outTradeNo === live.outTradeNo)!.tradeState).toBe(
    'CLOSED',
  );
  await charge<DepositView>(
    { action: 'collectDeposit', depositId: first.depositId, channel: 'cash' },
    DEMO_USERS.cashier,
  );

  // The owner paid just before the order lapsed, its notification late: the desk is told, and
  // the deposit is collected once, from WeChat Pay.
  const second = await requested(70_000);
  const order = await charge<CreatedDepositOrder>(
    { action: 'payDeposit', depositId: second.depositId },
    DEMO_USERS.owner,
  );
  cloud.pay.faults = { delayMs: 40 * 60_000 };
  await postJson(`${cloud.url}/gateway/pay`, {
    package: order.payment.package,
    openid: DEMO_USERS.owner,
  });
  await cloud.setClock(cloud.clock.now() + 31 * 60_000, { fireTimers: false });
  const desk = await call.charge(
    { action: 'collectDeposit', depositId: second.depositId, channel: 'cash' },
    DEMO_USERS.cashier,
  );
  expect(desk).toMatchObject({ ok: false, code: 'CONFLICT' });
  expect(deposit(second.depositId)).toMatchObject({ status: 'held', heldFen: 70_000 });
  await cloud.setClock(cloud.clock.now() + 10 * 60_000, { fireTimers: false });
  await cloud.pay.deliverDue();
  expect(cloud.store.find('deposit_entries', { depositId: second.depositId })).toMatchObject([
    { kind: 'collect', channel: 'wechat', outTradeNo: order.outTradeNo },
  ]);
  expect(cloud.store.find('pay_exceptions', { outTradeNo: order.outTradeNo })).toHaveLength(0);
  expect(ledgerViolations(cloud)).toEqual([]);
});

test('WeChat money that does not match its deposit order goes to finance’s exceptions desk and back', async () => {
  const dep = await requested(60_000);
  const order = await charge<CreatedDepositOrder>(
    { action: 'payDeposit', depositId: dep.depositId },
    DEMO_USERS.owner,
  );
  // Our order says less than WeChat Pay collects (as reconcile.test does for bills).
  cloud.store.update(
    'deposit_orders',
    { _id: order.outTradeNo },
    { $inc: { amountFen: -100 } },
    { multi: false, replace: false, upsert: false },
  );
  await postJson(`${cloud.url}/gateway/pay`, {
    package: order.payment.package,
    openid: DEMO_USERS.owner,
  });
  const exception = await waitForDoc('pay_exceptions', { outTradeNo: order.outTradeNo });
  expect(exception).toMatchObject({ kind: 'deposit', notifiedFen: 60_000, status: 'open' });
  // Nothing collected: the deposit still waits, no entry written.
  expect(deposit(dep.depositId).status).toBe('requested');
  expect(cloud.store.find('deposit_entries', { depositId: dep.depositId })).toHaveLength(0);
  await dataOf(
    call.payment(
      {
        action: 'resolveException',
        communityId: C,
        exceptionId: exception._id,
        resolution: 'refund',
        reason: '押金订单金额不符，微信款原路退回',
      },
      DEMO_USERS.finance,
    ),
  );
  expect(cloud.pay.orders().find((o) => o.outTradeNo === order.outTradeNo)!.refundedFee).toBe(
    60_000,
  );
  expect(ledgerViolations(cloud)).toEqual([]);
});

async function waitForDoc(collection: string, query: Record<string, unknown>) {
  await waitFor(() => cloud.store.find(collection, query).length > 0);
  return cloud.store.find(collection, query)[0] as Record<string, unknown> & { _id: string };
}

test('WeChat reconciliation matches a deposit paid and refunded through WeChat Pay', async () => {
  const dep = await requested(40_000, OTHER_ROOM);
  const order = await charge<CreatedDepositOrder>(
    { action: 'payDeposit', depositId: dep.depositId },
    DEMO_USERS.owner,
  );
  await postJson(`${cloud.url}/gateway/pay`, {
    package: order.payment.package,
    openid: DEMO_USERS.owner,
  });
  await waitFor(() => deposit(dep.depositId).status === 'held');
  const back = await charge<DepositView>(
    { action: 'refundDeposit', depositId: dep.depositId, channel: 'wechat' },
    DEMO_USERS.finance,
  );
  expect(back.status).toBe('refunded');
  const day = shanghaiDate(new Date(cloud.clock.now()));
  const refundNo = `dr_${dep.depositId}`;
  // WeChat Pay's statement of a day is there after 10:00 the next day.
  await cloud.setClock(Date.parse(`${addDays(day, 1)}T10:30:00+08:00`), { fireTimers: false });
  const run = await dataOf<{
    items: { key: string }[];
    matchedCount: number;
    refundMatchedCount: number;
  }>(call.reconcile({ action: 'runWechat', communityId: C, date: day }, DEMO_USERS.finance));
  // Neither the deposit's payment nor its refund is a difference: both are matched.
  expect(
    run.items.filter((i) => i.key.includes(order.outTradeNo) || i.key.includes(refundNo)),
  ).toEqual([]);
  expect(run.matchedCount).toBeGreaterThan(0);
  expect(run.refundMatchedCount).toBeGreaterThan(0);
});
