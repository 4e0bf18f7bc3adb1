/**
 * Payments in real Chromium against the local cloud (demo seed): an owner pays two bills with
 * the sandbox WeChat Pay sheet, sees the receipt and the bills paid; a cashier records cash for
 * the elderly owner's room and sees the receipt number. The database is the judge.
 */
import {
  compact,
  current,
  periodLabel,
  unpaidBills,
  until,
  useHarness,
  waitForRoute,
} from './harness';

const h = useHarness();

function billStatus(id: string): string {
  return h.cloud.store.find('bills', { _id: id })[0]!.status as string;
}

test('an owner pays two bills with the pay sheet and gets the receipt', async () => {
  // each of the owner's two rooms owes two quarters; the older ones are paid here
  const [older1501, newer1501] = unpaidBills(h.cloud, 'r_1_1_1501');
  const [older302] = unpaidBills(h.cloud, 'r_2_1_302');
  const oldest = [older1501!, older302!];
  const page = await h.open('o_demo_owner', 'pages/bills/index');
  const bills = current(page);
  await bills.getByText('待缴合计').waitFor();
  const cards = bills.locator('bill-card');
  expect(await cards.count()).toBe(4);
  // keep the two oldest chosen, untick the newer ones
  await cards.nth(2).tap();
  await cards.nth(3).tap();
  const paybar = bills.locator('[class$="--paybar"]');
  expect(
    await until(
      async () => compact(await paybar.innerText()),
      (t) => t.includes('已选2笔'),
    ),
  ).toContain('¥1,595.76');
  await bills.locator('van-button', { hasText: '去缴费' }).tap();

  await waitForRoute(page, 'pages/pay/index');
  const confirm = current(page);
  await confirm.getByText('缴费明细').waitFor();
  const confirmText = compact(await confirm.innerText());
  expect(confirmText).toContain('共2笔账单');
  expect(confirmText).toContain(`1栋1单元1501·账期${periodLabel(older1501!.period)}`);
  expect(confirmText).toContain(`2栋1单元302·账期${periodLabel(older302!.period)}`);
  await confirm.locator('van-button', { hasText: '微信支付' }).tap();

  // the sandbox pay sheet shows the server's amount
  const sheet = page.locator('[data-sheet="pay"]');
  await sheet.waitFor();
  expect(await sheet.innerText()).toContain('¥1,595.76');
  await sheet.locator('[data-action="pay"]').tap();

  await waitForRoute(page, 'pages/pay-result/index');
  const result = current(page);
  await result.getByText('缴费成功').waitFor();
  const receiptNo = /SJ\d{4}-\d{6}/.exec(await result.innerText())?.[0];
  expect(receiptNo).toBeDefined();
  for (const bill of oldest) expect(billStatus(bill._id)).toBe('paid');
  expect(billStatus(newer1501!._id)).toBe('unpaid');
  const payment = h.cloud.store.find('payments', { receiptNo })[0]!;
  expect(payment).toMatchObject({ amountFen: 159576, channel: 'wechat' });

  await result.locator('van-button', { hasText: '查看电子收据' }).tap();
  await waitForRoute(page, 'pages/receipt/index');
  const receipt = current(page);
  await receipt.getByText('物业服务费电子收据').waitFor();
  const receiptText = compact(await receipt.innerText());
  expect(receiptText).toContain(`No.${receiptNo}`);
  expect(receiptText).toContain('¥1,595.76');
  expect(receiptText).toContain('壹仟伍佰玖拾伍元柒角陆分');
  expect(receiptText).toContain('收款方式微信支付');

  // 保存图片: in the preview the picture is downloaded as a PNG
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    receipt.locator('van-button', { hasText: '保存图片' }).tap(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.png$/);
  const png = await download.createReadStream();
  let bytes = 0;
  for await (const chunk of png) bytes += (chunk as Buffer).length;
  expect(bytes).toBeGreaterThan(20_000);

  // back to the bills: the two paid ones are gone from 待缴费
  await page.locator('#wx-nav-back').tap();
  await waitForRoute(page, 'pages/pay-result/index');
  await page.locator('#wx-nav-back').tap();
  await waitForRoute(page, 'pages/bills/index');
  expect(
    await until(
      () => current(page).locator('bill-card').count(),
      (n) => n === 2,
    ),
  ).toBe(2);
  expect(h.external).toEqual([]);
});

test('a cashier records cash for the elderly owner’s room and sees the receipt number', async () => {
  const [oldest] = unpaidBills(h.cloud, 'r_1_2_201');
  const page = await h.open('o_demo_cashier', 'admin/collect/index', 'relaunch');
  const form = current(page);
  await form.getByText('选择房屋').waitFor();
  await form.locator('van-search input').fill('1-2-201');
  await form.getByText('1栋2单元201').tap();
  await form.getByText('更换').waitFor();

  const field = (name: string) => form.locator(`van-field[class*="${name}"] input`);
  await field('f-amount').fill('965');
  await field('f-tendered').fill('1000');
  await form.getByText('应找零').waitFor();
  expect(compact(await form.innerText())).toContain('应找零¥35.00');
  await field('f-payer').fill('张阿姨');
  await form.locator('van-button', { hasText: '确认收款' }).tap();

  const modal = page.locator('.wx-modal');
  await modal.waitFor();
  expect(compact(await modal.innerText())).toContain('1栋2单元201，现金收款¥965.00，找零¥35.00');
  await modal.locator('.wx-modal-confirm').tap();

  await form.getByText('收款成功').waitFor();
  const receiptNo = /SJ\d{4}-\d{6}/.exec(await form.innerText())?.[0];
  expect(receiptNo).toBeDefined();
  const payment = h.cloud.store.find('payments', { receiptNo })[0]!;
  expect(payment).toMatchObject({
    amountFen: 96500,
    channel: 'cash',
    payerName: '张阿姨',
    roomIds: ['r_1_2_201'],
  });
  expect(billStatus(oldest!._id)).toBe('paid');
  expect(compact(await form.innerText())).toContain('请找零¥35.00');
  expect(h.external).toEqual([]);
});
