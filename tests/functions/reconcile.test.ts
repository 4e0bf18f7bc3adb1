/**
 * Reconciliation through the local cloud, the real SDK and the WeChat Pay sandbox's statement:
 * a lost callback, an amount that differs, a payment WeChat never saw and a refund are found;
 * each is resolved through the ledger (or explained); the day closes, and later entries on it
 * are recorded as corrections with their reason.
 */
import ExcelJS from 'exceljs';
import type { LocalCloud } from '../../tools/cloud/server';
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import type {
  BankImportView,
  ReconDayView,
  WechatRunView,
} from '../../miniprogram/domain/reconcile/contract';
import { callsTo } from '../helpers/calls';
import { sdkFor, useTestCloud } from '../helpers/cloud';
import { postJson } from '../helpers/process';
import { counts, ok } from './community-helpers';
import type { CreatedOrder } from '../../miniprogram/domain/payment/contract';

/** Uploads through the real SDK pointed at this test's cloud (a new cloud per test). */
async function upload(c: LocalCloud, cloudPath: string, bytes: Buffer): Promise<string> {
  return (await sdkFor(c).uploadFile({ cloudPath, fileContent: bytes })).fileID;
}

const C = DEMO_COMMUNITY_ID;
const D = '2026-12-02';
/** Statements are named as 对账 uploads them (recon/<community>/wechat-<day>-<ms>.csv, bank-<ms>.…). */
let stamp = 1764640800000;
const FIN = DEMO_USERS.finance;
const fee = (fen: number) => Math.round((fen * 6) / 1000);

const cloud = useTestCloud({ seed: 'demo' });
const call = callsTo(cloud);
beforeEach(async () => {
  await cloud.setClock(Date.parse(`${D}T10:00:00+08:00`), { fireTimers: false });
});

const recon = <T>(action: string, extra: Record<string, unknown> = {}, openid: string = FIN) =>
  call.reconcile<T>({ action, communityId: C, ...extra }, openid);

/** Finance refunds part of a payment (WeChat Pay sends it back at once). */
const refund = (paymentId: unknown, amountFen: number, reason: string) =>
  call.payment({ action: 'requestRefund', paymentId, amountFen, reason }, FIN);

async function pay(openid: string, mutate?: (o: CreatedOrder) => void): Promise<CreatedOrder> {
  const order = ok(await call.payment<CreatedOrder>({ action: 'createOrder' }, openid));
  mutate?.(order);
  await postJson(`${cloud.url}/gateway/pay`, {
    package: order.payment.package,
    openid,
    result: 'success',
  });
  return order;
}

/** A payer bound to a room with open bills (the demo's arrears rooms are taken by demo users). */
function bindPayer(openid: string): string {
  const taken = new Set(['r_1_1_1501', 'r_2_1_302', 'r_1_2_201', 'r_3_2_801']);
  const bill = cloud.store
    .find('bills', { status: 'unpaid' })
    .find((b) => !taken.has(String(b.roomId)) && !b.payHold)!;
  cloud.store.insert('room_bindings', [
    {
      _id: `${String(bill.roomId)}:${openid}`,
      roomId: bill.roomId,
      openid,
      communityId: C,
      relation: 'owner',
      status: 'verified',
    },
  ]);
  return String(bill.roomId);
}

test('WeChat Pay: discrepancies found, resolved through the ledger, the day closed', async () => {
  // 1. A normal payment, applied by its callback.
  const normal = await pay(DEMO_USERS.owner);
  // 2. An order whose amount on our side differs from what WeChat Pay collected.
  bindPayer('o_recon_payer');
  const odd = await pay('o_recon_payer', (o) => {
    cloud.store.update(
      'pay_orders',
      { _id: o.outTradeNo },
      { $inc: { amountFen: -100 } },
      { multi: false, replace: false, upsert: false },
    );
  });
  expect(cloud.store.find('pay_orders', { _id: odd.outTradeNo })[0]!.status).toBe('exception');
  // 3. A lost callback: every notification delivery fails.
  cloud.pay.faults = { failNext: 99 };
  const lost = await pay(DEMO_USERS.elder);
  expect(cloud.store.count('payments', { outTradeNo: lost.outTradeNo })).toBe(0);
  // 4. A refund of 10.00 on the normal payment.
  const normalPayment = cloud.store.find('payments', { outTradeNo: normal.outTradeNo })[0]!;
  ok(await refund(normalPayment._id, 1000, '重复缴纳部分退回'));
  // 5. A WeChat payment in our ledger that WeChat Pay never reported.
  cloud.store.insert('payments', [
    {
      _id: 'wx_PFGHOST',
      communityId: C,
      roomIds: [],
      channel: 'wechat',
      amountFen: 5000,
      allocations: [],
      prepaidFen: 0,
      receiptNo: 'SJ2026-900001',
      paidAt: new Date(`${D}T11:00:00+08:00`),
      recordedBy: 'wechat',
      outTradeNo: 'PFGHOST',
    },
  ]);

  // Before 10:00 the next day there is no statement yet.
  await cloud.setClock(Date.parse('2026-12-03T09:00:00+08:00'), { fireTimers: false });
  expect(await recon('runWechat', { date: D })).toMatchObject({
    ok: false,
    code: 'PRECONDITION_FAILED',
  });
  await cloud.setClock(Date.parse('2026-12-03T10:30:00+08:00'), { fireTimers: false });
  const run = ok(await recon<WechatRunView>('runWechat', { date: D }));
  const X = normal.amountFen;
  const Y = odd.amountFen;
  const Z = lost.amountFen;
  expect(run.statement).toMatchObject({
    count: 4,
    tradeFen: X + Y + Z,
    refundFen: 1000,
    feeFen: fee(X) + fee(Y) + fee(Z) - fee(1000),
    netFen: X + Y + Z - 1000 - (fee(X) + fee(Y) + fee(Z) - fee(1000)),
  });
  expect(run).toMatchObject({ matchedCount: 1, matchedFen: X, refundMatchedCount: 1 });
  expect(run.system).toMatchObject({ paymentCount: 2, paymentFen: X + 5000, refundFen: 1000 });
  const byKind = Object.fromEntries(run.items.map((i) => [i.kind, i]));
  expect(Object.keys(byKind).sort()).toEqual([
    'amount-mismatch',
    'missing-in-statement',
    'missing-in-system',
  ]);
  expect(byKind['missing-in-system']).toMatchObject({
    outTradeNo: lost.outTradeNo,
    statementFen: Z,
    action: 'apply',
  });
  expect(byKind['amount-mismatch']).toMatchObject({
    statementFen: Y,
    systemFen: Y - 100,
    action: 'accept',
  });
  expect(byKind['missing-in-statement']).toMatchObject({ outTradeNo: 'PFGHOST', systemFen: 5000 });
  expect(run.openItems).toBe(3);

  expect(await recon('closeDay', { date: D })).toMatchObject({
    ok: false,
    code: 'PRECONDITION_FAILED',
    message: expect.stringContaining('3 项') as unknown,
  });
  // A note cannot stand in for money WeChat collected.
  expect(
    await recon('resolveItem', {
      date: D,
      itemKey: byKind['missing-in-system']!.key,
      note: '知道了',
    }),
  ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });

  // The lost callback, applied through the callback's own path.
  const applied = ok(
    await recon<WechatRunView>('applyMissing', {
      date: D,
      itemKey: byKind['missing-in-system']!.key,
    }),
  );
  const fixed = applied.items.find((i) => i.kind === 'missing-in-system')!;
  // The applied payment now counts on the system side.
  expect(applied.system).toMatchObject({ paymentCount: 3, paymentFen: X + 5000 + Z });
  expect(fixed.resolution).toMatchObject({
    action: 'applied',
    receiptNo: expect.stringMatching(/^SJ/) as unknown,
  });
  for (const billId of lost.billIds)
    expect(cloud.store.find('bills', { _id: billId })[0]!.status).toBe('paid');
  expect(
    await recon('applyMissing', { date: D, itemKey: byKind['missing-in-system']!.key }),
  ).toMatchObject({ ok: false, code: 'CONFLICT' });
  // The notification arriving at last changes nothing.
  cloud.pay.faults = {};
  await cloud.setClock(Date.parse('2026-12-04T10:30:00+08:00'), { fireTimers: false });
  expect(cloud.store.count('payments', { outTradeNo: lost.outTradeNo })).toBe(1);

  // The amount WeChat collected is accepted through the ledger, with a reason.
  ok(
    await recon('acceptStatement', {
      date: D,
      itemKey: byKind['amount-mismatch']!.key,
      reason: '核实为订单金额录入差异，按微信实收入账',
    }),
  );
  const accepted = cloud.store.find('payments', { outTradeNo: odd.outTradeNo })[0]!;
  expect(accepted.amountFen).toBe(Y);
  expect(cloud.store.find('pay_exceptions', { outTradeNo: odd.outTradeNo })[0]!.status).toBe(
    'resolved',
  );
  const done = ok(
    await recon<WechatRunView>('resolveItem', {
      date: D,
      itemKey: byKind['missing-in-statement']!.key,
      note: '测试数据，已与微信支付商户平台核实无此交易',
    }),
  );
  expect(done.openItems).toBe(0);

  const closed = ok(await recon<ReconDayView>('closeDay', { date: D, note: '当日已核对' }));
  expect(closed.status).toBe('closed');
  expect(closed.closedTotals!.wechat).toBe(X + Y + Z + 5000 - 1000);
  // A closed day is not reconciled again.
  expect(await recon('runWechat', { date: D })).toMatchObject({
    ok: false,
    code: 'PRECONDITION_FAILED',
  });
  // A later refund of money from the closed day: a new red entry, listed on the day with its reason.
  const lostPayment = cloud.store.find('payments', { outTradeNo: lost.outTradeNo })[0]!;
  ok(await refund(lostPayment._id, 500, '业主多缴退回'));
  const day = ok(await recon<{ days: ReconDayView[] }>('days', { from: D, to: D })).days[0]!;
  expect(day.corrections).toEqual([
    expect.objectContaining({ kind: 'reversal', amountFen: -500, reason: '业主多缴退回' }),
  ]);
  expect(day.closedTotals!.wechat).toBe(X + Y + Z + 5000 - 1000);
  const reversal = cloud.store.find('payments', { reverses: lostPayment._id })[0]!;
  expect(reversal.closedDayCorrection).toEqual({ date: D, reason: '业主多缴退回' });
  for (const action of [
    'recon.wechat',
    'recon.applyMissing',
    'recon.acceptStatement',
    'recon.note',
    'recon.closeDay',
  ])
    expect(cloud.store.count('audit_log', { action })).toBeGreaterThan(0);
});

test('roles, dates and an uploaded statement that does not read change nothing', async () => {
  await cloud.setClock(Date.parse('2026-12-03T10:30:00+08:00'), { fireTimers: false });
  expect(await recon('runWechat', { date: D }, DEMO_USERS.cashier)).toMatchObject({
    ok: false,
    code: 'FORBIDDEN',
  });
  expect(await recon('runWechat', { date: '2026-12-03' })).toMatchObject({
    ok: false,
    code: 'INVALID_INPUT',
  });
  expect(await recon('runWechat', { date: '2026-12-32' })).toMatchObject({
    ok: false,
    code: 'INVALID_INPUT',
  });
  const before = counts(cloud);
  const fileID = await upload(
    cloud,
    `recon/c_cuihu/wechat-${D}-${stamp++}.csv`,
    Buffer.from('交易时间,商户订单号\r\n`2026-12-02 10:00:00,`PF1\r\n'),
  );
  const bad = await recon('runWechat', { date: D, fileID });
  // Another community's folder is not readable through this community.
  const elsewhere = await upload(
    cloud,
    `recon/c_other/wechat-${D}-${stamp++}.csv`,
    Buffer.from('x'),
  );
  expect(await recon('runWechat', { date: D, fileID: elsewhere })).toMatchObject({
    ok: false,
    code: 'INVALID_INPUT',
    message: expect.stringContaining('recon/c_cuihu/') as unknown,
  });
  expect(bad).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect(counts(cloud)).toEqual(before);
  // An empty day reconciles to nothing and can be closed.
  const empty = ok(await recon<WechatRunView>('runWechat', { date: D }));
  expect(empty).toMatchObject({ empty: true, openItems: 0, matchedCount: 0 });
  expect(ok(await recon<ReconDayView>('closeDay', { date: D })).status).toBe('closed');
});

function csv(rows: string[][]): Buffer {
  return Buffer.from(`\ufeff${rows.map((r) => r.join(',')).join('\r\n')}\r\n`);
}

const MAPPING = {
  date: '交易日期',
  credit: '贷方金额',
  debit: '借方金额',
  reference: '交易流水号',
  payer: '对方户名',
  memo: '摘要',
};
const HEADER = ['交易日期', '贷方金额', '借方金额', '交易流水号', '对方户名', '摘要'];

test('bank statement: matched by reference and by amount and date; unmatched lines assigned or ignored', async () => {
  const record = async (roomId: string, channel: string, amountFen: number, reference: string) =>
    ok(
      await call.payment(
        {
          action: 'recordOffline',
          roomId,
          channel,
          amountFen,
          reference,
          idempotencyKey: `k_${reference}`,
        },
        DEMO_USERS.cashier,
      ),
    );
  await record('r_1_1_1501', 'transfer', 12345, 'TRX20261202001');
  await record('r_2_1_302', 'card', 23456, 'POS778899');
  await record('r_1_2_201', 'card', 34567, 'POS111222');
  const file = csv([
    ['招商银行 账户明细'],
    HEADER,
    ['2026-12-02', '123.45', '', 'TRX20261202001', '张三', '物业费'],
    ['2026/12/03', '234.56', '', 'B99887766', '银联商务', 'POS 批量结算'],
    ['2026-12-02 15:20:00', '500.00', '', 'B55555', '王五', '1栋1单元1501 物业费'],
    ['2026-12-02', '', '10.00', 'B1', '银行', '手续费'],
    ['20261202', '0.35', '', 'INT1', '银行', '利息'],
    ['合计', '858.36', '10.00', '', '', ''],
  ]);
  const fileID = await upload(cloud, `recon/c_cuihu/bank-${stamp++}.csv`, file);

  // A broken amount: nothing is written, the message names the row and column.
  const before = counts(cloud);
  const broken = csv([HEADER, ['2026-12-02', '12x.45', '', 'R1', '张三', '']]);
  const bad = await recon('importBank', {
    fileID: await upload(cloud, `recon/c_cuihu/bank-${stamp++}.csv`, broken),
    mapping: MAPPING,
  });
  expect(bad).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect((bad as { message: string }).message).toContain('第 2 行“贷方金额”');
  expect(
    await recon('importBank', { fileID, mapping: { ...MAPPING, credit: '收入' } }),
  ).toMatchObject({
    ok: false,
    code: 'INVALID_INPUT',
  });
  expect(counts(cloud)).toEqual({ ...before, audit_log: before.audit_log });

  const imp = ok(
    await recon<BankImportView>('importBank', {
      fileID,
      fileName: 'bank-1202.csv',
      mapping: MAPPING,
    }),
  );
  expect(imp.counts).toMatchObject({ matched: 2, unmatched: 2, debit: 1, ambiguous: 0 });
  expect(imp.creditFen).toBe(12345 + 23456 + 50000 + 35);
  expect(imp.lines.map((l) => [l.row, l.status, l.matchedBy ?? ''])).toEqual([
    [3, 'matched', 'reference'],
    [4, 'matched', 'amount-date'],
    [5, 'unmatched', ''],
    [6, 'debit', ''],
    [7, 'unmatched', ''],
  ]);
  // In the system, not in the bank: the third card payment.
  expect(imp.unmatchedPayments.map((p) => p.amountFen)).toEqual([34567]);
  const again = ok(await recon<BankImportView>('importBank', { fileID, mapping: MAPPING }));
  expect(again.repeat).toBe(true);
  expect(cloud.store.count('bank_lines', {})).toBe(5);

  const line5 = imp.lines.find((l) => l.row === 5)!;
  const outstanding = () =>
    cloud.store
      .find('bills', { roomId: 'r_1_1_1501' })
      .reduce((s, b) => s + Number(b.amountDueFen) + Number(b.lateFeeFen) - Number(b.paidFen), 0);
  const owed = outstanding();
  const assigned = ok(
    await recon<BankImportView>('assignBankLine', {
      lineId: line5.lineId,
      roomId: 'r_1_1_1501',
      reason: '业主来电确认为 1501 物业费转账',
    }),
  );
  const a = assigned.lines.find((l) => l.row === 5)!;
  expect(a).toMatchObject({ status: 'assigned', roomLabel: '1栋1单元1501' });
  expect(outstanding()).toBe(Math.max(0, owed - 50000));
  const payment = cloud.store.find('payments', { _id: a.paymentId! })[0]!;
  expect(payment).toMatchObject({ channel: 'transfer', amountFen: 50000, reference: 'B55555' });
  expect(cloud.store.count('audit_log', { action: 'bank.assign' })).toBe(1);
  expect(
    await recon('assignBankLine', {
      lineId: line5.lineId,
      roomId: 'r_1_1_1501',
      reason: '再来一次',
    }),
  ).toMatchObject({ ok: true });
  expect(cloud.store.count('payments', { _id: a.paymentId! })).toBe(1);
  const line7 = imp.lines.find((l) => l.row === 7)!;
  ok(await recon('ignoreBankLine', { lineId: line7.lineId, reason: '银行结息，非物业费' }));

  // An .xlsx statement (numbers and dates as Excel holds them) matches the third card payment.
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('明细');
  ws.addRow(['记账日', '金额', '流水号']);
  ws.addRow([new Date(Date.UTC(2026, 11, 2)), 345.67, 'POS111222']);
  const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
  const x = ok(
    await recon<BankImportView>('importBank', {
      fileID: await upload(cloud, `recon/c_cuihu/bank-${stamp++}.xlsx`, xlsx),
      mapping: { date: '记账日', amount: '金额', reference: '流水号' },
    }),
  );
  expect(x.lines[0]).toMatchObject({ status: 'matched', matchedBy: 'reference', amountFen: 34567 });

  // Close 12-02 (an empty WeChat day), then a line for it arrives: a correction with its reason.
  await cloud.setClock(Date.parse('2026-12-03T10:30:00+08:00'), { fireTimers: false });
  ok(await recon('runWechat', { date: D }));
  ok(await recon('closeDay', { date: D }));
  const late = ok(
    await recon<BankImportView>('importBank', {
      fileID: await upload(
        cloud,
        `recon/c_cuihu/bank-${stamp++}.csv`,
        csv([HEADER, ['2026-12-02', '77.70', '', 'B7777', '赵六', '补缴']]),
      ),
      mapping: MAPPING,
    }),
  );
  ok(
    await recon('assignBankLine', {
      lineId: late.lines[0]!.lineId,
      roomId: 'r_2_1_302',
      reason: '银行次日补发的 12-02 到账流水',
    }),
  );
  const day = ok(await recon<{ days: ReconDayView[] }>('days', { from: D, to: D })).days[0]!;
  expect(day.status).toBe('closed');
  expect(day.corrections).toEqual([
    expect.objectContaining({
      kind: 'payment',
      amountFen: 7770,
      reason: '银行次日补发的 12-02 到账流水',
    }),
  ]);
});
