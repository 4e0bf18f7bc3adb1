/**
 * 投诉 end to end, in real Chromium against the local cloud (demo seed): an owner opens a bill,
 * taps 对这笔费用有疑问, describes the problem, attaches a photo (browser file picker → cloud
 * storage), submits and accepts the progress subscription, and gets a ticket number at once; the
 * bill is on hold. Customer service takes the ticket from the desk, replies with a polite phrase
 * and resolves it; the hold is released. The owner reads the reply and rates the service 5 stars.
 * The database is the judge at every step.
 */
import { current, until, useHarness, waitForRoute } from './harness';

const h = useHarness();

const OWNER = 'o_demo_owner';
// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

interface Ticket {
  _id: string;
  ticketNo: string;
  status: string;
  billIds: string[];
  photos: string[];
  rating: { stars: number } | null;
}

function newestTicket(): Ticket | undefined {
  const mine = h.cloud.store
    .find('complaints', { openid: OWNER })
    .filter((t) => !String(t._id).startsWith('cp_demo_'));
  return mine[0] as unknown as Ticket | undefined;
}

test('an owner disputes a fee with a photo, staff take and resolve it, the owner rates it', async () => {
  // ① the owner, from a bill
  const page = await h.open(OWNER, 'pages/bills/index');
  const bills = current(page);
  await bills.getByText('待缴合计').waitFor();
  await bills.locator('bill-card').first().getByText('查看明细').tap();
  await waitForRoute(page, 'pages/bill/index');
  await current(page).getByText('对这笔费用有疑问').tap();
  await waitForRoute(page, 'pages/complaints/new');
  const form = current(page);
  await form.getByText('情况说明').waitFor();
  expect(await form.locator('[class*="chip-on"]', { hasText: '费用疑问' }).count()).toBe(1);
  await form
    .locator('[class*="desc"] textarea')
    .first()
    .fill('本季度物业费比上季度多，想了解计费面积是否有误');
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    form.getByText('添加照片').tap(),
  ]);
  await chooser.setFiles({ name: 'bill.png', mimeType: 'image/png', buffer: PNG });
  await form.getByText('删除').waitFor();

  await form.locator('van-button', { hasText: '提交' }).tap();
  const sheet = page.locator('[data-sheet=subscribe]');
  await sheet.waitFor();
  expect(await sheet.innerText()).toContain('工单处理进度通知');
  await sheet.locator('[data-action=accept]').tap();
  await form.getByText('提交成功，感谢您的反馈').waitFor();
  const filed = newestTicket()!;
  expect(filed).toMatchObject({ status: 'registered' });
  expect(await form.innerText()).toContain(filed.ticketNo);
  expect(filed.photos).toHaveLength(1);
  expect(filed.photos[0]).toMatch(new RegExp(`^cloud://.+/complaints/${OWNER}/`));
  expect(filed.billIds).toHaveLength(1);
  const hold = () => h.cloud.store.find('bill_holds', { refId: filed._id })[0];
  expect(hold()).toMatchObject({ active: true, billIds: filed.billIds, reason: 'complaint' });

  // ② customer service: desk → take → polite reply → resolve
  const desk = await h.open('o_demo_service', 'admin/tickets/index', 'relaunch');
  const list = current(desk);
  await list.getByText(filed.ticketNo).tap();
  await waitForRoute(desk, 'admin/tickets/detail');
  const ticket = current(desk);
  // The owner's photo reaches the desk as the function's link: staff may not read it by id.
  const photo = ticket.locator('[class*="photos"] wx-image').first();
  const shown = await until(
    () => photo.evaluate((el) => (el as HTMLElement).style.backgroundImage),
    (bg) => bg.includes('url('),
    10_000,
  );
  const link = /url\("(.+)"\)/.exec(shown)![1]!;
  expect(link).toMatch(new RegExp(`/files/get/complaints/${OWNER}/`));
  expect(await desk.evaluate(async (u) => (await fetch(u)).status, link)).toBe(200);
  await ticket.locator('van-button', { hasText: '认领此工单' }).tap();
  await ticket.getByText('由 周客服 处理').waitFor();
  await ticket.getByText('抱歉给您带来不便，我们会尽快核实并给您答复。').tap();
  await ticket.locator('van-button', { hasText: '发送回复' }).tap();
  await desk.getByText('已回复业主').waitFor();
  await ticket
    .locator('[class*="status-note"] textarea')
    .fill('经核实面积登记有误，已更正，差额在下期账单抵扣');
  await ticket.locator('van-button', { hasText: '标记已解决' }).tap();
  await ticket.locator('van-tag', { hasText: '已解决' }).waitFor();
  expect(newestTicket()!.status).toBe('resolved');
  expect(hold()).toMatchObject({ active: false });
  expect(hold()!.to).not.toBeNull();

  // ③ the owner reads the reply and rates it
  const back = await h.open(OWNER, 'pages/complaints/index');
  await current(back).getByText(filed.ticketNo).tap();
  await waitForRoute(back, 'pages/complaints/detail');
  const progress = current(back);
  await progress.getByText('请为本次服务打分').waitFor();
  const text = await progress.innerText();
  expect(text).toContain('抱歉给您带来不便');
  expect(text).toContain('差额在下期账单抵扣');
  await progress.locator('[class*="star-5"]').tap();
  await progress.locator('van-button', { hasText: '提交评价' }).tap();
  await progress.getByText('您的评价').waitFor();
  expect(newestTicket()!.rating).toMatchObject({ stars: 5 });

  // the subscription the owner accepted carried one progress message
  const outbox = (await (await fetch(`${h.cloud.url}/dev/outbox`)).json()) as {
    touser: string;
    templateId: string;
  }[];
  expect(
    outbox.filter((m) => m.touser === OWNER && m.templateId === 'TMPL_TICKET_PROGRESS'),
  ).toHaveLength(1);
  expect(h.external).toEqual([]);
});
