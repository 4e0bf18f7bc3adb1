/**
 * Reconciliation and reports in real Chromium. An owner's WeChat payment loses its callback;
 * the next morning finance opens 管理 › 支付对账, downloads the day's statement, sees the lost
 * callback and applies it (after WeChat Pay confirms it); the bill is paid. Then 收缴率报表
 * shows the rates with a bar chart drawn on a 2d canvas.
 */
import { shanghaiDate, addDays } from '../../miniprogram/domain/kernel/time';
import { current, payOrder, until, useHarness } from './harness';

const h = useHarness();

test('finance applies a lost WeChat Pay callback found by reconciliation', async () => {
  const day = shanghaiDate(new Date(h.cloud.clock.now()));
  await h.cloud.setClock(Date.parse(`${day}T11:00:00+08:00`), { fireTimers: false });
  // Every delivery of the notification fails: the callback is lost.
  const order = await payOrder(
    h,
    'o_demo_elder',
    {},
    () => (h.cloud.pay.faults = { failNext: 99 }),
  );
  expect(h.cloud.store.count('payments', { outTradeNo: order.outTradeNo })).toBe(0);
  await h.cloud.setClock(Date.parse(`${addDays(day, 1)}T10:30:00+08:00`), { fireTimers: false });

  const page = await h.open('o_demo_finance', 'admin/reconcile/index', 'relaunch');
  const screen = current(page);
  await screen.locator('[class*="day-head"]', { hasText: day }).tap();
  await screen.locator('van-button', { hasText: '下载并对账' }).tap();
  await screen.getByText('微信有、系统无（支付通知丢失）').waitFor({ timeout: 20_000 });
  expect(await screen.innerText()).toContain('手续费');
  await screen.locator('van-button', { hasText: '补记入账' }).tap();
  const modal = page.locator('.wx-modal');
  await modal.waitFor();
  await modal.locator('.wx-modal-confirm').tap();
  await screen.getByText('已补记入账', { exact: false }).waitFor({ timeout: 20_000 });
  const payment = await until(
    async () => h.cloud.store.find('payments', { outTradeNo: order.outTradeNo })[0],
    (p) => p !== undefined,
  );
  expect(payment!.amountFen).toBeGreaterThan(0);
  for (const billId of order.billIds)
    expect(h.cloud.store.find('bills', { _id: billId })[0]!.status).toBe('paid');
  await screen.locator('van-button', { hasText: '关账' }).waitFor();
  h.cloud.pay.faults = {};
});

test('finance views the collection report with a chart drawn on a 2d canvas', async () => {
  const page = await h.open('o_demo_finance', 'admin/reports/index', 'relaunch');
  const screen = current(page);
  await screen.locator('[class*="household-rate"]').waitFor({ timeout: 20_000 });
  expect(await screen.innerText()).toMatch(/\d+\.\d{2}%/);
  const chart = screen.locator('wx-image[class*="chart"]');
  await chart.waitFor();
  const box = await until(
    () =>
      chart.evaluate((el) => ({
        bg: (el as HTMLElement).style.backgroundImage,
        h: el.clientHeight,
      })),
    (b) => b.bg.includes('url(') && b.h > 50,
    10_000,
  );
  expect(box.h).toBeGreaterThan(50);
  await screen.getByText('账龄', { exact: true }).tap();
  await screen.getByText('31–90 天', { exact: false }).first().waitFor({ timeout: 20_000 });
});
