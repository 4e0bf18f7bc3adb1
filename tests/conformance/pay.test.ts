/**
 * The cloudPay sandbox through the real wx-server-sdk: unifiedOrder → pay sheet → callback with
 * SOURCE=wx_paycallback and WeChat's retry schedule on the dev clock; queryOrder, closeOrder
 * (5-minute rule), refund (limits, same refund number retried), queryRefund, downloadBill (real
 * statement format), and the fault switches.
 */
import path from 'node:path';
import { RETRY_SCHEDULE_S } from '../../tools/cloud/pay';
import { useTestCloud } from '../helpers/cloud';
import { getJson, postJson } from '../helpers/process';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'functions');
const T0 = Date.parse('2026-12-01T09:00:00+08:00');

const cloud = useTestCloud({ functionsDir: FIXTURES, seed: 'empty', per: 'file' });
beforeAll(async () => {
  cloud.store.createCollection('paid');
  cloud.store.createCollection('paid_mode');
  cloud.store.createCollection('ticks');
});
beforeEach(async () => {
  await cloud.setClock(T0, { fireTimers: false });
  cloud.store.remove('paid', {}, { multi: true });
  cloud.store.remove('paid_mode', {}, { multi: true });
});

type Answer = Record<string, unknown>;
const payApi = (api: string, params: Answer, openid = 'o_payer') =>
  cloud.call('payer', { api, params }, openid) as Promise<Answer>;

let seq = 0;
async function order(
  totalFee = 63076,
  extra: Answer = {},
): Promise<{ outTradeNo: string; answer: Answer }> {
  const outTradeNo = `T${Date.now()}${seq++}`;
  const answer = await payApi('unifiedOrder', {
    body: '翠湖花园-物业费',
    outTradeNo,
    spbillCreateIp: '127.0.0.1',
    subMchId: '1900000109',
    totalFee,
    envId: 'local-dev',
    functionName: 'paycb',
    ...extra,
  });
  return { outTradeNo, answer };
}

const paidEvents = () => cloud.store.find('paid', {}, { sort: { at: 1 } });

test('unifiedOrder returns the payment object for wx.requestPayment', async () => {
  const { answer } = await order();
  expect(answer).toMatchObject({
    returnCode: 'SUCCESS',
    resultCode: 'SUCCESS',
    tradeType: 'JSAPI',
    errCode: 0,
  });
  const payment = answer.payment as Answer;
  expect(Object.keys(payment).sort()).toEqual([
    'appId',
    'nonceStr',
    'package',
    'paySign',
    'signType',
    'timeStamp',
  ]);
  expect(payment.package).toMatch(/^prepay_id=wx/);
});

test('bad parameters are refused as WeChat Pay does', async () => {
  // The SDK sets errCode 0 on every answered call, so WeChat's business error shows in
  // resultCode and errCodeDes (the err_code itself is overwritten, as in production).
  expect((await order(12.5)).answer).toMatchObject({
    resultCode: 'FAIL',
    errCodeDes: expect.stringContaining('total_fee'),
  });
  const long = await payApi('unifiedOrder', {
    body: 'x',
    outTradeNo: 'x'.repeat(33),
    spbillCreateIp: '127.0.0.1',
    subMchId: '1',
    totalFee: 1,
    envId: 'e',
    functionName: 'paycb',
  });
  expect(long).toMatchObject({
    resultCode: 'FAIL',
    errCodeDes: expect.stringContaining('out_trade_no'),
  });
});

test('paying through the sheet delivers one callback with SOURCE=wx_paycallback', async () => {
  const { outTradeNo, answer } = await order();
  const pkg = (answer.payment as Answer).package;
  const res = await postJson<Answer>(`${cloud.url}/gateway/pay`, {
    package: pkg,
    openid: 'o_payer',
    result: 'success',
  });
  expect(res.body).toMatchObject({ ok: true, errMsg: 'requestPayment:ok' });
  const events = paidEvents();
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({
    source: 'wx_paycallback',
    event: {
      outTradeNo,
      totalFee: 63076,
      resultCode: 'SUCCESS',
      returnCode: 'SUCCESS',
      subMchId: '1900000109',
      subOpenid: 'o_payer',
    },
  });
  const q = await payApi('queryOrder', { outTradeNo, subMchId: '1900000109' });
  expect(q).toMatchObject({
    tradeState: 'SUCCESS',
    totalFee: 63076,
    transactionId: (events[0]!.event as Answer).transactionId,
  });
});

test('another user cannot pay my order; cancel and fail leave it unpaid', async () => {
  const { outTradeNo, answer } = await order();
  const pkg = (answer.payment as Answer).package;
  expect(
    (await postJson<Answer>(`${cloud.url}/gateway/pay`, { package: pkg, openid: 'o_other' })).body
      .ok,
  ).toBe(false);
  expect(
    (
      await postJson<Answer>(`${cloud.url}/gateway/pay`, {
        package: pkg,
        openid: 'o_payer',
        result: 'cancel',
      })
    ).body,
  ).toMatchObject({ ok: false, errMsg: 'requestPayment:fail cancel' });
  await postJson(`${cloud.url}/gateway/pay`, { package: pkg, openid: 'o_payer', result: 'fail' });
  expect(await payApi('queryOrder', { outTradeNo })).toMatchObject({ tradeState: 'NOTPAY' });
  expect(paidEvents()).toHaveLength(0);
});

test('a failing callback is retried on the schedule as the dev clock advances', async () => {
  await cloud.store.insert('paid_mode', [{ _id: 'mode', answer: 'fail' }]);
  const { outTradeNo } = await order();
  await postJson(`${cloud.url}/dev/pay/${outTradeNo}`, { result: 'success' });
  expect(paidEvents()).toHaveLength(1);
  // 15 s later: the second attempt; 15 s after that the third (still failing).
  await cloud.setClock(cloud.clock.now() + RETRY_SCHEDULE_S[0]! * 1000 + 500);
  expect(paidEvents()).toHaveLength(2);
  await cloud.setClock(cloud.clock.now() + RETRY_SCHEDULE_S[1]! * 1000 + 500);
  expect(paidEvents()).toHaveLength(3);
  // Now the merchant answers errcode 0: one more delivery, then no more.
  cloud.store.remove('paid_mode', {}, { multi: true });
  await cloud.setClock(cloud.clock.now() + 3600_000);
  expect(paidEvents()).toHaveLength(4);
  await cloud.setClock(cloud.clock.now() + 24 * 3600_000);
  expect(paidEvents()).toHaveLength(4);
  const n = (
    await getJson<{ notifications: { event: Answer; status: string; attempts: number }[] }>(
      `${cloud.url}/dev/pay`,
    )
  ).notifications.find((x) => x.event.outTradeNo === outTradeNo)!;
  expect(n).toMatchObject({ status: 'delivered', attempts: 4 });
});

test('fault switches: duplicates arrive together, failed deliveries are retried, late ones wait', async () => {
  await postJson(`${cloud.url}/dev/pay/faults`, { duplicates: 5 });
  const a = await order();
  await postJson(`${cloud.url}/dev/pay/${a.outTradeNo}`, {});
  expect(paidEvents()).toHaveLength(5);

  cloud.store.remove('paid', {}, { multi: true });
  await postJson(`${cloud.url}/dev/pay/faults`, { failNext: 1, delayMs: 60_000 });
  const b = await order();
  await postJson(`${cloud.url}/dev/pay/${b.outTradeNo}`, {});
  expect(paidEvents()).toHaveLength(0); // held back a minute
  await cloud.setClock(cloud.clock.now() + 61_000);
  expect(paidEvents()).toHaveLength(0); // first delivery "lost in the network"
  await cloud.setClock(cloud.clock.now() + 16_000);
  expect(paidEvents()).toHaveLength(1);

  const bad = await postJson(`${cloud.url}/dev/pay/faults`, { duplicate: 2 });
  expect(bad.status).toBe(400);
});

test('payOnUnifiedOrder: the callback arrives before unifiedOrder has returned', async () => {
  await postJson(`${cloud.url}/dev/pay/faults`, { payOnUnifiedOrder: true });
  const { outTradeNo, answer } = await order();
  expect(answer.returnCode).toBe('SUCCESS');
  expect(paidEvents().map((e) => (e.event as Answer).outTradeNo)).toEqual([outTradeNo]);
});

test('closeOrder: not before 5 minutes; a closed order cannot be paid; a paid one cannot be closed', async () => {
  const { outTradeNo, answer } = await order();
  expect(await payApi('closeOrder', { outTradeNo })).toMatchObject({
    resultCode: 'FAIL',
    errCodeDes: expect.stringContaining('5 分钟') as unknown,
  });
  await cloud.setClock(cloud.clock.now() + 5 * 60_000 + 1000, { fireTimers: false });
  expect(await payApi('closeOrder', { outTradeNo })).toMatchObject({ resultCode: 'SUCCESS' });
  expect(await payApi('closeOrder', { outTradeNo })).toMatchObject({
    resultCode: 'FAIL',
    errCodeDes: expect.stringContaining('已关闭'),
  });
  const pkg = (answer.payment as Answer).package;
  expect(
    (await postJson<Answer>(`${cloud.url}/gateway/pay`, { package: pkg, openid: 'o_payer' })).body
      .ok,
  ).toBe(false);
  const paid = await order();
  await postJson(`${cloud.url}/dev/pay/${paid.outTradeNo}`, {});
  await cloud.setClock(cloud.clock.now() + 6 * 60_000, { fireTimers: false });
  expect(await payApi('closeOrder', { outTradeNo: paid.outTradeNo })).toMatchObject({
    resultCode: 'FAIL',
    errCodeDes: expect.stringContaining('已支付') as unknown,
  });
});

test('the same outTradeNo with the same request returns the same prepay; a changed one is refused', async () => {
  const first = await order(100);
  const request = {
    body: '翠湖花园-物业费',
    outTradeNo: first.outTradeNo,
    spbillCreateIp: '127.0.0.1',
    subMchId: '1900000109',
    totalFee: 100,
    envId: 'local-dev',
    functionName: 'paycb',
  };
  const again = await payApi('unifiedOrder', request);
  expect(again.prepayId).toBe(first.answer.prepayId);
  const changed = await payApi('unifiedOrder', { ...request, totalFee: 200 });
  expect(changed).toMatchObject({
    resultCode: 'FAIL',
    errCodeDes: expect.stringContaining('商户订单号重复'),
  });
});

test('refund: partial refunds up to the total, retried safely with the same number; queryRefund lists them', async () => {
  const { outTradeNo } = await order(10000);
  await postJson(`${cloud.url}/dev/pay/${outTradeNo}`, {});
  const base = {
    outTradeNo,
    subMchId: '1900000109',
    totalFee: 10000,
    envId: 'local-dev',
    functionName: 'paycb',
  };
  expect(await payApi('refund', { ...base, outRefundNo: 'R1', refundFee: 3000 })).toMatchObject({
    resultCode: 'SUCCESS',
    refundFee: 3000,
  });
  // Retrying the same refund number does not refund twice.
  expect(await payApi('refund', { ...base, outRefundNo: 'R1', refundFee: 3000 })).toMatchObject({
    resultCode: 'SUCCESS',
  });
  expect(await payApi('refund', { ...base, outRefundNo: 'R1', refundFee: 500 })).toMatchObject({
    resultCode: 'FAIL',
    errCodeDes: expect.stringContaining('退款单号') as unknown,
  });
  expect(await payApi('refund', { ...base, outRefundNo: 'R2', refundFee: 7001 })).toMatchObject({
    resultCode: 'FAIL',
    errCodeDes: expect.stringContaining('不能超过') as unknown,
  });
  expect(await payApi('refund', { ...base, outRefundNo: 'R2', refundFee: 7000 })).toMatchObject({
    resultCode: 'SUCCESS',
  });
  const q = await payApi('queryRefund', { outTradeNo });
  expect(q).toMatchObject({
    refundCount: 2,
    // The SDK camel-cases refund_fee_0 to refundFee_0 (digits keep their underscore).
    refundFee_0: 3000,
    refundFee_1: 7000,
    refundStatus_0: 'SUCCESS',
  });
  // Refund notifications follow asynchronously, to the same callback.
  await cloud.pay.deliverDue();
  expect(paidEvents().filter((e) => (e.event as Answer).refundStatus === 'SUCCESS')).toHaveLength(
    2,
  );
  const unpaid = await order(100);
  expect(
    await payApi('refund', {
      ...base,
      outTradeNo: unpaid.outTradeNo,
      totalFee: 100,
      outRefundNo: 'R3',
      refundFee: 100,
    }),
  ).toMatchObject({ resultCode: 'FAIL', errCodeDes: expect.stringContaining('未支付') as unknown });
});

test('downloadBill: the real text format, available the next day from 10:00', async () => {
  const day = Date.parse('2026-12-02T10:00:00+08:00');
  await cloud.setClock(day, { fireTimers: false });
  const a = await order(63076);
  await postJson(`${cloud.url}/dev/pay/${a.outTradeNo}`, {});
  const b = await order(21025);
  await postJson(`${cloud.url}/dev/pay/${b.outTradeNo}`, {});
  await payApi('refund', {
    outTradeNo: b.outTradeNo,
    outRefundNo: `RB${b.outTradeNo}`,
    totalFee: 21025,
    refundFee: 1025,
    subMchId: '1900000109',
  });
  expect(await payApi('downloadBill', { billDate: '20261202', billType: 'ALL' })).toMatchObject({
    returnCode: 'FAIL',
    returnMsg: 'No Bill Exist',
  });
  await cloud.setClock(Date.parse('2026-12-03T10:30:00+08:00'), { fireTimers: false });
  const bill = (await payApi('downloadBill', { billDate: '20261202', billType: 'ALL' })) as {
    data: string;
  };
  const lines = bill.data.trim().split('\r\n');
  expect(lines[0]!.startsWith('交易时间,公众账号ID,商户号,特约商户号')).toBe(true);
  expect(lines).toHaveLength(1 + 3 + 2);
  const trade = lines[1]!.split(',');
  expect(trade.every((f) => f.startsWith('`'))).toBe(true);
  expect(trade[6]).toBe(`\`${a.outTradeNo}`);
  expect(trade[12]).toBe('`630.76');
  expect(lines[3]!.split(',')[9]).toBe('`REFUND');
  expect(lines[4]).toBe(
    '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
  );
  // 3 rows; 630.76 + 210.25 settled; 10.25 refunded; fees 3.78 + 1.26 − 0.06 = 4.98.
  expect(lines[5]).toBe('`3,`841.01,`10.25,`0.00,`4.98,`841.01,`10.25');
  // A sub-merchant's statement holds its own trades only.
  const other = await payApi('downloadBill', {
    billDate: '20261202',
    billType: 'ALL',
    subMchId: '1900000999',
  });
  expect(other).toMatchObject({ returnCode: 'FAIL', returnMsg: 'No Bill Exist' });
  const mine = (await payApi('downloadBill', {
    billDate: '20261202',
    billType: 'ALL',
    subMchId: '1900000109',
  })) as { data: string };
  expect(mine.data.trim().split('\r\n')).toHaveLength(6);
});
