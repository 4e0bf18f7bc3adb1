/**
 * 发票 for owners: the receipt offers 申请发票; the form is checked with the function's own
 * contract before sending — a company's tax ID with the same rule the function uses (its check
 * character too), every problem at once next to its field — and a sentence the function still
 * answers with is shown next to its field; a request already made is shown instead of the form;
 * 我的发票 shows 申请中, 已开具 (number, file) and 已退回 (reason).
 */
import { OWNER, RECEIPT } from './fixtures';
import { fail, ok, stubWx } from './wx-stub';
import { loadPage, settle, tap, tapButton, textOf, typeInto } from './page';
import type { InvoiceView } from '../../miniprogram/domain/payment/contract';

const REQUESTED: InvoiceView = {
  invoiceId: 'inv_pay_2',
  paymentId: 'pay_2',
  receiptNo: 'SJ2026-000780',
  amountFen: 159576,
  titleType: 'company',
  title: '杭州翠湖科技有限公司',
  taxId: '91330106MA2B0XYZ1K',
  status: 'requested',
  requestedAt: '2026-11-28T02:00:00.000Z',
};
const ISSUED: InvoiceView = {
  ...REQUESTED,
  invoiceId: 'inv_pay_1',
  paymentId: 'pay_1',
  receiptNo: 'SJ2025-000005',
  amountFen: 96500,
  titleType: 'personal',
  title: '张三',
  taxId: undefined,
  status: 'issued',
  invoiceNo: '24330000000012345678',
  fileUrl: 'http://127.0.0.1/files/get/invoices/inv_pay_1-1767225600000.pdf?t=1&sign=x',
};
const RETURNED: InvoiceView = {
  ...REQUESTED,
  invoiceId: 'inv_pay_3',
  paymentId: 'pay_3',
  receiptNo: 'SJ2026-000100',
  status: 'rejected',
  rejectReason: '税号有误',
};

const invoiceCalls = (stub: ReturnType<typeof stubWx>) =>
  stub.calls.filter((c) => c.data.action === 'requestInvoice');

describe('申请发票 from a receipt', () => {
  test('the receipt page offers 申请发票 for this payment', async () => {
    const stub = stubWx({ 'payment.receipt': ok(RECEIPT), 'account.whoami': ok(OWNER) });
    const page = await loadPage('pages/receipt/index', { paymentId: 'pay_2' });
    expect(textOf(page)).toContain('申请发票');
    expect(textOf(page)).not.toContain('申请退款');
    await tapButton(page, '.invoice');
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({
      url: '/pages/invoice/index?paymentId=pay_2',
    });
  });

  test('a company title needs a tax ID: refused before sending', async () => {
    const stub = stubWx({
      'payment.receipt': ok(RECEIPT),
      'payment.myInvoices': ok({ invoices: [] }),
    });
    const page = await loadPage('pages/invoice/index', { paymentId: 'pay_2' });
    expect(textOf(page)).toContain('收据 SJ2026-000780');
    await tapButton(page, '.submit');
    expect(page.data.errors.title).toBe('请填写抬头（至少 2 个字）');
    await tap(page, '.type-company');
    expect(textOf(page)).toContain('税号');
    await typeInto(page, ['.f-title'], '杭州翠湖科技有限公司');
    await typeInto(page, ['.f-email'], 'not-an-email');
    await tapButton(page, '.submit');
    expect(invoiceCalls(stub)).toHaveLength(0);
    expect(page.data.errors.taxId).toBe('单位抬头请填写税号');
    expect(page.data.errors.email).toBe('邮箱格式不正确');
    expect(textOf(page)).toContain('单位抬头请填写税号');
  });

  test('tax ID “12345” is refused before sending, with the function’s rule, every error at once', async () => {
    const stub = stubWx({
      'payment.receipt': ok(RECEIPT),
      'payment.myInvoices': ok({ invoices: [] }),
    });
    const page = await loadPage('pages/invoice/index', { paymentId: 'pay_2' });
    await tap(page, '.type-company');
    await typeInto(page, ['.f-title'], '杭');
    await typeInto(page, ['.f-tax'], '12345');
    await typeInto(page, ['.f-email'], 'finance@');
    await tapButton(page, '.submit');
    expect(invoiceCalls(stub)).toHaveLength(0);
    expect(page.data.errors).toEqual({
      title: '请填写抬头（至少 2 个字）',
      taxId: '税号应为 18 位统一社会信用代码（或 15/20 位纳税人识别号）',
      email: '邮箱格式不正确',
    });
    const text = textOf(page);
    expect(text).toContain('请填写抬头（至少 2 个字）');
    expect(text).toContain('税号应为 18 位统一社会信用代码');
    expect(text).toContain('邮箱格式不正确');

    // an 18-character code with a wrong check character: the function's own sentence, unsent
    await typeInto(page, ['.f-title'], '杭州翠湖科技有限公司');
    await typeInto(page, ['.f-tax'], '91110000600037341x');
    await typeInto(page, ['.f-email'], '');
    await tapButton(page, '.submit');
    expect(invoiceCalls(stub)).toHaveLength(0);
    expect(page.data.errors).toEqual({
      title: '',
      taxId: '统一社会信用代码校验位不正确，请核对后重新填写',
      email: '',
    });
  });

  test('a real code is sent as checked; a sentence the function answers with shows at its field', async () => {
    const stub = stubWx({
      'payment.receipt': ok(RECEIPT),
      'payment.myInvoices': ok({ invoices: [] }),
      'payment.requestInvoice': fail(
        'INVALID_INPUT',
        'taxId: 该税号与单位名称不符，请核对后重新填写',
      ),
    });
    const page = await loadPage('pages/invoice/index', { paymentId: 'pay_2' });
    await tap(page, '.type-company');
    await typeInto(page, ['.f-title'], ' 杭州翠湖科技有限公司 ');
    await typeInto(page, ['.f-tax'], '91110000 600037341l');
    await tapButton(page, '.submit');
    expect(invoiceCalls(stub)[0]!.data).toEqual({
      action: 'requestInvoice',
      paymentId: 'pay_2',
      titleType: 'company',
      title: '杭州翠湖科技有限公司',
      taxId: '91110000600037341L',
    });
    expect(page.data.errors.taxId).toBe('该税号与单位名称不符，请核对后重新填写');
    expect(textOf(page)).toContain('该税号与单位名称不符');
  });

  test('a personal request is sent and then shown as 申请中', async () => {
    const stub = stubWx({
      'payment.receipt': ok(RECEIPT),
      'payment.myInvoices': ok({ invoices: [] }),
      'payment.requestInvoice': (input: Record<string, unknown>) =>
        ok({ ...REQUESTED, titleType: 'personal', title: input.title, taxId: undefined }),
    });
    const page = await loadPage('pages/invoice/index', { paymentId: 'pay_2' });
    await typeInto(page, ['.f-title'], '张三');
    await tapButton(page, '.submit');
    expect(invoiceCalls(stub)[0]!.data).toEqual({
      action: 'requestInvoice',
      paymentId: 'pay_2',
      titleType: 'personal',
      title: '张三',
    });
    expect(textOf(page)).toContain('发票申请已提交');
    await tapButton(page, '.my-invoices');
    expect(stub.wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/invoices/index' });
  });

  test('an issued invoice is shown instead of the form; a returned one is asked for again', async () => {
    stubWx({
      'payment.receipt': ok({ ...RECEIPT, paymentId: 'pay_1' }),
      'payment.myInvoices': ok({ invoices: [ISSUED] }),
    });
    let page = await loadPage('pages/invoice/index', { paymentId: 'pay_1' });
    expect(textOf(page)).toContain('发票已开具');
    expect(textOf(page)).toContain('24330000000012345678');

    stubWx({
      'payment.receipt': ok({ ...RECEIPT, paymentId: 'pay_3' }),
      'payment.myInvoices': ok({ invoices: [RETURNED] }),
    });
    page = await loadPage('pages/invoice/index', { paymentId: 'pay_3' });
    expect(textOf(page)).toContain('上次申请已退回：税号有误');
    expect(page.data.title).toBe('杭州翠湖科技有限公司');
    expect(page.data.titleType).toBe('company');
  });
});

describe('我的发票', () => {
  test('shows each state: 申请中, 已开具 with number and file, 已退回 with reason', async () => {
    const stub = stubWx({ 'payment.myInvoices': ok({ invoices: [REQUESTED, ISSUED, RETURNED] }) });
    stub.wx.downloadFile = jest.fn(
      (o: { success: (r: { tempFilePath: string; statusCode: number }) => void }) =>
        o.success({ tempFilePath: 'wxfile://tmp/inv.pdf', statusCode: 200 }),
    );
    stub.wx.openDocument = jest.fn((o: { success?: () => void }) => o.success?.());
    const page = await loadPage('pages/invoices/index');
    const text = textOf(page);
    expect(text).toContain('申请中');
    expect(text).toContain('已开具');
    expect(text).toContain('24330000000012345678');
    expect(text).toContain('已退回');
    expect(text).toContain('退回原因：税号有误');
    await tapButton(page, '.open-file');
    await settle();
    // Finance uploaded it: the owner opens it by the link the view carries, never by file id.
    expect(stub.wx.downloadFile).toHaveBeenCalledWith(
      expect.objectContaining({ url: ISSUED.fileUrl }),
    );
    expect(stub.wx.openDocument).toHaveBeenCalledWith(
      expect.objectContaining({ filePath: 'wxfile://tmp/inv.pdf' }),
    );
    await tapButton(page, '.again');
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({
      url: '/pages/invoice/index?paymentId=pay_3',
    });
  });

  test('nothing yet: a friendly empty state', async () => {
    stubWx({ 'payment.myInvoices': ok({ invoices: [] }) });
    const page = await loadPage('pages/invoices/index');
    expect(textOf(page)).toContain('您还没有申请过发票');
  });
});
