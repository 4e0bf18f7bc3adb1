/**
 * Finance pages in the admin subpackage: 退款 (list by status, a request checked before sending
 * with the payment looked up first, admin approve/reject with a reason, retry of a failed one),
 * 发票开具 (issue with a number, return with a reason) and 部署设置 (server messages shown next to
 * the fields they name; the owners' reading window and backup kept days; the link to 数据备份).
 */
import { ADMIN, FINANCE, RECEIPT } from './fixtures';
import { callsOf, confirmAll, fail, ok, stubWx } from './wx-stub';
import {
  loadPage,
  query,
  queryAll,
  settle,
  tap,
  tapButton,
  tapNth,
  textOf,
  typeInto,
} from './page';
import type { CommunityInfo } from '../../miniprogram/domain/community/contract';
import type { DeploymentSettings } from '../../miniprogram/domain/settings/contract';
import type { InvoiceView, RefundView } from '../../miniprogram/domain/payment/contract';
import { template } from '../helpers/templates';

const PENDING: RefundView = {
  refundId: 'rf_pending',
  paymentId: 'pay_2',
  receiptNo: 'SJ2026-000780',
  channel: 'wechat',
  amountFen: 159576,
  reason: '重复缴费',
  status: 'pending-approval',
  requestedBy: 'o_demo_finance',
  requestedAt: '2026-11-28T02:00:00.000Z',
};
const DONE: RefundView = {
  ...PENDING,
  refundId: 'rf_done',
  amountFen: 10000,
  status: 'done',
  reversalReceiptNo: 'HZ2026-000001',
};
const FAILED: RefundView = {
  ...PENDING,
  refundId: 'rf_failed',
  amountFen: 5000,
  status: 'failed',
  failure: '商户余额不足',
};

describe('退款 (admin/refunds)', () => {
  test('finance sees every state: amounts in ¥, the red receipt number, the failure and a retry', async () => {
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'payment.refunds': ok({ refunds: [PENDING, DONE, FAILED], nextCursor: null, total: 3 }),
      'payment.retryRefund': ok({ ...FAILED, status: 'done', reversalReceiptNo: 'HZ2026-000002' }),
    });
    const page = await loadPage('admin/refunds/index');
    const text = textOf(page);
    expect(text).toContain('¥1,595.76');
    expect(text).toContain('待审批');
    expect(text).toContain('已退款');
    expect(text).toContain('HZ2026-000001');
    expect(text).toContain('失败原因：商户余额不足');
    // finance cannot approve
    expect(page.querySelector('.approve')).toBeUndefined();
    await tapButton(page, '.retry');
    expect(callsOf(stub, 'retryRefund')[0]!.data).toEqual({
      action: 'retryRefund',
      refundId: 'rf_failed',
    });
    // the status filter asks the server
    await tapNth(page, '.tab', 1);
    expect(callsOf(stub, 'refunds').at(-1)!.data).toEqual({
      action: 'refunds',
      status: 'pending-approval',
      limit: 50,
    });
  });

  test('a request: the payment is looked up, the amount and a reason are required', async () => {
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'payment.refunds': ok({ refunds: [], nextCursor: null, total: 0 }),
      'payment.receipt': ok(RECEIPT),
      'payment.requestRefund': (input: Record<string, unknown>) =>
        ok({
          ...DONE,
          amountFen: input.amountFen as number,
          reason: input.reason as string,
        }),
    });
    confirmAll(stub);
    const page = await loadPage('admin/refunds/index', { paymentId: 'pay_2' });
    let text = textOf(page);
    expect(text).toContain('SJ2026-000780');
    expect(page.data.amountText).toBe('1595.76');
    await typeInto(page, ['.f-amount'], '2000');
    await tapButton(page, '.submit');
    expect(callsOf(stub, 'requestRefund')).toHaveLength(0);
    expect(page.data.errors.amount).toBe('退款金额不能超过收款金额 ¥1,595.76');
    expect(page.data.errors.reason).toBe('请填写退款原因（至少 2 个字）');
    expect(textOf(page)).toContain('请填写退款原因（至少 2 个字）');
    await typeInto(page, ['.f-amount'], '100');
    await tapNth(page, '.quick-chip', 0);
    await tapButton(page, '.submit');
    expect(callsOf(stub, 'requestRefund')[0]!.data).toEqual({
      action: 'requestRefund',
      paymentId: 'pay_2',
      amountFen: 10000,
      reason: '重复缴费',
    });
    text = textOf(page);
    expect(text).toContain('退款 ¥100.00 已完成，红字收据 HZ2026-000001');
  });

  test('an unknown payment id is reported at the field, nothing is sent', async () => {
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'payment.refunds': ok({ refunds: [], nextCursor: null, total: 0 }),
      'payment.receipt': fail('NOT_FOUND', 'paymentId: 未找到'),
    });
    const page = await loadPage('admin/refunds/index', { paymentId: 'nope' });
    expect(page.data.errors.paymentId).toBe('抱歉，没有找到相关信息，请刷新后再试');
    await tapNth(page, '.quick-chip', 0);
    await tapButton(page, '.submit');
    expect(callsOf(stub, 'requestRefund')).toHaveLength(0);
    expect(page.data.errors.paymentId).toBe('请先查询并核对这笔收款');
  });

  test('an admin approves a pending refund, and must give a reason to reject one', async () => {
    const stub = stubWx({
      'account.whoami': ok(ADMIN),
      'payment.refunds': ok({ refunds: [PENDING], nextCursor: null, total: 1 }),
      'payment.decideRefund': (input: Record<string, unknown>) =>
        ok({
          ...PENDING,
          status: input.approve ? 'done' : 'rejected',
          ...(input.approve ? { reversalReceiptNo: 'HZ2026-000003' } : {}),
        }),
    });
    confirmAll(stub);
    const page = await loadPage('admin/refunds/index');
    // admins open on what waits for them
    expect(callsOf(stub, 'refunds')[0]!.data).toEqual({
      action: 'refunds',
      status: 'pending-approval',
      limit: 50,
    });
    await tapButton(page, '.reject');
    await tapButton(page, '.confirm-reject');
    expect(callsOf(stub, 'decideRefund')).toHaveLength(0);
    expect(textOf(page)).toContain('请填写驳回原因（至少 2 个字）');
    await typeInto(page, ['.f-note'], '金额有误');
    await tapButton(page, '.confirm-reject');
    expect(callsOf(stub, 'decideRefund')[0]!.data).toEqual({
      action: 'decideRefund',
      refundId: 'rf_pending',
      approve: false,
      note: '金额有误',
    });
    await tapButton(page, '.approve');
    expect(callsOf(stub, 'decideRefund')[1]!.data).toEqual({
      action: 'decideRefund',
      refundId: 'rf_pending',
      approve: true,
    });
  });
});

const INVOICE: InvoiceView = {
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

describe('发票开具 (admin/invoices)', () => {
  test('a long queue comes a page at a time: the total from the server, 加载更多 appends', async () => {
    const second = { ...INVOICE, invoiceId: 'inv_pay_3', title: '第二页的抬头有限公司' };
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'payment.invoiceQueue': (input: Record<string, unknown>) =>
        ok(
          input.cursor === 'c2'
            ? { invoices: [second], nextCursor: null, total: 2 }
            : { invoices: [INVOICE], nextCursor: 'c2', total: 2 },
        ),
    });
    const page = await loadPage('admin/invoices/index');
    expect(textOf(page)).toContain('共 2 条待开具');
    expect(textOf(page)).not.toContain('第二页的抬头有限公司');
    query(page, '.load-more').dispatchEvent('tap');
    await settle();
    expect(textOf(page)).toContain('杭州翠湖科技有限公司');
    expect(textOf(page)).toContain('第二页的抬头有限公司');
    expect(queryAll(page, '.load-more')).toHaveLength(0);
    expect(callsOf(stub, 'invoiceQueue').map((c) => c.data.cursor)).toEqual([undefined, 'c2']);
  });

  test('issue needs an invoice number; return needs a reason', async () => {
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'payment.invoiceQueue': ok({ invoices: [INVOICE], nextCursor: null, total: 1 }),
      'payment.decideInvoice': (input: Record<string, unknown>) =>
        ok({ ...INVOICE, status: input.issue ? 'issued' : 'rejected' }),
    });
    const page = await loadPage('admin/invoices/index');
    expect(textOf(page)).toContain('杭州翠湖科技有限公司');
    expect(textOf(page)).toContain('91330106MA2B0XYZ1K');
    await tapButton(page, '.issue');
    await tapButton(page, '.confirm-edit');
    expect(textOf(page)).toContain('请填写发票号码');
    await typeInto(page, ['.f-invoice-no'], '24330000000012345678');
    await tapButton(page, '.confirm-edit');
    expect(callsOf(stub, 'decideInvoice')[0]!.data).toEqual({
      action: 'decideInvoice',
      invoiceId: 'inv_pay_2',
      issue: true,
      invoiceNo: '24330000000012345678',
    });
    await tapButton(page, '.return');
    await tapButton(page, '.confirm-edit');
    expect(textOf(page)).toContain('请填写退回原因');
    await tapNth(page, '.quick-chip', 1);
    await tapButton(page, '.confirm-edit');
    expect(callsOf(stub, 'decideInvoice')[1]!.data).toEqual({
      action: 'decideInvoice',
      invoiceId: 'inv_pay_2',
      issue: false,
      rejectReason: '税号有误',
    });
  });
});

const SETTINGS: DeploymentSettings = {
  communityId: 'c_cuihu',
  communityName: '翠湖花园',
  subMchId: '1900000109',
  templates: {
    billReminder: template('TPL_bill_reminder_0001', 'thing1', 'amount2'),
  },
  refundApprovalFen: 100000,
  chargeApprovalFen: 50000,
  quietHours: { from: '21:00', to: '08:00' },
  bindingReview: 'auto',
  backupKeepDays: 30,
  readingWindowDays: 7,
  smsDailyCap: 0,
  smsSignature: '物业费收缴',
  noticeLeadDays: 15,
};
const COMMUNITY: CommunityInfo = {
  communityId: 'c_cuihu',
  name: '翠湖花园',
  address: '杭州市西湖区翠湖路 1 号',
  servicePhone: '0571-8888 6666',
  serviceHours: '每日 8:30–18:00',
  frontDesk: '3 栋一楼物业服务中心',
  paymentMethods: ['wechat', 'cash'],
};

describe('部署设置 (admin/settings)', () => {
  test('the contracts’ messages appear before sending, the server’s own next to the fields they name', async () => {
    const stub = stubWx({
      'account.whoami': ok(ADMIN),
      'settings.get': ok(SETTINGS),
      'community.get': ok(COMMUNITY),
      'settings.update': fail(
        'INVALID_INPUT',
        'templates.billReminder.amount2: 关键词名须为类型加序号，如 thing2',
      ),
      'community.update': fail('INVALID_INPUT', 'name: 该名称已被其他小区使用'),
    });
    const page = await loadPage('admin/settings/index');
    expect(textOf(page)).toContain('翠湖花园');
    expect(page.data.deploy.refundText).toBe('1000');
    // settings.update's own rule, before anything is sent
    await typeInto(page, ['.f-submch'], '123');
    await typeInto(page, ['.f-refund'], '500');
    await typeInto(page, ['.f-charge'], '800');
    await tapButton(page, '.save-deploy');
    expect(callsOf(stub, 'update')).toHaveLength(0);
    expect(page.data.deployErrors.subMchId).toBe('特约商户号为 8–12 位数字');
    expect(textOf(page)).toContain('特约商户号为 8–12 位数字');

    // what the function checks beyond its contract (WeChat's keyword rules) comes back per field
    await typeInto(page, ['.f-submch'], '1900000109');
    await tapButton(page, '.save-deploy');
    const sent = callsOf(stub, 'update').find((c) => c.name === 'settings')!.data;
    expect(sent).toMatchObject({
      communityId: 'c_cuihu',
      subMchId: '1900000109',
      refundApprovalFen: 50000,
      chargeApprovalFen: 80000,
      quietHours: { from: '21:00', to: '08:00' },
      bindingReview: 'auto',
      templates: { billReminder: SETTINGS.templates.billReminder },
    });
    expect(page.data.deployErrors.subMchId).toBe('');
    expect(page.data.tplErrors.billReminder.rows[1]).toBe('关键词名须为类型加序号，如 thing2');
    expect(textOf(page)).toContain('关键词名须为类型加序号，如 thing2');

    // the community profile: community.update's rule refuses the phone before sending …
    await typeInto(page, ['.f-phone'], 'call me');
    await tapButton(page, '.save-profile');
    expect(callsOf(stub, 'update').filter((c) => c.name === 'community')).toHaveLength(0);
    expect(page.data.profileErrors.servicePhone).toBe('服务电话格式不正确');
    expect(textOf(page)).toContain('服务电话格式不正确');
    // … and only the changed field is sent, the function's sentence shown under it
    await typeInto(page, ['.f-phone'], '0571-8888 6666');
    await typeInto(page, ['.f-name'], '翠湖花园二期');
    await tapButton(page, '.save-profile');
    expect(callsOf(stub, 'update').find((c) => c.name === 'community')!.data).toEqual({
      action: 'update',
      communityId: 'c_cuihu',
      name: '翠湖花园二期',
    });
    expect(page.data.profileErrors).toMatchObject({
      name: '该名称已被其他小区使用',
      servicePhone: '',
    });
  });

  test('a keyword row with no template ID is caught before sending', async () => {
    const stub = stubWx({
      'account.whoami': ok(ADMIN),
      'settings.get': ok(SETTINGS),
      'community.get': ok(COMMUNITY),
    });
    const page = await loadPage('admin/settings/index');
    await tap(page, '.tpl-overdueReminder .kw-add');
    expect(page.data.rows[1].keywords).toHaveLength(1);
    await tapButton(page, '.save-deploy');
    expect(callsOf(stub, 'update')).toHaveLength(0);
    expect(textOf(page)).toContain('请填写模板 ID');
  });

  test('kept days and the reading window are checked by the contract, then sent as numbers', async () => {
    const stub = stubWx({
      'account.whoami': ok(ADMIN),
      'settings.get': ok(SETTINGS),
      'community.get': ok(COMMUNITY),
      'settings.update': (input: Record<string, unknown>) => ok({ ...SETTINGS, ...input }),
    });
    const page = await loadPage('admin/settings/index');
    expect(page.data.deploy).toMatchObject({ keepDaysText: '30', windowDaysText: '7' });
    await typeInto(page, ['.f-keep'], '400');
    await typeInto(page, ['.f-window'], '20');
    await tapButton(page, '.save-deploy');
    expect(callsOf(stub, 'update')).toHaveLength(0);
    expect(page.data.deployErrors.keepDays).toBe('备份保留天数应为 1–365 的整数');
    expect(page.data.deployErrors.windowDays).toBe('自助抄表天数应为 0–15 的整数');
    expect(textOf(page)).toContain('备份保留天数应为 1–365 的整数');

    await typeInto(page, ['.f-keep'], '14');
    await typeInto(page, ['.f-window'], '0');
    await tapButton(page, '.save-deploy');
    expect(callsOf(stub, 'update')[0]!.data).toMatchObject({
      backupKeepDays: 14,
      readingWindowDays: 0,
    });
    expect(page.data.deploy).toMatchObject({ keepDaysText: '14', windowDaysText: '0' });
  });

  test('notice lead days and the SMS cap and signature are checked by the contract, then sent', async () => {
    const stub = stubWx({
      'account.whoami': ok(ADMIN),
      'settings.get': ok(SETTINGS),
      'community.get': ok(COMMUNITY),
      'settings.update': (input: Record<string, unknown>) => ok({ ...SETTINGS, ...input }),
    });
    const page = await loadPage('admin/settings/index');
    expect(page.data.deploy).toMatchObject({ leadDaysText: '15', smsCapText: '0' });
    await typeInto(page, ['.f-lead'], '0');
    await typeInto(page, ['.f-sms-sign'], '物');
    await tapButton(page, '.save-deploy');
    expect(callsOf(stub, 'update')).toHaveLength(0);
    expect(page.data.deployErrors.leadDays).toBe('提前通知天数应为 1–60 的整数');
    expect(page.data.deployErrors.smsSignature).toBe('短信签名为小程序名称，2–12 个字');
    await typeInto(page, ['.f-lead'], '20');
    await typeInto(page, ['.f-sms-cap'], '300');
    await typeInto(page, ['.f-sms-sign'], '翠湖物业');
    await tapButton(page, '.save-deploy');
    expect(callsOf(stub, 'update')[0]!.data).toMatchObject({
      noticeLeadDays: 20,
      smsDailyCap: 300,
      smsSignature: '翠湖物业',
    });
  });

  test('查看备份记录 opens the backups page', async () => {
    const stub = stubWx({
      'account.whoami': ok(ADMIN),
      'settings.get': ok(SETTINGS),
      'community.get': ok(COMMUNITY),
    });
    const page = await loadPage('admin/settings/index');
    await tap(page, '.backups-link');
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({ url: '/admin/backups/index' });
  });
});
