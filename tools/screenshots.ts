/**
 * `npm run screenshots`: a PNG of every page of the mini-program, for an owner and for staff,
 * at 375×667 @2x, into screenshots/ (ignored by git). Starts its own local cloud (demo seed, temp
 * data dir, free port) with the preview mounted and drives the Chromium tools/chromium.ts finds
 * (CHROMIUM_PATH, else the one npm installed, else Debian's). Prints the paths it wrote.
 * `npm run screenshots -- bill fees` takes only the shots whose page path or name contains one of
 * the words (and keeps the other files).
 *
 * Made to survive a slow, loaded machine: each shot waits for the page's own data (the preview
 * counts cloud calls in flight; no loading state, no running transition) rather than a fixed
 * time, a shot whose page failed (a call that crashed or timed out, the page's error state, a
 * step that timed out) is taken once more in a fresh context, a browser that died is started
 * again, and the run ends with a summary of the pages it retried and the ones it could not take
 * (their last attempt is kept under screenshots/_failed/). Exit code 1 only if some failed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { startCloud, type LocalCloud } from './cloud/server';
import type { Store } from './cloud/store';
import { readAppJson, subpackagesOf } from './miniprogram-files';
import { createPreviewHandler } from './preview';
import { seedDemoWithReconciliation } from './seed/reconcile';
import { lastEndedQuarter } from '../miniprogram/domain/disclosure/rules';
import { shanghaiDate } from '../miniprogram/domain/kernel/time';
import { deskShots } from './shots-desk';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'screenshots');

let cloud: LocalCloud | undefined;
function cloudStore(): Store {
  if (!cloud) throw new Error('the local cloud is not running');
  return cloud.store;
}

/** A room's unpaid bills, oldest first (the demo seed dates its bills from today). */
function unpaid(roomId: string): string[] {
  return cloudStore()
    .find('bills', { roomId, status: 'unpaid' }, { sort: { period: 1 } })
    .map((b) => String(b._id));
}

/** A seeded payment of the room by that channel (any channel if it has none), newest first. */
function seededPayment(roomId: string, channel: string): string {
  const find = (q: Record<string, unknown>) =>
    cloudStore().find('payments', { roomIds: roomId, ...q }, { sort: { paidAt: -1 } })[0];
  const p = find({ channel }) ?? find({});
  if (!p) throw new Error(`the demo seed has no payment for ${roomId}`);
  return String(p._id);
}

/** Records the shots name, looked up in the seeded demo instead of naming a month. */
interface DemoIds {
  ownerOldest1501: string;
  ownerOldest302: string;
  elderNewest: string;
  ownerWechatPayment: string;
  paidCashPayment: string;
  elderCashPayment: string;
}
let ids: DemoIds;

function demoIds(): DemoIds {
  const first = (list: string[], what: string) => {
    if (!list[0]) throw new Error(`the demo seed has no ${what}`);
    return list[0];
  };
  return {
    ownerOldest1501: first(unpaid('r_1_1_1501'), 'unpaid bill for r_1_1_1501'),
    ownerOldest302: first(unpaid('r_2_1_302'), 'unpaid bill for r_2_1_302'),
    elderNewest: first(unpaid('r_1_2_201').reverse(), 'unpaid bill for r_1_2_201'),
    ownerWechatPayment: seededPayment('r_1_1_1501', 'wechat'),
    paidCashPayment: seededPayment('r_3_2_801', 'cash'),
    elderCashPayment: seededPayment('r_1_2_201', 'cash'),
  };
}

export interface Shot {
  /** folder under screenshots/ */
  who: string;
  user: string;
  path: string;
  via?: 'navigate' | 'relaunch';
  /** the page's query string */
  query?: string;
  /**
   * Work done against the cloud before the shot (e.g. a payment); returns the query. Runs once:
   * a retry of the shot reuses its query.
   */
  prepare?: (cloudUrl: string) => Promise<string>;
  /** after the page settles, e.g. switch to a tab */
  then?: string;
  /** after `then`: drive the page into the state to show (fill a form, choose a file) */
  act?: (page: Page) => Promise<void>;
  name?: string;
}

async function post<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}

/** The demo owner pays one bill through the sandbox; the result page's query for it. */
async function payOneBill(cloudUrl: string): Promise<string> {
  const owner = 'o_demo_owner';
  const order = await post<{
    ok: boolean;
    data: { outTradeNo: string; amountFen: number; payment: { package: string } };
  }>(`${cloudUrl}/dev/call/payment`, {
    event: { action: 'createOrder', billIds: [unpaid('r_2_1_302')[0]!] },
    openid: owner,
  });
  if (!order.ok) throw new Error(`createOrder failed: ${JSON.stringify(order)}`);
  await post(`${cloudUrl}/gateway/pay`, {
    package: order.data.payment.package,
    openid: owner,
    result: 'success',
  });
  return `outTradeNo=${order.data.outTradeNo}&outcome=paid&amountFen=${order.data.amountFen}`;
}

function allPages(): string[] {
  const app = readAppJson(path.join(ROOT, 'miniprogram'));
  return [
    ...app.pages,
    ...subpackagesOf(app).flatMap((s) => s.pages.map((p) => `${s.root.replace(/\/$/, '')}/${p}`)),
  ];
}

/**
 * The record a page shows when opened without one would be an error page ("not found"), so the
 * every-page pass opens these with a demo record.
 */
function defaultQueries(): Record<string, string> {
  return {
    'pages/receipt/index': `paymentId=${ids.ownerWechatPayment}`,
    'pages/invoice/index': `paymentId=${ids.ownerWechatPayment}`,
    'pages/bill/index': `billId=${ids.ownerOldest302}`,
    'pages/bind/members': `roomId=r_1_1_1501&label=${encodeURIComponent('1栋1单元1501')}`,
    'pages/complaints/detail': 'ticketId=cp_demo_fee',
    'pages/notice/detail': 'noticeId=n_water',
    'pages/disclosure/index': `id=dc_c_cuihu_${lastEndedQuarter(shanghaiDate(new Date()))}_v1`,
    'admin/tickets/detail': 'ticketId=cp_demo_fee',
    'admin/collection/case': 'roomId=r_1_2_201',
    'admin/collection/letter': 'roomId=r_1_1_1501',
  };
}

/**
 * Pages left out of the every-page pass: the pay result needs a payment (the named shots below
 * pay or cancel one), and an owner sees every staff page as the same "no permission" notice
 * (owners never download the admin subpackage; its home stands for the rest).
 */
function inEveryPagePass(who: 'owner' | 'staff', page: string): boolean {
  if (page === 'pages/pay-result/index') return false;
  if (who === 'owner') return !page.startsWith('admin/') || page === 'admin/index/index';
  return !OWNER_ONLY.has(page);
}

/** An owner's own records: the admin, who owns no room, has no such page to see. */
const OWNER_ONLY = new Set([
  'pages/invoice/index',
  'pages/bind/members',
  'pages/complaints/detail',
  'pages/notice/detail',
]);

/** Later shots that write the same file replace earlier ones (the every-page pass comes first). */
function lastOfEachFile(shots: Shot[]): Shot[] {
  const last = new Map(shots.map((s, i) => [fileOf(s), i]));
  return shots.filter((s, i) => last.get(fileOf(s)) === i);
}

function plan(): Shot[] {
  return lastOfEachFile(allShots());
}

function allShots(): Shot[] {
  const pages = allPages();
  const queries = defaultQueries();
  const shots: Shot[] = [];
  for (const [who, user] of [
    ['owner', 'o_demo_owner'],
    ['staff', 'o_demo_admin'],
  ] as const) {
    for (const p of pages) {
      if (!inEveryPagePass(who, p)) continue;
      shots.push({
        who,
        user,
        path: p,
        via: p.startsWith('admin/') ? 'relaunch' : 'navigate',
        query: queries[p],
      });
    }
  }
  // the states that matter to owners: paid up, 长辈模式, paid bills
  shots.push({ who: 'owner-paid', user: 'o_demo_paid', path: 'pages/home/index' });
  shots.push({ who: 'owner-paid', user: 'o_demo_paid', path: 'pages/bills/index' });
  shots.push({ who: 'elder', user: 'o_demo_elder', path: 'pages/home/index' });
  shots.push({ who: 'elder', user: 'o_demo_elder', path: 'pages/bills/index' });
  shots.push({ who: 'elder', user: 'o_demo_elder', path: 'pages/me/index' });
  shots.push({
    who: 'owner',
    user: 'o_demo_owner',
    path: 'pages/bills/index',
    then: '已缴费',
    name: 'pages-bills-index-paid',
  });
  shots.push({
    who: 'staff-cashier',
    user: 'o_demo_cashier',
    path: 'admin/index/index',
    via: 'relaunch',
  });
  // payments and receipts
  const seedReceipt = `paymentId=${ids.ownerWechatPayment}`;
  shots.push({
    who: 'owner',
    user: 'o_demo_owner',
    path: 'pages/receipt/index',
    query: seedReceipt,
    name: 'pages-receipt-index-wechat',
  });
  shots.push({
    who: 'owner',
    user: 'o_demo_owner',
    path: 'pages/pay/index',
    query: `billIds=${ids.ownerOldest1501},${ids.ownerOldest302}`,
    name: 'pages-pay-index-two-bills',
  });
  shots.push({
    who: 'owner',
    user: 'o_demo_owner',
    path: 'pages/pay-result/index',
    query: 'outTradeNo=PF0000&outcome=cancel&amountFen=319152',
    name: 'pages-pay-result-index-cancel',
  });
  shots.push({
    who: 'owner-paid',
    user: 'o_demo_paid',
    path: 'pages/receipt/index',
    query: `paymentId=${ids.paidCashPayment}`,
    name: 'pages-receipt-index-cash',
  });
  shots.push({ who: 'elder', user: 'o_demo_elder', path: 'pages/pay/index' });
  shots.push({ who: 'elder', user: 'o_demo_elder', path: 'pages/receipts/index' });
  shots.push({
    who: 'elder',
    user: 'o_demo_elder',
    path: 'pages/receipt/index',
    query: `paymentId=${ids.elderCashPayment}`,
    name: 'pages-receipt-index-cash',
  });
  shots.push({
    who: 'staff-cashier',
    user: 'o_demo_cashier',
    path: 'admin/collect/index',
    via: 'relaunch',
  });
  shots.push({
    who: 'staff-cashier',
    user: 'o_demo_cashier',
    path: 'admin/collect/index',
    via: 'relaunch',
    query: 'roomId=r_1_2_201',
    name: 'admin-collect-index-room',
  });
  shots.push(...communityShots());
  shots.push(...financeShots());
  shots.push(...feeShots());
  shots.push(...disclosureShots());
  shots.push(...overdueShots());
  shots.push(...deskShots(ids));
  // last: it changes the owner's bills
  shots.push({
    who: 'owner',
    user: 'o_demo_owner',
    path: 'pages/pay-result/index',
    prepare: payOneBill,
    name: 'pages-pay-result-index-paid',
  });
  // complaints (docs/complaints.md): a resolved ticket to rate, a breached and an in-progress one
  shots.push({
    who: 'owner',
    user: 'o_demo_owner',
    path: 'pages/complaints/detail',
    query: 'ticketId=cp_demo_noise',
    name: 'pages-complaints-detail-resolved',
  });
  for (const id of ['cp_demo_breach', 'cp_demo_repair'])
    shots.push({
      who: 'staff',
      user: 'o_demo_admin',
      path: 'admin/tickets/detail',
      query: `ticketId=${id}`,
      via: 'relaunch',
      name: `admin-tickets-detail-${id.replace('cp_demo_', '')}`,
    });
  return shots;
}

// ---------------------------------------------------------------- notices and overdue follow-up

/** Pages that need a query: a notice, an overdue account at the home-visit stage, a letter. */
function overdueShots(): Shot[] {
  return [
    {
      who: 'owner',
      user: 'o_demo_owner',
      path: 'pages/notice/detail',
      query: 'noticeId=n_welcome',
      name: 'pages-notice-detail-payment',
    },
    {
      who: 'staff-service',
      user: 'o_demo_service',
      path: 'admin/collection/case',
      via: 'relaunch',
      query: 'roomId=r_1_1_1501',
      name: 'admin-collection-case-visit',
    },
    {
      who: 'staff-service',
      user: 'o_demo_service',
      path: 'admin/collection/letter',
      via: 'relaunch',
      query: 'roomId=r_1_2_201',
      name: 'admin-collection-letter',
    },
  ];
}

// ---------------------------------------------------------------- invoices, refunds, settings

/** The demo owner asks for a company invoice for a seeded payment (idempotent per payment). */
async function requestInvoice(cloudUrl: string): Promise<string> {
  const r = await post<{ ok: boolean }>(`${cloudUrl}/dev/call/payment`, {
    event: {
      action: 'requestInvoice',
      paymentId: ids.ownerWechatPayment,
      titleType: 'company',
      title: '杭州翠湖科技有限公司',
      taxId: '91330100MA27XK4L26',
      email: 'finance@example.com',
    },
    openid: 'o_demo_owner',
  });
  if (!r.ok) throw new Error(`requestInvoice failed: ${JSON.stringify(r)}`);
  return '';
}

function financeShots(): Shot[] {
  return [
    {
      who: 'owner',
      user: 'o_demo_owner',
      path: 'pages/invoice/index',
      query: `paymentId=${ids.ownerWechatPayment}`,
      name: 'pages-invoice-index-form',
      act: async (page) => {
        await onScreen(page).getByText('单位', { exact: true }).tap();
        await onScreen(page)
          .locator('van-field[class*="f-title"] input')
          .fill('杭州翠湖科技有限公司');
        await onScreen(page).locator('van-field[class*="f-tax"] input').fill('91330100MA27XK4L2X');
        await tapUntil(
          onScreen(page).locator('van-button', { hasText: '提交申请' }),
          onScreen(page).locator('van-field[class*="f-tax"] [class*="error-message"]'),
        );
      },
    },
    {
      who: 'elder',
      user: 'o_demo_elder',
      path: 'pages/invoice/index',
      query: `paymentId=${ids.elderCashPayment}`,
      name: 'pages-invoice-index-form',
    },
    {
      who: 'staff-finance',
      user: 'o_demo_finance',
      path: 'admin/invoices/index',
      via: 'relaunch',
      prepare: requestInvoice,
      name: 'admin-invoices-index-queue',
    },
    {
      who: 'owner',
      user: 'o_demo_owner',
      path: 'pages/invoices/index',
      name: 'pages-invoices-index-requested',
    },
    {
      who: 'staff-finance',
      user: 'o_demo_finance',
      path: 'admin/refunds/index',
      via: 'relaunch',
      query: `paymentId=${ids.ownerWechatPayment}`,
      name: 'admin-refunds-index-request',
    },
    {
      who: 'staff',
      user: 'o_demo_admin',
      path: 'pages/receipt/index',
      query: `paymentId=${ids.ownerWechatPayment}`,
      name: 'pages-receipt-index-staff',
    },
    {
      who: 'staff',
      user: 'o_demo_admin',
      path: 'admin/settings/index',
      via: 'relaunch',
      name: 'admin-settings-index-error',
      act: async (page) => {
        await onScreen(page).locator('van-field[class*="f-submch"] input').fill('12345');
        const problem = onScreen(page).getByText('特约商户号为 8–12 位数字').first();
        await tapUntil(onScreen(page).locator('van-button', { hasText: '保存部署设置' }), problem);
        await problem.scrollIntoViewIfNeeded();
      },
    },
  ];
}

/**
 * Taps until `shows` is visible (at most three taps): in the preview, the first tap after typing
 * may only end the input's focus.
 */
async function tapUntil(target: Locator, shows: Locator): Promise<void> {
  for (let i = 0; ; i++) {
    await target.tap();
    try {
      await shows.first().waitFor({ state: 'visible', timeout: 5_000 });
      return;
    } catch (e) {
      if (i === 2) throw e;
    }
  }
}

// ---------------------------------------------------------------- 业主认证, community records, staff

const NEWCOMER = 'o_demo_newcomer';

function onScreen(page: Page) {
  return page.locator('wx-page.wx-page-host:visible');
}

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

function communityShots(): Shot[] {
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

// ---------------------------------------------------------------- fee standards and billing

/** Preview the shown period on admin/billing (and, with `issue`, issue it after the modal). */
async function runBilling(page: Page, issue: boolean): Promise<void> {
  const screen = page.locator('wx-page.wx-page-host:visible');
  await screen.locator('van-button', { hasText: /预览账单|重新预览/ }).tap();
  await screen
    .getByText('正在预览', { exact: false })
    .waitFor({ state: 'hidden', timeout: 20_000 });
  await screen.getByText('应出账', { exact: false }).waitFor({ timeout: 20_000 });
  if (!issue) return;
  await screen.locator('van-button', { hasText: '确认出账' }).tap();
  await page.locator('.wx-modal .wx-modal-confirm').tap();
  await screen.getByText('业主现在可以查看和缴费', { exact: false }).waitFor({ timeout: 30_000 });
}

async function tapText(page: Page, text: string): Promise<void> {
  await page.locator('wx-page.wx-page-host:visible').getByText(text, { exact: true }).first().tap();
}

/** 收支公示: the seeded published quarter for owners (with its chart) and the staff pages. */
function disclosureShots(): Shot[] {
  const id = `id=dc_c_cuihu_${lastEndedQuarter(shanghaiDate(new Date()))}_v1`;
  const finance = { who: 'staff-finance', user: 'o_demo_finance', via: 'relaunch' as const };
  return [
    { who: 'owner', user: 'o_demo_owner', path: 'pages/disclosure/index', query: id },
    { who: 'elder', user: 'o_demo_elder', path: 'pages/disclosure/index', query: id },
    { ...finance, path: 'admin/disclosure/index' },
    {
      ...finance,
      path: 'admin/disclosure/index',
      act: async (page) => {
        await tapText(page, '收支登记');
      },
      name: 'admin-disclosure-index-entries',
    },
    { ...finance, path: 'admin/adjustments/index' },
  ];
}

/** Bill detail, 收费标准公示, and the staff pages; issuing the next period comes last. */
function feeShots(): Shot[] {
  const overdueBill = `billId=${ids.ownerOldest302}`;
  const standards = 'communityId=c_cuihu';
  const finance = { who: 'staff-finance', user: 'o_demo_finance', via: 'relaunch' as const };
  return [
    // the same file names as the generic shots above, now with a bill to show
    { who: 'owner', user: 'o_demo_owner', path: 'pages/bill/index', query: overdueBill },
    { who: 'staff', user: 'o_demo_admin', path: 'pages/bill/index', query: overdueBill },
    { who: 'staff', user: 'o_demo_admin', path: 'pages/standards/index', query: standards },
    {
      who: 'elder',
      user: 'o_demo_elder',
      path: 'pages/bill/index',
      query: `billId=${ids.elderNewest}`,
    },
    { who: 'elder', user: 'o_demo_elder', path: 'pages/standards/index' },
    { ...finance, path: 'admin/fees/index' },
    {
      ...finance,
      path: 'admin/fees/index',
      act: (page) =>
        page.locator('wx-page.wx-page-host:visible van-button', { hasText: '新增收费标准' }).tap(),
      name: 'admin-fees-index-create',
    },
    {
      ...finance,
      path: 'admin/fees/index',
      act: (page) => tapText(page, '调整价格'),
      name: 'admin-fees-index-version',
    },
    { ...finance, path: 'admin/billing/index' },
    {
      ...finance,
      path: 'admin/billing/index',
      act: (page) => runBilling(page, false),
      name: 'admin-billing-index-preview',
    },
    {
      ...finance,
      path: 'admin/billing/index',
      act: (page) => runBilling(page, true),
      name: 'admin-billing-index-issued',
    },
    {
      who: 'owner',
      user: 'o_demo_owner',
      path: 'pages/bill/index',
      // the bill the billing run above issued
      prepare: async () => {
        const bill = cloudStore()
          .find('bills', { roomId: 'r_2_1_302', key: /energy/ }, { sort: { period: -1 } })
          .at(0);
        if (!bill)
          throw new Error(
            'no energy+property bill for r_2_1_302 yet: the shot admin-billing-index-issued issues it',
          );
        return `billId=${encodeURIComponent(String(bill._id))}`;
      },
      name: 'pages-bill-index-new',
    },
  ];
}

// ---------------------------------------------------------------- taking the shots

/**
 * Runs in the page: true once the visible page has had no cloud call in flight, no loading state
 * and no finite animation or transition running for 200 ms (a page may chain calls).
 */
const SETTLED = `(() => {
  const host = [...document.querySelectorAll('wx-page.wx-page-host')].find((e) => e.checkVisibility());
  const loading = !!host && [...host.querySelectorAll('[class*="--state-loading"]')].some((e) => e.checkVisibility());
  const moving = document.getAnimations().some(
    (a) => a.playState === 'running' && a.effect && a.effect.getTiming().iterations !== Infinity,
  );
  const quiet = document.body.dataset.ready === '1' &&
    (document.body.dataset.callsPending ?? '0') === '0' && !loading && !moving;
  if (!quiet) { window.__quietSince = undefined; return false; }
  window.__quietSince ??= performance.now();
  return performance.now() - window.__quietSince >= 200;
})()`;

/** What went wrong on the page: failed cloud calls and the page's own error state. */
const PROBLEMS = `(() => {
  const out = (document.body.dataset.callsFailed ?? '').split('\\n').filter(Boolean);
  const host = [...document.querySelectorAll('wx-page.wx-page-host')].find((e) => e.checkVisibility());
  for (const e of host ? host.querySelectorAll('[class*="--state-error"]') : []) {
    if (e.checkVisibility()) out.push('the page shows its error state: ' + e.innerText.replace(/\\s+/g, ' ').trim());
  }
  if (document.body.dataset.bootError) out.push('preview failed to boot: ' + document.body.dataset.bootError);
  return out;
})()`;

const STEP_TIMEOUT_MS = 45_000;

/** Waits for the page's data, then fails the shot if any of it did not come. */
async function settle(page: Page, step: string): Promise<void> {
  await page.waitForFunction(SETTLED, undefined, { polling: 50, timeout: STEP_TIMEOUT_MS });
  const problems = (await page.evaluate(PROBLEMS)) as string[];
  if (problems.length) throw new Error(`${step}: ${problems.join('; ')}`);
}

function fileOf(s: Shot): string {
  return path.join(s.who, `${s.name ?? s.path.replace(/\//g, '-')}.png`);
}

async function attempt(
  browser: Browser,
  base: string,
  s: Shot,
  query: string,
  file: string,
): Promise<void> {
  let ctx: BrowserContext | undefined;
  let page: Page | undefined;
  try {
    ctx = await browser.newContext({
      viewport: { width: 375, height: 667 },
      deviceScaleFactor: 2,
      hasTouch: true,
    });
    ctx.setDefaultTimeout(STEP_TIMEOUT_MS);
    await ctx.route('**/*', (r) =>
      /^https?:\/\/127\.0\.0\.1[:/]/.test(r.request().url()) ? r.continue() : r.abort(),
    );
    page = await ctx.newPage();
    const q = new URLSearchParams({ user: s.user, path: s.path, via: s.via ?? 'navigate', query });
    await page.goto(`${base}/__preview__/app?${q}`);
    await page.waitForFunction(
      () => document.body.dataset.ready === '1' || !!document.body.dataset.bootError,
    );
    await page.evaluate(() => document.fonts.ready);
    await settle(page, 'loading the page');
    if (s.then) {
      await page
        .locator('wx-page.wx-page-host:visible')
        .getByText(s.then, { exact: true })
        .first()
        .tap();
      await settle(page, `after tapping ${s.then}`);
    }
    if (s.act) {
      await s.act(page);
      await settle(page, 'after driving the page');
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file });
  } catch (e) {
    // Keep what the page looked like, for the report.
    if (page && !page.isClosed()) {
      const failed = path.join(OUT, '_failed', fileOf(s));
      fs.mkdirSync(path.dirname(failed), { recursive: true });
      await page.screenshot({ path: failed }).catch(() => undefined);
    }
    throw e;
  } finally {
    // Closing must never end the run, whatever state the browser is in.
    await ctx?.close().catch(() => undefined);
  }
}

interface Outcome {
  shot: Shot;
  file: string;
  /** why the first attempt failed, when it was retried */
  retried?: string;
  /** why the last attempt failed */
  failed?: string;
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!;
}

async function main(): Promise<void> {
  const started = Date.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'screenshots-cloud-'));
  cloud = await startCloud({
    port: 0,
    dataDir,
    seed: 'demo',
    seeder: seedDemoWithReconciliation,
    quiet: true,
    timers: false,
    handler: createPreviewHandler({ rootDir: ROOT }),
  });
  let browser: Browser | undefined;
  const outcomes: Outcome[] = [];
  try {
    ids = demoIds();
    const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
    const shots = plan().filter(
      (s) => only.length === 0 || only.some((w) => `${s.path} ${s.name ?? ''}`.includes(w)),
    );
    if (only.length === 0) fs.rmSync(OUT, { recursive: true, force: true });
    const liveBrowser = async () => {
      if (browser?.isConnected()) return browser;
      if (browser) console.warn('[screenshots] the browser went away; starting it again');
      browser = await launchChromium();
      return browser;
    };
    for (const s of shots) {
      const file = path.join(OUT, fileOf(s));
      const outcome: Outcome = { shot: s, file };
      let query: string | undefined = s.prepare ? undefined : (s.query ?? '');
      for (let attemptNo = 1; attemptNo <= 2; attemptNo++) {
        try {
          query ??= await s.prepare!(cloud.url);
          await attempt(await liveBrowser(), cloud.url, s, query, file);
          outcome.failed = undefined;
          break;
        } catch (e) {
          outcome.failed = firstLine(e);
          if (attemptNo === 1) {
            outcome.retried = outcome.failed;
            console.warn(`[screenshots] retrying ${fileOf(s)}: ${outcome.failed}`);
          }
        }
      }
      outcomes.push(outcome);
      if (outcome.failed) console.error(`[screenshots] FAILED ${fileOf(s)}: ${outcome.failed}`);
      else console.log(path.relative(process.cwd(), file));
    }
  } finally {
    await browser?.close().catch(() => undefined);
    await cloud.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const retried = outcomes.filter((o) => o.retried && !o.failed);
  const failed = outcomes.filter((o) => o.failed);
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(
    `\n[screenshots] ${outcomes.length - failed.length} of ${outcomes.length} pages taken in ${seconds} s; ` +
      `${retried.length} taken on the second try, ${failed.length} failed twice`,
  );
  for (const o of retried) console.log(`  retried  ${fileOf(o.shot)}  (first try: ${o.retried})`);
  for (const o of failed) console.log(`  FAILED   ${fileOf(o.shot)}  (${o.failed})`);
  if (failed.length) {
    console.log(
      `  what the failed pages showed: ${path.relative(process.cwd(), path.join(OUT, '_failed'))}/`,
    );
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  console.error(`[screenshots] ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});
