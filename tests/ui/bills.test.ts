/** 账单: unpaid/paid lists from owner.bills, the total still owed, room filter and search. */
import { BILLS, HOME_ARREARS } from './fixtures';
import { fail, ok, stubWx } from './wx-stub';
import {
  loadPage,
  openPage,
  queryAll,
  settle,
  tap,
  tapButton,
  tapNth,
  textOf,
  typeInto,
} from './page';

const SEARCH = ['.bill-search', '.van-search__field'];

describe('bills page', () => {
  test('lists unpaid bills oldest first with the total owed and overdue notes', async () => {
    stubWx({ 'owner.bills': ok(BILLS), 'owner.home': ok(HOME_ARREARS) });
    const page = await loadPage('pages/bills/index');
    const text = textOf(page);
    expect(text).toContain('待缴费3');
    // a quarterly bill reads the months it covers, in one format, never zero-padded
    expect(text).toContain('物业服务费（季度）');
    expect(text).toContain('1栋1单元1501 · 账期 2026年6月–8月');
    expect(text).not.toMatch(/年0\d月/);
    expect(text).toContain('已逾期 165 天，请您尽快缴纳');
    expect(text).toContain('部分已缴');
    expect(text).toContain('已缴 ¥500.00');
    // 96500 + 63076 + 46500
    expect(page.data.totalFen).toBe(206076);
    expect(text).toContain('待缴合计');
    expect(text).toContain('¥2,060.76');
    expect(text).not.toContain('2025年12月–');
  });

  test('the 已缴费 tab shows paid bills and hides the pay bar', async () => {
    stubWx({ 'owner.bills': ok(BILLS), 'owner.home': ok(HOME_ARREARS) });
    const page = await loadPage('pages/bills/index');
    await tapNth(page, '.tab', 1);
    const text = textOf(page);
    expect(page.data.tab).toBe('paid');
    expect(text).toContain('账期 2025年12月–2026年2月');
    expect(text).toContain('已缴清');
    expect(text).not.toContain('待缴合计');
  });

  test('typing in the search box filters bills; no match offers to clear the search', async () => {
    stubWx({ 'owner.bills': ok(BILLS), 'owner.home': ok(HOME_ARREARS) });
    const page = await loadPage('pages/bills/index');
    await typeInto(page, SEARCH, '302');
    expect(page.data.keyword).toBe('302');
    expect(page.data.shownUnpaid).toHaveLength(1);
    expect(textOf(page)).toContain('2栋1单元302');
    expect(textOf(page)).not.toContain('1栋1单元1501 · 账期');

    await typeInto(page, SEARCH, '车位');
    expect(textOf(page)).toContain('没有找到相关账单');
    await tapButton(page, '.state', '.action-btn');
    expect(page.data.keyword).toBe('');
    expect(page.data.shownUnpaid).toHaveLength(3);
  });

  test('owners with several rooms can filter by room; the filter is sent to owner.bills', async () => {
    const stub = stubWx({ 'owner.bills': ok(BILLS), 'owner.home': ok(HOME_ARREARS) });
    const page = await loadPage('pages/bills/index');
    expect(textOf(page)).toContain('全部房屋');
    // the rooms come with the bills: the page makes one call, not owner.home as well
    expect(stub.calls.map((c) => `${c.name}.${String(c.data.action)}`)).toEqual(['owner.bills']);
    await tapNth(page, '.chip', 2);
    await settle();
    const billCalls = stub.calls.filter((c) => c.name === 'owner' && c.data.action === 'bills');
    expect(billCalls.at(-1)!.data).toEqual({ action: 'bills', roomId: 'r_2_1_302' });
  });

  test('every unpaid bill is chosen for payment; 去缴费 lets the server take them all', async () => {
    const stub = stubWx({ 'owner.bills': ok(BILLS), 'owner.home': ok(HOME_ARREARS) });
    const page = await loadPage('pages/bills/index');
    expect(page.data.selectedCount).toBe(3);
    expect(page.data.allSelected).toBe(true);
    const cards = queryAll(page, '.unpaid-bill');
    expect(cards).toHaveLength(3);
    expect(cards.every((c) => c.querySelector('.check-on'))).toBe(true);
    await tapButton(page, '.go-pay');
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/pay/index' });
  });

  test('unticking bills changes the total; 去缴费 sends the chosen ids, oldest first', async () => {
    const stub = stubWx({ 'owner.bills': ok(BILLS), 'owner.home': ok(HOME_ARREARS) });
    const page = await loadPage('pages/bills/index');
    queryAll(page, '.unpaid-bill')[1]!.querySelector('.bill')!.dispatchEvent('tap');
    await settle();
    expect(queryAll(page, '.unpaid-bill')[1]!.querySelector('.check-on')).toBeFalsy();
    expect(page.data.selectedCount).toBe(2);
    expect(page.data.selectedFen).toBe(96500 + 46500);
    const text = textOf(page);
    expect(text).toContain('已选 2 笔，合计');
    expect(text).toContain('¥1,430.00');
    await tapButton(page, '.go-pay');
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/pay/index?billIds=b1,b3' });
  });

  test('全选 clears and restores the choice; with nothing chosen, 去缴费 asks for a bill', async () => {
    const stub = stubWx({ 'owner.bills': ok(BILLS), 'owner.home': ok(HOME_ARREARS) });
    const page = await loadPage('pages/bills/index');
    await tap(page, '.paybar-all');
    expect(page.data.selectedCount).toBe(0);
    expect(page.data.selectedFen).toBe(0);
    (page.instance as unknown as { onPay: () => void }).onPay();
    expect(stub.wx.navigateTo).not.toHaveBeenCalled();
    expect(stub.wx.showToast).toHaveBeenCalledWith({
      title: '请先选择要缴纳的账单',
      icon: 'none',
    });
    await tap(page, '.paybar-all');
    expect(page.data.selectedCount).toBe(3);
  });

  test('a room bound before its first bill: no bill yet, not a thank-you for paying', async () => {
    stubWx({
      'owner.bills': ok({ unpaid: [], paid: [], rooms: [] }),
      'owner.home': ok(HOME_ARREARS),
    });
    const page = openPage('pages/bills/index');
    await settle();
    expect(textOf(page)).toContain('暂无账单');
    expect(textOf(page)).not.toContain('您已缴清全部账单');
  });

  test('nothing owed: a thank-you empty state', async () => {
    stubWx({ 'owner.bills': ok({ ...BILLS, unpaid: [] }), 'owner.home': ok(HOME_ARREARS) });
    const page = await loadPage('pages/bills/index');
    expect(textOf(page)).toContain('您已缴清全部账单');
  });

  test('a network failure is retried once for this read, then shown politely', async () => {
    const stub = stubWx({ 'owner.bills': new Error('timeout'), 'owner.home': ok(HOME_ARREARS) });
    const page = openPage('pages/bills/index');
    await settle(450);
    await settle(450);
    expect(stub.calls.filter((c) => c.data.action === 'bills')).toHaveLength(2);
    expect(textOf(page)).toContain('抱歉，网络连接不太稳定，请检查网络后重试');
  });

  test('a forbidden reply reads as a sentence, not a code', async () => {
    stubWx({ 'owner.bills': fail('FORBIDDEN', 'not your room'), 'owner.home': ok(HOME_ARREARS) });
    const page = await loadPage('pages/bills/index');
    expect(textOf(page)).toContain('抱歉，您暂无权限进行此操作');
    expect(textOf(page)).not.toMatch(/FORBIDDEN|not your room/);
  });
});
