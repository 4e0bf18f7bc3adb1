/**
 * 缴费记录 (pages/receipts) and 电子收据 (pages/receipt): the list from payment.myReceipts, the
 * receipt laid out as a Chinese receipt, and 保存图片 through canvas → temp file → album, with
 * polite fallbacks when the client cannot or may not save.
 */
import { RECEIPT, RECEIPTS } from './fixtures';
import { callsOf, fail, ok, stubWx } from './wx-stub';
import { loadPage, openPage, queryAll, settle, tapButton, textOf } from './page';

/** A 2d context that records the text drawn (jsdom has no canvas). */
function fakeCanvas() {
  const drawn: string[] = [];
  const ctx: Record<string, unknown> = {
    fillText: (t: string) => drawn.push(t),
    measureText: (t: string) => ({ width: Array.from(t).length * 13 }),
  };
  for (const m of [
    'fillRect',
    'strokeRect',
    'beginPath',
    'closePath',
    'moveTo',
    'lineTo',
    'arc',
    'stroke',
    'fill',
    'save',
    'restore',
    'translate',
    'rotate',
    'scale',
  ])
    ctx[m] = () => undefined;
  const canvas = { width: 0, height: 0, getContext: () => ctx };
  return { canvas, drawn };
}

type Opts = { success?: (r: object) => void; fail?: (e: object) => void };

describe('receipts list', () => {
  test('lists receipts newest first, grouped by year, and opens one', async () => {
    const stub = stubWx({ 'payment.myReceipts': ok({ receipts: RECEIPTS }) });
    const page = await loadPage('pages/receipts/index');
    const text = textOf(page);
    expect(text).toContain('共 2 笔缴费');
    expect(text).toMatch(/2026年.*1 笔 · 合计 ¥1,595.76.*2025年.*1 笔 · 合计 ¥965.00/);
    expect(text).toContain('1栋1单元1501、2栋1单元302');
    expect(text).toContain('2026年11月27日 14:03 · 微信支付');
    expect(text).toContain('2025年12月4日 10:16 · 现金');
    expect(text).toContain('收据编号 SJ2026-000780');
    queryAll(page, '.receipt')[1]!.dispatchEvent('tap');
    await settle();
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({
      url: '/pages/receipt/index?paymentId=pay_1',
    });
  });

  test('no payments yet: an empty state that leads to the bills', async () => {
    const stub = stubWx({ 'payment.myReceipts': ok({ receipts: [] }) });
    const page = await loadPage('pages/receipts/index');
    expect(textOf(page)).toContain('暂无缴费记录');
    await tapButton(page, '.state', '.action-btn');
    expect(stub.wx.switchTab).toHaveBeenCalledWith({ url: '/pages/bills/index' });
  });

  test('a failure is retried once (a read), then shown politely', async () => {
    const stub = stubWx({ 'payment.myReceipts': new Error('timeout') });
    const page = openPage('pages/receipts/index');
    await settle(450);
    await settle(450);
    expect(stub.calls).toHaveLength(2);
    expect(textOf(page)).toContain('抱歉，网络连接不太稳定');
  });
});

describe('receipt page', () => {
  test('shows the receipt as a Chinese receipt', async () => {
    const stub = stubWx({ 'payment.receipt': ok(RECEIPT) });
    const page = await loadPage('pages/receipt/index', { paymentId: 'pay_2' });
    expect(stub.calls[0]!.data).toEqual({ action: 'receipt', paymentId: 'pay_2' });
    const text = textOf(page).replace(/\s+/g, '');
    for (const part of [
      '翠湖花园',
      '物业服务费电子收据',
      'No.SJ2026-000780',
      '2026年11月27日14:03',
      '交款人王建国',
      '房屋1栋1单元1501、2栋1单元302',
      '物业服务费（季度）',
      '2栋1单元302·账期2026年6月–8月',
      '¥630.76',
      '合计（小写）¥1,595.76',
      '合计（大写）壹仟伍佰玖拾伍元柒角陆分',
      '收款方式微信支付',
      '收款单位翠湖花园物业服务中心',
      '收费专用章',
      '保存图片',
      '保存PDF',
      // the footnote points to the request, not to the front desk
      '如需发票，请点上方“申请发票”',
    ])
      expect(text).toContain(part);
    expect(text).not.toContain('已冲红');
    expect(text).not.toContain('交易参考号');
    // paid online: no person took the money; the channel says how
    expect(text).not.toContain('收款人');
    expect(text).not.toContain('2026年06月');
  });

  test('money taken at the desk names its cashier; a prepayment names its room', async () => {
    stubWx({
      'payment.receipt': ok({
        ...RECEIPT,
        channel: 'cash',
        channelLabel: '现金',
        allocations: [],
        roomLabels: ['1栋1单元1501'],
        prepaidFen: 50000,
        prepaidRoomLabel: '1栋1单元1501',
        amountFen: 50000,
        cashier: '李收费',
      }),
    });
    const page = openPage('pages/receipt/index', { paymentId: 'pay_2' });
    await settle();
    const text = textOf(page).replace(/\s+/g, '');
    expect(text).toContain('收款方式现金');
    expect(text).toContain('收款人李收费');
    expect(text).toContain('预存至1栋1单元1501，用于以后的账单');
  });

  test('保存 PDF has the cloud print the receipt and opens it', async () => {
    const stub = stubWx({
      'payment.receipt': ok(RECEIPT),
      'payment.receiptPdf': ok({
        fileID: 'cloud://env/exports/c_cuihu/receipt.pdf',
        tempFileURL: 'https://tmp.example/receipt.pdf',
        pages: 1,
        bytes: 40_000,
      }),
    });
    stub.wx.downloadFile = jest.fn((o: { success: (r: object) => void }) =>
      o.success({ statusCode: 200, tempFilePath: 'wxfile://tmp/receipt.pdf' }),
    );
    stub.wx.openDocument = jest.fn((o: { success: () => void }) => o.success());
    const page = openPage('pages/receipt/index', { paymentId: 'pay_2' });
    await settle();
    await tapButton(page, '.save-pdf');
    await settle();
    expect(callsOf(stub, 'receiptPdf')[0]!.data).toEqual({
      action: 'receiptPdf',
      paymentId: 'pay_2',
    });
    expect(stub.wx.openDocument).toHaveBeenCalledWith(
      expect.objectContaining({ filePath: 'wxfile://tmp/receipt.pdf', fileType: 'pdf' }),
    );
  });

  test('a cash receipt with a reference, prepaid money and a reversal stamp', async () => {
    stubWx({
      'payment.receipt': ok({
        ...RECEIPT,
        channel: 'transfer',
        channelLabel: '银行转账',
        reference: 'TR20261201001',
        prepaidFen: 50000,
        cashier: '物业服务中心',
        reversed: true,
      }),
    });
    const page = await loadPage('pages/receipt/index', { paymentId: 'pay_2' });
    const text = textOf(page);
    expect(text.replace(/\s+/g, '')).toContain('交易参考号TR20261201001');
    expect(text).toContain('预存款');
    expect(text).toContain('¥500.00');
    expect(text).toContain('已冲红');
  });

  test('someone else’s receipt is simply not found', async () => {
    stubWx({ 'payment.receipt': fail('NOT_FOUND', '未找到该收据') });
    const page = await loadPage('pages/receipt/index', { paymentId: 'pay_x' });
    expect(textOf(page)).toContain('抱歉，收据加载失败');
    expect(textOf(page)).toContain('抱歉，没有找到相关信息');
  });

  test('保存图片 draws the receipt, exports it and saves it to the album', async () => {
    const stub = stubWx({ 'payment.receipt': ok(RECEIPT) });
    const { canvas, drawn } = fakeCanvas();
    stub.wx.createOffscreenCanvas = jest.fn(() => canvas);
    const systemInfo = stub.wx.getSystemInfoSync as () => object;
    stub.wx.getSystemInfoSync = () => ({ ...systemInfo(), pixelRatio: 3 });
    stub.wx.canvasToTempFilePath = jest.fn((o: Opts) =>
      o.success?.({ tempFilePath: 'wxfile://tmp_receipt.png' }),
    );
    stub.wx.saveImageToPhotosAlbum = jest.fn((o: Opts) => o.success?.({}));
    const page = await loadPage('pages/receipt/index', { paymentId: 'pay_2' });
    await tapButton(page, '.save');
    await settle();
    expect(drawn).toEqual(
      expect.arrayContaining([
        '物业服务费电子收据',
        'No. SJ2026-000780',
        '¥1,595.76',
        '壹仟伍佰玖拾伍元柒角陆分',
        '收费专用章',
      ]),
    );
    expect(canvas.width).toBe(375 * 3);
    expect(canvas.height).toBeGreaterThan(400 * 3);
    expect((stub.wx.canvasToTempFilePath as jest.Mock).mock.calls[0][0]).toMatchObject({
      canvas,
      fileType: 'png',
    });
    expect((stub.wx.saveImageToPhotosAlbum as jest.Mock).mock.calls[0][0]).toMatchObject({
      filePath: 'wxfile://tmp_receipt.png',
    });
    expect(stub.wx.showToast).toHaveBeenLastCalledWith({
      title: '收据图片已保存',
      icon: 'success',
    });
  });

  test('no album permission: the owner is told why and offered the settings', async () => {
    const stub = stubWx({ 'payment.receipt': ok(RECEIPT) });
    stub.wx.createOffscreenCanvas = jest.fn(() => fakeCanvas().canvas);
    stub.wx.canvasToTempFilePath = jest.fn((o: Opts) => o.success?.({ tempFilePath: 'x.png' }));
    stub.wx.saveImageToPhotosAlbum = jest.fn((o: Opts) =>
      o.fail?.({ errMsg: 'saveImageToPhotosAlbum:fail auth deny' }),
    );
    stub.wx.showModal = jest.fn((o: Opts) => o.success?.({ confirm: true }));
    const page = await loadPage('pages/receipt/index', { paymentId: 'pay_2' });
    await tapButton(page, '.save');
    await settle();
    expect(stub.wx.showModal).toHaveBeenCalledWith(
      expect.objectContaining({ title: '需要您的授权', confirmText: '去设置' }),
    );
    expect(stub.wx.openSetting).toHaveBeenCalled();
  });

  test('a client without a 2d canvas suggests a screenshot instead', async () => {
    const stub = stubWx({ 'payment.receipt': ok(RECEIPT) });
    stub.wx.createOffscreenCanvas = undefined;
    const page = await loadPage('pages/receipt/index', { paymentId: 'pay_2' });
    await tapButton(page, '.save');
    await settle();
    expect(stub.wx.showToast).toHaveBeenCalledWith({
      title: '当前版本暂不支持保存图片，您可以截屏保存',
      icon: 'none',
    });
    expect(page.data.saving).toBe(false);
  });
});
