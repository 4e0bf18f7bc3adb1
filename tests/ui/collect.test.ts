/**
 * 线下收款 (admin/collect): cashiers and admins only; find the room with community.rooms (the
 * desk's room finder); the room's unpaid bills are listed and ticking them fills the amount; the
 * form is checked before anything is sent (reference required except for cash and other, cash
 * tendered never below the amount, never more than the ticked bills owe); one idempotency key
 * per form; the receipt number shown.
 */
import { ADMIN, CASHIER, ROOM_201, quarterEnd } from './fixtures';
import { confirmAll, fail, ok, stubWx } from './wx-stub';
import {
  loadPage,
  openPage,
  query,
  queryAll,
  type Rendered,
  settle,
  tapButton,
  tapNth,
  textOf,
  typeInto,
} from './page';
import type { RecordedPayment } from '../../miniprogram/domain/payment/contract';
import type { BillSummary } from '../../miniprogram/domain/fee/bill';

const SEARCH = ['.room-finder', '.room-search', '.van-search__field'];

/** Two unpaid quarters of 1栋2单元201, oldest due first (payment.roomBills). */
const UNPAID = [
  bill({ billId: 'b_q2', period: '2026-06', dueDate: '2026-06-15', overdueDays: 165 }),
  bill({ billId: 'b_q3', period: '2026-09', dueDate: '2026-09-15', overdueDays: 73 }),
];

const RECORDED: RecordedPayment = {
  paymentId: 'off_c_cuihu_k1',
  receiptNo: 'SJ2026-000781',
  allocations: [
    {
      billId: 'b_r_1_2_201_2026-06_property',
      roomId: 'r_1_2_201',
      roomLabel: '1栋2单元201',
      period: '2026-06',
      coverFrom: '2026-06',
      coverTo: '2026-08',
      title: '物业服务费（季度）',
      amountFen: 96500,
    },
  ],
  prepaidFen: 0,
  changeFen: 3500,
};

function collectStub(replies: Record<string, unknown> = {}) {
  const stub = stubWx({
    'account.whoami': ok(CASHIER),
    'community.rooms': ok({ items: [ROOM_201], nextCursor: null, total: 1 }),
    'community.room': ok({ ...ROOM_201, people: [], bindings: [] }),
    'payment.recordOffline': ok(RECORDED),
    'payment.roomBills': ok({
      roomId: 'r_1_2_201',
      roomLabel: '1栋2单元201',
      unpaid: UNPAID,
      prepaidFen: 12_000,
      orders: [],
    }),
    ...replies,
  });
  confirmAll(stub);
  return stub;
}

const recordCalls = (stub: ReturnType<typeof stubWx>) =>
  stub.calls.filter((c) => c.data.action === 'recordOffline');

async function pickRoom(page: Rendered): Promise<void> {
  await typeInto(page, SEARCH, '1-2-201');
  await settle(350);
  query(page, '.room-finder', '.room-option').dispatchEvent('tap');
  await settle();
}

function bill(
  p: Partial<BillSummary> & Pick<BillSummary, 'billId' | 'period' | 'dueDate'>,
): BillSummary {
  return {
    roomId: 'r_1_2_201',
    roomLabel: '1栋2单元201',
    title: '物业服务费（季度）',
    coverFrom: p.period,
    coverTo: quarterEnd(p.period),
    amountDueFen: 96_500,
    lateFeeFen: 0,
    paidFen: 0,
    outstandingFen: 96_500,
    status: 'unpaid',
    overdueDays: 0,
    ...p,
  };
}

describe('offline collection page', () => {
  test('an admin may collect too', async () => {
    collectStub({ 'account.whoami': ok(ADMIN) });
    const page = await loadPage('admin/collect/index');
    expect(textOf(page)).toContain('选择房屋');
  });

  test('“1-2-201” searches building 1, unit 2 for 201; the room is chosen from the results', async () => {
    const stub = collectStub();
    const page = await loadPage('admin/collect/index');
    await pickRoom(page);
    const search = stub.calls.find((c) => c.data.action === 'rooms')!;
    expect(search.data).toEqual({
      action: 'rooms',
      communityId: 'c_cuihu',
      building: '1',
      unit: '2',
      keyword: '201',
      limit: 20,
    });
    const text = textOf(page);
    expect(text).toContain('1栋2单元201');
    expect(text).toContain('业主 张** 138****0201');
    expect(text).toContain('特殊关怀');
    expect(page.data.room.roomId).toBe('r_1_2_201');
  });

  test('the room’s unpaid bills are listed; ticking them fills the amount and pays exactly those', async () => {
    const stub = collectStub();
    const page = openPage('admin/collect/index');
    await settle();
    await pickRoom(page);
    expect(stub.calls.find((c) => c.data.action === 'roomBills')!.data).toMatchObject({
      roomId: 'r_1_2_201',
    });
    let text = textOf(page);
    expect(text).toContain('2026年6月–8月 · 截止 2026年6月15日');
    expect(text).toContain('2026年9月–11月 · 截止 2026年9月15日');
    expect(text).toContain('已逾期 165 天');
    expect(text).toContain('该房屋预存余额 ¥120.00');
    // tick the older quarter: its amount fills in
    await tapNth(page, '.desk-bill', 0);
    expect(page.data.amountText).toBe('965.00');
    expect(textOf(page)).toContain('已选 1 笔，合计 ¥965.00');
    // both: the sum; cash tendered works the change out as before
    await tapNth(page, '.desk-bill', 1);
    expect(page.data.amountText).toBe('1930.00');
    await typeInto(page, ['.f-tendered'], '2000');
    expect(textOf(page)).toContain('应找零 ¥70.00');
    // more than the ticked bills owe is refused at the form
    await typeInto(page, ['.f-amount'], '2000');
    await tapButton(page, '.submit');
    expect(recordCalls(stub)).toHaveLength(0);
    expect(page.data.errors.amount).toBe('不能超过所选账单合计 ¥1,930.00；如需预存，请不勾选账单');
    await typeInto(page, ['.f-amount'], '1930');
    await tapButton(page, '.submit');
    await settle();
    expect(String((stub.wx.showModal as jest.Mock).mock.calls[0][0].content)).toBe(
      '1栋2单元201，缴纳所选 2 笔账单，现金收款 ¥1,930.00，找零 ¥70.00。确认后将生成收据，不能修改。',
    );
    expect(recordCalls(stub)[0]!.data).toMatchObject({
      roomId: 'r_1_2_201',
      channel: 'cash',
      amountFen: 193_000,
      tenderedFen: 200_000,
      billIds: ['b_q2', 'b_q3'],
    });
    text = textOf(page);
    expect(text).toContain('收款成功');
  });

  test('全选 ticks every bill; unticking all leaves the amount to the cashier (oldest first)', async () => {
    const stub = collectStub();
    const page = openPage('admin/collect/index', { roomId: 'r_1_2_201' });
    await settle(5);
    await tapNth(page, '.tick-all', 0);
    expect(queryAll(page, '.desk-bill-on')).toHaveLength(2);
    expect(page.data.amountText).toBe('1930.00');
    await tapNth(page, '.tick-all', 0);
    expect(queryAll(page, '.desk-bill-on')).toHaveLength(0);
    expect(page.data.amountText).toBe('');
    await typeInto(page, ['.f-amount'], '2500');
    await tapButton(page, '.submit');
    await settle();
    const sent = recordCalls(stub)[0]!.data;
    expect(sent.amountFen).toBe(250_000);
    expect(sent.billIds).toBeUndefined();
  });

  test('房屋账户 opens the room’s account from the form', async () => {
    const stub = collectStub();
    const page = openPage('admin/collect/index', { roomId: 'r_1_2_201' });
    await settle(5);
    await tapNth(page, '.account-link', 0);
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({ url: '/admin/room/index?roomId=r_1_2_201' });
  });

  test('a card payment without a reference is refused before sending, with the reason', async () => {
    const stub = collectStub();
    const page = await loadPage('admin/collect/index', { roomId: 'r_1_2_201' });
    expect(textOf(page)).toContain('1栋2单元201');
    await tapNth(page, '.channel', 1);
    expect(textOf(page)).toContain('交易参考号');
    await typeInto(page, ['.f-amount'], '965');
    await tapButton(page, '.submit');
    expect(recordCalls(stub)).toHaveLength(0);
    expect(page.data.errors.reference).toBe('请填写交易参考号（POS 单号、转账流水号等）');
    expect(textOf(page)).toContain('请填写交易参考号（POS 单号、转账流水号等）');
    expect(stub.wx.showToast).toHaveBeenCalledWith({
      title: '请填写交易参考号（POS 单号、转账流水号等）',
      icon: 'none',
      duration: 2500,
    });
    await typeInto(page, ['.f-reference'], 'POS-778899');
    await tapButton(page, '.submit');
    await settle();
    expect(recordCalls(stub)[0]!.data).toMatchObject({
      roomId: 'r_1_2_201',
      channel: 'card',
      amountFen: 96500,
      reference: 'POS-778899',
    });
  });

  test('cash tendered below the amount is refused with a clear message', async () => {
    const stub = collectStub();
    const page = await loadPage('admin/collect/index', { roomId: 'r_1_2_201' });
    await typeInto(page, ['.f-amount'], '965');
    await typeInto(page, ['.f-tendered'], '900');
    expect(page.data.changeText).toBe('');
    await tapButton(page, '.submit');
    expect(recordCalls(stub)).toHaveLength(0);
    expect(textOf(page)).toContain('实收现金不能少于收款金额 ¥965.00');
  });

  test('an amount that is not money is refused', async () => {
    const stub = collectStub();
    const page = await loadPage('admin/collect/index', { roomId: 'r_1_2_201' });
    await typeInto(page, ['.f-amount'], '9.655');
    await tapButton(page, '.submit');
    expect(recordCalls(stub)).toHaveLength(0);
    expect(textOf(page)).toContain('金额格式不正确');
  });

  test('cash: the change is shown, the cashier confirms, and the receipt number appears', async () => {
    const stub = collectStub();
    const page = await loadPage('admin/collect/index');
    await pickRoom(page);
    await typeInto(page, ['.f-amount'], '965');
    await typeInto(page, ['.f-tendered'], '1000');
    expect(textOf(page)).toContain('应找零 ¥35.00');
    await typeInto(page, ['.f-payer'], '张阿姨');
    await tapButton(page, '.submit');
    await settle();
    expect(String((stub.wx.showModal as jest.Mock).mock.calls[0][0].content)).toBe(
      '1栋2单元201，现金收款 ¥965.00，找零 ¥35.00。确认后将生成收据，不能修改。',
    );
    const sent = recordCalls(stub)[0]!.data;
    expect(sent).toEqual({
      action: 'recordOffline',
      roomId: 'r_1_2_201',
      channel: 'cash',
      amountFen: 96500,
      tenderedFen: 100000,
      payerName: '张阿姨',
      idempotencyKey: expect.stringMatching(/^[0-9A-Za-z_-]{8,40}$/),
    });
    const text = textOf(page);
    expect(text).toContain('收款成功');
    expect(text).toContain('SJ2026-000781');
    expect(text).toContain('请找零 ¥35.00');
    expect(text).toContain('物业服务费（季度）');
    expect(text).toContain('1栋2单元201 · 账期 2026年6月–8月');
    await tapButton(page, '.view-receipt');
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({
      url: '/pages/receipt/index?paymentId=off_c_cuihu_k1',
    });
  });

  test('a retry after a lost reply reuses the form’s key; the next form gets a new one', async () => {
    let n = 0;
    const stub = collectStub({
      'payment.recordOffline': () => (++n === 1 ? new Error('timeout') : ok(RECORDED)),
    });
    const page = await loadPage('admin/collect/index', { roomId: 'r_1_2_201' });
    await typeInto(page, ['.f-amount'], '965');
    await tapButton(page, '.submit');
    await settle();
    expect(textOf(page)).not.toContain('收款成功');
    await tapButton(page, '.submit');
    await settle();
    const [first, second] = recordCalls(stub);
    expect(second!.data.idempotencyKey).toBe(first!.data.idempotencyKey);
    expect(textOf(page)).toContain('收款成功');
    await tapButton(page, '.next');
    expect(page.data.idempotencyKey).not.toBe(first!.data.idempotencyKey);
    expect(page.data.room).toBeNull();
    expect(page.data.amountText).toBe('');
  });

  test('a reference already recorded is pointed out on its field', async () => {
    const stub = collectStub({
      'payment.recordOffline': fail('CONFLICT', 'reference: 该交易参考号已登记过，请勿重复收款'),
    });
    const page = await loadPage('admin/collect/index', { roomId: 'r_1_2_201' });
    await tapNth(page, '.channel', 2);
    await typeInto(page, ['.f-amount'], '965');
    await typeInto(page, ['.f-reference'], 'TR20261201001');
    await tapButton(page, '.submit');
    await settle();
    expect(page.data.errors.reference).toBe('该交易参考号已登记过，请勿重复收款');
    expect(stub.wx.showModal).toHaveBeenLastCalledWith(
      expect.objectContaining({
        title: '收款未成功',
        content: '该交易参考号已登记过，请勿重复收款',
      }),
    );
  });
});
