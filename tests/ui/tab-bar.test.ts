/** The custom tab bar: 3 owner tabs, a 4th 管理 tab only for staff (role from account.whoami). */
import { ADMIN, OWNER } from './fixtures';
import { fail, ok, stubWx } from './wx-stub';
import { mount, queryAll, type Rendered, settle, textOf } from './page';

const labels = (bar: Rendered) => queryAll(bar, '.tab-item').map(textOf);

async function tapTab(bar: Rendered, n: number): Promise<void> {
  const item = queryAll(bar, '.tab-item')[n];
  if (!item) throw new Error(`no tab #${n}`);
  item.querySelector('.van-tabbar-item')!.dispatchEvent('tap');
  await settle();
}

describe('custom tab bar', () => {
  test('an owner sees 首页 / 账单 / 我的 and no 管理', async () => {
    stubWx({ 'account.whoami': ok(OWNER) });
    const bar = mount('custom-tab-bar/index');
    await settle();
    expect(labels(bar)).toEqual(['首页', '账单', '我的']);
  });

  test('staff also see 管理', async () => {
    stubWx({ 'account.whoami': ok(ADMIN) });
    const bar = mount('custom-tab-bar/index');
    await settle();
    expect(labels(bar)).toEqual(['首页', '账单', '我的', '管理']);
  });

  test('on the home page the bar takes the roles from owner.home: no whoami call', async () => {
    const stub = stubWx({ 'account.whoami': ok(OWNER) });
    const g = globalThis as { getCurrentPages?: () => { route: string }[] };
    g.getCurrentPages = () => [{ route: 'pages/home/index' }];
    try {
      const bar = mount('custom-tab-bar/index');
      // the home page starts its call as the bar attaches; the home answers with the roles
      const session = jest.requireActual<typeof import('../../miniprogram/services/session')>(
        '../../miniprogram/services/session',
      );
      session.rolesFromHome(Promise.resolve({ roles: ['admin'] as const }));
      await settle();
      expect(labels(bar)).toEqual(['首页', '账单', '我的', '管理']);
      expect(stub.calls.filter((c) => c.name === 'account')).toEqual([]);
    } finally {
      delete g.getCurrentPages;
    }
  });

  test('when whoami fails the bar stays an owner bar', async () => {
    stubWx({ 'account.whoami': fail('INTERNAL') });
    const bar = mount('custom-tab-bar/index');
    await settle();
    expect(labels(bar)).toEqual(['首页', '账单', '我的']);
  });

  test('tapping 账单 switches tab; 管理 relaunches into the admin subpackage', async () => {
    const stub = stubWx({ 'account.whoami': ok(ADMIN) });
    const bar = mount('custom-tab-bar/index');
    await settle();
    await tapTab(bar, 1);
    expect(stub.wx.switchTab).toHaveBeenCalledWith({ url: '/pages/bills/index' });
    expect(bar.data.current).toBe('bills');
    await tapTab(bar, 3);
    expect(stub.wx.reLaunch).toHaveBeenCalledWith({ url: '/admin/index/index' });
  });

  test('tapping the current tab does nothing', async () => {
    const stub = stubWx({ 'account.whoami': ok(OWNER) });
    const bar = mount('custom-tab-bar/index', { current: 'home' });
    await settle();
    await tapTab(bar, 0);
    expect(stub.wx.switchTab).not.toHaveBeenCalled();
  });
});
