/**
 * 确认缴费 (pages/pay): the chosen bills and their total, then createOrder → requestPayment →
 * the result page. Only bill ids (and a part amount the owner typed) go to the server; the
 * order's amount is the server's.
 */
import { BILLS, createdOrder, PAYMENT_PARAMS } from './fixtures';
import { fail, ok, stubWx } from './wx-stub';
import { loadPage, query, settle, tapButton, textOf, typeInto } from './page';

const ALL = 96500 + 63076 + 46500;

function payStub(replies: Record<string, unknown> = {}) {
  const stub = stubWx({
    'owner.bills': ok(BILLS),
    // as the server does: the outstanding total of the chosen bills, or the part asked for
    'payment.createOrder': (input: Record<string, unknown>) => {
      const ids = (input.billIds as string[]) ?? BILLS.unpaid.map((b) => b.billId);
      const total = BILLS.unpaid
        .filter((b) => ids.includes(b.billId))
        .reduce((s, b) => s + b.outstandingFen, 0);
      return ok(createdOrder(ids, (input.amountFen as number) ?? total));
    },
    ...replies,
  });
  stub.wx.requestPayment = jest.fn((o: { success: (r: object) => void }) =>
    o.success({ errMsg: 'requestPayment:ok' }),
  );
  return stub;
}

const createCalls = (stub: ReturnType<typeof stubWx>) =>
  stub.calls.filter((c) => c.name === 'payment' && c.data.action === 'createOrder');

describe('pay confirmation page', () => {
  test('lists every unpaid bill oldest first with the total the server reported', async () => {
    payStub();
    const page = await loadPage('pages/pay/index');
    const text = textOf(page);
    expect(text).toContain('应缴合计');
    expect(text).toContain('共 3 笔账单，其中 2 笔已逾期');
    expect(text).toContain('1栋1单元1501 · 账期 2026年6月');
    expect(text).toContain('2栋1单元302 · 账期 2026年6月');
    expect(text).toContain('¥2,060.76');
    expect(page.data.bills.map((b: { billId: string }) => b.billId)).toEqual(['b1', 'b2', 'b3']);
  });

  test('paying everything sends no ids and no amount, opens the pay sheet, then the result page', async () => {
    const stub = payStub();
    const page = await loadPage('pages/pay/index');
    await tapButton(page, '.pay-btn');
    await settle();
    expect(createCalls(stub).map((c) => c.data)).toEqual([{ action: 'createOrder' }]);
    expect(stub.wx.requestPayment).toHaveBeenCalledWith(expect.objectContaining(PAYMENT_PARAMS));
    expect(stub.wx.redirectTo).toHaveBeenCalledWith({
      url: `/pages/pay-result/index?outTradeNo=PF0123456789abcdef&outcome=paid&amountFen=${ALL}`,
    });
  });

  test('bills chosen on 账单 are the only ones shown and sent', async () => {
    const stub = payStub();
    const page = await loadPage('pages/pay/index', { billIds: 'b1,b3' });
    expect(textOf(page)).toContain('共 2 笔账单');
    expect(textOf(page)).not.toContain('2栋1单元302');
    await tapButton(page, '.pay-btn');
    await settle();
    expect(createCalls(stub)[0]!.data).toEqual({ action: 'createOrder', billIds: ['b1', 'b3'] });
    expect(String((stub.wx.redirectTo as jest.Mock).mock.calls[0][0].url)).toContain(
      'billIds=b1,b3',
    );
  });

  test('a bill paid meanwhile is left out, and the owner is told', async () => {
    payStub();
    const page = await loadPage('pages/pay/index', { billIds: 'b1,b_gone' });
    expect(textOf(page)).toContain('部分账单已缴清或有更新');
    expect(textOf(page)).toContain('共 1 笔账单');
  });

  test('a part amount is checked before anything is sent, then sent as typed (in fen)', async () => {
    const stub = payStub();
    const page = await loadPage('pages/pay/index');
    query(page, '.partial-switch', '.van-switch').dispatchEvent('tap');
    await settle();
    await typeInto(page, ['.partial-amount'], '3000');
    expect(page.data.amountError).toBe('不能超过应缴合计 ¥2,060.76');
    await tapButton(page, '.pay-btn');
    expect(createCalls(stub)).toHaveLength(0);
    expect(stub.wx.showToast).toHaveBeenCalledWith({
      title: '不能超过应缴合计 ¥2,060.76',
      icon: 'none',
    });
    await typeInto(page, ['.partial-amount'], '12.3.4');
    expect(page.data.amountError).toBe('请输入正确的金额，如 500 或 500.50');
    await typeInto(page, ['.partial-amount'], '500.5');
    expect(page.data.amountError).toBe('');
    expect(page.data.payFen).toBe(50050);
    expect(textOf(page)).toContain('本次缴纳');
    await tapButton(page, '.pay-btn');
    await settle();
    expect(createCalls(stub)[0]!.data).toEqual({ action: 'createOrder', amountFen: 50050 });
  });

  test('when the server computes a different amount, the owner confirms it first', async () => {
    const stub = payStub({
      'payment.createOrder': ok(createdOrder(['b1', 'b2', 'b3'], ALL + 900)),
    });
    stub.wx.showModal = jest.fn((o: { success?: (r: object) => void }) =>
      o.success?.({ confirm: false, cancel: true }),
    );
    const page = await loadPage('pages/pay/index');
    await tapButton(page, '.pay-btn');
    await settle();
    expect(stub.wx.showModal).toHaveBeenCalledWith(
      expect.objectContaining({ title: '应缴金额有更新', confirmText: '继续支付' }),
    );
    expect(String((stub.wx.showModal as jest.Mock).mock.calls[0][0].content)).toContain(
      '¥2,069.76',
    );
    expect(stub.wx.requestPayment).not.toHaveBeenCalled();
  });

  test('a refusal reads as a sentence; nothing is paid', async () => {
    const stub = payStub({
      'payment.createOrder': fail(
        'CONFLICT',
        '您有一笔刚发起的待支付订单，请完成该笔支付，或 5 分钟后再重新发起',
      ),
    });
    const page = await loadPage('pages/pay/index');
    await tapButton(page, '.pay-btn');
    await settle();
    expect(stub.wx.showModal).toHaveBeenCalledWith(
      expect.objectContaining({
        title: '暂时无法发起支付',
        content: '您有一笔刚发起的待支付订单，请完成该笔支付，或 5 分钟后再重新发起',
      }),
    );
    expect(stub.wx.requestPayment).not.toHaveBeenCalled();
    expect(page.data.paying).toBe(false);
  });

  test('a double tap creates one order', async () => {
    const stub = payStub();
    stub.wx.requestPayment = jest.fn(); // the sheet stays open
    const page = await loadPage('pages/pay/index');
    const btn = query(page, '.pay-btn', '.van-button');
    btn.dispatchEvent('tap');
    btn.dispatchEvent('tap');
    await settle();
    expect(createCalls(stub)).toHaveLength(1);
  });

  test('a cancelled sheet goes to the result page as cancelled', async () => {
    const stub = payStub();
    stub.wx.requestPayment = jest.fn((o: { fail: (r: object) => void }) =>
      o.fail({ errMsg: 'requestPayment:fail cancel' }),
    );
    const page = await loadPage('pages/pay/index');
    await tapButton(page, '.pay-btn');
    await settle();
    expect(String((stub.wx.redirectTo as jest.Mock).mock.calls[0][0].url)).toContain(
      'outcome=cancel',
    );
  });

  test('nothing left to pay: a thank-you, no pay button', async () => {
    payStub({ 'owner.bills': ok({ unpaid: [], paid: BILLS.paid }) });
    const page = await loadPage('pages/pay/index');
    expect(textOf(page)).toContain('没有需要缴纳的账单');
    expect(textOf(page)).not.toContain('微信支付');
  });
});

describe('pay confirmation page: an installment', () => {
  test('opened from 分期缴费 with partFen, it pays that part of the plan’s bills', async () => {
    const stub = payStub();
    const id = BILLS.unpaid[0]!.billId;
    const page = await loadPage('pages/pay/index', { billIds: id, partFen: '12500' });
    expect(page.data.partial).toBe(true);
    expect(page.data.payFen).toBe(12500);
    await tapButton(page, '.pay-btn');
    await settle();
    expect(createCalls(stub)[0]!.data).toEqual({
      action: 'createOrder',
      billIds: [id],
      amountFen: 12500,
    });
  });
});
