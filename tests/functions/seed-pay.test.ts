/**
 * The demo seed's WeChat payments are backed by orders in the pay sandbox (and the app's
 * pay_orders) with the same outTradeNo, transaction id, amount and time, so finance can refund a
 * seeded WeChat payment through cloudPay.refund and the daily statement lists seeded days.
 */
import { PAY_ORDERS, type PayOrder } from '../../tools/cloud/pay';
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import { shanghaiDate } from '../../miniprogram/domain/kernel/time';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import { useTestCloud } from '../helpers/cloud';
import { ledgerViolations } from '../helpers/ledger';
import type { RefundView } from '../../miniprogram/domain/payment/contract';

const cloud = useTestCloud({ seed: 'demo', per: 'file' });

interface SeededPayment {
  _id: string;
  channel: string;
  amountFen: number;
  paidAt: Date;
  roomIds: string[];
  receiptNo: string;
  outTradeNo?: string;
  transactionId?: string;
}

const wechatPayments = () =>
  (
    cloud.store.find('payments', {
      communityId: DEMO_COMMUNITY_ID,
      channel: 'wechat',
    }) as unknown as SeededPayment[]
  ).filter((p) => p.outTradeNo);

test('every seeded WeChat payment has a matching sandbox order and a paid app order', () => {
  const payments = wechatPayments();
  expect(payments.length).toBeGreaterThan(50);
  for (const p of payments) {
    const [sandbox] = cloud.store.find(PAY_ORDERS, { _id: p.outTradeNo }) as unknown as PayOrder[];
    expect(sandbox).toMatchObject({
      tradeState: 'SUCCESS',
      transactionId: p.transactionId,
      totalFee: p.amountFen,
      paidAt: new Date(p.paidAt).getTime(),
      subMchId: '1900000109',
      refundedFee: 0,
    });
    const [order] = cloud.store.find('pay_orders', { _id: p.outTradeNo });
    expect(order).toMatchObject({
      status: 'paid',
      paymentId: p._id,
      receiptNo: p.receiptNo,
      amountFen: p.amountFen,
    });
  }
  // The seeded owner's own payments are paid from the owner's openid.
  const mine = payments.find((p) => p.roomIds.includes('r_3_2_801'));
  expect(cloud.store.find(PAY_ORDERS, { _id: mine!.outTradeNo })[0]).toMatchObject({
    openid: DEMO_USERS.paid,
  });
});

test('finance refunds part of a seeded WeChat payment through cloudPay; the ledger stays clean', async () => {
  const p = wechatPayments().sort((a, b) => +new Date(b.paidAt) - +new Date(a.paidAt))[0]!;
  const r = (await cloud.call(
    'payment',
    { action: 'requestRefund', paymentId: p._id, amountFen: 500, reason: '多缴部分退回' },
    DEMO_USERS.finance,
  )) as Reply<RefundView>;
  expect(r).toMatchObject({ ok: true, data: { status: 'done', amountFen: 500 } });
  const [sandbox] = cloud.store.find(PAY_ORDERS, { _id: p.outTradeNo }) as unknown as PayOrder[];
  expect(sandbox).toMatchObject({ tradeState: 'REFUND', refundedFee: 500 });
  expect(ledgerViolations(cloud)).toEqual([]);
});

test('downloadBill of a seeded day lists exactly that day’s seeded WeChat payments', async () => {
  const now = cloud.clock.now();
  const eligible = wechatPayments().filter((p) => {
    const dayStart = Date.parse(`${shanghaiDate(new Date(p.paidAt))}T00:00:00+08:00`);
    return now >= dayStart + 34 * 3600_000 && now - dayStart <= 90 * 86400_000;
  });
  expect(eligible.length).toBeGreaterThan(0);
  const day = shanghaiDate(new Date(eligible[0]!.paidAt));
  const sameDay = wechatPayments().filter((p) => shanghaiDate(new Date(p.paidAt)) === day);
  const bill = await cloud.pay.handle(
    'downloadBill',
    { bill_date: day.replace(/-/g, ''), bill_type: 'SUCCESS' },
    {},
  );
  expect(typeof bill).toBe('string');
  const lines = (bill as string).trim().split('\r\n');
  expect(lines).toHaveLength(1 + sameDay.length + 2);
  for (const p of sameDay) {
    const row = lines.find((l) => l.includes(`\`${p.outTradeNo!}`))!;
    expect(row).toContain(`\`${p.transactionId!}`);
    expect(row).toContain(`\`${(p.amountFen / 100).toFixed(2)}`);
  }
  const total = sameDay.reduce((s, p) => s + p.amountFen, 0);
  expect(lines[lines.length - 1]!.split(',')[1]).toBe(`\`${(total / 100).toFixed(2)}`);
});
