/**
 * The front desk in real Chromium (issue 18): the cashier finds a room in 房屋账户 from 工作台,
 * reads what it owes bill by bill, goes on to 收款 with the room chosen, ticks the oldest bill
 * (the amount fills in), takes cash, and the payment shows in the room's account and on the
 * owner's receipt with the cashier's name. The database is the judge.
 */
import {
  current,
  periodLabel,
  startHarness,
  unpaidBills,
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

const compact = (s: string) => s.replace(/\s+/g, '');

test('房屋账户 → 收款: the cashier ticks a bill, the amount fills in, the receipt names the cashier', async () => {
  const [oldest, newer] = unpaidBills(h.cloud, 'r_1_1_1501');
  const page = await h.open('o_demo_cashier', 'admin/index/index', 'relaunch');
  await current(page).getByText('房屋账户', { exact: true }).tap();
  await waitForRoute(page, 'admin/room/index');
  const finder = current(page);
  await finder.locator('van-search input').fill('1-1-1501');
  await finder.getByText('1栋1单元1501').tap();

  const account = current(page);
  await account.getByText('待缴合计').waitFor();
  let text = compact(await account.innerText());
  expect(text).toContain(`${periodLabel(oldest!.period)}·截止`);
  expect(text).toContain(`${periodLabel(newer!.period)}·截止`);
  expect(text).toContain('已逾期');
  await account.locator('van-button', { hasText: '收款' }).tap();

  await waitForRoute(page, 'admin/collect/index');
  const form = current(page);
  await form.getByText('② 选择缴纳的账单').waitFor();
  // tick the oldest bill (its line names the months it covers)
  await form
    .getByText(`${periodLabel(oldest!.period)} · 截止`, { exact: false })
    .first()
    .tap();
  const amount = form.locator('van-field[class*="f-amount"] input');
  const bill = h.cloud.store.find('bills', { _id: oldest!._id })[0]!;
  const owed =
    (bill.amountDueFen as number) + (bill.lateFeeFen as number) - (bill.paidFen as number);
  expect(
    await until(
      () => amount.inputValue(),
      (v) => v !== '',
    ),
  ).toBe((owed / 100).toFixed(2));
  await form.locator('van-button', { hasText: '确认收款' }).tap();
  const modal = page.locator('.wx-modal');
  await modal.waitFor();
  expect(compact(await modal.innerText())).toContain('缴纳所选1笔账单');
  await modal.locator('.wx-modal-confirm').tap();
  await form.getByText('收款成功').waitFor();
  const receiptNo = /SJ\d{4}-\d{6}/.exec(await form.innerText())?.[0];
  const payment = h.cloud.store.find('payments', { receiptNo })[0]!;
  expect(payment).toMatchObject({ channel: 'cash', amountFen: owed, recordedBy: 'o_demo_cashier' });
  expect(h.cloud.store.find('bills', { _id: oldest!._id })[0]!.status).toBe('paid');
  expect(h.cloud.store.find('bills', { _id: newer!._id })[0]!.status).toBe('unpaid');

  // the owner's receipt: their name as registered, the cashier by name, the months covered
  const owner = await h.open(
    'o_demo_owner',
    `pages/receipt/index?paymentId=${String(payment._id)}`,
  );
  const receipt = current(owner);
  await receipt.getByText('物业服务费电子收据').waitFor();
  text = compact(await receipt.innerText());
  expect(text).toContain('交款人王建国');
  expect(text).toContain('收款人陈收费员');
  expect(text).toContain('收款方式现金');
  expect(text).toContain(`账期${periodLabel(oldest!.period)}`);
  expect(h.external).toEqual([]);
});
