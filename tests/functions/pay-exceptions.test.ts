/**
 * The payment exceptions desk through the local cloud and the WeChat Pay sandbox: a short-paid
 * callback is listed for finance with both amounts and resolved by applying, refunding or closing
 * it (each audited, the order's bills freed); a paid notification for an order we do not know is
 * retried for 10 minutes and then listed; a failed refund is listed and retried from the desk.
 * And the cashier's desk: an owner's open order is shown, refuses cash naming the payer, cannot
 * be closed in its first 5 minutes, then is closed and cash goes through.
 */
import type { LocalCloud } from '../../tools/cloud/server';
import { DEMO_USERS } from '../../tools/seed/demo';
import { startTestCloud } from '../helpers/cloud';
import { ledgerViolations } from '../helpers/ledger';
import { postJson } from '../helpers/process';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type { PayExceptionView } from '../../miniprogram/domain/payment/exceptions.contract';
import type { CreatedOrder } from '../../miniprogram/domain/payment/contract';
import { C, bindPayers, bills, cash, order, outstanding, owing, paySheet } from './money-helpers';

let cloud: LocalCloud;
beforeEach(async () => {
  cloud = await startTestCloud({ seed: 'demo' });
});
afterEach(async () => {
  await cloud.close();
});

const FIN = DEMO_USERS.finance;

async function ok<T>(p: Promise<unknown>): Promise<T> {
  const r = (await p) as Reply<T>;
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.data;
}
const desk = (status: 'open' | 'resolved' = 'open') =>
  ok<{ exceptions: PayExceptionView[]; openCount: number }>(
    cloud.call('payment', { action: 'exceptions', communityId: C, status }, FIN),
  );
const resolve = (exceptionId: string, resolution: string, reason = '与业主电话核实') =>
  cloud.call(
    'payment',
    { action: 'resolveException', communityId: C, exceptionId, resolution, reason },
    FIN,
  ) as Promise<Reply<PayExceptionView>>;

/** An owner's order whose WeChat Pay side collected `deltaFen` more (negative: less). */
async function oddlyPaid(deltaFen: number, prefix: string) {
  const [p] = bindPayers(cloud, 1, prefix);
  const ids = owing(cloud, p!.roomId).map((b) => b._id);
  const o = await ok<CreatedOrder>(order(cloud, p!.openid, ids));
  cloud.store.update(
    '__pay_orders',
    { _id: o.outTradeNo },
    { $inc: { totalFee: deltaFen } },
    { multi: false, replace: false, upsert: false },
  );
  await paySheet(cloud, o, p!.openid);
  return { payer: p!, order: o, ids };
}

/** The demo's own short-paid callback (tools/seed/payments.ts), open from the start. */
const SEEDED = 'PFSEEDSHORTPAID0000000000000001';
const without = (list: PayExceptionView[]) => list.filter((e) => e.outTradeNo !== SEEDED);

test('the demo has one short-paid callback waiting, and finance refunds it to the payer', async () => {
  const open = await desk();
  expect(open.openCount).toBe(1);
  const [e] = open.exceptions;
  expect(e).toMatchObject({ kind: 'short-paid', outTradeNo: SEEDED, status: 'open' });
  expect(e!.orderFen! - e!.amountFen).toBe(10_000);
  expect(e!.ageMinutes).toBeGreaterThan(24 * 60);
  const heldBill = cloud.store.find('pay_orders', { _id: SEEDED })[0]!.billIds as string[];
  expect(await resolve(e!.exceptionId, 'refund', '少付，原路退回请业主重新缴费')).toMatchObject({
    ok: true,
    data: { status: 'resolved' },
  });
  expect(cloud.pay.orders().find((x) => x.outTradeNo === SEEDED)!.refundedFee).toBe(e!.amountFen);
  for (const b of bills(cloud, { _id: { $in: heldBill } })) expect(b.payHold ?? null).toBeNull();
  expect((await desk()).openCount).toBe(0);
  expect(ledgerViolations(cloud)).toEqual([]);
});

test('a short-paid callback: listed with both amounts, cash refused meanwhile, applied with a reason', async () => {
  const { payer, order: o, ids } = await oddlyPaid(-10_000, 'o_short');
  const open = await desk();
  expect(open.openCount).toBe(2);
  expect(without(open.exceptions)[0]).toMatchObject({
    kind: 'short-paid',
    status: 'open',
    amountFen: o.amountFen - 10_000,
    orderFen: o.amountFen,
    outTradeNo: o.outTradeNo,
    actions: ['apply', 'refund', 'close'],
  });
  const mine = without(open.exceptions)[0]!;
  expect(mine.roomLabels).toHaveLength(1);
  // While finance decides, the order's bills are not collected twice.
  const blocked = await cash(cloud, payer.roomId, ids, o.amountFen);
  expect(blocked).toMatchObject({ ok: false, code: 'CONFLICT' });
  // Not a resolution this kind allows; a reason is required.
  expect(
    await cloud.call(
      'payment',
      {
        action: 'resolveException',
        communityId: C,
        exceptionId: mine.exceptionId,
        resolution: 'apply',
        reason: '',
      },
      FIN,
    ),
  ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  // Cashiers do not see the desk.
  expect(
    await cloud.call('payment', { action: 'exceptions', communityId: C }, DEMO_USERS.cashier),
  ).toMatchObject({ ok: false, code: 'FORBIDDEN' });

  const done = await resolve(mine.exceptionId, 'apply', '业主确认少付，按实收入账');
  expect(done).toMatchObject({ ok: true, data: { status: 'resolved' } });
  const paid = cloud.store.find('payments', { outTradeNo: o.outTradeNo });
  expect(paid).toHaveLength(1);
  expect(paid[0]).toMatchObject({ amountFen: o.amountFen - 10_000, prepaidFen: 0 });
  // The shortfall is still owed; the order no longer holds the bills.
  expect(outstanding(owing(cloud, payer.roomId))).toBe(10_000);
  for (const b of bills(cloud, { _id: { $in: ids } })) expect(b.payHold ?? null).toBeNull();
  expect(await resolve(mine.exceptionId, 'close')).toMatchObject({
    ok: false,
    code: 'CONFLICT',
  });
  expect((await desk()).openCount).toBe(1);
  const resolved = await desk('resolved');
  expect(resolved.exceptions[0]!.resolution).toMatchObject({
    action: 'apply',
    reason: '业主确认少付，按实收入账',
    receiptNo: expect.stringMatching(/^SJ\d{4}-\d{6}$/) as unknown,
  });
  expect(cloud.store.count('audit_log', { action: 'payException.apply' })).toBe(1);
  expect(ledgerViolations(cloud)).toEqual([]);
});

test('an over-paid callback refunded to the payer; another closed with a reason: the bills are free again', async () => {
  const over = await oddlyPaid(500, 'o_over');
  const short = await oddlyPaid(-100, 'o_short2');
  const list = (await desk()).exceptions;
  const byOrder = (no: string) => list.find((e) => e.outTradeNo === no)!;
  expect(byOrder(over.order.outTradeNo)).toMatchObject({ kind: 'over-paid' });

  const refunded = await resolve(
    byOrder(over.order.outTradeNo).exceptionId,
    'refund',
    '多付，原路退回',
  );
  expect(refunded).toMatchObject({ ok: true, data: { status: 'resolved' } });
  const sandbox = cloud.pay.orders().find((x) => x.outTradeNo === over.order.outTradeNo)!;
  expect(sandbox.refundedFee).toBe(over.order.amountFen + 500);
  expect(cloud.store.find('pay_orders', { _id: over.order.outTradeNo })[0]!.status).toBe('closed');

  const closed = await resolve(
    byOrder(short.order.outTradeNo).exceptionId,
    'close',
    '已线下退还业主',
  );
  expect(closed).toMatchObject({ ok: true, data: { status: 'resolved' } });
  // Nothing was applied for either; the cashier can now collect those bills.
  expect(
    cloud.store.count('payments', {
      outTradeNo: { $in: [over.order.outTradeNo, short.order.outTradeNo] },
    }),
  ).toBe(0);
  const open = owing(cloud, short.payer.roomId);
  expect(
    await cash(
      cloud,
      short.payer.roomId,
      open.map((b) => b._id),
      outstanding(open),
    ),
  ).toMatchObject({ ok: true });
  expect(
    cloud.store.count('audit_log', {
      action: { $in: ['payException.refund', 'payException.close'] },
    }),
  ).toBe(2);
  expect(ledgerViolations(cloud)).toEqual([]);
});

test('a paid notification for an order we never made is retried for 10 minutes, then listed', async () => {
  const notify = (at: string) =>
    cloud.call(
      'payNotify',
      {
        returnCode: 'SUCCESS',
        resultCode: 'SUCCESS',
        outTradeNo: 'PFUNKNOWN0001',
        transactionId: '4200009999',
        totalFee: 12_300,
        subMchId: '1900000109',
        timeEnd: at,
        attach: C,
      },
      '',
      'wx_paycallback',
    );
  const now = cloud.clock.now();
  const wx = (ms: number) =>
    new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace(/[-:T]/g, '');
  expect(await notify(wx(now - 60_000))).toMatchObject({ errcode: 1 });
  expect((await desk()).openCount).toBe(1);
  expect(await notify(wx(now - 11 * 60_000))).toMatchObject({ errcode: 0 });
  const [e] = without((await desk()).exceptions);
  expect(e).toMatchObject({
    kind: 'unknown-order',
    amountFen: 12_300,
    outTradeNo: 'PFUNKNOWN0001',
    actions: ['refund', 'close'],
    roomLabels: [],
  });
  expect(await resolve(e!.exceptionId, 'apply')).toMatchObject({
    ok: false,
    code: 'INVALID_INPUT',
  });
});

test('a failed refund is on the desk, and retried from there', async () => {
  const [p] = bindPayers(cloud, 1, 'o_rf');
  const ids = owing(cloud, p!.roomId).map((b) => b._id);
  const o = await ok<CreatedOrder>(order(cloud, p!.openid, ids));
  await paySheet(cloud, o, p!.openid);
  const paid = cloud.store.find('payments', { outTradeNo: o.outTradeNo })[0]!;
  // WeChat Pay refuses the first refund (its side of the order disagrees for a while).
  const sandboxFee = (delta: number) =>
    cloud.store.update(
      '__pay_orders',
      { _id: o.outTradeNo },
      { $inc: { totalFee: delta } },
      { multi: false, replace: false, upsert: false },
    );
  sandboxFee(1);
  const rf = await ok<{ refundId: string; status: string }>(
    cloud.call(
      'payment',
      { action: 'requestRefund', paymentId: paid._id, amountFen: 1000, reason: '重复缴费' },
      FIN,
    ),
  );
  expect(rf.status).toBe('failed');
  const [e] = without((await desk()).exceptions);
  expect(e).toMatchObject({ kind: 'refund-failed', amountFen: 1000, receiptNo: paid.receiptNo });
  sandboxFee(-1);
  expect(await resolve(e!.exceptionId, 'refund', '商户余额已补足，重新退款')).toMatchObject({
    ok: true,
    data: { status: 'resolved' },
  });
  expect(cloud.store.find('refunds', { _id: rf.refundId })[0]!.status).toBe('done');
  expect((await desk()).openCount).toBe(1);
  expect(ledgerViolations(cloud)).toEqual([]);
});

test('the desk sees an owner’s open order, is refused cash naming the payer, and closes it after 5 minutes', async () => {
  const [p] = bindPayers(cloud, 1, 'o_desk');
  const open = owing(cloud, p!.roomId);
  const ids = open.map((b) => b._id);
  const o = await ok<CreatedOrder>(order(cloud, p!.openid, ids));
  const view = await ok<{ orders: { outTradeNo: string; payer: string; periods: string[] }[] }>(
    cloud.call('payment', { action: 'roomBills', roomId: p!.roomId }, DEMO_USERS.cashier),
  );
  expect(view.orders).toEqual([
    expect.objectContaining({
      outTradeNo: o.outTradeNo,
      payer: expect.stringMatching(/^业主 业\*+$/) as unknown,
    }),
  ]);
  const refused = await cash(cloud, p!.roomId, ids, outstanding(open));
  expect(refused).toMatchObject({ ok: false, code: 'CONFLICT' });
  expect(refused.ok ? '' : refused.message).toMatch(
    /正由业主 业\*+通过微信支付.*后在收款页关闭该订单/,
  );
  const close = () =>
    cloud.call(
      'payment',
      { action: 'closeOrder', outTradeNo: o.outTradeNo, reason: '业主改为现场缴费' },
      DEMO_USERS.cashier,
    );
  expect(await close()).toMatchObject({
    ok: false,
    code: 'CONFLICT',
    message: expect.stringContaining('5 分钟') as unknown,
  });
  await cloud.setClock(cloud.clock.now() + 6 * 60_000, { fireTimers: false });
  expect(await close()).toMatchObject({ ok: true, data: { outcome: 'closed' } });
  expect(cloud.store.count('audit_log', { action: 'order.close' })).toBe(1);
  expect(await cash(cloud, p!.roomId, ids, outstanding(open))).toMatchObject({ ok: true });
  // The owner who comes back to the closed order's sheet pays nothing twice.
  await postJson(`${cloud.url}/gateway/pay`, {
    package: o.payment.package,
    openid: p!.openid,
    result: 'success',
  });
  expect(cloud.store.count('payments', { outTradeNo: o.outTradeNo })).toBe(0);
  expect(ledgerViolations(cloud)).toEqual([]);
});
