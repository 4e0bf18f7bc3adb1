/**
 * Which shots `npm run screenshots` takes: every page for an owner and for staff, then the states
 * that matter (paid up, 长辈模式, forms with errors, the flows of each capability), in an order
 * where shots that change the demo come after the ones that show it as seeded.
 */
import * as path from 'node:path';
import { communityShots } from './community';
import { chargeShots } from './charges';
import { deskShots } from './desk';
import { feeShots, financeShots } from './finance';
import { spaceShots } from './spaces';
import { fileOf, onScreen, post, tapText, tapUntil, unpaid, type Demo, type Shot } from './shot';
import { readAppJson, subpackagesOf } from '../miniprogram-files';
import { lastEndedQuarter } from '../../miniprogram/domain/disclosure/rules';
import { shanghaiDate } from '../../miniprogram/domain/kernel/time';

const ROOT = path.resolve(__dirname, '..', '..');

/** The demo owner pays one bill through the sandbox; the result page's query for it. */
async function payOneBill(demo: Demo, cloudUrl: string): Promise<string> {
  const owner = 'o_demo_owner';
  const order = await post<{
    ok: boolean;
    data: { outTradeNo: string; amountFen: number; payment: { package: string } };
  }>(`${cloudUrl}/dev/call/payment`, {
    event: { action: 'createOrder', billIds: [unpaid(demo.store, 'r_2_1_302')[0]!] },
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
function defaultQueries({ ids }: Demo): Record<string, string> {
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
    'admin/reach/index': 'noticeId=n_welcome',
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

export function plan(demo: Demo): Shot[] {
  return lastOfEachFile(allShots(demo));
}

function allShots(demo: Demo): Shot[] {
  const { ids } = demo;
  const pages = allPages();
  const queries = defaultQueries(demo);
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
  shots.push(...financeShots(demo));
  shots.push(...feeShots(demo));
  shots.push(...spaceShots());
  shots.push(...disclosureShots());
  shots.push(...overdueShots());
  shots.push(...chargeShots());
  shots.push(...deskShots(ids));
  // issue 21: 交班日结 — today's open shift (with yesterday's refund as a correction) and
  // yesterday's closed one; finance's confirmed list (tools/seed/shifts.ts)
  shots.push({
    who: 'staff-cashier',
    user: 'o_demo_cashier',
    path: 'admin/shift/index',
    via: 'relaunch',
    name: 'admin-shift-index-cashier',
  });
  shots.push({
    who: 'staff-finance',
    user: 'o_demo_finance',
    path: 'admin/shift/confirm',
    via: 'relaunch',
    then: '已确认',
    name: 'admin-shift-confirm-confirmed',
  });
  // last: it changes the owner's bills
  shots.push({
    who: 'owner',
    user: 'o_demo_owner',
    path: 'pages/pay-result/index',
    prepare: (cloudUrl) => payOneBill(demo, cloudUrl),
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
  // the desk searched by room, every status: the database finds 1501's two tickets
  shots.push({
    who: 'staff',
    user: 'o_demo_admin',
    path: 'admin/tickets/index',
    via: 'relaunch',
    act: async (page) => {
      await tapText(page, '全部');
      await onScreen(page).locator('[class*="f-keyword"] input').fill('1501');
      await tapUntil(
        onScreen(page).locator('van-button', { hasText: '搜索' }),
        onScreen(page).getByText('共 2 件'),
      );
    },
    name: 'admin-tickets-index-search',
  });
  return shots;
}

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
    // Reaching every owner: a household notice's code scanned by a newcomer (the dev scan reads
    // the seeded code's PNG), landing on binding with the room filled in.
    {
      who: 'newcomer',
      user: 'o_demo_newcomer',
      path: 'pages/bind/index',
      via: 'relaunch',
      prepare: async (cloudUrl) =>
        (await post<{ query: string }>(`${cloudUrl}/dev/scan`, { id: 'code-1' })).query,
      name: 'pages-bind-index-household-code',
    },
  ];
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
