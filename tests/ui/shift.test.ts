/**
 * 交班日结 (admin/shift/index) for the cashier and 交班确认 (admin/shift/confirm) for finance:
 * the open shift's totals (deposits taken and paid back as their own lines, counted in the cash
 * expected), the close with the cash counted (a difference needs a note, checked with the
 * contract before anything is sent), finance's confirmation and the printed sheet.
 */
import { CASHIER, FINANCE, SERVICE } from './fixtures';
import { openPage, settle, tapButton, tapNth, textOf, typeInto } from './page';
import { callsOf, confirmAll, ok, stubWx } from './wx-stub';
import type { ShiftView } from '../../miniprogram/domain/payment/shift';
import { shiftTotals } from '../../miniprogram/domain/payment/shift';

const C = 'c_cuihu';
const OPEN: ShiftView = {
  shiftId: `${C}:o_demo_cashier:2`,
  communityId: C,
  no: 2,
  cashier: 'o_demo_cashier',
  cashierName: '陈收费员',
  status: 'open',
  statusLabel: '当班中',
  openedAt: '2026-11-26T01:10:00.000Z',
  totals: shiftTotals(
    [
      {
        paymentId: 'p1',
        receiptNo: 'SJ2026-000101',
        channel: 'cash',
        amountFen: 30_000,
        paidAt: '2026-11-26T01:10:00.000Z',
      },
      {
        paymentId: 'p2',
        receiptNo: 'SJ2026-000102',
        channel: 'transfer',
        amountFen: 45_000,
        paidAt: '2026-11-26T01:40:00.000Z',
      },
      {
        paymentId: 'r1',
        receiptNo: 'HZ2026-000007',
        channel: 'cash',
        amountFen: -10_000,
        paidAt: '2026-11-26T01:50:00.000Z',
        reversesReceiptNo: 'SJ2026-000090',
        correctionOfShiftNo: 1,
      },
    ],
    [
      {
        entryId: 'dc_d2',
        receiptNo: 'YJ2026-000012',
        kind: 'collect',
        channel: 'cash',
        amountFen: 300_000,
        at: '2026-11-26T02:00:00.000Z',
      },
      {
        entryId: 'dr_d1',
        receiptNo: 'YH2026-000003',
        kind: 'release',
        channel: 'cash',
        amountFen: 50_000,
        at: '2026-11-26T02:10:00.000Z',
        correctionOfShiftNo: 1,
      },
    ],
  ),
};
const CLOSED: ShiftView = {
  ...OPEN,
  shiftId: `${C}:o_demo_cashier:1`,
  no: 1,
  status: 'closed',
  statusLabel: '已交班，待财务确认',
  openedAt: '2026-11-25T01:00:00.000Z',
  closedAt: '2026-11-25T09:30:00.000Z',
  totals: shiftTotals(
    [
      {
        paymentId: 'p0',
        receiptNo: 'SJ2026-000090',
        channel: 'cash',
        amountFen: 50_000,
        paidAt: '2026-11-25T01:20:00.000Z',
      },
    ],
    [
      {
        entryId: 'dc_d1',
        receiptNo: 'YJ2026-000011',
        kind: 'collect',
        channel: 'cash',
        amountFen: 50_000,
        at: '2026-11-25T02:00:00.000Z',
      },
    ],
  ),
  declaredCashFen: 99_950,
  differenceFen: -50,
  note: '找零少收 5 角',
};
const PDF = { tempFileURL: 'http://127.0.0.1/shift.pdf', pages: 1, bytes: 2048 };

describe('交班日结 (cashier)', () => {
  test('shows the open shift by channel with receipts, the correction and the cash expected; a short count needs a note', async () => {
    const stub = stubWx({
      'account.whoami': ok(CASHIER),
      'payment.shiftSummary': ok(OPEN),
      'payment.shifts': ok({ shifts: [OPEN, CLOSED], nextCursor: null, total: 2 }),
      'payment.closeShift': ok({ ...OPEN, status: 'closed' }),
    });
    confirmAll(stub);
    const page = openPage('admin/shift/index');
    await settle();
    const text = textOf(page);
    expect(text).toContain('陈收费员 · 第 2 班');
    expect(text).toContain('现金¥200.00 · 1 笔（冲红 ¥100.00）');
    expect(text).toContain('银行转账¥450.00 · 1 笔');
    expect(text).toContain('收据2 张SJ2026-000101 至 SJ2026-000102');
    expect(text).toContain('HZ2026-000007 冲红 SJ2026-000090 ¥100.00（更正第 1 班）');
    // deposits: their own lines, not in the channels above, but in the cash expected
    expect(text).toContain('押金收取1 笔 ¥3,000.00YJ2026-000012');
    expect(text).toContain('押金退还1 笔 ¥500.00YH2026-000003');
    expect(text).toContain('YH2026-000003 现金退还 ¥500.00（第 1 班收取）');
    expect(text).toContain('应交现金¥2,700.00含押金现金 ¥2,500.00');
    // the earlier shift, with its difference
    expect(text).toContain('短款 ¥0.50');
    expect(text).toContain('找零少收 5 角');

    await typeInto(page, ['.f-cash'], '2699.5');
    await tapButton(page, '.close-shift');
    expect(textOf(page)).toContain('请说明原因');
    expect(callsOf(stub, 'closeShift')).toHaveLength(0);
    await typeInto(page, ['.f-note'], '找零误差');
    await tapButton(page, '.close-shift');
    expect(callsOf(stub, 'closeShift')[0]!.data).toEqual({
      action: 'closeShift',
      communityId: C,
      shiftId: OPEN.shiftId,
      declaredCashFen: 269_950,
      expectedCashFen: 270_000,
      note: '找零误差',
    });
  });

  test('prints a closed shift’s sheet as a PDF', async () => {
    const stub = stubWx({
      'account.whoami': ok(CASHIER),
      'payment.shiftSummary': ok(OPEN),
      'payment.shifts': ok({ shifts: [CLOSED], nextCursor: null, total: 1 }),
      'payment.shiftPdf': ok(PDF),
    });
    stub.wx.downloadFile = jest.fn(
      (o: { success: (r: { tempFilePath: string; statusCode: number }) => void }) =>
        o.success({ tempFilePath: 'wxfile://shift.pdf', statusCode: 200 }),
    );
    stub.wx.openDocument = jest.fn((o: { success: () => void }) => o.success());
    const page = openPage('admin/shift/index');
    await settle();
    await tapButton(page, '.print');
    expect(callsOf(stub, 'shiftPdf')[0]!.data).toEqual({
      action: 'shiftPdf',
      shiftId: CLOSED.shiftId,
    });
    expect(stub.wx.openDocument).toHaveBeenCalledWith(
      expect.objectContaining({ filePath: 'wxfile://shift.pdf', fileType: 'pdf' }),
    );
  });

  test('staff without the cashier role are told so', async () => {
    stubWx({ 'account.whoami': ok(SERVICE) });
    const page = openPage('admin/shift/index');
    await settle();
    expect(textOf(page)).toContain('交班日结仅向收款员开放');
  });
});

describe('交班确认 (finance)', () => {
  test('finance sees the closed shift with its difference and confirms it with a note', async () => {
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'payment.shifts': (input: Record<string, unknown>) =>
        ok({
          shifts: input.status === 'closed' ? [CLOSED] : [],
          nextCursor: null,
          total: input.status === 'closed' ? 1 : 0,
        }),
      'payment.confirmShift': ok({ ...CLOSED, status: 'confirmed' }),
    });
    confirmAll(stub);
    const page = openPage('admin/shift/confirm');
    await settle();
    const text = textOf(page);
    expect(text).toContain('陈收费员 · 第 1 班');
    expect(text).toContain('押金收取1 笔 ¥500.00YJ2026-000011');
    expect(text).toContain('应交现金¥1,000.00含押金现金 ¥500.00');
    expect(text).toContain('实交现金¥999.50');
    expect(text).toContain('短款 ¥0.50');
    expect(callsOf(stub, 'shifts')[0]!.data).toMatchObject({ communityId: C, status: 'closed' });
    await typeInto(page, ['.f-note'], '现金已入保险柜');
    await tapButton(page, '.confirm-shift');
    expect(callsOf(stub, 'confirmShift')[0]!.data).toEqual({
      action: 'confirmShift',
      shiftId: CLOSED.shiftId,
      note: '现金已入保险柜',
    });
    await tapNth(page, '.tab', 1);
    await settle();
    expect(textOf(page)).toContain('暂无记录');
  });

  test('a long list comes a page at a time', async () => {
    const second = { ...CLOSED, shiftId: `${C}:o_demo_cashier:0`, no: 0 };
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'payment.shifts': (input: Record<string, unknown>) =>
        ok(
          input.cursor
            ? { shifts: [second], nextCursor: null, total: 2 }
            : { shifts: [CLOSED], nextCursor: 'k', total: 2 },
        ),
    });
    const page = openPage('admin/shift/confirm');
    await settle();
    expect(textOf(page)).toContain('加载更多（共 2 班）');
    await tapButton(page, '.more-shifts');
    await settle();
    expect(callsOf(stub, 'shifts')[1]!.data).toMatchObject({ cursor: 'k', status: 'closed' });
    expect(textOf(page)).toContain('第 1 班');
    expect(textOf(page)).toContain('第 0 班');
    expect(textOf(page)).not.toContain('加载更多');
  });
});
