/**
 * Refunds (冲红) and invoices through the local cloud: WeChat refunds go through the sandbox with
 * a stable refund number, large ones wait for an admin, the ledger reverses with new entries and
 * bills reopen; invoice requests validate the tax ID and flow through finance's queue.
 */
import { DEMO_USERS } from '../../tools/seed/demo';
import { useTestCloud } from '../helpers/cloud';
import { ledgerViolations } from '../helpers/ledger';
import { caller, functionCalls } from '../helpers/calls';
import { clientGet, fetchLinked, idOfPath, uploadAs } from '../helpers/files';
import { postJson } from '../helpers/process';
import type {
  CreatedOrder,
  InvoiceView,
  RecordedPayment,
  RefundView,
} from '../../miniprogram/domain/payment/contract';

const cloud = useTestCloud({ seed: 'demo' });

const { call } = functionCalls(cloud);
const { raw } = caller(cloud, 'payment');

async function ownerPaysEverything(): Promise<{ paymentId: string; order: CreatedOrder }> {
  const order = await call<CreatedOrder>('payment', { action: 'createOrder' }, DEMO_USERS.owner);
  await postJson(`${cloud.url}/gateway/pay`, {
    package: order.payment.package,
    openid: DEMO_USERS.owner,
  });
  const status = await call<{ paymentId: string }>(
    'payment',
    { action: 'orderStatus', outTradeNo: order.outTradeNo },
    DEMO_USERS.owner,
  );
  return { paymentId: status.paymentId, order };
}

test('finance refunds part of a WeChat payment: money back through cloudPay, a red reversal, the newest bill reopens', async () => {
  const { paymentId, order } = await ownerPaysEverything();
  const refund = await call<RefundView>(
    'payment',
    { action: 'requestRefund', paymentId, amountFen: 5000, reason: '重复缴费部分退回' },
    DEMO_USERS.finance,
  );
  expect(refund).toMatchObject({
    status: 'done',
    amountFen: 5000,
    reversalReceiptNo: expect.stringMatching(/^HZ\d{4}-000001$/) as unknown,
  });
  const sandbox = cloud.pay.orders().find((o) => o.outTradeNo === order.outTradeNo)!;
  expect(sandbox.refundedFee).toBe(5000);
  const newest = order.billIds[order.billIds.length - 1]!;
  expect(cloud.store.find('bills', { _id: newest })[0]).toMatchObject({ status: 'partial' });
  // The original payment is untouched; the reversal is a new entry.
  expect(cloud.store.find('payments', { _id: paymentId })[0]!.amountFen).toBe(order.amountFen);
  expect(cloud.store.find('payments', { reverses: paymentId })[0]).toMatchObject({
    amountFen: -5000,
  });
  expect(ledgerViolations(cloud)).toEqual([]);
  const view = await call<{ reversed: boolean }>(
    'payment',
    { action: 'receipt', paymentId },
    DEMO_USERS.owner,
  );
  expect(view.reversed).toBe(true);
  // Retrying a done refund does nothing more.
  await expect(
    raw({ action: 'retryRefund', refundId: refund.refundId }, DEMO_USERS.finance),
  ).resolves.toMatchObject({ ok: false, code: 'PRECONDITION_FAILED' });
  expect(cloud.pay.orders().find((o) => o.outTradeNo === order.outTradeNo)!.refundedFee).toBe(5000);
});

test('a refund above the threshold waits for an admin; finance cannot approve; never more than was paid', async () => {
  const { paymentId, order } = await ownerPaysEverything();
  const refund = await call<RefundView>(
    'payment',
    {
      action: 'requestRefund',
      paymentId,
      amountFen: order.amountFen,
      reason: '业主搬离，全额退款',
    },
    DEMO_USERS.finance,
  );
  expect(refund.status).toBe('pending-approval');
  expect(
    await raw(
      { action: 'decideRefund', refundId: refund.refundId, approve: true },
      DEMO_USERS.finance,
    ),
  ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  const over = await raw(
    { action: 'requestRefund', paymentId, amountFen: 1, reason: '再退一分' },
    DEMO_USERS.finance,
  );
  expect(over).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect((over as { message: string }).message).toMatch(/^amountFen: /);
  // a refusal says why (the owner is told): without a reason nothing is decided
  const silent = await raw(
    { action: 'decideRefund', refundId: refund.refundId, approve: false, note: ' ' },
    DEMO_USERS.admin,
  );
  expect(silent).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect((silent as { message: string }).message).toBe('note: 请填写驳回原因（至少 2 个字）');
  expect(cloud.store.find('refunds', { _id: refund.refundId })[0]).toMatchObject({
    status: 'pending-approval',
  });
  const approved = await call<RefundView>(
    'payment',
    { action: 'decideRefund', refundId: refund.refundId, approve: true },
    DEMO_USERS.admin,
  );
  expect(approved.status).toBe('done');
  for (const id of order.billIds)
    expect(cloud.store.find('bills', { _id: id })[0]).toMatchObject({
      status: 'unpaid',
      paidFen: 0,
    });
  expect(ledgerViolations(cloud)).toEqual([]);
  const audit = cloud.store.find('audit_log', { targetType: 'refund' }).map((a) => a.action);
  expect(audit).toEqual(expect.arrayContaining(['refund.request', 'refund.approve']));
});

test('owners and cashiers cannot refund; a cash refund is recorded and reverses the ledger', async () => {
  const paid = await call<RecordedPayment>(
    'payment',
    {
      action: 'recordOffline',
      roomId: 'r_1_2_201',
      channel: 'cash',
      amountFen: 20_000,
      idempotencyKey: 'cashrefund01',
    },
    DEMO_USERS.cashier,
  );
  for (const who of [DEMO_USERS.owner, DEMO_USERS.cashier]) {
    expect(
      await raw(
        { action: 'requestRefund', paymentId: paid.paymentId, amountFen: 100, reason: '测试' },
        who,
      ),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  }
  const refund = await call<RefundView>(
    'payment',
    {
      action: 'requestRefund',
      paymentId: paid.paymentId,
      amountFen: 20_000,
      reason: '收错房号，现金退回',
    },
    DEMO_USERS.finance,
  );
  expect(refund.status).toBe('done');
  expect(cloud.store.find('bills', { _id: paid.allocations[0]!.billId })[0]).toMatchObject({
    paidFen: 0,
    status: 'unpaid',
  });
  expect(ledgerViolations(cloud)).toEqual([]);
  const list = await call<{ refunds: RefundView[] }>(
    'payment',
    { action: 'refunds' },
    DEMO_USERS.finance,
  );
  expect(list.refunds.map((r) => r.refundId)).toEqual([refund.refundId]);
});

test('invoices: tax ID checked, finance issues it, the owner sees it; nobody else can ask for my payment', async () => {
  const { paymentId } = await ownerPaysEverything();
  const bad = await raw(
    {
      action: 'requestInvoice',
      paymentId,
      titleType: 'company',
      title: '杭州某某科技有限公司',
      taxId: '911100001000012345',
    },
    DEMO_USERS.owner,
  );
  expect(bad).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect((bad as { message: string }).message).toMatch(/^taxId: /);
  const missing = await raw(
    { action: 'requestInvoice', paymentId, titleType: 'company', title: '杭州某某科技有限公司' },
    DEMO_USERS.owner,
  );
  expect(missing).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  const stranger = await raw(
    { action: 'requestInvoice', paymentId, titleType: 'personal', title: '张三' },
    DEMO_USERS.paid,
  );
  expect(stranger).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  expect(cloud.store.count('invoices', {})).toBe(0);

  const requested = await call<InvoiceView>(
    'payment',
    {
      action: 'requestInvoice',
      paymentId,
      titleType: 'company',
      title: '杭州某某科技有限公司',
      taxId: '91350100m000100y43',
    },
    DEMO_USERS.owner,
  );
  expect(requested).toMatchObject({ status: 'requested', taxId: '91350100M000100Y43' });
  const queue = await call<{ invoices: InvoiceView[] }>(
    'payment',
    { action: 'invoiceQueue' },
    DEMO_USERS.finance,
  );
  expect(queue.invoices.map((i) => i.invoiceId)).toEqual([requested.invoiceId]);
  expect(await raw({ action: 'invoiceQueue' }, DEMO_USERS.owner)).toMatchObject({
    ok: false,
    code: 'FORBIDDEN',
  });
  const noNumber = await raw(
    { action: 'decideInvoice', invoiceId: requested.invoiceId, issue: true },
    DEMO_USERS.finance,
  );
  expect((noNumber as { message: string }).message).toMatch(/^invoiceNo: /);
  // The file must be one finance uploaded for this invoice on 发票管理 (invoices/<invoiceId>-<ms>):
  // not another invoice's, not a generated export, not one that was never uploaded.
  const issue = (fileID: string) =>
    raw(
      {
        action: 'decideInvoice',
        invoiceId: requested.invoiceId,
        issue: true,
        invoiceNo: '24332000000012345678',
        fileID,
      },
      DEMO_USERS.finance,
    );
  const pdf = Buffer.from('%PDF-1.4 invoice');
  for (const fileID of [
    await uploadAs(cloud, DEMO_USERS.finance, `invoices/inv_other-1767225600000.pdf`, pdf),
    idOfPath(`exports/c_cuihu/0123456789abcdef0123456789abcdef/receipts-1.pdf`),
    idOfPath(`invoices/${requested.invoiceId}-1767225600001.pdf`),
  ]) {
    expect(await issue(fileID)).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/^fileID: /),
    });
  }
  const file = await uploadAs(
    cloud,
    DEMO_USERS.finance,
    `invoices/${requested.invoiceId}-1767225600002.pdf`,
    pdf,
  );
  expect(await issue(file)).toMatchObject({ ok: true });
  const mine = await call<{ invoices: InvoiceView[] }>(
    'payment',
    { action: 'myInvoices' },
    DEMO_USERS.owner,
  );
  expect(mine.invoices[0]).toMatchObject({ status: 'issued', invoiceNo: '24332000000012345678' });
  // Finance uploaded it: the owner cannot read it by id, and gets it as a link instead.
  expect(JSON.stringify(mine)).not.toContain('cloud://');
  expect((await clientGet(cloud, file, DEMO_USERS.owner)).status).toBe(403);
  expect(await fetchLinked({ tempFileURL: mine.invoices[0]!.fileUrl! })).toEqual(pdf);
});
