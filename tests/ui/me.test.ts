/** 我的 and 设置: the 长辈模式 switch (stored, live on every page), entries and coming-soon items. */
import { HOME_ARREARS, OWNER } from './fixtures';
import { ok, stubWx } from './wx-stub';
import { loadPage, openPage, query, type Rendered, settle, tapButton, textOf } from './page';

const ELDER_KEY = 'settings.elderMode';

function rootHasElder(page: Rendered): boolean {
  const root = page.dom?.querySelector('[class*="page"]');
  return Boolean(root && /(^|\s)\S*--elder(\s|$)/.test(root.className));
}

async function flipSwitch(page: Rendered): Promise<void> {
  query(page, '.elder-switch', '.van-switch').dispatchEvent('tap');
  await settle();
}

describe('me page', () => {
  test('shows rooms count and service entries', async () => {
    stubWx({ 'account.whoami': ok(OWNER), 'owner.home': ok(HOME_ARREARS) });
    const page = await loadPage('pages/me/index');
    const text = textOf(page);
    expect(text).toContain('尊敬的业主');
    expect(text).toContain('我的房屋');
    expect(text).toContain('2 套');
    expect(text).toContain('缴费记录与收据');
    expect(text).toContain('投诉与建议');
    expect(text).not.toContain('即将上线');
    expect(text).toContain('消息订阅');
    expect(text).toContain('长辈模式');
  });

  test('staff see their role, from owner.home: the page makes no whoami call', async () => {
    const stub = stubWx({ 'owner.home': ok({ ...HOME_ARREARS, me: { roles: ['admin'] } }) });
    const page = await loadPage('pages/me/index');
    expect(textOf(page)).toContain('您好，工作人员');
    expect(textOf(page)).toContain('管理员');
    expect(stub.calls.map((c) => `${c.name}.${String(c.data.action)}`)).toEqual(['owner.home']);
  });

  test('the 长辈模式 switch stores the setting and enlarges the page at once', async () => {
    const stub = stubWx({ 'account.whoami': ok(OWNER), 'owner.home': ok(HOME_ARREARS) });
    const page = await loadPage('pages/me/index');
    expect(page.data.elder).toBe(false);
    expect(rootHasElder(page)).toBe(false);
    await flipSwitch(page);
    expect(stub.storage.get(ELDER_KEY)).toBe(true);
    expect(page.data.elder).toBe(true);
    expect(rootHasElder(page)).toBe(true);
    expect(stub.wx.showToast).toHaveBeenCalledWith({ title: '已开启长辈模式', icon: 'none' });
    await flipSwitch(page);
    expect(stub.storage.get(ELDER_KEY)).toBe(false);
    expect(rootHasElder(page)).toBe(false);
  });

  test('a stored 长辈模式 applies when any page opens', async () => {
    const stub = stubWx({ 'owner.home': ok(HOME_ARREARS) });
    stub.storage.set(ELDER_KEY, true);
    const page = await loadPage('pages/home/index');
    expect(page.data.elder).toBe(true);
    expect(rootHasElder(page)).toBe(true);
  });

  test('entries navigate', async () => {
    const stub = stubWx({ 'account.whoami': ok(OWNER), 'owner.home': ok(HOME_ARREARS) });
    const page = await loadPage('pages/me/index');
    const inst = page.instance as unknown as Record<string, () => void>;
    inst.onRooms!();
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/rooms/index' });
    inst.onReceipts!();
    expect(stub.wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/receipts/index' });
    inst.onComplaints!();
    expect(stub.wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/complaints/index' });
  });
});

describe('settings page', () => {
  test('the same switch is there too, and clearing the cache keeps 长辈模式', async () => {
    const stub = stubWx({});
    const page = await loadPage('pages/settings/index');
    await flipSwitch(page);
    expect(stub.storage.get(ELDER_KEY)).toBe(true);
    stub.storage.set('other', 1);
    (stub.wx.showModal as jest.Mock).mockImplementation((o: { success: (r: object) => void }) =>
      o.success({ confirm: true }),
    );
    (page.instance as unknown as Record<string, () => void>).onClearCache!();
    expect(stub.storage.has('other')).toBe(false);
    expect(stub.storage.get(ELDER_KEY)).toBe(true);
  });
});

describe('state view', () => {
  test('the retry button emits action', async () => {
    stubWx({});
    const view = openPage('components/state-view/index');
    view.setData({ status: 'error', description: '抱歉，系统暂时繁忙，请稍后再试' } as never);
    await settle();
    const onAction = jest.fn();
    (view as unknown as { addEventListener(name: string, fn: () => void): void }).addEventListener(
      'action',
      onAction,
    );
    await tapButton(view, '.action-btn');
    expect(onAction).toHaveBeenCalled();
    expect(textOf(view)).toContain('抱歉，页面加载失败');
  });
});
