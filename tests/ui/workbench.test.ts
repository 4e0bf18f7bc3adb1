/**
 * 工作台 (admin subpackage): functions by role, each opening its page, several communities. Owners turned
 * away: staff-page.test.ts, with every staff page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FEATURE_GROUPS } from '../../miniprogram/admin/features';
import { ADMIN, CASHIER } from './fixtures';
import { fail, ok, stubWx } from './wx-stub';
import { loadPage, queryAll, settle, tap, textOf } from './page';

describe('admin workbench', () => {
  test('an admin sees every group; every entry has its page and none says it is coming', async () => {
    stubWx({
      'account.whoami': ok(ADMIN),
      'payment.exceptions': ok({ exceptions: [], openCount: 0 }),
    });
    const page = await loadPage('admin/index/index');
    const text = textOf(page);
    expect(text).toContain('您好，今天也辛苦了');
    expect(text).toContain('管理员');
    for (const g of ['收费', '客户服务', '财务', '基础设置']) expect(text).toContain(g);
    expect(text).toContain('人员与权限');
    expect(text).not.toContain('即将上线');
    const features = FEATURE_GROUPS.flatMap((g) => g.features);
    expect(queryAll(page, '.cell')).toHaveLength(features.length);
    // each entry's page is a page of the admin subpackage
    const app = JSON.parse(
      fs.readFileSync(path.join(__dirname, '../../miniprogram/app.json'), 'utf8'),
    ) as { subPackages: { root: string; pages: string[] }[] };
    const admin = app.subPackages.find((p) => p.root === 'admin')!.pages;
    for (const f of features) expect(admin).toContain(f.url.replace(/^\/admin\//, ''));
  });

  test('线下收款 opens the collection page in the subpackage', async () => {
    const stub = stubWx({ 'account.whoami': ok(CASHIER) });
    const page = await loadPage('admin/index/index');
    queryAll(page, '.cell')[1]!.dispatchEvent('tap');
    await settle();
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({ url: '/admin/collect/index' });
  });

  test('a cashier sees cashier functions only', async () => {
    stubWx({ 'account.whoami': ok(CASHIER) });
    const page = await loadPage('admin/index/index');
    const text = textOf(page);
    expect(text).toContain('线下收款');
    expect(text).toContain('收据管理');
    expect(text).not.toContain('人员与权限');
    expect(text).not.toContain('投诉工单');
    expect(text).not.toContain('财务');
  });

  test('房屋账户 opens the room search and ledger', async () => {
    const stub = stubWx({ 'account.whoami': ok(CASHIER) });
    const page = await loadPage('admin/index/index');
    expect(textOf(queryAll(page, '.cell')[0]!)).toContain('房屋账户');
    queryAll(page, '.cell')[0]!.dispatchEvent('tap');
    await settle();
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({ url: '/admin/room/index' });
  });

  test('an error shows the friendly message', async () => {
    stubWx({ 'account.whoami': fail('UNAUTHENTICATED', 'no openid') });
    const page = await loadPage('admin/index/index');
    expect(textOf(page)).toContain('您好，请重新进入小程序后再试');
  });

  test('staff of two communities switch between them; functions follow the roles there', async () => {
    const me = {
      ...ADMIN,
      roles: ['admin', 'cashier'],
      staffOf: [
        { communityId: 'c_a', communityName: '翠湖花园', roles: ['cashier'] },
        { communityId: 'c_b', communityName: '锦绣苑', roles: ['admin'] },
      ],
    };
    const stub = stubWx({
      'account.whoami': ok(me),
      'payment.exceptions': ok({ exceptions: [], openCount: 0 }),
    });
    stub.wx.showActionSheet = jest.fn((o: { success: (r: { tapIndex: number }) => void }) =>
      o.success({ tapIndex: 1 }),
    );
    const page = await loadPage('admin/index/index');
    expect(textOf(page)).toContain('当前在 翠湖花园 工作');
    expect(textOf(page)).not.toContain('人员与权限');
    await tap(page, '.switch');
    await settle();
    expect(stub.storage.get('admin.communityId')).toBe('c_b');
    expect(textOf(page)).toContain('当前在 锦绣苑 工作');
    expect(textOf(page)).toContain('人员与权限');
  });
});

describe('which community a staff page works in', () => {
  const me = {
    ...ADMIN,
    staffOf: [
      { communityId: 'c_a', roles: ['cashier' as const] },
      { communityId: 'c_b', roles: ['finance' as const] },
      { communityId: 'c_c', roles: ['cashier' as const] },
    ],
  };

  test('the chosen community when the caller has the role there, else the first that fits', () => {
    const stub = stubWx({});
    const { scopeOf } = jest.requireActual<typeof import('../../miniprogram/admin/scope')>(
      '../../miniprogram/admin/scope',
    );
    expect(scopeOf(me, ['cashier'])?.communityId).toBe('c_a');
    stub.storage.set('admin.communityId', 'c_c');
    expect(scopeOf(me, ['cashier'])?.communityId).toBe('c_c');
    // Chosen c_c, but finance is only granted in c_b.
    expect(scopeOf(me, ['finance'])?.communityId).toBe('c_b');
    expect(scopeOf(me, ['service'])).toBeNull();
  });
});
