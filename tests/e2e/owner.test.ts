/**
 * An owner in real Chromium against the local cloud: the home page shows what the database says
 * is owed, tabs move between pages, and nothing is fetched from outside the machine.
 */
import { formatYuan } from '../../miniprogram/domain/kernel/money';
import { formatDate } from '../../miniprogram/domain/kernel/time';
import { current, routeOf, tapTab, until, useHarness, waitForRoute } from './harness';

const h = useHarness();

/** What an owner owes, straight from the database: outstanding over their bound rooms. */
function owedFromDatabase(openid: string): {
  dueFen: number;
  nextDue: string | null;
  unpaidCount: number;
} {
  const roomIds = h.cloud.store
    .find('room_bindings', { openid, status: 'verified' })
    .map((b) => b.roomId as string);
  const open = h.cloud.store
    .find('bills', { roomId: { $in: roomIds }, status: { $in: ['unpaid', 'partial'] } })
    .map((b) => ({
      owed: (b.amountDueFen as number) + ((b.lateFeeFen as number) ?? 0) - (b.paidFen as number),
      due: b.dueDate as string,
    }));
  const dues = open.map((b) => b.due).sort();
  return {
    dueFen: open.reduce((s, b) => s + b.owed, 0),
    nextDue: dues[0] ?? null,
    unpaidCount: open.length,
  };
}

test('the home page shows the amount owed and, its due dates past, 已逾期 with the count', async () => {
  const expected = owedFromDatabase('o_demo_owner');
  expect(expected.dueFen).toBeGreaterThan(0);
  const page = await h.open('o_demo_owner');
  const home = current(page);
  await home.getByText('当前应缴').waitFor();
  const text = (await home.innerText()).replace(/\s+/g, '');
  expect(text).toContain(formatYuan(expected.dueFen).replace(/\s+/g, ''));
  // every unpaid bill of the demo owner is past its due date: none is shown as the next one
  expect(text).not.toContain(formatDate(expected.nextDue!));
  expect(text).toContain(`已逾期${expected.unpaidCount}笔`);
  // dates in Chinese are never zero-padded (the seeded notice titles too)
  expect(text).not.toMatch(/年0\d月/);
  expect(text).toContain('立即缴费');
  expect(await page.locator('#wx-nav-title').innerText()).toBe('物业缴费');
});

test('an owner moves between tabs, and quick pay opens the payment confirmation', async () => {
  const { unpaidCount, dueFen } = owedFromDatabase('o_demo_owner');
  const page = await h.open('o_demo_owner');
  await current(page).getByText('当前应缴').waitFor();

  await tapTab(page, '账单');
  await waitForRoute(page, 'pages/bills/index');
  const bills = current(page);
  await bills.getByText('待缴合计').waitFor();
  expect(await bills.locator('bill-card').count()).toBe(unpaidCount);
  expect((await bills.locator('[class$="--paybar"]').innerText()).replace(/\s+/g, '')).toContain(
    formatYuan(dueFen),
  );
  expect(await page.locator('#wx-nav-title').innerText()).toBe('我的账单');
  // typing into the search field (a real <input> in the preview) filters the list
  await bills.locator('van-search input').fill('302');
  const cards = () => bills.locator('bill-card').count();
  const shown = await until(cards, (n) => n < unpaidCount);
  expect(shown).toBeGreaterThan(0);
  for (const card of await bills.locator('bill-card').allInnerTexts())
    expect(card).toContain('2栋1单元302');
  await bills.locator('van-search input').fill('');
  expect(await until(cards, (n) => n === unpaidCount)).toBe(unpaidCount);

  await tapTab(page, '我的');
  await waitForRoute(page, 'pages/me/index');
  await current(page).getByText('长辈模式').waitFor();
  await current(page).getByText('我的房屋').tap();
  await waitForRoute(page, 'pages/rooms/index');
  await current(page).getByText('1栋1单元1501').waitFor();
  await page.locator('#wx-nav-back').tap();
  await waitForRoute(page, 'pages/me/index');

  await tapTab(page, '首页');
  await waitForRoute(page, 'pages/home/index');
  await current(page).locator('van-button', { hasText: '立即缴费' }).tap();
  await waitForRoute(page, 'pages/pay/index');
  await current(page).getByText(`共 ${unpaidCount} 笔账单`, { exact: false }).waitFor();
  expect(h.external).toEqual([]);
});

test('an owner who has paid everything sees ¥0.00 and a thank-you', async () => {
  expect(owedFromDatabase('o_demo_paid').dueFen).toBe(0);
  const page = await h.open('o_demo_paid');
  const home = current(page);
  await home.getByText('您已缴清全部费用，感谢您的支持').waitFor();
  expect((await home.innerText()).replace(/\s+/g, '')).toContain('¥0.00');
});

test('the elderly owner starts in 长辈模式, and type is larger than for other owners', async () => {
  const fontSizeOfGreeting = async (user: string) => {
    const page = await h.open(user);
    const greet = current(page).locator('[class$="--greet"]').first();
    await greet.waitFor();
    const size = await greet.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    const elderClass = await current(page).locator('[class*="--elder"]').count();
    return { size, elderClass };
  };
  const elder = await fontSizeOfGreeting('o_demo_elder');
  const normal = await fontSizeOfGreeting('o_demo_owner');
  expect(elder.elderClass).toBeGreaterThan(0);
  expect(normal.elderClass).toBe(0);
  expect(elder.size).toBeGreaterThan(normal.size);
});

test('vant icons render from the locally served font; no request leaves the machine', async () => {
  const page = await h.open('o_demo_owner');
  await current(page).getByText('当前应缴').waitFor();
  const loaded = await page.evaluate(async () => {
    await document.fonts.ready;
    return document.fonts.check('16px vant-icon');
  });
  expect(loaded).toBe(true);
  expect(h.external).toEqual([]);
  expect(await routeOf(page)).toBe('pages/home/index');
});
