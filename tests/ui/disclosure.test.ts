/**
 * 收支公示 pages: the owner's list (and the unbound / empty states), one disclosure with totals,
 * the expense chart painted on the page's canvas (a recording 2d context here; real pixels in the
 * Chromium e2e), the legend when no canvas is available, a superseded version pointing to its
 * correction, polite errors; 调价公示 and price history on the public standards page; the
 * entries from 首页 and 我的.
 */
import { computeFigures, type DisclosureSnapshot } from '../../miniprogram/domain/disclosure/rules';
import type {
  DisclosureSummary,
  DisclosureView,
  OwnerDisclosures,
} from '../../miniprogram/domain/disclosure/contract';
import { fail, ok, stubWx } from './wx-stub';
import { loadPage, queryAll, settle, tap, tapButton, textOf } from './page';
import type { PublicStandardsView } from '../../miniprogram/domain/fee/contract';

/** Rendered text without whitespace (elements run together). */
const flat = (p: Parameters<typeof textOf>[0]) => textOf(p).replace(/\s+/g, '');
const has = (p: Parameters<typeof textOf>[0], s: string) =>
  expect(flat(p)).toContain(s.replace(/\s+/g, ''));

const fee = {
  receivedFen: 309_576,
  refundedFen: 20_000,
  payments: 3,
  refunds: 1,
  byChannel: [
    { channel: 'transfer', label: '银行转账', amountFen: 150_000 },
    { channel: 'wechat', label: '微信支付', amountFen: 159_576 },
  ],
};
const expenses = [
  {
    entryId: 'e1',
    category: 'staff' as const,
    date: '2026-07-10',
    description: '7 月工资',
    amountFen: 2_050_050,
    vouchers: 1,
  },
  {
    entryId: 'e2',
    category: 'cleaning' as const,
    date: '2026-08-28',
    description: '保洁外包',
    amountFen: 300_000,
    vouchers: 1,
  },
  {
    entryId: 'e3',
    category: 'repairs' as const,
    date: '2026-09-05',
    description: '水泵维修',
    amountFen: 49_999,
    vouchers: 2,
  },
];
const incomes = [
  {
    entryId: 'i1',
    kind: 'ads' as const,
    date: '2026-09-30',
    description: '电梯广告',
    amountFen: 120_000,
    use: '用于电梯维修',
  },
];
const snapshot: DisclosureSnapshot = {
  communityId: 'c_cuihu',
  communityName: '翠湖花园',
  period: '2026Q3',
  periodLabel: '2026年第三季度',
  from: '2026-07-01',
  to: '2026-09-30',
  version: 1,
  fee,
  figures: computeFigures(fee, expenses, incomes),
  expenses,
  incomes,
  projects: [{ title: '2 栋电梯钢丝绳更换', detail: '8 月完成' }],
  note: '凭证可到物业服务中心查阅',
  correctionReason: null,
  servicePhone: '0571-8888 6666',
};
const summary: DisclosureSummary = {
  disclosureId: 'dc_c_cuihu_2026Q3_1',
  communityId: 'c_cuihu',
  period: '2026Q3',
  periodLabel: '2026年第三季度',
  version: 1,
  status: 'published',
  superseded: false,
  supersededBy: null,
  totals: snapshot.figures.totals,
  publishedAt: '2026-10-15T02:00:00.000Z',
  correctionReason: null,
};
const VIEW: DisclosureView = {
  ...summary,
  snapshot,
  preparedByName: '',
  preparedAt: null,
  reviewedByName: '',
  reviewedAt: null,
  reviewComment: '',
  publishedByName: '',
  stale: false,
};

describe('收支公示 list', () => {
  test('lists published disclosures with totals, a corrected one marked; tapping opens it', async () => {
    const list: OwnerDisclosures = {
      communityId: 'c_cuihu',
      communityName: '翠湖花园',
      disclosures: [
        {
          ...summary,
          disclosureId: 'dc_c_cuihu_2026Q3_2',
          version: 2,
          correctionReason: '补记 9 月电费',
        },
        { ...summary, superseded: true, supersededBy: 'dc_c_cuihu_2026Q3_2' },
      ],
    };
    const stub = stubWx({ 'disclosure.published': ok(list) });
    const page = await loadPage('pages/disclosures/index');
    const text = textOf(page);
    expect(text).toContain('翠湖花园 · 收支公示');
    expect(text).toContain('2026年第三季度收支公示（第 2 版）');
    expect(text).toContain('更正：补记 9 月电费');
    expect(text).toContain('已更正');
    // income 289,576 + 120,000 = 409,576; expenses 2,400,049; balance −1,990,473
    expect(text).toContain('¥4,095.76');
    expect(text).toContain('¥24,000.49');
    expect(text).toContain('-¥19,904.73');
    expect(text).toContain('收支差额');
    await tap(page, '.item');
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({
      url: '/pages/disclosure/index?id=dc_c_cuihu_2026Q3_2',
    });
  });

  test('not bound to a room: invites to bind; nothing published: says when it will be', async () => {
    const stub = stubWx({
      'disclosure.published': ok({ communityId: '', communityName: '', disclosures: [] }),
    });
    let page = await loadPage('pages/disclosures/index');
    expect(textOf(page)).toContain('绑定房屋后可查看收支公示');
    await tapButton(page, '.bind-state', '.action-btn');
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/bind/index' });

    stubWx({
      'disclosure.published': ok({
        communityId: 'c_cuihu',
        communityName: '翠湖花园',
        disclosures: [],
      }),
    });
    page = await loadPage('pages/disclosures/index');
    expect(textOf(page)).toContain('物业服务中心每季度公示一次收支情况');
  });
});

/** A canvas whose 2d context records what is drawn. */
function fakeCanvas() {
  const text: string[] = [];
  const rects: { fill: unknown; w: number }[] = [];
  const ctx: Record<string, unknown> = {
    fillStyle: '',
    fillText: (t: string) => text.push(t),
    fillRect(this: { fillStyle: unknown }, _x: number, _y: number, w: number) {
      rects.push({ fill: this.fillStyle, w });
    },
  };
  for (const m of ['clearRect', 'scale', 'setTransform']) ctx[m] = () => undefined;
  const canvas = { width: 0, height: 0, getContext: () => ctx };
  return { canvas, text, rects };
}

describe('one disclosure', () => {
  test('totals, the chart drawn on the canvas, income with its use, projects and lines', async () => {
    const stub = stubWx({ 'disclosure.view': ok(VIEW) });
    const page = await loadPage('pages/disclosure/index', { id: VIEW.disclosureId });
    expect(stub.calls[0]!.data).toEqual({ action: 'view', disclosureId: VIEW.disclosureId });
    let text = textOf(page);
    expect(text).toContain('2026年第三季度收支公示');
    expect(text).toContain('2026年7月1日 至 2026年9月30日');
    has(page, '物业费实收 ¥3,095.76');
    has(page, '退款 -¥200.00');
    has(page, '收入合计 ¥4,095.76');
    has(page, '收支差额 -¥19,904.73');
    // No canvas node in jsdom: the legend carries the figures.
    has(page, '人员费用 ¥20,500.50 85.4%');
    has(page, '保洁费用 ¥3,000.00 12.5%');
    has(page, '维修养护 ¥499.99 2.1%');
    expect(text).toContain('电梯广告');
    expect(text).toContain('使用情况：用于电梯维修');
    expect(text).toContain('2 栋电梯钢丝绳更换');
    has(page, '银行转账 ¥1,500.00');
    expect(text).not.toContain('7 月工资');
    await tap(page, '.toggle-lines');
    text = textOf(page);
    expect(text).toContain('7 月工资');

    // Where the client hands over the canvas node, the chart is painted and the legend steps back.
    const { canvas, text: drawn, rects } = fakeCanvas();
    stub.wx.getSystemInfoSync = () => ({ pixelRatio: 2 });
    const inst = page.instance as unknown as {
      createSelectorQuery: () => unknown;
      drawChart: () => void;
    };
    inst.createSelectorQuery = () => ({
      select: () => ({
        fields: () => ({
          exec: (cb: (r: unknown[]) => void) => cb([{ node: canvas, width: 340 }]),
        }),
      }),
    });
    inst.drawChart();
    await settle();
    expect(drawn).toEqual([
      '人员费用',
      '¥20,500.50 · 85.4%',
      '保洁费用',
      '¥3,000.00 · 12.5%',
      '维修养护',
      '¥499.99 · 2.1%',
    ]);
    const bars = rects.filter((r) => r.fill !== '#eef3f1');
    expect(bars.map((b) => b.fill)).toEqual(['#0e8f7e', '#3a9bd9', '#e08a2c']);
    expect(bars[0]!.w).toBeGreaterThan(bars[1]!.w);
    expect(canvas.width).toBe(340 * 2);
    expect(flat(page)).not.toContain('人员费用¥20,500.5085.4%');
  });

  test('staff see where a draft stands and whether its records changed', async () => {
    stubWx({
      'disclosure.view': ok({
        ...VIEW,
        status: 'draft',
        publishedAt: null,
        preparedByName: '孙会计',
        reviewedByName: '赵经理',
        reviewComment: '请补充 9 月电费凭证',
        stale: true,
      }),
    });
    const page = await loadPage('pages/disclosure/index', { id: VIEW.disclosureId });
    has(page, '草稿 · 孙会计编制 · 赵经理退回 · 意见：请补充 9 月电费凭证');
    has(page, '编制后收支记录或缴费数据有变化');
  });

  test('owners see no staff names', async () => {
    stubWx({ 'disclosure.view': ok(VIEW) });
    const page = await loadPage('pages/disclosure/index', { id: VIEW.disclosureId });
    expect(textOf(page)).not.toContain('编制');
  });

  test('a superseded version says so and leads to the correction', async () => {
    const stub = stubWx({
      'disclosure.view': ok({ ...VIEW, superseded: true, supersededBy: 'dc_c_cuihu_2026Q3_2' }),
    });
    const page = await loadPage('pages/disclosure/index', { id: VIEW.disclosureId });
    expect(textOf(page)).toContain('本版本已被更正，请以最新版本为准');
    await tap(page, '.notice-superseded');
    expect(stub.wx.redirectTo).toHaveBeenCalledWith({
      url: '/pages/disclosure/index?id=dc_c_cuihu_2026Q3_2',
    });
  });

  test('a published disclosure prints as a PDF poster that opens for printing', async () => {
    const stub = stubWx({
      'disclosure.view': ok(VIEW),
      'disclosure.posterPdf': ok({
        fileID: 'cloud://env/exports/c/disclosure.pdf',
        tempFileURL: 'http://127.0.0.1/disclosure.pdf',
        pages: 1,
        bytes: 2048,
      }),
    });
    stub.wx.downloadFile = jest.fn(
      (o: { success: (r: { tempFilePath: string; statusCode: number }) => void }) =>
        o.success({ tempFilePath: 'wxfile://poster.pdf', statusCode: 200 }),
    );
    stub.wx.openDocument = jest.fn((o: { success: () => void }) => o.success());
    const page = await loadPage('pages/disclosure/index', { id: VIEW.disclosureId });
    await tapButton(page, '.poster');
    expect(stub.calls.at(-1)).toEqual({
      name: 'disclosure',
      data: { action: 'posterPdf', disclosureId: VIEW.disclosureId },
    });
    expect(stub.wx.downloadFile).toHaveBeenCalledWith(
      expect.objectContaining({ url: 'http://127.0.0.1/disclosure.pdf' }),
    );
    expect(stub.wx.openDocument).toHaveBeenCalledWith(
      expect.objectContaining({ filePath: 'wxfile://poster.pdf', fileType: 'pdf' }),
    );
  });

  test('a draft has no poster to print', async () => {
    stubWx({ 'disclosure.view': ok({ ...VIEW, status: 'draft', publishedAt: null }) });
    const page = await loadPage('pages/disclosure/index', { id: VIEW.disclosureId });
    expect(queryAll(page, '.poster-row').length).toBe(0);
  });

  test('not found is a polite message, never a code', async () => {
    stubWx({ 'disclosure.view': fail('NOT_FOUND') });
    const page = await loadPage('pages/disclosure/index', { id: 'dc_x' });
    expect(textOf(page)).toContain('抱歉');
    expect(textOf(page)).not.toContain('NOT_FOUND');
  });
});

describe('调价公示 on the standards page', () => {
  const PUBLIC: PublicStandardsView = {
    communityId: 'c_cuihu',
    communityName: '翠湖花园',
    standards: [
      {
        itemId: 'energy',
        name: '公共能耗费',
        kindLabel: '按面积计费',
        priceText: '0.15 元/m²/月（按建筑面积）',
        effectiveFrom: '2026-12-01',
        approvalRef: '业主大会决议',
        approvedAt: '2026-10-27',
        applicabilityText: '全体房屋',
        rules: [],
        upcoming: [
          {
            priceText: '0.18 元/m²/月（按建筑面积）',
            effectiveFrom: '2027-03-01',
            approvalRef: '业主大会决议（调整）',
            approvedAt: '2026-11-13',
          },
        ],
        history: [
          {
            priceText: '0.15 元/m²/月（按建筑面积）',
            effectiveFrom: '2026-12-01',
            effectiveTo: '2027-02-28',
            approvalRef: '业主大会决议',
          },
          {
            priceText: '0.18 元/m²/月（按建筑面积）',
            effectiveFrom: '2027-03-01',
            effectiveTo: null,
            approvalRef: '业主大会决议（调整）',
          },
        ],
      },
    ],
    adjustments: [
      {
        adjustmentId: 'adj_1',
        itemId: 'energy',
        standardName: '公共能耗费',
        currentPriceText: '0.15 元/m²/月（按建筑面积）',
        priceText: '0.18 元/m²/月（按建筑面积）',
        effectiveFrom: '2027-03-01',
        announcedOn: '2026-11-17',
        reason: '供电部门上调电价，公共用电成本上升约 20%',
        approvalRef: '业主大会决议（调整）',
        documents: [{ name: '业主大会决议', url: 'http://127.0.0.1/a.svg' }],
        status: 'notice',
        daysLeft: 94,
      },
    ],
    servicePhone: '0571-8888 6666',
    priceHotline: '12358',
    notice: '以上收费标准依法公示（明码标价）。',
  };

  test('the change in its notice period with reason and documents; the price history on request', async () => {
    const stub = stubWx({ 'fee.publicStandards': ok(PUBLIC) });
    stub.wx.previewImage = jest.fn();
    const page = await loadPage('pages/standards/index', { communityId: 'c_cuihu' });
    let text = textOf(page);
    expect(text).toContain('调价公示');
    expect(text).toContain('0.15 元/m²/月（按建筑面积） → 0.18 元/m²/月（按建筑面积）');
    expect(text).toContain('2027年3月1日起执行');
    expect(text).toContain('公示中 · 2026年11月17日公示，距生效还有 94 天');
    expect(text).toContain('供电部门上调电价');
    expect(flat(page)).not.toContain('2026年12月1日–2027年2月28日');
    await tap(page, '.history-toggle');
    text = textOf(page);
    has(page, '2026年12月1日 – 2027年2月28日 0.15 元/m²/月（按建筑面积）');
    has(page, '2027年3月1日起 0.18 元/m²/月（按建筑面积）');
    await tap(page, '.doc');
    await settle();
    expect(stub.wx.previewImage).toHaveBeenCalledWith({
      urls: ['http://127.0.0.1/a.svg'],
      current: 'http://127.0.0.1/a.svg',
    });
  });
});

describe('entries', () => {
  test('我的 › 收支公示 opens the list', async () => {
    const stub = stubWx({
      'account.whoami': ok({ openid: 'o', appid: 'a', roles: [], staffOf: [], isStaff: false }),
      'owner.home': ok({ rooms: [], bills: [], notices: [], contacts: [] }),
    });
    const page = await loadPage('pages/me/index');
    const cell = queryAll(page, '.disclosure-entry')[0]!;
    cell.querySelector('.van-cell')!.dispatchEvent('tap');
    await settle();
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/disclosures/index' });
  });
});
