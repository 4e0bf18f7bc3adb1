/**
 * 首页: amounts from owner.home, 已逾期 with its count or the next due date still ahead, quick pay,
 * notices, 报事投诉, and the states (paid up, no bill yet, no room).
 */
import { HOME_ARREARS, HOME_NO_ROOMS, HOME_PAID, OWNER } from './fixtures';
import { fail, ok, stubWx } from './wx-stub';
import { loadPage, openPage, settle, tapButton, textOf } from './page';

describe('home page', () => {
  test('overdue bills read 已逾期 with their count, never a past date as the next one', async () => {
    stubWx({ 'owner.home': ok(HOME_ARREARS), 'account.whoami': ok(OWNER) });
    const page = openPage('pages/home/index');
    expect(textOf(page)).toContain('正在加载');
    await settle();
    const text = textOf(page);
    expect(text).toContain('当前应缴');
    expect(text).toContain('¥3,191.52');
    expect(text).toContain('已逾期4 笔 · ¥3,191.52');
    expect(text).not.toContain('最近缴费截止日');
    expect(text).not.toContain('下次缴费截止日');
    expect(text).toContain('有 4 笔账单已过缴费截止日，请您尽快缴纳');
    expect(text).toContain('翠湖花园 · 1栋1单元1501 等 2 套房屋');
    expect(text).toContain('2026年11月物业费缴费通知');
    expect(page.data.status).toBe('ready');
  });

  test('with a bill still ahead, its due date is shown as the next one', async () => {
    stubWx({
      'owner.home': ok({
        ...HOME_ARREARS,
        dueNowFen: 415_652,
        nextDueDate: '2026-12-15',
      }),
    });
    const page = openPage('pages/home/index');
    await settle();
    const text = textOf(page);
    expect(text).toContain('已逾期4 笔 · ¥3,191.52');
    expect(text).toContain('下次缴费截止日2026年12月15日');
  });

  test('a room bound before its first bill: no bill yet, not "paid everything"', async () => {
    stubWx({ 'owner.home': ok({ ...HOME_PAID, billCount: 0 }) });
    const page = openPage('pages/home/index');
    await settle();
    const text = textOf(page);
    expect(text).toContain('您的房屋暂无账单');
    expect(text).not.toContain('您已缴清全部费用');
    expect(text).not.toContain('立即缴费');
  });

  test('报事投诉 opens the owner’s complaints', async () => {
    const stub = stubWx({ 'owner.home': ok(HOME_PAID) });
    const page = openPage('pages/home/index');
    await settle();
    const shortcuts = page.querySelectorAll('.shortcut');
    const complaint = shortcuts.find((n) => textOf(n).includes('报事投诉'))!;
    complaint.dispatchEvent('tap');
    await settle();
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/complaints/index' });
    expect(stub.wx.showToast).not.toHaveBeenCalled();
  });

  test('quick pay opens the payment confirmation for every unpaid bill', async () => {
    const stub = stubWx({ 'owner.home': ok(HOME_ARREARS) });
    const page = await loadPage('pages/home/index');
    await tapButton(page, '.pay');
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/pay/index' });
  });

  test('an owner who has paid everything is thanked, with no pay button', async () => {
    stubWx({ 'owner.home': ok(HOME_PAID) });
    const page = await loadPage('pages/home/index');
    const text = textOf(page);
    expect(text).toContain('¥0.00');
    expect(text).toContain('您已缴清全部费用，感谢您的支持');
    expect(text).not.toContain('立即缴费');
    expect(text).toContain('暂无新的公告');
  });

  test('an owner without rooms is told how to bind one, and can start at once', async () => {
    const stub = stubWx({ 'owner.home': ok(HOME_NO_ROOMS) });
    const page = await loadPage('pages/home/index');
    expect(textOf(page)).toContain('您还没有绑定房屋');
    expect(textOf(page)).not.toContain('当前应缴');
    await tapButton(page, '.bind-state', '.action-btn');
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/bind/index' });
  });

  test('an error reply shows a polite message, never the code, and retries on tap', async () => {
    let replies = 0;
    const stub = stubWx({
      'owner.home': () =>
        ++replies === 1 ? fail('INTERNAL', 'TypeError: x is undefined') : ok(HOME_PAID),
    });
    const page = await loadPage('pages/home/index');
    const text = textOf(page);
    expect(text).toContain('抱歉，系统暂时繁忙，请稍后再试');
    expect(text).not.toMatch(/INTERNAL|TypeError/);
    await tapButton(page, '.state', '.action-btn');
    expect(stub.calls.filter((c) => c.name === 'owner')).toHaveLength(2);
    expect(textOf(page)).toContain('您已缴清全部费用');
  });
});
