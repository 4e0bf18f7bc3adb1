/**
 * Shots of money pages: invoices, refunds and deployment settings (with the forms' errors), bill
 * detail and 收费标准公示, fee standards, and a billing run previewed and then issued.
 */
import type { Page } from 'playwright-core';
import { onScreen, post, tapText, tapUntil, type Demo, type DemoIds, type Shot } from './shot';

/** The demo owner asks for a company invoice for a seeded payment (idempotent per payment). */
async function requestInvoice(ids: DemoIds, cloudUrl: string): Promise<string> {
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

export function financeShots({ ids }: Demo): Shot[] {
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
      path: 'admin/exceptions/index',
      name: 'admin-exceptions-index-short-paid',
    },
    {
      who: 'staff-finance',
      user: 'o_demo_finance',
      path: 'admin/invoices/index',
      via: 'relaunch',
      prepare: (cloudUrl) => requestInvoice(ids, cloudUrl),
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

/** Preview the shown period on admin/billing (and, with `issue`, issue it after the modal). */
async function runBilling(page: Page, issue: boolean): Promise<void> {
  const screen = onScreen(page);
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

/** Bill detail, 收费标准公示, and the staff pages; issuing the next period comes last. */
export function feeShots({ ids, store }: Demo): Shot[] {
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
      act: (page) => onScreen(page).locator('van-button', { hasText: '新增收费标准' }).tap(),
      name: 'admin-fees-index-create',
    },
    {
      ...finance,
      path: 'admin/fees/index',
      act: (page) => tapText(page, '调整价格'),
      name: 'admin-fees-index-version',
    },
    // issue 21: 自助抄表 (the elder's report waiting), staff's 业主上报 tab, a backup's checksums
    { who: 'elder', user: 'o_demo_elder', path: 'pages/meter/index' },
    {
      ...finance,
      path: 'admin/readings/index',
      act: (page) => onScreen(page).locator('[class*="f-submitted"]').tap(),
      name: 'admin-readings-index-owner',
    },
    {
      who: 'staff',
      user: 'o_demo_admin',
      path: 'admin/backups/index',
      via: 'relaunch',
      act: (page) => tapText(page, '查看校验值'),
      name: 'admin-backups-index-checksums',
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
        const bill = store
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
