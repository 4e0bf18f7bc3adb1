/**
 * 收据管理 (admin subpackage): search by dates or receipt numbers, 红冲 shown on both receipts,
 * select some and 批量打印 → the PDF is downloaded and opened; too many is explained. Staff
 * without the role: staff-page.test.ts.
 */
import type {
  PrintedReceipts,
  ReceiptSearchResult,
} from '../../miniprogram/domain/payment/receipts.contract';
import { defaultRange, parseReceiptNos } from '../../miniprogram/admin/receipts/view';
import { CASHIER } from './fixtures';
import { fail, ok, stubWx } from './wx-stub';
import { loadPage, settle, tap, tapButton, tapNth, textOf, typeInto } from './page';

const FOUND: ReceiptSearchResult = {
  total: 3,
  limit: 200,
  receipts: [
    {
      paymentId: 'rev_1',
      receiptNo: 'HZ2026-000001',
      kind: 'reversal',
      amountFen: -10000,
      channel: 'cash',
      channelLabel: '现金',
      paidAt: '2026-11-26T03:00:00.000Z',
      roomLabels: ['1栋2单元302'],
      payer: '业主',
      reversedBy: [],
      reverses: 'SJ2026-000779',
    },
    {
      paymentId: 'pay_779',
      receiptNo: 'SJ2026-000779',
      kind: 'receipt',
      amountFen: 64296,
      channel: 'cash',
      channelLabel: '现金',
      paidAt: '2026-11-25T08:21:00.000Z',
      roomLabels: ['1栋2单元302'],
      payer: '业主',
      reversedBy: ['HZ2026-000001'],
    },
    {
      paymentId: 'pay_780',
      receiptNo: 'SJ2026-000780',
      kind: 'receipt',
      amountFen: 159576,
      channel: 'wechat',
      channelLabel: '微信支付',
      paidAt: '2026-11-25T09:00:00.000Z',
      roomLabels: ['2栋1单元101'],
      payer: '业主',
      reversedBy: [],
    },
  ],
};

const FILE: PrintedReceipts = {
  tempFileURL: 'http://127.0.0.1/files/get/exports/c_cuihu/receipts.pdf',
  fileName: '翠湖花园-收据.pdf',
  count: 2,
  pages: 1,
  bytes: 30_000,
};

function withFiles(stub: ReturnType<typeof stubWx>, openFails = false) {
  stub.wx.cloud = {
    ...(stub.wx.cloud as object),
    downloadFile: jest.fn(async () => ({ tempFilePath: 'wxfile://tmp/receipts.pdf' })),
  };
  stub.wx.downloadFile = jest.fn(
    (o: { success: (r: { tempFilePath: string; statusCode: number }) => void }) =>
      o.success({ tempFilePath: 'wxfile://tmp/receipts.pdf', statusCode: 200 }),
  );
  stub.wx.openDocument = jest.fn((o: { success?: () => void; fail?: (e: unknown) => void }) =>
    openFails ? o.fail?.({ errMsg: 'openDocument:fail' }) : o.success?.(),
  );
  stub.wx.setClipboardData = jest.fn();
}

describe('收据管理', () => {
  test('helpers: the last seven days, and receipt numbers from pasted text', () => {
    expect(defaultRange(new Date('2026-11-27T17:00:00Z'))).toEqual({
      from: '2026-11-22',
      to: '2026-11-28',
    });
    expect(parseReceiptNos(' sj2026-000001, SJ2026-000002、HZ2026-000001\nSJ2026-000001')).toEqual({
      nos: ['SJ2026-000001', 'SJ2026-000002', 'HZ2026-000001'],
    });
    expect(parseReceiptNos('SJ2026-1')).toEqual({ bad: 'SJ2026-1' });
  });

  test('lists the last week with 红冲 marked both ways; selected receipts print as one PDF that opens', async () => {
    const stub = stubWx({
      'account.whoami': ok(CASHIER),
      'payment.searchReceipts': ok(FOUND),
      'payment.printReceipts': ok(FILE),
    });
    withFiles(stub);
    const page = await loadPage('admin/receipts/index');
    const search = stub.calls.find((c) => c.data.action === 'searchReceipts')!;
    expect(search.data).toMatchObject({ communityId: 'c_cuihu' });
    expect(search.data.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const text = textOf(page);
    expect(text).toContain('共 3 张');
    expect(text).toContain('红字收据，冲红原收据 SJ2026-000779');
    expect(text).toContain('已冲红（HZ2026-000001）');
    expect(text).toContain('-¥100.00');
    expect(text).toContain('¥1,595.76');
    expect(text).toContain('批量打印（3 张）');

    await tapNth(page, '.item', 0);
    await tapNth(page, '.item', 1);
    expect(textOf(page)).toContain('已选 2 张');
    expect(textOf(page)).toContain('批量打印（2 张）');
    await tap(page, '.per-1');
    await tapButton(page, '.print');
    await settle();
    const print = stub.calls.find((c) => c.data.action === 'printReceipts')!;
    expect(print.data).toEqual({
      action: 'printReceipts',
      communityId: 'c_cuihu',
      receiptNos: ['HZ2026-000001', 'SJ2026-000779'],
      perPage: 1,
    });
    // The generated file is fetched through the function's temporary link, never by file id
    // (the storage rules refuse clients anything under exports/).
    expect(stub.wx.downloadFile).toHaveBeenCalledWith(
      expect.objectContaining({ url: FILE.tempFileURL }),
    );
    expect((stub.wx.cloud as { downloadFile: jest.Mock }).downloadFile).not.toHaveBeenCalled();
    expect(stub.wx.openDocument).toHaveBeenCalledWith(
      expect.objectContaining({ filePath: 'wxfile://tmp/receipts.pdf', fileType: 'pdf' }),
    );
    expect(textOf(page)).toContain('已生成 2 张、1 页');
  });

  test('without a selection the whole search prints; when the file cannot open its link is copied', async () => {
    const stub = stubWx({
      'account.whoami': ok(CASHIER),
      'payment.searchReceipts': ok(FOUND),
      'payment.printReceipts': ok({ ...FILE, count: 3 }),
    });
    withFiles(stub, true);
    const page = await loadPage('admin/receipts/index');
    await tapButton(page, '.print');
    await settle();
    const print = stub.calls.find((c) => c.data.action === 'printReceipts')!;
    expect(print.data).toMatchObject({ perPage: 2 });
    expect(print.data.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(print.data.receiptNos).toBeUndefined();
    expect(stub.wx.setClipboardData).toHaveBeenCalledWith(
      expect.objectContaining({ data: FILE.tempFileURL }),
    );
  });

  test('by receipt numbers: a bad number is shown next to the field and nothing is sent', async () => {
    const stub = stubWx({
      'account.whoami': ok(CASHIER),
      'payment.searchReceipts': ok(FOUND),
    });
    const page = await loadPage('admin/receipts/index');
    await tap(page, '.mode-numbers');
    await typeInto(page, ['.f-numbers'], 'SJ2026-000779 SJ26-1');
    const before = stub.calls.length;
    await tapButton(page, '.search');
    expect(stub.calls.length).toBe(before);
    expect(textOf(page)).toContain('“SJ26-1”不是收据编号');
    await typeInto(page, ['.f-numbers'], 'SJ2026-000779 hz2026-000001');
    await tapButton(page, '.search');
    await settle();
    expect(stub.calls[stub.calls.length - 1]!.data).toEqual({
      action: 'searchReceipts',
      communityId: 'c_cuihu',
      receiptNos: ['SJ2026-000779', 'HZ2026-000001'],
    });
  });

  test('more than 200 in the range: explained, and printing waits for a narrower range or a selection', async () => {
    const stub = stubWx({
      'account.whoami': ok(CASHIER),
      'payment.searchReceipts': ok({ ...FOUND, total: 420 }),
    });
    const page = await loadPage('admin/receipts/index');
    expect(textOf(page)).toContain('符合条件的收据超过 200 张');
    expect(textOf(page)).toContain('列出最近 3 张');
    await tapButton(page, '.print');
    expect(stub.calls.some((c) => c.data.action === 'printReceipts')).toBe(false);
  });

  test('a search that fails shows a polite message', async () => {
    stubWx({
      'account.whoami': ok(CASHIER),
      'payment.searchReceipts': fail('INTERNAL'),
    });
    const page = await loadPage('admin/receipts/index');
    expect(textOf(page)).toMatch(/抱歉|请稍后/);
    expect(textOf(page)).not.toContain('INTERNAL');
  });
});
