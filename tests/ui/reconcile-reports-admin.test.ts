/**
 * 支付对账 and 收缴率报表 in the admin subpackage: finance resolves a lost callback and an amount
 * mismatch, closes the day, assigns a bank line to a room; reports show rates, a chart drawn on a
 * 2d canvas, the escalation stage and last contact of the largest arrears (尚未提醒 / '—' when
 * none), non-payment reasons by channel, and export to Excel.
 */
import type {
  BankImportView,
  ReconDayView,
  WechatRunView,
} from '../../miniprogram/domain/reconcile/contract';
import type {
  AgingReport,
  ArrearsReport,
  CollectionReport,
  ReasonsReport,
} from '../../miniprogram/domain/report/contract';
import { FINANCE } from './fixtures';
import { callsOf, confirmAll, ok, stubWx } from './wx-stub';
import { loadPage, openPage, settle, tap, tapButton, tapNth, textOf, typeInto } from './page';

const DAY: ReconDayView = {
  date: '2026-12-02',
  status: 'open',
  wechat: { matchedCount: 3, openItems: 2, items: 2, netFen: 415682 },
  bankOpenLines: 0,
  corrections: [],
};
const CLOSED: ReconDayView = {
  date: '2026-12-01',
  status: 'closed',
  wechat: { matchedCount: 5, openItems: 0, items: 0, netFen: 100000 },
  bankOpenLines: 0,
  closedTotals: { wechat: 100600 },
  corrections: [
    {
      at: '2026-12-03T02:00:00.000Z',
      kind: 'reversal',
      paymentId: 'rv_1',
      receiptNo: 'HZ2026-000003',
      amountFen: -500,
      reason: '业主多缴退回',
      by: 'o_demo_finance',
    },
  ],
};

const RUN: WechatRunView = {
  runId: 'wx_c_cuihu_2026-12-02',
  date: '2026-12-02',
  source: 'download',
  empty: false,
  statement: {
    count: 5,
    tradeFen: 418192,
    refundFen: 0,
    feeFen: 2510,
    netFen: 415682,
    otherMerchantRows: 0,
  },
  system: { paymentCount: 3, paymentFen: 250000, refundCount: 0, refundFen: 0 },
  matchedCount: 3,
  matchedFen: 250000,
  refundMatchedCount: 0,
  refundMatchedFen: 0,
  items: [
    {
      key: 'missing-in-system:PF4',
      kind: 'missing-in-system',
      label: '微信有、系统无（支付通知丢失）',
      outTradeNo: 'PF4',
      statementFen: 84096,
      systemFen: 84096,
      time: '2026-12-02 20:16:00',
      action: 'apply',
    },
    {
      key: 'amount-mismatch:PF5',
      kind: 'amount-mismatch',
      label: '金额不一致',
      outTradeNo: 'PF5',
      statementFen: 84096,
      systemFen: 83996,
      time: '2026-12-02 21:03:00',
      action: 'accept',
    },
  ],
  openItems: 2,
  runAt: '2026-12-03T02:40:00.000Z',
  runBy: 'o_demo_finance',
  dayStatus: 'open',
};

function resolvedRun(): WechatRunView {
  return {
    ...RUN,
    items: RUN.items.map((i) =>
      i.kind === 'missing-in-system'
        ? {
            ...i,
            resolution: {
              action: 'applied',
              paymentId: 'wx_PF4',
              receiptNo: 'SJ2026-000801',
              by: 'o',
              at: '',
            },
          }
        : {
            ...i,
            resolution: {
              action: 'accepted',
              paymentId: 'wx_PF5',
              receiptNo: 'SJ2026-000802',
              by: 'o',
              at: '',
              note: '按微信实收入账',
            },
          },
    ),
    openItems: 0,
  };
}

describe('支付对账 (admin/reconcile)', () => {
  test('finance finds a lost callback, applies it, accepts a mismatch with a reason and closes the day', async () => {
    let current: WechatRunView = RUN;
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'reconcile.days': ok({ days: [DAY, CLOSED], today: '2026-12-03' }),
      'reconcile.wechatRun': () => ok(current),
      'reconcile.applyMissing': () => {
        current = { ...RUN, items: [resolvedRun().items[0]!, RUN.items[1]!], openItems: 1 };
        return ok(current);
      },
      'reconcile.acceptStatement': () => {
        current = resolvedRun();
        return ok(current);
      },
      'reconcile.closeDay': ok({ ...DAY, status: 'closed' }),
    });
    confirmAll(stub);
    const page = await loadPage('admin/reconcile/index');
    let text = textOf(page);
    expect(text).toContain('待处理 2');
    expect(text).toContain('已关账');
    expect(text).toContain('关账后更正 1 笔');
    await tapNth(page, '.day-head', 0);
    text = textOf(page);
    expect(text).toContain('手续费');
    expect(text).toContain('¥25.10');
    expect(text).toContain('¥4,156.82');
    expect(text).toContain('微信有、系统无（支付通知丢失）');
    expect(page.querySelector('.close-day')).toBeUndefined();

    await tapButton(page, '.apply');
    expect(callsOf(stub, 'applyMissing')[0]!.data).toEqual({
      action: 'applyMissing',
      communityId: 'c_cuihu',
      date: '2026-12-02',
      itemKey: 'missing-in-system:PF4',
    });
    expect(textOf(page)).toContain('已补记入账，收据 SJ2026-000801');

    await tapButton(page, '.accept');
    await tapButton(page, '.save-edit');
    expect(callsOf(stub, 'acceptStatement')).toHaveLength(0);
    expect(textOf(page)).toContain('请填写原因或说明');
    await typeInto(page, ['.f-edit'], '按微信实收入账');
    await tapButton(page, '.save-edit');
    expect(callsOf(stub, 'acceptStatement')[0]!.data).toMatchObject({
      itemKey: 'amount-mismatch:PF5',
      reason: '按微信实收入账',
    });
    await tapButton(page, '.close-day');
    expect(callsOf(stub, 'closeDay')[0]!.data).toEqual({
      action: 'closeDay',
      communityId: 'c_cuihu',
      date: '2026-12-02',
    });
  });

  test('a bank line without a match is assigned to a room with a reason', async () => {
    const IMPORT: BankImportView = {
      importId: 'bk_1',
      fileName: '基本户流水.csv',
      importedAt: '2026-12-03T02:00:00.000Z',
      from: '2026-12-01',
      to: '2026-12-02',
      windowDays: 3,
      mapping: { date: '交易日期', credit: '贷方金额' },
      counts: { matched: 1, unmatched: 1, ambiguous: 0, debit: 0, assigned: 0, ignored: 0 },
      creditFen: 62345,
      lines: [
        {
          lineId: 'bk_1:3',
          row: 3,
          date: '2026-12-01',
          amountFen: 12345,
          reference: 'TR1',
          payer: '张三',
          memo: '物业费',
          status: 'matched',
          matchedBy: 'reference',
          paymentId: 'p1',
          receiptNo: 'SJ1',
          roomLabel: '1栋1单元101',
        },
        {
          lineId: 'bk_1:4',
          row: 4,
          date: '2026-12-02',
          amountFen: 50000,
          reference: 'B5',
          payer: '钱女士',
          memo: '1-2-0802',
          status: 'unmatched',
        },
      ],
      unmatchedPayments: [],
      repeat: false,
    };
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'reconcile.days': ok({ days: [], today: '2026-12-03' }),
      'reconcile.bankImports': ok({ imports: [IMPORT], mapping: IMPORT.mapping }),
      'reconcile.bankImport': ok(IMPORT),
      'community.rooms': ok({
        items: [{ roomId: 'r_1_2_802', label: '1栋2单元802' }],
        nextCursor: null,
        total: 1,
      }),
      'reconcile.assignBankLine': ok({
        ...IMPORT,
        lines: [
          IMPORT.lines[0]!,
          {
            ...IMPORT.lines[1]!,
            status: 'assigned',
            roomLabel: '1栋2单元802',
            receiptNo: 'SJ2026-000900',
          },
        ],
      }),
    });
    const page = await loadPage('admin/reconcile/index', { tab: 'bank' });
    await tap(page, '.import-item');
    expect(textOf(page)).toContain('未匹配');
    await tapButton(page, '.assign');
    await typeInto(page, ['.f-keyword'], '802');
    await tapButton(page, '.search');
    expect(callsOf(stub, 'rooms')[0]!.data).toMatchObject({ keyword: '802' });
    await tap(page, '.chip');
    await typeInto(page, ['.f-reason'], '业主来电确认');
    await tapButton(page, '.confirm-assign');
    expect(callsOf(stub, 'assignBankLine')[0]!.data).toEqual({
      action: 'assignBankLine',
      communityId: 'c_cuihu',
      lineId: 'bk_1:4',
      roomId: 'r_1_2_802',
      reason: '业主来电确认',
    });
    expect(textOf(page)).toContain('1栋2单元802 · SJ2026-000900');
  });
});

const ROW = {
  building: '',
  billedRooms: 4,
  arrearsRooms: 3,
  dueFen: 101000,
  collectedFen: 75000,
  outstandingFen: 26000,
  householdRateBp: 2500,
  amountRateBp: 7426,
  currentByChannel: { wechat: 30000, cash: 5000, transfer: 40000 },
  recoveredByChannel: { cash: 20000 },
  recoveredFen: 20000,
};
const COLLECTION: CollectionReport = {
  communityName: '临江小区',
  period: '2026-10',
  window: { from: '2026-10-01', to: '2026-11-01' },
  asOf: '2026-11-20',
  total: ROW,
  buildings: [
    {
      ...ROW,
      building: '1',
      billedRooms: 2,
      arrearsRooms: 2,
      householdRateBp: 0,
      amountRateBp: 6863,
    },
    {
      ...ROW,
      building: '2',
      billedRooms: 2,
      arrearsRooms: 1,
      householdRateBp: 5000,
      amountRateBp: 8000,
    },
  ],
  byKind: [
    {
      kind: 'room',
      label: '房屋',
      bills: 4,
      arrearsBills: 3,
      dueFen: 95000,
      collectedFen: 70000,
      outstandingFen: 25000,
      amountRateBp: 7368,
    },
    {
      kind: 'rented',
      label: '月租车位',
      bills: 1,
      arrearsBills: 1,
      dueFen: 6000,
      collectedFen: 5000,
      outstandingFen: 1000,
      amountRateBp: 8333,
    },
  ],
  periods: ['2026-11', '2026-10'],
};
const BUCKETS = {
  '0-30': { fen: 2000, rooms: 1, bills: 1 },
  '31-90': { fen: 26000, rooms: 3, bills: 3 },
  '91-180': { fen: 6000, rooms: 1, bills: 1 },
  '181-365': { fen: 10000, rooms: 1, bills: 1 },
  '365+': { fen: 5000, rooms: 1, bills: 1 },
};
const AGING: AgingReport = {
  communityName: '临江小区',
  asOf: '2026-11-20',
  total: { building: '', buckets: BUCKETS, totalFen: 49000, rooms: 3 },
  buildings: [{ building: '1', buckets: BUCKETS, totalFen: 49000, rooms: 3 }],
};
const ARREARS: ArrearsReport = {
  communityName: '临江小区',
  asOf: '2026-11-20',
  entries: [
    {
      roomId: 'rB2',
      roomLabel: '2栋1单元102',
      building: '2',
      outstandingFen: 26000,
      bills: 3,
      oldestDueDate: '2026-04-15',
      overdueDays: 219,
      escalationStage: 'formal-notice',
      escalationLabel: '书面催缴函',
      lastContactReason: 'service',
      lastContactReasonText: '对服务不满意',
      lastContactChannel: 'visit',
      lastContactAt: '2026-11-10T02:00:00.000Z',
      holds: ['complaint'],
    },
    {
      roomId: 'rA2',
      roomLabel: '1栋1单元102',
      building: '1',
      outstandingFen: 20000,
      bills: 2,
      oldestDueDate: '2025-10-15',
      overdueDays: 401,
      escalationStage: null,
      escalationLabel: '尚未提醒',
      lastContactReason: null,
      lastContactReasonText: '—',
      lastContactChannel: null,
      lastContactAt: null,
      holds: [],
    },
  ],
};
const REASONS: ReasonsReport = {
  communityName: '临江小区',
  from: '2026-08-23',
  to: '2026-11-20',
  reasons: [
    {
      reason: 'hardship',
      reasonText: '经济困难',
      contacts: 3,
      rooms: 2,
      byChannel: { call: 2, visit: 1 },
    },
  ],
  complaints: { total: 2, fromArrearsRooms: 1 },
  holds: {},
};

describe('收缴率报表 (admin/reports)', () => {
  test('rates, channels and a bar chart drawn on a 2d canvas; every tab; export to Excel', async () => {
    const drawn: unknown[][] = [];
    const ctx = new Proxy(
      {},
      {
        get: (_t, prop) =>
          [
            'fillRect',
            'fillText',
            'beginPath',
            'moveTo',
            'lineTo',
            'stroke',
            'scale',
            'setTransform',
          ].includes(String(prop))
            ? (...args: unknown[]) => void drawn.push([prop, ...args])
            : undefined,
        set: () => true,
      },
    );
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'report.collection': ok(COLLECTION),
      'report.aging': ok(AGING),
      'report.arrears': ok(ARREARS),
      'report.reasons': ok(REASONS),
      'report.export': ok({
        tempFileURL: 'http://x/r.xlsx',
        fileName: '收缴率-2026-10.xlsx',
      }),
    });
    stub.wx.createOffscreenCanvas = jest.fn(() => ({ width: 0, height: 0, getContext: () => ctx }));
    stub.wx.canvasToTempFilePath = jest.fn((o: { success: (r: object) => void }) =>
      o.success({ tempFilePath: 'wxfile://chart.png' }),
    );
    // Generated files come as the function's link, downloaded with wx.downloadFile (never by id).
    stub.wx.downloadFile = jest.fn(
      (o: { success: (r: { tempFilePath: string; statusCode: number }) => void }) =>
        o.success({ tempFilePath: 'wxfile://r.xlsx', statusCode: 200 }),
    );
    stub.wx.openDocument = jest.fn((o: { success?: () => void }) => o.success?.());
    const page = openPage('admin/reports/index');
    await settle(10);
    let text = textOf(page);
    expect(text).toContain('25.00%');
    expect(text).toContain('74.26%');
    expect(text).toContain('微信支付');
    expect(text).toContain('¥300.00');
    expect(text).toContain('清欠');
    expect(text).toContain('¥200.00');
    expect(text).toContain('68.63%');
    // Two buildings → two bars (plus the white background).
    expect(drawn.filter((d) => d[0] === 'fillRect')).toHaveLength(3);
    expect(drawn.some((d) => d[0] === 'fillText' && d[1] === '80.00%')).toBe(true);
    // the value axis carries its values; the period chips read as months in Chinese
    for (const tick of ['0%', '50%', '100%'])
      expect(drawn.some((d) => d[0] === 'fillText' && d[1] === tick)).toBe(true);
    expect(text).toMatch(/\d{4}年\d{1,2}月/);
    expect(text).not.toMatch(/\b\d{4}-\d{2}\b(?!\.xlsx)/);
    expect(page.data.chartPath).toBe('wxfile://chart.png');
    expect(page.querySelector('.chart')).toBeTruthy();

    await tapNth(page, '.tab', 1);
    await settle(10);
    text = textOf(page);
    expect(text).toContain('31–90 天');
    expect(text).toContain('¥260.00');
    await tapNth(page, '.tab', 2);
    text = textOf(page);
    expect(text).toContain('书面催缴函');
    expect(text).toContain('尚未提醒');
    expect(text).toContain('对服务不满意');
    expect(page.querySelectorAll('.contact-when').map((n) => n.dom?.textContent)).toEqual([
      '（上门 2026年11月10日）',
    ]);
    expect(text).toContain('投诉处理中');
    expect(page.querySelectorAll('.contact').map((n) => n.dom?.textContent)).toEqual([
      '对服务不满意',
      '—',
    ]);
    await tapNth(page, '.tab', 3);
    text = textOf(page);
    expect(text).not.toContain('该期间没有电话或上门沟通记录');
    expect(text).toContain('经济困难');
    expect(text).toContain('3 次 · 2 户');
    expect(text).toContain('电话 2、上门 1');
    expect(text).toContain('2 件，其中欠费房屋 1 件');

    await tapNth(page, '.tab', 0);
    await settle(10);
    await tapButton(page, '.export-btn');
    expect(callsOf(stub, 'export')[0]!.data).toEqual({
      action: 'export',
      communityId: 'c_cuihu',
      report: 'collection',
      period: '2026-10',
    });
    expect(stub.wx.downloadFile).toHaveBeenCalledWith(
      expect.objectContaining({ url: 'http://x/r.xlsx' }),
    );
    expect(stub.wx.openDocument).toHaveBeenCalledWith(
      expect.objectContaining({ filePath: 'wxfile://r.xlsx', fileType: 'xlsx' }),
    );
    expect(textOf(page)).toContain('收缴率-2026-10.xlsx');
  });
});
