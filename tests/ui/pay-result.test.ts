/**
 * 缴费结果 (pages/pay-result): success only when the server says so (orderStatus, polled while
 * pending), the receipt number and link, the reminder consent from a tap, and polite cancel and
 * failure states with 重新支付.
 */
import { SUBSCRIBE_TEMPLATES } from '../../miniprogram/config';
import { createdOrder } from './fixtures';
import { ok, stubWx } from './wx-stub';
import { loadPage, settle, tapButton, textOf } from './page';
import type { OrderStatusView } from '../../miniprogram/domain/payment/contract';

const NO = 'PF0123456789abcdef';

const paid: OrderStatusView = {
  outTradeNo: NO,
  status: 'paid',
  amountFen: 159576,
  paymentId: 'pay_2',
  receiptNo: 'SJ2026-000780',
};
const pending: OrderStatusView = { outTradeNo: NO, status: 'pending', amountFen: 159576 };

const statusCalls = (stub: ReturnType<typeof stubWx>) =>
  stub.calls.filter((c) => c.data.action === 'orderStatus');

describe('pay result page', () => {
  test('while the notification is on its way it asks again, then shows the receipt number', async () => {
    let n = 0;
    const stub = stubWx({ 'payment.orderStatus': () => ok(++n < 2 ? pending : paid) });
    const page = await loadPage('pages/pay-result/index', {
      outTradeNo: NO,
      outcome: 'paid',
      amountFen: '159576',
    });
    expect(textOf(page)).toContain('正在确认支付结果');
    await settle(900);
    expect(statusCalls(stub)).toHaveLength(2);
    expect(statusCalls(stub)[0]!.data).toEqual({ action: 'orderStatus', outTradeNo: NO });
    const text = textOf(page);
    expect(text).toContain('缴费成功');
    expect(text).toContain('SJ2026-000780');
    expect(text).toContain('¥1,595.76');
    await tapButton(page, '.view-receipt');
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({
      url: '/pages/receipt/index?paymentId=pay_2',
    });
  });

  test('after paying, the reminder consent is asked from the tap with at most 3 templates', async () => {
    const stub = stubWx({ 'payment.orderStatus': ok(paid) });
    const page = await loadPage('pages/pay-result/index', { outTradeNo: NO, outcome: 'paid' });
    expect(stub.wx.requestSubscribeMessage).not.toHaveBeenCalled();
    const ids = SUBSCRIBE_TEMPLATES.slice(0, 3).map((t) => t.id);
    (stub.wx.requestSubscribeMessage as jest.Mock).mockImplementation(
      (o: { tmplIds: string[]; success: (r: object) => void }) =>
        o.success(
          Object.fromEntries(o.tmplIds.map((id, i) => [id, i === 0 ? 'accept' : 'reject'])),
        ),
    );
    await tapButton(page, '.remind-btn');
    const asked = (stub.wx.requestSubscribeMessage as jest.Mock).mock.calls[0][0].tmplIds;
    expect(asked).toEqual(ids);
    expect(asked.length).toBeLessThanOrEqual(3);
    expect(textOf(page)).toContain('已为您订阅 1 项提醒');
  });

  test('a cancelled payment is said plainly; 重新支付 reopens the sheet for the same bills', async () => {
    const stub = stubWx({
      'payment.createOrder': ok({ ...createdOrder(['b1', 'b3'], 143000), reused: true }),
      'payment.orderStatus': ok(paid),
    });
    stub.wx.requestPayment = jest.fn((o: { success: (r: object) => void }) =>
      o.success({ errMsg: 'requestPayment:ok' }),
    );
    const page = await loadPage('pages/pay-result/index', {
      outTradeNo: NO,
      outcome: 'cancel',
      billIds: 'b1,b3',
    });
    expect(statusCalls(stub)).toHaveLength(0);
    expect(textOf(page)).toContain('您已取消支付');
    expect(textOf(page)).toContain('未产生扣款');
    await tapButton(page, '.retry');
    await settle();
    const create = stub.calls.find((c) => c.data.action === 'createOrder')!;
    expect(create.data).toEqual({ action: 'createOrder', billIds: ['b1', 'b3'] });
    expect(stub.wx.requestPayment).toHaveBeenCalledTimes(1);
    expect(textOf(page)).toContain('缴费成功');
  });

  test('a failed payment that WeChat Pay did not take shows a polite failure with retry', async () => {
    stubWx({ 'payment.orderStatus': ok(pending) });
    const page = await loadPage('pages/pay-result/index', { outTradeNo: NO, outcome: 'fail' });
    const text = textOf(page);
    expect(text).toContain('抱歉，支付未成功');
    expect(text).toContain('本次未扣款');
    expect(text).toContain('重新支付');
  });

  test('a sheet that failed although the money arrived shows success (the server decides)', async () => {
    stubWx({ 'payment.orderStatus': ok(paid) });
    const page = await loadPage('pages/pay-result/index', { outTradeNo: NO, outcome: 'fail' });
    expect(textOf(page)).toContain('缴费成功');
  });

  test('an amount mismatch asks the owner not to pay again', async () => {
    stubWx({ 'payment.orderStatus': ok({ ...pending, status: 'exception' }) });
    const page = await loadPage('pages/pay-result/index', { outTradeNo: NO, outcome: 'paid' });
    expect(textOf(page)).toContain('支付信息需要核实');
    expect(textOf(page)).toContain('请勿重复支付');
  });

  test('without an order number the page says so', async () => {
    const stub = stubWx({});
    const page = await loadPage('pages/pay-result/index', {});
    expect(textOf(page)).toContain('没有找到支付信息');
    expect(stub.calls).toHaveLength(0);
  });
});
