/**
 * Finance meets the demo's short-paid WeChat callback in real Chromium: 工作台 shows the open
 * count on 支付异常, the desk shows what WeChat collected against the order, and finance applies
 * it with a reason — a receipt is issued, the item moves to 已处理, the count is gone.
 */
import {
  current,
  startHarness,
  tapWhenSettled,
  until,
  waitForRoute,
  type Harness,
} from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const SEEDED = 'PFSEEDSHORTPAID0000000000000001';

test('finance sees the short-paid callback from 工作台 and applies it with a reason', async () => {
  const page = await h.open('o_demo_finance', 'admin/index/index', 'relaunch');
  const home = current(page);
  const entry = home.locator('[class*="cell "], [class$="cell"]', { hasText: '支付异常' });
  await entry.locator('[class*="count-badge"]', { hasText: '1' }).waitFor();
  await tapWhenSettled(page, entry);
  await waitForRoute(page, 'admin/exceptions/index');

  const desk = current(page);
  await desk.getByText('少付：微信实收少于订单金额').waitFor();
  expect(await desk.getByText(/少收 ¥100\.00/).count()).toBe(1);
  await tapWhenSettled(page, desk.locator('van-button', { hasText: '按实收入账' }));
  await desk.locator('van-field[class*="f-reason"] input').fill('业主来电确认少付，余款另行缴纳');
  const modal = page.locator('.wx-modal');
  const empty = desk.getByText('暂无待处理的支付异常');
  await tapWhenSettled(page, desk.locator('van-button', { hasText: '确认按实收入账' }));
  // The confirmation (money moves). The tap's own trailing click can land on the modal's
  // 确认 where it opens over the button, so the modal may already be answered.
  await until(
    async () => (await modal.isVisible()) || (await empty.isVisible()),
    (v) => v,
    10_000,
  );
  if (await modal.isVisible()) {
    expect(await modal.innerText()).toContain('按微信实收');
    await modal.locator('.wx-modal-confirm').tap();
  }
  await empty.waitFor();

  const paid = await until(
    async () => h.cloud.store.find('payments', { outTradeNo: SEEDED })[0],
    (p) => p !== undefined,
    10_000,
  );
  expect(paid!.receiptNo).toMatch(/^SJ\d{4}-\d{6}$/);
  expect(h.cloud.store.find('pay_exceptions', { outTradeNo: SEEDED })[0]).toMatchObject({
    status: 'resolved',
    resolution: { action: 'apply', reason: '业主来电确认少付，余款另行缴纳' },
  });
  await tapWhenSettled(page, desk.getByText('已处理', { exact: true }));
  await desk.getByText(`收据 ${String(paid!.receiptNo)}`, { exact: false }).waitFor();
  expect(h.external).toEqual([]);
});
