/** 首页: amounts from owner.home, the overdue note, quick pay, notices, and the three states. */
import { HOME_ARREARS, HOME_NO_ROOMS, HOME_PAID, OWNER } from './fixtures';
import { fail, ok, stubWx } from './wx-stub';
import { loadPage, openPage, settle, tapButton, textOf } from './page';

describe('home page', () => {
  test('shows the amount due now, the next due date and the overdue note', async () => {
    stubWx({ 'owner.home': ok(HOME_ARREARS), 'account.whoami': ok(OWNER) });
    const page = openPage('pages/home/index');
    expect(textOf(page)).toContain('正在加载');
    await settle();
    const text = textOf(page);
    expect(text).toContain('当前应缴');
    expect(text).toContain('¥3,191.52');
    expect(text).toContain('2026年6月15日');
    expect(text).toContain('有 4 笔账单已过缴费期，请您尽快缴纳');
    expect(text).toContain('翠湖花园 · 1栋1单元1501 等 2 套房屋');
    expect(text).toContain('2026年11月物业费缴费通知');
    expect(page.data.status).toBe('ready');
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
