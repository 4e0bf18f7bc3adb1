/**
 * Shots of 业主认证, the community records and staff review: a newcomer binding a room (and
 * failing to), family invites, the roster import report, the review queue and the audit log.
 */
import { onScreen, post, type Shot } from './shot';
import type { Page } from 'playwright-core';

const NEWCOMER = 'o_demo_newcomer';

/** 4栋 → 1单元 → `room` in the bind page, then the name and mobile typed in. */
async function fillBindForm(page: Page, room: string, name: string, mobile: string) {
  const p = onScreen(page);
  await p.getByText('4栋', { exact: true }).tap();
  await p.getByText('1单元', { exact: true }).tap();
  await p.getByText(room, { exact: true }).tap();
  await p.locator('van-field[class*="f-name"] input').fill(name);
  await p.locator('van-field[class*="f-mobile"] input').fill(mobile);
}

async function submitBind(page: Page, waitFor: string) {
  await onScreen(page).locator('van-button', { hasText: '提交认证' }).tap();
  await onScreen(page).getByText(waitFor).first().waitFor();
}

const ROSTER_HEADER = '楼栋,单元,房号,建筑面积(㎡),套内面积(㎡),业主姓名,手机号';

async function chooseRoster(page: Page, csv: string, waitFor: string) {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    onScreen(page).locator('van-button', { hasText: '选择文件' }).tap(),
  ]);
  await chooser.setFiles({
    name: '翠湖花园房屋档案.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv, 'utf8'),
  });
  await onScreen(page).getByText(waitFor).first().waitFor();
}

/** The community reviews bindings; two owners are waiting (one matched by the last 4 digits). */
async function pendingBindings(cloudUrl: string): Promise<string> {
  const calls: [string, string, Record<string, unknown>][] = [
    [
      'settings',
      'o_demo_admin',
      { action: 'update', communityId: 'c_cuihu', bindingReview: 'staff' },
    ],
    [
      'binding',
      NEWCOMER,
      { action: 'request', roomId: 'r_4_1_1001', name: '林晓梅', mobile: '13900001001' },
    ],
    [
      'binding',
      'o_demo_guest',
      { action: 'request', roomId: 'r_1_1_1501', name: '王建国', mobileLast4: '1501' },
    ],
  ];
  for (const [fn, openid, event] of calls) {
    const r = await post<{ ok: boolean }>(`${cloudUrl}/dev/call/${fn}`, { event, openid });
    if (!r.ok) throw new Error(`${fn}.${String(event.action)} failed: ${JSON.stringify(r)}`);
  }
  return '';
}

export function communityShots(): Shot[] {
  const shots: Shot[] = [
    // a new WeChat user: nothing bound yet, the bind flow, a mismatch, an invite code
    { who: 'newcomer', user: NEWCOMER, path: 'pages/rooms/index' },
    { who: 'newcomer', user: NEWCOMER, path: 'pages/bind/index' },
    {
      who: 'newcomer',
      user: NEWCOMER,
      path: 'pages/bind/index',
      name: 'pages-bind-index-mismatch',
      act: async (page) => {
        await fillBindForm(page, '1002', '林晓梅', '13900001001');
        await submitBind(page, '信息未能核对成功');
      },
    },
    { who: 'newcomer', user: NEWCOMER, path: 'pages/bind/join' },
    // 长辈模式
    { who: 'elder', user: 'o_demo_elder', path: 'pages/rooms/index' },
    {
      who: 'elder',
      user: 'o_demo_elder',
      path: 'pages/bind/index',
      name: 'pages-bind-index-form',
      act: (page) => fillBindForm(page, '1001', '张桂兰', '13800000201'),
    },
    { who: 'elder', user: 'o_demo_elder', path: 'pages/privacy/index' },
    // an owner's family members and tenants, with a fresh invite code
    {
      who: 'owner',
      user: 'o_demo_owner',
      path: 'pages/bind/members',
      query: `roomId=r_1_1_1501&label=${encodeURIComponent('1栋1单元1501')}`,
      act: async (page) => {
        await onScreen(page).locator('van-button', { hasText: '邀请家庭成员' }).tap();
        await onScreen(page).getByText('只能使用一次').waitFor();
      },
    },
    // the roster import report: a file with errors, and a clean one
    {
      who: 'staff',
      user: 'o_demo_admin',
      path: 'admin/import/index',
      via: 'relaunch',
      name: 'admin-import-index-errors',
      act: (page) =>
        chooseRoster(
          page,
          `${ROSTER_HEADER}
1,1,101,abc,,赵磊,13900000101
9,1,101,88.00,,钱芳,13900000102
1,1,102,88.00,90.00,孙伟,1390000
`,
          '未导入任何数据',
        ),
    },
    {
      who: 'staff',
      user: 'o_demo_admin',
      path: 'admin/import/index',
      via: 'relaunch',
      name: 'admin-import-index-report',
      act: (page) =>
        chooseRoster(
          page,
          `${ROSTER_HEADER}
4,1,1901,98.50,80.12,吴敏,13900001901
4,1,1902,98.50,80.12,郑洁,13900001902
4,2,1901,120.00,,冯涛,13900002901
`,
          '校验通过',
        ),
    },
    { who: 'staff-finance', user: 'o_demo_finance', path: 'admin/import/index', via: 'relaunch' },
    // the review queue with two owners waiting, then what they and the log show
    {
      who: 'staff',
      user: 'o_demo_admin',
      path: 'admin/bindings/index',
      via: 'relaunch',
      prepare: pendingBindings,
      name: 'admin-bindings-index-pending',
    },
    {
      who: 'staff-service',
      user: 'o_demo_service',
      path: 'admin/bindings/index',
      via: 'relaunch',
      name: 'admin-bindings-index-reject',
      act: async (page) => {
        await onScreen(page).locator('van-button', { hasText: '驳回' }).first().tap();
        await onScreen(page).getByText('非本房屋业主').tap();
      },
    },
    { who: 'staff-service', user: 'o_demo_service', path: 'admin/index/index', via: 'relaunch' },
    {
      who: 'staff',
      user: 'o_demo_admin',
      path: 'admin/audit/index',
      via: 'relaunch',
      name: 'admin-audit-index-log',
    },
    {
      who: 'newcomer',
      user: NEWCOMER,
      path: 'pages/rooms/index',
      name: 'pages-rooms-index-pending',
    },
    {
      who: 'newcomer',
      user: NEWCOMER,
      path: 'pages/bind/index',
      name: 'pages-bind-index-pending',
      act: async (page) => {
        await fillBindForm(page, '1001', '林晓梅', '13900001001');
        await submitBind(page, '等待物业审核');
      },
    },
  ];
  return shots;
}
