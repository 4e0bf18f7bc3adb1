/**
 * 支付异常 (admin/exceptions) for finance, the open count on finance's 工作台, and the owner's
 * open WeChat order at the cashier's desk (admin/collect): seen, and closed once WeChat Pay
 * allows it.
 */
import { ADMIN, CASHIER, FINANCE, ROOM_201 } from './fixtures';
import {
  openPage,
  query,
  queryAll,
  settle,
  tapButton,
  tapNth,
  textOf,
  typeInto,
  waitFor,
} from './page';
import { callsOf, confirmAll, ok, stubWx } from './wx-stub';
import type { PayExceptionView } from '../../miniprogram/domain/payment/exceptions.contract';
import { ageText } from '../../miniprogram/admin/exceptions/view';

const SHORT: PayExceptionView = {
  exceptionId: 'PF0001:4200000001',
  kind: 'short-paid',
  status: 'open',
  amountFen: 40_000,
  orderFen: 50_000,
  outTradeNo: 'PF0001',
  roomLabels: ['1栋1单元1501'],
  reason: '金额不符：通知 40000 分，订单 50000 分',
  at: '2026-11-25T02:00:00.000Z',
  ageMinutes: 26 * 60,
  actions: ['apply', 'refund', 'close'],
};
/** The same callback once finance applied it (the list's 已处理 tab). */
const SHORT_APPLIED: PayExceptionView = {
  ...SHORT,
  status: 'resolved',
  actions: [],
  resolution: {
    action: 'apply',
    reason: '业主电话确认少付',
    by: 'o_demo_finance',
    at: '2026-11-26T02:30:00.000Z',
    receiptNo: 'SJ2026-000801',
  },
};
const FAILED_REFUND: PayExceptionView = {
  exceptionId: 'refund:rf_1',
  kind: 'refund-failed',
  status: 'open',
  amountFen: 5_000,
  receiptNo: 'SJ2026-000780',
  roomLabels: ['2栋1单元302'],
  reason: '退款 重复缴费：商户余额不足',
  at: '2026-11-26T01:00:00.000Z',
  ageMinutes: 45,
  actions: ['refund', 'close'],
  lastFailure: '商户余额不足',
};

/** One page of `payment.exceptions` with nothing after it. */
const answer = (exceptions: PayExceptionView[], openCount: number, total = exceptions.length) => ({
  exceptions,
  nextCursor: null,
  total,
  openCount,
});

/** The n-th open short-paid callback (its own id, order and time). */
const nthShort = (n: number): PayExceptionView => ({
  ...SHORT,
  exceptionId: `PF${String(n).padStart(4, '0')}:42000000${n}`,
  outTradeNo: `PF${String(n).padStart(4, '0')}`,
  roomLabels: [`1栋1单元${1500 + n}`],
});

describe('支付异常 (admin/exceptions)', () => {
  test('finance sees a short-paid callback with both amounts and its age, and applies it with a reason', async () => {
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'payment.exceptions': (input: Record<string, unknown>) =>
        ok(
          input.status === 'resolved'
            ? answer([SHORT_APPLIED], 1)
            : answer([SHORT, FAILED_REFUND], 2),
        ),
      'payment.resolveException': ok({ ...SHORT, status: 'resolved', actions: [] }),
    });
    confirmAll(stub);
    const page = openPage('admin/exceptions/index');
    await settle();
    const text = textOf(page);
    expect(text).toContain('少付：微信实收少于订单金额');
    expect(text).toContain('¥400.00');
    expect(text).toContain('订单 ¥500.00 · 少收 ¥100.00');
    expect(text).toContain('1栋1单元1501');
    expect(text).toContain('已等待 1 天');
    expect(text).toContain('退款失败');
    expect(text).toContain('商户余额不足');
    expect(text).toContain('共 2 项待处理');
    expect(callsOf(stub, 'exceptions')[0]!.data).toEqual({
      action: 'exceptions',
      communityId: 'c_cuihu',
      status: 'open',
      limit: 50,
    });
    expect(page.querySelector('.load-more')).toBeUndefined();
    // 按实收入账 needs a reason before anything is sent
    await tapButton(page, '.act-apply');
    await tapButton(page, '.confirm-edit');
    expect(textOf(page)).toContain('请填写处理说明');
    expect(callsOf(stub, 'resolveException')).toHaveLength(0);
    await typeInto(page, ['.f-reason'], '业主电话确认少付');
    await tapButton(page, '.confirm-edit');
    expect(callsOf(stub, 'resolveException')[0]!.data).toEqual({
      action: 'resolveException',
      communityId: 'c_cuihu',
      exceptionId: 'PF0001:4200000001',
      resolution: 'apply',
      reason: '业主电话确认少付',
    });
  });

  test('the resolved tab shows who did what, with the receipt', async () => {
    stubWx({
      'account.whoami': ok(FINANCE),
      'payment.exceptions': (input: Record<string, unknown>) =>
        ok(input.status === 'resolved' ? answer([SHORT_APPLIED], 0) : answer([], 0)),
    });
    const page = openPage('admin/exceptions/index');
    await settle();
    expect(textOf(page)).toContain('暂无待处理的支付异常');
    await tapNth(page, '.tab', 1);
    await settle();
    expect(textOf(page)).toContain('按实收入账（收据 SJ2026-000801）');
    expect(textOf(page)).toContain('业主电话确认少付');
    expect(page.querySelector('.act-apply')).toBeUndefined();
  });

  test('a long list comes a page at a time: the total at once, the next page on scrolling', async () => {
    const all = Array.from({ length: 70 }, (_, i) => nthShort(i + 1));
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'payment.exceptions': (input: Record<string, unknown>) => {
        const from = input.cursor === 'p2' ? 50 : 0;
        const items = all.slice(from, from + Number(input.limit));
        return ok({
          exceptions: items,
          nextCursor: from + items.length < all.length ? 'p2' : null,
          total: all.length,
          openCount: all.length,
        });
      },
    });
    const page = openPage('admin/exceptions/index');
    await settle();
    expect(queryAll(page, '.item')).toHaveLength(50);
    expect(textOf(page)).toContain('共 70 项待处理');
    expect(textOf(page)).toContain('加载更多');
    (page.instance as unknown as { onReachBottom(): void }).onReachBottom();
    await settle();
    expect(callsOf(stub, 'exceptions')[1]!.data).toMatchObject({ cursor: 'p2', limit: 50 });
    expect(queryAll(page, '.item')).toHaveLength(70);
    expect(textOf(page)).toContain('1栋1单元1570');
    expect(textOf(page)).not.toContain('加载更多');
    // The end of the list asks for nothing more.
    (page.instance as unknown as { onReachBottom(): void }).onReachBottom();
    await settle();
    expect(callsOf(stub, 'exceptions')).toHaveLength(2);
  });

  test('ages read in the largest whole unit', () => {
    expect([0, 12, 61, 24 * 60 * 3].map(ageText)).toEqual(['刚刚', '12 分钟', '1 小时', '3 天']);
  });
});

describe('工作台 for finance', () => {
  test('the 支付异常 entry carries the open count', async () => {
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'payment.exceptions': ok({ ...answer([SHORT], 3, 3), nextCursor: 'next' }),
    });
    const page = openPage('admin/index/index');
    await waitFor('the badge', () => textOf(page).includes('支付异常'));
    await settle();
    expect(query(page, '.count-badge').dom!.textContent).toBe('3');
    // only the count is wanted: the smallest page
    expect(callsOf(stub, 'exceptions')[0]!.data).toMatchObject({ status: 'open', limit: 1 });
  });

  test('a cashier’s home asks for no count', async () => {
    const stub = stubWx({ 'account.whoami': ok(CASHIER) });
    const page = openPage('admin/index/index');
    await settle();
    expect(textOf(page)).not.toContain('支付异常');
    expect(callsOf(stub, 'exceptions')).toHaveLength(0);
  });
});

describe('线下收款 with an owner paying by WeChat (admin/collect)', () => {
  const order = (startedMinutesAgo: number) => {
    const started = Date.now() - startedMinutesAgo * 60_000;
    return {
      outTradeNo: 'PF00000000000000000000000abc123',
      payer: '业主 张**',
      amountFen: 159_576,
      periods: ['2026-10'],
      startedAt: new Date(started).toISOString(),
      expireAt: new Date(started + 30 * 60_000).toISOString(),
      closableAt: new Date(started + 5 * 60_000).toISOString(),
    };
  };

  test('the desk shows who is paying; the order can be closed only after 5 minutes', async () => {
    const stub = stubWx({
      'account.whoami': ok(ADMIN),
      'community.room': ok(ROOM_201),
      'payment.roomBills': ok({
        roomId: ROOM_201.roomId,
        roomLabel: ROOM_201.label,
        unpaid: [],
        prepaidFen: 0,
        orders: [order(2)],
      }),
    });
    const page = openPage('admin/collect/index', { roomId: ROOM_201.roomId });
    await waitFor('the order card', () => textOf(page).includes('发起微信支付'));
    expect(textOf(page)).toContain('业主 张**');
    expect(textOf(page)).toContain('¥1,595.76');
    expect(textOf(page)).toMatch(/\d\d:\d\d 后可关闭/);
    await tapButton(page, '.close-order');
    expect(callsOf(stub, 'closeOrder')).toHaveLength(0);
  });

  test('an order older than 5 minutes is closed with the cashier’s confirmation', async () => {
    const stub = stubWx({
      'account.whoami': ok(ADMIN),
      'community.room': ok(ROOM_201),
      'payment.roomBills': ok({
        roomId: ROOM_201.roomId,
        roomLabel: ROOM_201.label,
        unpaid: [],
        prepaidFen: 0,
        orders: [order(8)],
      }),
      'payment.closeOrder': ok({
        outTradeNo: 'PF00000000000000000000000abc123',
        outcome: 'closed',
      }),
    });
    confirmAll(stub);
    const page = openPage('admin/collect/index', { roomId: ROOM_201.roomId });
    await waitFor('the order card', () => textOf(page).includes('关闭订单'));
    await tapButton(page, '.close-order');
    expect(callsOf(stub, 'closeOrder')[0]!.data).toEqual({
      action: 'closeOrder',
      outTradeNo: 'PF00000000000000000000000abc123',
      reason: '业主改为在物业服务中心缴费',
    });
    expect(callsOf(stub, 'roomBills').length).toBeGreaterThanOrEqual(2);
  });
});
