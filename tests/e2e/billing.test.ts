/**
 * The billing run end to end in real Chromium: finance previews and issues the demo's next
 * period in 管理 › 账单生成, then the demo owner opens 账单, opens the new bill's 明细 and reads
 * each line's computation in words.
 */
import { compact, current, tapTab, until, useHarness, waitForRoute } from './harness';
import { addMonths } from '../../miniprogram/domain/fee/period';
import { formatMonths } from '../../miniprogram/domain/kernel/time';

const h = useHarness();

test('finance issues the next period; the owner sees the new bill explained', async () => {
  const desk = await h.open('o_demo_finance', 'admin/billing/index', 'relaunch');
  const screen = current(desk);
  await screen.getByText('本期尚未预览', { exact: false }).waitFor();
  await screen.locator('van-button', { hasText: '预览账单' }).tap();
  await screen.getByText('应出账', { exact: false }).waitFor({ timeout: 20_000 });
  expect(await screen.innerText()).toContain('公共能耗费');

  await screen.locator('van-button', { hasText: '确认出账' }).tap();
  const modal = desk.locator('.wx-modal');
  await modal.waitFor();
  expect(compact(await modal.innerText())).toMatch(/生成\d+户账单，合计¥[\d,]+\.\d{2}/);
  await modal.locator('.wx-modal-confirm').tap();
  await screen.getByText('业主现在可以查看和缴费', { exact: false }).waitFor({ timeout: 30_000 });
  // an issued period is not previewed again, and the page says why
  await screen.getByText('账单已发给业主，无需重新预览', { exact: false }).waitFor();
  await screen
    .locator('van-button', { hasText: '重新预览' })
    .locator('[class*="van-button--disabled"]')
    .waitFor();

  const run = await until(
    async () => h.cloud.store.find('billing_runs', { status: 'issued' })[0],
    (r) => r !== undefined,
  );
  const period = String(run!.period);
  // a quarterly bill reads the three months it covers: 2026年12月–2027年2月
  const periodText = formatMonths(period, addMonths(period, 2));

  const page = await h.open('o_demo_owner');
  await tapTab(page, '账单');
  await waitForRoute(page, 'pages/bills/index');
  const card = current(page).locator('bill-card', { hasText: `2栋1单元302 · 账期 ${periodText}` });
  await card.getByText('查看明细').tap();
  await waitForRoute(page, 'pages/bill/index');
  const detail = current(page);
  await detail.getByText('费用明细').waitFor();
  const text = await detail.innerText();
  expect(text).toContain('建筑面积 89.47 m² × 2.3500 元/m²/月 × 3 个月 = ¥630.76');
  expect(text).toContain('建筑面积 89.47 m² × 0.1500 元/m²/月 × 3 个月 = ¥40.26');
  expect(text).toContain('¥671.02');
  expect(h.external).toEqual([]);
});
