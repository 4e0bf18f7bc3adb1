/**
 * Payments through the local cloud, the real SDK and the WeChat Pay sandbox: the amount is the
 * server's, money is applied exactly once whatever the notifications do, receipts are gap-free,
 * and cashiers cannot collect twice for a bill an owner is paying.
 */
import { DEMO_USERS } from '../../tools/seed/demo';
import { useTestCloud } from '../helpers/cloud';
import { ledgerViolations } from '../helpers/ledger';
import { functionCalls } from '../helpers/calls';
import { postJson } from '../helpers/process';
import type {
  CreatedOrder,
  ReceiptView,
  RecordedPayment,
} from '../../miniprogram/domain/payment/contract';
import type { OwnerBills, OwnerHome } from '../../miniprogram/domain/owner/contract';

const cloud = useTestCloud({ seed: 'demo' });

const { call, raw: callRaw } = functionCalls(cloud);

function bill(id: string) {
  return cloud.store.find('bills', { _id: id })[0]!;
}

/** The ledger invariants hold over the whole database (the rules of `npm run ledger:check`). */
const assertLedger = () => expect(ledgerViolations(cloud)).toEqual([]);

/** Bills an owner's WeChat order claims right now (not the demo's short-paid one, tools/seed). */
const heldBills = () =>
  cloud.store.count('bills', {
    'payHold.outTradeNo': { $exists: true, $ne: 'PFSEEDSHORTPAID0000000000000001' },
  });

/** Payments made during the test (the demo seed carries a paid history). */
const newPayments = () => cloud.store.find('payments', { _id: { $not: /^seed_/ } });

async function payWithSheet(order: CreatedOrder, openid: string, result = 'success') {
  return postJson<{ ok: boolean; errMsg: string }>(`${cloud.url}/gateway/pay`, {
    package: order.payment.package,
    openid,
    result,
  });
}

test('an owner pays every unpaid bill: the server computes the amount, one callback applies it', async () => {
  const before = await call<OwnerHome>('owner', { action: 'home' }, DEMO_USERS.owner);
  const order = await call<CreatedOrder>('payment', { action: 'createOrder' }, DEMO_USERS.owner);
  expect(order.amountFen).toBe(before.dueNowFen);
  expect(order.outTradeNo).toMatch(/^[0-9A-Za-z_-]{1,32}$/);
  expect((await payWithSheet(order, DEMO_USERS.owner)).body.ok).toBe(true);
  const after = await call<OwnerHome>('owner', { action: 'home' }, DEMO_USERS.owner);
  expect(after.dueNowFen).toBe(0);
  const status = await call<{ status: string; receiptNo: string; paymentId: string }>(
    'payment',
    { action: 'orderStatus', outTradeNo: order.outTradeNo },
    DEMO_USERS.owner,
  );
  expect(status).toMatchObject({
    status: 'paid',
    receiptNo: expect.stringMatching(/^SJ\d{4}-\d{6}$/),
  });
  const receipt = await call<ReceiptView>(
    'payment',
    { action: 'receipt', paymentId: status.paymentId },
    DEMO_USERS.owner,
  );
  expect(receipt.amountFen).toBe(before.dueNowFen);
  expect(receipt.allocations.map((a) => a.billId).sort()).toEqual([...order.billIds].sort());
  expect(receipt.amountCapital).toMatch(/元/);
  expect(heldBills()).toBe(0);
  assertLedger();
});

test('the client never sets the amount; bills of other owners cannot be chosen', async () => {
  // the seed's paid orders (behind seeded WeChat payments) are there from the start
  const seededOrders = cloud.store.count('pay_orders', {});
  const forged = await callRaw('payment', { action: 'createOrder', totalFee: 1 }, DEMO_USERS.owner);
  expect(forged).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  const others = await callRaw(
    'payment',
    { action: 'createOrder', billIds: ['b_r_3_2_801_2026-09_property'] },
    DEMO_USERS.owner,
  );
  expect(others).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  const tooMuch = await callRaw(
    'payment',
    { action: 'createOrder', amountFen: 99_999_999 },
    DEMO_USERS.owner,
  );
  expect(tooMuch).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect(cloud.store.count('pay_orders', {})).toBe(seededOrders);
});

test('asking twice for the same bills reuses the live order; never two live orders for a bill', async () => {
  const first = await call<CreatedOrder>('payment', { action: 'createOrder' }, DEMO_USERS.owner);
  const again = await call<CreatedOrder>('payment', { action: 'createOrder' }, DEMO_USERS.owner);
  expect(again).toMatchObject({ outTradeNo: first.outTradeNo, reused: true });
  // A different choice of the same bills within 5 minutes cannot close the first order yet.
  const subset = await callRaw(
    'payment',
    { action: 'createOrder', billIds: [first.billIds[0]] },
    DEMO_USERS.owner,
  );
  expect(subset).toMatchObject({ ok: false, code: 'CONFLICT' });
  // After 5 minutes the old order is closed and replaced.
  await cloud.setClock(cloud.clock.now() + 6 * 60_000, { fireTimers: false });
  const replaced = await call<CreatedOrder>(
    'payment',
    { action: 'createOrder', billIds: [first.billIds[0]] },
    DEMO_USERS.owner,
  );
  expect(replaced.outTradeNo).not.toBe(first.outTradeNo);
  const orders = cloud.store.find('pay_orders', {});
  expect(orders.filter((o) => o.status === 'pending').map((o) => o._id)).toEqual([
    replaced.outTradeNo,
  ]);
  // Paying the closed order's sheet fails: it was closed at WeChat Pay too.
  expect((await payWithSheet(first, DEMO_USERS.owner)).body.ok).toBe(false);
});

test('10 concurrent duplicate notifications apply the payment once', async () => {
  await postJson(`${cloud.url}/dev/pay/faults`, { duplicates: 10 });
  const order = await call<CreatedOrder>('payment', { action: 'createOrder' }, DEMO_USERS.owner);
  await payWithSheet(order, DEMO_USERS.owner);
  // Any delivery that lost a write conflict is retried by WeChat Pay's schedule.
  await cloud.setClock(cloud.clock.now() + 3600_000);
  expect(newPayments().length).toBe(1);
  const payment = newPayments()[0]!;
  expect(payment.amountFen).toBe(order.amountFen);
  for (const id of order.billIds) expect(bill(id).status).toBe('paid');
  assertLedger();
});

test('a notification that arrives before unifiedOrder returns is applied, and the order stays paid', async () => {
  await postJson(`${cloud.url}/dev/pay/faults`, { payOnUnifiedOrder: true });
  const order = await call<CreatedOrder>('payment', { action: 'createOrder' }, DEMO_USERS.owner);
  expect(cloud.store.find('pay_orders', { _id: order.outTradeNo })[0]!.status).toBe('paid');
  expect(newPayments().length).toBe(1);
  assertLedger();
});

test('a notification for an order not yet visible is answered with a retry, then applied', async () => {
  const order = await call<CreatedOrder>('payment', { action: 'createOrder' }, DEMO_USERS.owner);
  // Hide our order record, as if its write were not visible yet when WeChat Pay notifies.
  const saved = cloud.store.find('pay_orders', { _id: order.outTradeNo })[0]!;
  cloud.store.remove('pay_orders', { _id: order.outTradeNo }, { multi: false });
  await payWithSheet(order, DEMO_USERS.owner);
  expect(newPayments().length).toBe(0);
  cloud.store.insert('pay_orders', [saved]);
  await cloud.setClock(cloud.clock.now() + 20_000);
  expect(newPayments().length).toBe(1);
  assertLedger();
});

test('the callback dies after its writes, before the commit: nothing half-applied; redelivery completes it', async () => {
  await postJson(`${cloud.url}/dev/faults`, { crashBeforeCommit: 'payNotify' });
  const order = await call<CreatedOrder>('payment', { action: 'createOrder' }, DEMO_USERS.owner);
  await payWithSheet(order, DEMO_USERS.owner);
  // The payment, its allocations and the bills moved together or not at all.
  expect(newPayments()).toHaveLength(0);
  for (const id of order.billIds) expect(bill(id).status).toBe('unpaid');
  expect(cloud.store.openTransactions()).toBe(1); // abandoned, holding its locks until it times out
  // WeChat Pay redelivers on its schedule; once the dead transaction times out, one succeeds.
  await cloud.setClock(cloud.clock.now() + 3600_000);
  expect(newPayments()).toHaveLength(1);
  for (const id of order.billIds) expect(bill(id).status).toBe('paid');
  assertLedger();
});

test('a tampered amount is recorded for finance and never marks bills paid', async () => {
  const order = await call<CreatedOrder>('payment', { action: 'createOrder' }, DEMO_USERS.owner);
  // Someone changed the amount at WeChat Pay's side of the order.
  cloud.store.update(
    '__pay_orders',
    { _id: order.outTradeNo },
    { $set: { totalFee: 1 } },
    { multi: false, replace: false, upsert: false },
  );
  await payWithSheet(order, DEMO_USERS.owner);
  expect(newPayments().length).toBe(0);
  const exceptions = cloud.store.find('pay_exceptions', { outTradeNo: order.outTradeNo });
  expect(exceptions).toHaveLength(1);
  expect(exceptions[0]).toMatchObject({
    outTradeNo: order.outTradeNo,
    notifiedFen: 1,
    orderFen: order.amountFen,
    status: 'open',
  });
  for (const id of order.billIds) expect(bill(id).status).not.toBe('paid');
});

test('a client cannot call the callback to mark bills paid', async () => {
  const order = await call<CreatedOrder>('payment', { action: 'createOrder' }, DEMO_USERS.owner);
  const forged = await cloud.call(
    'payNotify',
    {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: order.outTradeNo,
      transactionId: 'x',
      totalFee: order.amountFen,
      subMchId: '1900000109',
      timeEnd: '20261201120000',
    },
    DEMO_USERS.owner,
  );
  expect(forged).toMatchObject({ errcode: 403 });
  expect(newPayments().length).toBe(0);
});

test('a late callback: orderStatus asks WeChat Pay and applies the payment once', async () => {
  await postJson(`${cloud.url}/dev/pay/faults`, { delayMs: 600_000 });
  const order = await call<CreatedOrder>('payment', { action: 'createOrder' }, DEMO_USERS.owner);
  await payWithSheet(order, DEMO_USERS.owner);
  expect(newPayments().length).toBe(0);
  const status = await call<{ status: string }>(
    'payment',
    { action: 'orderStatus', outTradeNo: order.outTradeNo },
    DEMO_USERS.owner,
  );
  expect(status.status).toBe('paid');
  await cloud.setClock(cloud.clock.now() + 700_000);
  expect(newPayments().length).toBe(1);
  assertLedger();
});

test('the timer closes expired pending orders and releases their bills', async () => {
  const order = await call<CreatedOrder>('payment', { action: 'createOrder' }, DEMO_USERS.owner);
  expect(heldBills()).toBe(order.billIds.length);
  await cloud.setClock(cloud.clock.now() + 31 * 60_000, { fireTimers: false });
  expect(await cloud.fireTimer('payment')).toEqual({ closed: 1, paid: 0, waiting: 0, numbered: 0 });
  expect(cloud.store.find('pay_orders', { _id: order.outTradeNo })[0]!.status).toBe('closed');
  expect(heldBills()).toBe(0);
  expect(cloud.pay.orders().find((o) => o.outTradeNo === order.outTradeNo)!.tradeState).toBe(
    'CLOSED',
  );
});

test('an owner prepays (预存) into their own room by WeChat Pay; never into someone else’s', async () => {
  const other = await callRaw(
    'payment',
    { action: 'createOrder', prepay: { roomId: 'r_3_2_801', amountFen: 100_000 } },
    DEMO_USERS.owner,
  );
  expect(other).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  const mixed = await callRaw(
    'payment',
    { action: 'createOrder', amountFen: 100, prepay: { roomId: 'r_2_1_302', amountFen: 100_000 } },
    DEMO_USERS.owner,
  );
  expect(mixed).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  const order = await call<CreatedOrder>(
    'payment',
    { action: 'createOrder', prepay: { roomId: 'r_2_1_302', amountFen: 100_000 } },
    DEMO_USERS.owner,
  );
  expect(order).toMatchObject({ amountFen: 100_000, billIds: [] });
  await payWithSheet(order, DEMO_USERS.owner);
  expect(cloud.store.find('prepaid_accounts', { _id: 'r_2_1_302' })[0]!.balanceFen).toBe(100_000);
  expect(newPayments()[0]).toMatchObject({ prepaidFen: 100_000, allocations: [] });
  assertLedger();
});

describe('cashier', () => {
  const key = () => `k${Math.random().toString(36).slice(2, 12)}`;

  test('records cash for another room: oldest bill first, change not recorded, receipt in capitals', async () => {
    const unpaid = cloud.store.find(
      'bills',
      { roomId: 'r_1_2_201', status: 'unpaid' },
      { sort: { dueDate: 1 } },
    );
    const amount = (unpaid[0]!.amountDueFen as number) + 100;
    const res = await call<RecordedPayment>(
      'payment',
      {
        action: 'recordOffline',
        roomId: 'r_1_2_201',
        channel: 'cash',
        amountFen: amount,
        tenderedFen: amount + 900,
        payerName: '周阿姨',
        idempotencyKey: key(),
      },
      DEMO_USERS.cashier,
    );
    expect(res.changeFen).toBe(900);
    expect(res.allocations.map((a) => a.billId)).toEqual([unpaid[0]!._id, unpaid[1]!._id]);
    expect(bill(unpaid[0]!._id).status).toBe('paid');
    expect(bill(unpaid[1]!._id)).toMatchObject({ status: 'partial', paidFen: 100 });
    const receipt = await call<ReceiptView>(
      'payment',
      { action: 'receipt', paymentId: res.paymentId },
      DEMO_USERS.elder,
    );
    expect(receipt).toMatchObject({ payer: '周阿姨', channelLabel: '现金', amountFen: amount });
    // The elderly owner of that room sees it; another owner does not.
    const stranger = await callRaw(
      'payment',
      { action: 'receipt', paymentId: res.paymentId },
      DEMO_USERS.owner,
    );
    expect(stranger).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    assertLedger();
  });

  test('the cashier sees a room’s unpaid bills (oldest first) and prepaid balance; owners cannot', async () => {
    const res = await call<{
      roomLabel: string;
      unpaid: { billId: string; dueDate: string }[];
      prepaidFen: number;
    }>('payment', { action: 'roomBills', roomId: 'r_1_2_201' }, DEMO_USERS.cashier);
    expect(res.roomLabel).toBe('1栋2单元201');
    expect(res.unpaid.length).toBeGreaterThan(0);
    const due = res.unpaid.map((b) => b.dueDate);
    expect(due).toEqual([...due].sort());
    expect(
      await callRaw('payment', { action: 'roomBills', roomId: 'r_1_2_201' }, DEMO_USERS.owner),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });

  test('an owner without the role cannot record payments', async () => {
    const res = await callRaw(
      'payment',
      {
        action: 'recordOffline',
        roomId: 'r_1_2_201',
        channel: 'cash',
        amountFen: 100,
        idempotencyKey: key(),
      },
      DEMO_USERS.owner,
    );
    expect(res).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(newPayments().length).toBe(0);
  });

  test('the same POS reference cannot be recorded twice; a double tap records once', async () => {
    const base = {
      action: 'recordOffline',
      roomId: 'r_1_2_201',
      channel: 'card',
      amountFen: 1000,
      reference: 'POS-778899',
    };
    const k = key();
    const first = await call<RecordedPayment>(
      'payment',
      { ...base, idempotencyKey: k },
      DEMO_USERS.cashier,
    );
    const tap = await call<RecordedPayment>(
      'payment',
      { ...base, idempotencyKey: k },
      DEMO_USERS.cashier,
    );
    expect(tap.paymentId).toBe(first.paymentId);
    const again = await callRaw('payment', { ...base, idempotencyKey: key() }, DEMO_USERS.cashier);
    expect(again).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(newPayments().length).toBe(1);
    const noRef = await callRaw(
      'payment',
      { ...base, reference: undefined, idempotencyKey: key() },
      DEMO_USERS.cashier,
    );
    expect(noRef).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect((noRef as { message: string }).message).toMatch(/^reference: /);
  });

  test('owner paying while the cashier records cash for the same bill: the cashier is refused', async () => {
    const order = await call<CreatedOrder>('payment', { action: 'createOrder' }, DEMO_USERS.owner);
    const room = bill(order.billIds[0]!).roomId as string;
    const cash = await callRaw(
      'payment',
      {
        action: 'recordOffline',
        roomId: room,
        channel: 'cash',
        amountFen: 1000,
        idempotencyKey: key(),
      },
      DEMO_USERS.cashier,
    );
    expect(cash).toMatchObject({ ok: false, code: 'CONFLICT' });
    await payWithSheet(order, DEMO_USERS.owner);
    expect(newPayments().length).toBe(1);
    assertLedger();
  });

  test('money beyond every bill becomes the room’s prepaid balance', async () => {
    const bills = await call<OwnerBills>('owner', { action: 'bills' }, DEMO_USERS.elder);
    const due = bills.unpaid.reduce((s, b) => s + b.outstandingFen, 0);
    const res = await call<RecordedPayment>(
      'payment',
      {
        action: 'recordOffline',
        roomId: 'r_1_2_201',
        channel: 'transfer',
        reference: 'TR20261201001',
        amountFen: due + 50_000,
        idempotencyKey: key(),
      },
      DEMO_USERS.cashier,
    );
    expect(res.prepaidFen).toBe(50_000);
    expect(cloud.store.find('prepaid_accounts', { _id: 'r_1_2_201' })[0]!.balanceFen).toBe(50_000);
    assertLedger();
  });

  test('concurrent payments get unique, gap-free receipt numbers', async () => {
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        call<RecordedPayment>(
          'payment',
          {
            action: 'recordOffline',
            roomId: `r_2_2_${i + 2}01`,
            channel: 'cash',
            amountFen: 1000 + i,
            idempotencyKey: key(),
          },
          DEMO_USERS.cashier,
        ),
      ),
    );
    expect(newPayments().length).toBe(6);
    assertLedger();
  });
});
