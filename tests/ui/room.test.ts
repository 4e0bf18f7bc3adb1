/**
 * 房屋账户 (admin/room): the desk finds a room and reads its account — bills with the months each
 * covers and what each still owes, payments with their receipts and who took them, prepaid,
 * orders, plans, holds, people, contacts and complaints; the cashier goes on to 收款, service to
 * the case, and an admin ends the room's occupancy (checked with the function's contract,
 * confirmed, sent once).
 */
import { ADMIN, CASHIER, ROOM_201, SERVICE } from './fixtures';
import { callsOf, confirmAll, ok, stubWx } from './wx-stub';
import { openPage, query, queryAll, settle, tapButton, tapNth, textOf, typeInto } from './page';
import type { RoomLedger } from '../../miniprogram/domain/community/contract';

const LEDGER: RoomLedger = {
  room: { ...ROOM_201, people: [], bindings: [] },
  occupancyEnd: null,
  asOf: '2026-11-26',
  outstandingFen: 193_000,
  overdueFen: 96_500,
  overdueCount: 1,
  prepaidFen: 12_000,
  bills: [
    {
      billId: 'b_q4',
      period: '2026-09',
      coverFrom: '2026-09',
      coverTo: '2026-11',
      title: '物业服务费（季度）',
      dueDate: '2026-12-15',
      status: 'unpaid',
      amountDueFen: 96_500,
      lateFeeFen: 0,
      paidFen: 0,
      outstandingFen: 96_500,
      overdueDays: 0,
      held: false,
    },
    {
      billId: 'b_q3',
      period: '2026-06',
      coverFrom: '2026-06',
      coverTo: '2026-08',
      title: '物业服务费（季度）',
      dueDate: '2026-06-15',
      status: 'unpaid',
      amountDueFen: 96_500,
      lateFeeFen: 0,
      paidFen: 0,
      outstandingFen: 96_500,
      overdueDays: 164,
      held: true,
    },
    {
      billId: 'b_q2',
      period: '2026-03',
      coverFrom: '2026-03',
      coverTo: '2026-05',
      title: '物业服务费（季度）',
      dueDate: '2026-03-15',
      status: 'paid',
      amountDueFen: 96_500,
      lateFeeFen: 0,
      paidFen: 96_500,
      outstandingFen: 0,
      overdueDays: 0,
      held: false,
    },
  ],
  payments: [
    {
      paymentId: 'off_1',
      receiptNo: 'SJ2026-000102',
      amountFen: 96_500,
      channel: 'cash',
      channelLabel: '现金',
      paidAt: '2026-03-20T02:15:00.000Z',
      cashier: '李收费',
      prepaidFen: 0,
      reversal: false,
      reversed: false,
    },
  ],
  openOrders: [],
  plans: [],
  holds: [{ reason: 'promise', from: '2026-11-20', to: '2026-12-05', note: '' }],
  contacts: [
    {
      at: '2026-11-20T03:00:00.000Z',
      kind: 'contact',
      title: '电话联系：不在家/联系不上',
      detail: '业主出差，承诺回来缴清',
      byName: '王客服',
    },
  ],
  complaints: [],
};

function roomStub(who = CASHIER, replies: Record<string, unknown> = {}) {
  const stub = stubWx({
    'account.whoami': ok(who),
    'community.rooms': ok({ items: [ROOM_201], nextCursor: null, total: 1 }),
    'community.roomLedger': ok(LEDGER),
    ...replies,
  });
  confirmAll(stub);
  return stub;
}

describe('房屋账户 (admin/room)', () => {
  test('search, pick, read: what is owed bill by bill, with the months each covers', async () => {
    const stub = roomStub();
    const page = openPage('admin/room/index');
    await settle();
    await typeInto(page, ['.room-finder', '.room-search', '.van-search__field'], '1-2-201');
    await settle(350);
    query(page, '.room-finder', '.room-option').dispatchEvent('tap');
    await settle(5);
    expect(callsOf(stub, 'roomLedger')[0]!.data).toMatchObject({
      communityId: 'c_cuihu',
      roomId: 'r_1_2_201',
    });
    const text = textOf(page);
    expect(text).toContain('1栋2单元201');
    expect(text).toContain('待缴合计');
    expect(text).toContain('其中已逾期 1 笔 ¥965.00');
    expect(text).toContain('¥120.00');
    expect(text).toContain('截至 2026年11月26日');
    expect(text).toContain('2026年9月–11月 · 截止 2026年12月15日');
    expect(text).toContain('2026年6月–8月 · 截止 2026年6月15日');
    expect(text).toContain('已逾期 164 天 · 暂停催缴');
    expect(text).toContain('已缴 ¥965.00');
    expect(queryAll(page, '.ledger-bill')).toHaveLength(3);
  });

  test('payments with receipt, channel and cashier; holds, contacts under 跟进', async () => {
    const stub = roomStub();
    const page = openPage('admin/room/index', { roomId: 'r_1_2_201' });
    await settle(5);
    await tapNth(page, '.tab-payments', 0);
    expect(textOf(page)).toContain('SJ2026-000102');
    expect(textOf(page)).toContain('2026年3月20日 10:15 · 现金 · 收款人 李收费');
    await tapNth(page, '.pay-row', 0);
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({
      url: '/pages/receipt/index?paymentId=off_1',
    });
    await tapNth(page, '.tab-follow', 0);
    const text = textOf(page);
    expect(text).toContain('业主承诺缴费，2026年11月20日 至 2026年12月5日');
    expect(text).toContain('电话联系：不在家/联系不上 · 王客服');
    expect(text).toContain('业主出差，承诺回来缴清');
  });

  test('the cashier goes on to 收款; service to the case; neither may end occupancy', async () => {
    const stub = roomStub();
    const page = openPage('admin/room/index', { roomId: 'r_1_2_201' });
    await settle(5);
    expect(page.querySelector('.end')).toBeFalsy();
    await tapButton(page, '.collect');
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({
      url: '/admin/collect/index?roomId=r_1_2_201',
    });
    const svc = roomStub(SERVICE);
    const casePage = openPage('admin/room/index', { roomId: 'r_1_2_201' });
    await settle(5);
    expect(casePage.querySelector('.collect')).toBeFalsy();
    await tapButton(casePage, '.case');
    expect(svc.wx.navigateTo).toHaveBeenCalledWith({
      url: '/admin/collection/case?roomId=r_1_2_201',
    });
  });

  test('an admin ends the occupancy: a date and a reason are required, then it is sent once', async () => {
    const ended: RoomLedger = {
      ...LEDGER,
      occupancyEnd: {
        date: '2026-12-14',
        reason: 'vacated',
        note: '钥匙已交回',
        byName: '管理员',
        at: '2026-11-26T02:00:00.000Z',
        billedThrough: null,
      },
    };
    const stub = roomStub(ADMIN, { 'community.endOccupancy': ok(ended) });
    const page = openPage('admin/room/index', { roomId: 'r_1_2_201' });
    await settle(5);
    await tapButton(page, '.end');
    await tapButton(page, '.confirm-end');
    expect(callsOf(stub, 'endOccupancy')).toHaveLength(0);
    expect(textOf(page)).toContain('请选择入住结束日期');
    expect(textOf(page)).toContain('请选择结束原因');
    query(page, '.end-picker').dispatchEvent('change', { detail: { value: '2026-12-14' } });
    await settle();
    await tapNth(page, '.end-reason', 0);
    query(page, '.end-note-input').dispatchEvent('input', { detail: { value: '钥匙已交回' } });
    await settle();
    await tapButton(page, '.confirm-end');
    await settle();
    expect(String((stub.wx.showModal as jest.Mock).mock.calls[0][0].content)).toContain(
      '1栋2单元201 入住至 2026年12月14日',
    );
    expect(callsOf(stub, 'endOccupancy')).toHaveLength(1);
    expect(callsOf(stub, 'endOccupancy')[0]!.data).toMatchObject({
      communityId: 'c_cuihu',
      roomId: 'r_1_2_201',
      endDate: '2026-12-14',
      reason: 'vacated',
      note: '钥匙已交回',
    });
    expect(textOf(page)).toContain('迁出：入住至 2026年12月14日，此后不再计费（钥匙已交回）');
  });
});
