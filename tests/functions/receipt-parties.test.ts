/**
 * Who a receipt names, through the payment function (issue 18): the payer as registered (the
 * owner on record, in full to that owner, masked to anyone else), the cashier's name for money
 * taken at the desk and no cashier for money paid online, the channel on its own line; the
 * months each bill covers; a prepayment names its room; and the owner saves it as an A4 PDF.
 */
import { PDFDocument } from 'pdf-lib';
import type { LocalCloud } from '../../tools/cloud/server';
import { DEMO_USERS } from '../../tools/seed/demo';
import { startTestCloud } from '../helpers/cloud';
import { extractText } from '../helpers/pdf-text';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type {
  ReceiptSummary,
  ReceiptView,
  RecordedPayment,
} from '../../miniprogram/domain/payment/contract';
import type { PrintedFile } from '../../miniprogram/domain/print/file';

jest.setTimeout(60_000);

const ROOM = 'r_1_1_1501';
let cloud: LocalCloud;
beforeAll(async () => {
  cloud = await startTestCloud({ seed: 'demo' });
});
afterAll(async () => {
  await cloud.close();
});

const raw = (event: Record<string, unknown>, openid: string) =>
  cloud.call('payment', event, openid) as Promise<Reply<unknown>>;
async function ok<T>(event: Record<string, unknown>, openid: string): Promise<T> {
  const r = (await raw(event, openid)) as Reply<T>;
  if (!r.ok) throw new Error(`${String(event.action)}: ${r.code} ${r.message}`);
  return r.data;
}

let desk: RecordedPayment;

beforeAll(async () => {
  const oldest = cloud.store.find(
    'bills',
    { roomId: ROOM, status: 'unpaid' },
    { sort: { dueDate: 1 } },
  )[0]!;
  desk = await ok<RecordedPayment>(
    {
      action: 'recordOffline',
      roomId: ROOM,
      channel: 'cash',
      amountFen: oldest.amountDueFen,
      billIds: [oldest._id],
      idempotencyKey: 'parties-test-0001',
    },
    DEMO_USERS.cashier,
  );
});

test('money taken at the desk: the payer as registered, the cashier by name, the channel apart', async () => {
  // the owner on record sees their own name in full
  const mine = await ok<ReceiptView>(
    { action: 'receipt', paymentId: desk.paymentId },
    DEMO_USERS.owner,
  );
  expect(mine).toMatchObject({
    payer: '王建国',
    cashier: '陈收费员',
    channel: 'cash',
    channelLabel: '现金',
  });
  // a quarterly bill: the months it covers
  expect(mine.allocations[0]!.coverTo > mine.allocations[0]!.coverFrom).toBe(true);
  // staff see the receipt with the name masked
  const staff = await ok<ReceiptView>(
    { action: 'receipt', paymentId: desk.paymentId },
    DEMO_USERS.finance,
  );
  expect(staff.payer).toBe('王**');
  expect(staff.cashier).toBe('陈收费员');
});

test('money paid online has no cashier; its channel says how', async () => {
  const online = cloud.store.find(
    'payments',
    { roomIds: ROOM, channel: 'wechat', reverses: { $exists: false } },
    { sort: { paidAt: -1 } },
  )[0]!;
  const view = await ok<ReceiptView>(
    { action: 'receipt', paymentId: String(online._id) },
    DEMO_USERS.owner,
  );
  expect(view).toMatchObject({ cashier: '', channelLabel: '微信支付', payer: '王建国' });
});

test('a prepayment names the room it was paid into, in the list and on the receipt', async () => {
  // no bills chosen: the room's bills are paid oldest first, the rest goes to prepaid
  const owed = cloud.store
    .find('bills', { roomId: 'r_2_1_302', status: { $in: ['unpaid', 'partial'] } })
    .reduce(
      (sum, b) =>
        sum + (b.amountDueFen as number) + (b.lateFeeFen as number) - (b.paidFen as number),
      0,
    );
  const prepay = await ok<RecordedPayment>(
    {
      action: 'recordOffline',
      roomId: 'r_2_1_302',
      channel: 'cash',
      amountFen: owed + 20_000,
      idempotencyKey: 'parties-test-0002',
    },
    DEMO_USERS.cashier,
  );
  expect(prepay.prepaidFen).toBe(20_000);
  const view = await ok<ReceiptView>(
    { action: 'receipt', paymentId: prepay.paymentId },
    DEMO_USERS.owner,
  );
  expect(view.prepaidRoomLabel).toBe('2栋1单元302');
  const list = await ok<{ receipts: ReceiptSummary[] }>({ action: 'myReceipts' }, DEMO_USERS.owner);
  expect(list.receipts.find((r) => r.paymentId === prepay.paymentId)!.roomLabels).toContain(
    '2栋1单元302',
  );
});

test('the owner saves the receipt as an A4 PDF naming payer, cashier and months; others cannot', async () => {
  const file = await ok<PrintedFile>(
    { action: 'receiptPdf', paymentId: desk.paymentId },
    DEMO_USERS.owner,
  );
  const res = await fetch(file.tempFileURL);
  expect(res.status).toBe(200);
  const pdf = await PDFDocument.load(new Uint8Array(await res.arrayBuffer()));
  expect(pdf.getPageCount()).toBe(1);
  const text = extractText(pdf).join('\n');
  expect(text).toContain(desk.receiptNo);
  expect(text).toContain('王建国');
  expect(text).toContain('收款人：陈收费员');
  expect(text).toContain('现金');
  expect(text).toMatch(/\d{4}年\d{1,2}月–\d{1,2}月/);
  // someone else's receipt is not found, never hinted at
  expect(
    await raw({ action: 'receiptPdf', paymentId: desk.paymentId }, DEMO_USERS.paid),
  ).toMatchObject({
    ok: false,
    code: 'NOT_FOUND',
  });
});
