/**
 * Finance refunds part of a WeChat payment from 管理 › 退款管理 in real Chromium: the
 * payment is looked up by its 收款编号, ¥100 goes back through the WeChat Pay sandbox (below the
 * approval threshold, so at once) and the red receipt number (HZ…) is shown.
 */
import type { Locator, Page } from 'playwright-core';
import {
  compact,
  current,
  payOrder,
  tapWhenSettled,
  unpaidBills,
  until,
  useHarness,
} from './harness';

const h = useHarness();

/**
 * A WeChat payment the sandbox knows: the demo owner pays a seeded bill. (The seed's own
 * WeChat payment history has no sandbox orders, so WeChat Pay answers 订单不存在 to a refund.)
 */
async function payThroughSandbox(): Promise<Record<string, unknown>> {
  const order = await payOrder(h, 'o_demo_owner', {
    billIds: [unpaidBills(h.cloud, 'r_2_1_302')[0]!._id],
  });
  const found = await until(
    async () =>
      h.cloud.store.find('payments', { channel: 'wechat', _id: `wx_${order.outTradeNo}` })[0],
    (p) => p !== undefined,
    10_000,
  );
  expect(found).toBeDefined();
  return found!;
}

/** Taps once the page has settled, then waits until `done` holds (state, not time). */
async function tapUntil(page: Page, target: Locator, done: () => Promise<boolean>): Promise<void> {
  await tapWhenSettled(page, target);
  expect(await until(done, (v) => v, 10_000)).toBe(true);
}

test('finance refunds ¥100 of a WeChat payment and sees the red receipt number', async () => {
  const paid = await payThroughSandbox();
  const paymentId = String(paid._id);

  const page = await h.open('o_demo_finance', 'admin/refunds/index', 'relaunch');
  const screen = current(page);
  await screen.getByText('申请退款', { exact: true }).tap();
  const idField = screen.locator('van-field[class*="f-payment"] input');
  await idField.fill(paymentId);
  // 完成 on the keyboard looks the payment up (as 查询收款 does)
  await idField.press('Enter');
  await screen.getByText(String(paid.receiptNo)).first().waitFor();

  await screen.locator('van-field[class*="f-amount"] input').fill('100');
  // tapUntil blurs the amount field first: the first touch after typing only closes the keyboard
  const chip = screen.getByText('重复缴费', { exact: true });
  await tapUntil(page, chip, async () => /quick-on/.test((await chip.getAttribute('class')) ?? ''));
  const modal = page.locator('.wx-modal');
  await tapUntil(page, screen.locator('van-button', { hasText: '提交退款' }), () =>
    modal.isVisible(),
  );
  expect(compact(await modal.innerText())).toContain('退款¥100.00');
  await modal.locator('.wx-modal-confirm').tap();

  await screen.getByText('已完成，红字收据', { exact: false }).waitFor();
  const text = await until(
    () => screen.innerText(),
    (t) => /HZ\d{4}-\d{6}/.test(t) && t.includes('已退款'),
  );
  const redNo = /HZ\d{4}-\d{6}/.exec(text)?.[0];
  expect(redNo).toBeDefined();
  expect(h.cloud.store.find('refunds', { paymentId })[0]).toMatchObject({
    amountFen: 10000,
    status: 'done',
    reversalReceiptNo: redNo,
  });
  expect(h.external).toEqual([]);
});
