/**
 * 临时收费 (admin/charges), 押金管理 (admin/deposits) and the owner's 我的押金 (pages/deposits):
 * forms checked with the charge contract before anything is sent, the preview's approval line,
 * approvals only for finance/admin, the desk's collection and finance's refund with deductions,
 * and the owner's payment and agreement to deductions.
 */
import { CASHIER, FINANCE, OWNER, PAYMENT_PARAMS, ROOM_201 } from './fixtures';
import { callsOf, confirmAll, ok, stubWx } from './wx-stub';
import {
  loadPage,
  query,
  settle,
  tap,
  tapButton,
  tapNth,
  textOf,
  typeInto,
  waitFor,
  type Rendered,
} from './page';
import type {
  ChargePreview,
  ChargeView,
  DepositTotals,
  DepositView,
} from '../../miniprogram/domain/charge/contract';

const ROOMS = ok({ items: [ROOM_201], nextCursor: null, total: 1 });

const PENDING: ChargeView = {
  chargeId: 'oc_1',
  roomId: 'r_1_2_201',
  roomLabel: '1栋2单元201',
  reason: 'debris',
  title: '装修垃圾清运费',
  note: '3 车',
  amountFen: 80_000,
  dueDate: '2026-12-11',
  status: 'pending-approval',
  statusLabel: '待审批',
  raisedByName: '收银 小李',
  raisedAt: '2026-11-26T02:00:00.000Z',
  decidedByName: null,
  decisionNote: null,
  billId: null,
  billStatus: null,
};

const PREVIEW: ChargePreview = {
  roomLabel: '1栋2单元201',
  title: '装修垃圾清运费',
  amountFen: 80_000,
  dueDate: '2026-12-11',
  thresholdFen: 50_000,
  needsApproval: true,
};

async function pickRoom(page: Rendered): Promise<void> {
  await typeInto(page, ['.room-finder', '.room-search', '.van-search__field'], '1-2-201');
  await settle(350);
  query(page, '.room-finder', '.room-option').dispatchEvent('tap');
  await settle();
}

describe('临时收费 (admin/charges)', () => {
  test('the list comes a page at a time with its total; 加载更多 asks for the next page', async () => {
    const BILLED: ChargeView = {
      ...PENDING,
      chargeId: 'oc_2',
      status: 'billed',
      statusLabel: '已出账',
    };
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'charge.charges': (input: Record<string, unknown>) =>
        ok(
          input.cursor === 'p2'
            ? { charges: [BILLED], nextCursor: null, total: 2, thresholdFen: 50_000 }
            : { charges: [PENDING], nextCursor: 'p2', total: 2, thresholdFen: 50_000 },
        ),
    });
    const page = await loadPage('admin/charges/index');
    expect(textOf(page)).toContain('共 2 条');
    expect(callsOf(stub, 'charges')[0]!.data).toMatchObject({ communityId: 'c_cuihu', limit: 50 });
    await tap(page, '.load-more');
    await waitFor('the second page', () => page.data.items.length === 2);
    expect(callsOf(stub, 'charges')[1]!.data).toMatchObject({ cursor: 'p2', limit: 50 });
    expect(page.data.items.map((i: { chargeId: string }) => i.chargeId)).toEqual(['oc_1', 'oc_2']);
    expect(page.querySelector('.load-more')).toBeUndefined();
  });

  test('checked before sending; the preview says it needs approval; one raise with a requestId', async () => {
    const stub = stubWx({
      'account.whoami': ok(CASHIER),
      'charge.charges': ok({
        charges: [PENDING],
        nextCursor: null,
        total: 1,
        thresholdFen: 50_000,
      }),
      'community.rooms': ROOMS,
      'charge.previewCharge': ok(PREVIEW),
      'charge.raiseCharge': ok(PENDING),
    });
    confirmAll(stub);
    const page = await loadPage('admin/charges/index');
    expect(textOf(page)).toContain('超过 ¥500.00 需审批');
    expect(textOf(page)).toContain('待审批');
    // a cashier does not approve
    expect(page.querySelector('.approve')).toBeUndefined();

    await tapButton(page, '.preview-btn');
    expect(page.data.errors).toMatchObject({ roomId: '请先选择房屋' });
    expect(callsOf(stub, 'previewCharge')).toHaveLength(0);

    await pickRoom(page);
    await tapNth(page, '.reason', 4); // 其他
    await typeInto(page, ['.f-amount'], '12.345');
    await tapButton(page, '.preview-btn');
    expect(page.data.errors.otherText).toBe('请写明收费原因（2–30 字）');
    expect(page.data.errors.amountFen).not.toBe('');
    expect(callsOf(stub, 'previewCharge')).toHaveLength(0);

    await tap(page, '.reason');
    await typeInto(page, ['.f-amount'], '800');
    await tapButton(page, '.preview-btn');
    expect(callsOf(stub, 'previewCharge')[0]!.data).toMatchObject({
      roomId: 'r_1_2_201',
      reason: 'debris',
      amountFen: 80_000,
    });
    expect(textOf(page)).toContain('提交后需财务或管理员（发起人以外）批准才出账');
    await tapButton(page, '.submit');
    const raised = callsOf(stub, 'raiseCharge');
    expect(raised).toHaveLength(1);
    expect(raised[0]!.data.requestId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });

  test('finance approves, or rejects with a reason', async () => {
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'charge.charges': ok({
        charges: [PENDING],
        nextCursor: null,
        total: 1,
        thresholdFen: 50_000,
      }),
      'charge.decideCharge': ok({ ...PENDING, status: 'billed' }),
    });
    confirmAll(stub);
    const page = await loadPage('admin/charges/index');
    await tapButton(page, '.reject');
    await tapButton(page, '.confirm-reject');
    expect(page.data.rejectError).toBe('请填写驳回原因（至少 2 个字）');
    expect(callsOf(stub, 'decideCharge')).toHaveLength(0);
    await tapButton(page, '.cancel-reject');
    await tapButton(page, '.approve');
    await waitFor('the decision', () => callsOf(stub, 'decideCharge').length === 1);
    expect(callsOf(stub, 'decideCharge')[0]!.data).toMatchObject({
      chargeId: 'oc_1',
      approve: true,
    });
  });
});

const HELD: DepositView = {
  depositId: 'dp_1',
  roomId: 'r_1_2_201',
  roomLabel: '1栋2单元201',
  kind: 'renovation',
  kindLabel: '装修押金',
  note: '',
  amountFen: 300_000,
  heldFen: 300_000,
  status: 'held',
  statusLabel: '在押',
  requestedAt: '2026-11-20T02:00:00.000Z',
  payingUntil: null,
  collected: {
    receiptNo: 'YJ2026-000001',
    amountFen: 300_000,
    channel: 'wechat',
    channelLabel: '微信支付',
    at: '2026-11-20T03:00:00.000Z',
  },
  released: null,
  refund: null,
};
const REQUESTED: DepositView = {
  ...HELD,
  depositId: 'dp_2',
  kind: 'parking',
  kindLabel: '车位押金',
  amountFen: 50_000,
  heldFen: 0,
  status: 'requested',
  statusLabel: '待缴纳',
  collected: null,
};
const TOTALS: DepositTotals = {
  collectedFen: 500_000,
  releasedFen: 200_000,
  refundedFen: 150_000,
  deductedFen: 50_000,
  heldFen: 300_000,
};

describe('押金管理 (admin/deposits)', () => {
  test('totals held; the desk collects with a reference for a card; finance refunds less a deduction', async () => {
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'charge.deposits': ok({
        deposits: [HELD, REQUESTED],
        nextCursor: null,
        total: 2,
        totals: TOTALS,
      }),
      'charge.collectDeposit': ok({ ...REQUESTED, status: 'held' }),
      'charge.refundDeposit': ok({ ...HELD, status: 'awaiting-ack' }),
    });
    confirmAll(stub);
    const page = await loadPage('admin/deposits/index');
    const text = textOf(page);
    expect(text).toContain('在押¥3,000.00累计收取¥5,000.00');
    expect(text).toContain('押金收据 YJ2026-000001 · 微信支付');

    await tapButton(page, '.collect');
    await tapNth(page, '.channel', 1); // POS 刷卡
    await tapButton(page, '.confirm-collect');
    expect(page.data.collectError).toBe('请填写交易参考号（POS 单号、转账流水号等）');
    expect(callsOf(stub, 'collectDeposit')).toHaveLength(0);
    await typeInto(page, ['.f-reference'], 'POS-1234');
    await tapButton(page, '.confirm-collect');
    await waitFor('the collection', () => callsOf(stub, 'collectDeposit').length === 1);
    expect(callsOf(stub, 'collectDeposit')[0]!.data).toMatchObject({
      depositId: 'dp_2',
      channel: 'card',
      reference: 'POS-1234',
    });

    await tapButton(page, '.refund');
    // WeChat collected it: back to WeChat is offered first
    expect(page.data.refundChannel).toBe('wechat');
    await tap(page, '.add-deduction');
    await typeInto(page, ['.f-ded-reason'], '墙面修补');
    await typeInto(page, ['.f-ded-amount'], '3000.01');
    await tapButton(page, '.confirm-refund');
    expect(page.data.refundError).toBe('扣款合计不能超过押金 ¥3,000.00');
    await typeInto(page, ['.f-ded-amount'], '500');
    await tapButton(page, '.confirm-refund');
    await waitFor('the refund', () => callsOf(stub, 'refundDeposit').length === 1);
    expect(callsOf(stub, 'refundDeposit')[0]!.data).toMatchObject({
      depositId: 'dp_1',
      channel: 'wechat',
      deductions: [{ reason: '墙面修补', amountFen: 50_000 }],
    });
  });

  test('an owner paying by WeChat: the desk sees until when, and may close the order', async () => {
    const stub = stubWx({
      'account.whoami': ok(CASHIER),
      'charge.deposits': ok({
        deposits: [{ ...REQUESTED, payingUntil: '2026-11-26T02:30:00.000Z' }],
        nextCursor: null,
        total: 1,
        totals: TOTALS,
      }),
      'charge.closeDepositOrder': ok(REQUESTED),
    });
    confirmAll(stub);
    const page = await loadPage('admin/deposits/index');
    expect(textOf(page)).toContain('业主正在微信支付，订单 10:30 前有效');
    expect(page.querySelector('.collect')).toBeUndefined();
    await tapButton(page, '.close-order');
    await waitFor('the close', () => callsOf(stub, 'closeDepositOrder').length === 1);
    expect(callsOf(stub, 'closeDepositOrder')[0]!.data).toMatchObject({ depositId: 'dp_2' });
  });

  test('a cashier requests and collects but never refunds', async () => {
    const stub = stubWx({
      'account.whoami': ok(CASHIER),
      'charge.deposits': ok({ deposits: [HELD], nextCursor: null, total: 1, totals: TOTALS }),
      'community.rooms': ROOMS,
      'charge.requestDeposit': ok(REQUESTED),
    });
    const page = await loadPage('admin/deposits/index');
    expect(page.querySelector('.refund')).toBeUndefined();
    await tapButton(page, '.request');
    expect(page.data.errors.roomId).toBe('请先选择房屋');
    await pickRoom(page);
    await tapNth(page, '.kind', 1);
    await typeInto(page, ['.f-amount'], '500');
    await tapButton(page, '.request');
    await waitFor('the request', () => callsOf(stub, 'requestDeposit').length === 1);
    expect(callsOf(stub, 'requestDeposit')[0]!.data).toMatchObject({
      roomId: 'r_1_2_201',
      kind: 'parking',
      amountFen: 50_000,
    });
  });
});

describe('我的押金 (pages/deposits)', () => {
  const AWAITING: DepositView = {
    ...HELD,
    status: 'awaiting-ack',
    statusLabel: '待业主确认扣款',
    refund: {
      deductions: [{ reason: '墙面修补', amountFen: 50_000 }],
      deductedFen: 50_000,
      refundFen: 250_000,
      channel: 'wechat',
      channelLabel: '微信支付',
      requestedAt: '2026-11-25T02:00:00.000Z',
      acknowledgedAt: null,
      failure: null,
    },
  };

  test('held deposits, paying a requested one by WeChat, agreeing to a deduction', async () => {
    let paid = false;
    const stub = stubWx({
      'account.whoami': ok(OWNER),
      // once paid, the notification has made it held
      'charge.myDeposits': () =>
        ok({
          deposits: [
            AWAITING,
            paid ? { ...REQUESTED, status: 'held', statusLabel: '在押' } : REQUESTED,
          ],
        }),
      'charge.payDeposit': ok({ outTradeNo: 'DP1', amountFen: 50_000, payment: PAYMENT_PARAMS }),
      'charge.ackDeduction': ok({ ...AWAITING, status: 'refunded' }),
      'charge.depositReceipt': ok({
        tempFileURL: 'https://example.test/r.pdf',
        pages: 1,
        bytes: 900,
      }),
    });
    confirmAll(stub);
    stub.wx.requestPayment = jest.fn((o: { success?: () => void }) => {
      paid = true;
      o.success?.();
    });
    const page = await loadPage('pages/deposits/index');
    const text = textOf(page);
    expect(text).toContain('物业代为保管的押金¥3,000.00');
    expect(text).toContain('退还 ¥2,500.00（微信支付），扣款 ¥500.00：墙面修补 ¥500.00');
    await tapButton(page, '.pay');
    await waitFor(
      'the deposit held after paying',
      () => page.data.busyId === '' && !textOf(page).includes('待缴纳'),
    );
    expect(stub.wx.requestPayment).toHaveBeenCalledTimes(1);
    expect(callsOf(stub, 'payDeposit')[0]!.data).toMatchObject({ depositId: 'dp_2' });
    await tapNth(page, '.receipt-link', 0);
    await waitFor('the receipt asked for', () => callsOf(stub, 'depositReceipt').length === 1);
    expect(callsOf(stub, 'depositReceipt')[0]!.data).toMatchObject({
      depositId: 'dp_1',
      which: 'collect',
    });
    await tapButton(page, '.ack');
    await waitFor('the agreement', () => callsOf(stub, 'ackDeduction').length === 1);
    expect(callsOf(stub, 'ackDeduction')[0]!.data).toMatchObject({ depositId: 'dp_1' });
  });

  test('no deposits: a polite empty state', async () => {
    stubWx({ 'account.whoami': ok(OWNER), 'charge.myDeposits': ok({ deposits: [] }) });
    const page = await loadPage('pages/deposits/index');
    expect(page.data.status).toBe('empty');
    expect(textOf(page)).toContain('暂无押金');
  });
});
