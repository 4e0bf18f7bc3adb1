/**
 * Fee standards and the billing run, mini-program side: the owner's bill detail explains each
 * line in words with 2-decimal amounts and leads to payment; 收费标准公示 shows prices, rules and
 * the 12358 hotline (tap to call); staff preview a period, confirm and issue it in resumable
 * chunks until done.
 */
import { ADMIN, FINANCE } from './fixtures';
import { fail, ok, stubWx } from './wx-stub';
import { loadPage, query, settle, tap, tapButton, textOf } from './page';
import type {
  BillDetailView,
  BillingPassView,
  BillingRunView,
  PublicStandardsView,
} from '../../miniprogram/domain/fee/contract';

const STANDARD = {
  name: '物业服务费',
  priceText: '2.3500 元/m²/月（按建筑面积）',
  effectiveFrom: '2024-12-01',
  approvalRef: '翠湖花园业主大会决议（物业服务费标准）',
  approvedAt: '2024-10-17',
};

const DETAIL: BillDetailView = {
  billId: 'b_r_2_1_302_2026-12_energy+property',
  roomId: 'r_2_1_302',
  roomLabel: '2栋1单元302',
  communityId: 'c_cuihu',
  communityName: '翠湖花园',
  period: '2026-12',
  title: '2026年12月起 物业服务费、公共能耗费（季度）',
  status: 'unpaid',
  dueDate: '2026-12-15',
  overdueDays: 3,
  amountDueFen: 123456,
  lateFeeFen: 0,
  paidFen: 0,
  outstandingFen: 123456,
  prepaidAppliedFen: 0,
  lines: [
    {
      itemId: 'property',
      name: '物业服务费',
      kind: 'charge',
      amountFen: 63076,
      basis: '建筑面积 89.47 m² × 2.3500 元/m²/月 × 3 个月 = ¥630.76',
      quantity: '89.47',
      quantityUnit: 'm²',
      unitPrice: '2.3500',
      priceUnit: '元/m²/月',
      months: '3 个月',
      from: '2026-12-01',
      to: '2027-02-28',
      metered: false,
      standard: STANDARD,
    },
    {
      itemId: 'property',
      name: '空置优惠',
      kind: 'discount',
      amountFen: -1890,
      basis: '空置 1 个月 × 30% = -¥18.90',
      quantity: null,
      quantityUnit: null,
      unitPrice: null,
      priceUnit: null,
      months: null,
      from: null,
      to: null,
      metered: false,
      standard: null,
    },
    {
      itemId: 'energy',
      name: '公共能耗费',
      kind: 'charge',
      amountFen: 62270,
      basis: '建筑面积 89.47 m² × 0.1500 元/m²/月 × 3 个月 = ¥40.26',
      quantity: '89.47',
      quantityUnit: 'm²',
      unitPrice: '0.1500',
      priceUnit: '元/m²/月',
      months: '3 个月',
      from: '2026-12-01',
      to: '2027-02-28',
      metered: false,
      standard: { ...STANDARD, name: '公共能耗费', priceText: '0.1500 元/m²/月（按建筑面积）' },
    },
  ],
  payments: [],
  paymentMethods: [
    { method: 'wechat', label: '微信支付' },
    { method: 'cash', label: '现金' },
  ],
  contacts: {
    servicePhone: '0571-8888 6666',
    serviceHours: '每日 8:30–18:00',
    frontDesk: '3 栋一楼物业服务中心',
    priceHotline: '12358',
  },
  issuedAt: '2026-11-27T01:51:37.255Z',
};

describe('bill detail', () => {
  test('explains every line in words, with amounts to 2 decimals and the standard', async () => {
    const stub = stubWx({ 'fee.billDetail': ok(DETAIL) });
    const page = await loadPage('pages/bill/index', { billId: DETAIL.billId });
    const text = textOf(page);
    expect(stub.calls[0]!.data).toEqual({ action: 'billDetail', billId: DETAIL.billId });
    expect(text).toContain('建筑面积 89.47 m² × 2.3500 元/m²/月 × 3 个月 = ¥630.76');
    expect(text).toContain('空置优惠');
    expect(text).toContain('-¥18.90');
    expect(text).toContain('¥1,234.56');
    expect(text).toContain('已逾期 3 天');
    expect(text).toContain('2026年12月15日');
    expect(text).toContain('翠湖花园业主大会决议（物业服务费标准）（2024年10月17日批准）');
    expect(text).toContain('微信支付、现金');
    expect(text).toContain('12358');
    // every money figure on screen is ¥ with exactly 2 decimals, never a float artefact
    const money = text.match(/¥[\d,]+(\.\d+)?/g) ?? [];
    expect(money.length).toBeGreaterThan(4);
    for (const m of money) expect(m).toMatch(/^¥\d{1,3}(,\d{3})*\.\d{2}$/);
    // 4 decimals only for unit prices (元/m²/月), never for money
    expect(text.replace(/\d+\.\d{4} 元\//g, '')).not.toMatch(/\d\.\d{3,}/);
  });

  test('去缴费 opens the pay page with this bill only', async () => {
    const stub = stubWx({ 'fee.billDetail': ok(DETAIL) });
    const page = await loadPage('pages/bill/index', { billId: DETAIL.billId });
    await tapButton(page, '.go-pay');
    expect(stub.wx.navigateTo).toHaveBeenCalledWith({
      url: `/pages/pay/index?billIds=${encodeURIComponent(DETAIL.billId)}`,
    });
  });

  test('a paid bill has no pay button and lists its payment', async () => {
    stubWx({
      'fee.billDetail': ok({
        ...DETAIL,
        status: 'paid',
        overdueDays: 0,
        paidFen: 123456,
        outstandingFen: 0,
        payments: [
          {
            paymentId: 'p1',
            receiptNo: 'SJ2026-000001',
            amountFen: 123456,
            channelLabel: '微信支付',
            paidAt: '2026-12-01T02:00:00.000Z',
          },
        ],
      }),
    });
    const page = await loadPage('pages/bill/index', { billId: DETAIL.billId });
    expect(page.querySelector('.go-pay')).toBeFalsy();
    expect(textOf(page)).toContain('SJ2026-000001');
    expect(textOf(page)).toContain('已缴清');
  });

  test('a bill of someone else is a polite error', async () => {
    stubWx({ 'fee.billDetail': fail('NOT_FOUND') });
    const page = await loadPage('pages/bill/index', { billId: 'b_x' });
    expect(textOf(page)).toContain('抱歉，没有找到相关信息');
  });
});

const PUBLIC: PublicStandardsView = {
  communityId: 'c_cuihu',
  communityName: '翠湖花园',
  standards: [
    {
      itemId: 'property',
      name: '物业服务费',
      kindLabel: '按面积计费',
      priceText: '2.35 元/m²/月（按建筑面积）',
      effectiveFrom: '2024-12-01',
      approvalRef: '翠湖花园业主大会决议（物业服务费标准）',
      approvedAt: '2024-10-17',
      applicabilityText: '全体房屋',
      rules: ['季度收取，每期首月 15 日前缴纳', '空置优惠：经审批的空置期间减收 30%'],
      upcoming: [
        {
          priceText: '2.50 元/m²/月（按建筑面积）',
          effectiveFrom: '2099-01-01',
          approvalRef: '业主大会决议（调价）',
          approvedAt: '2098-10-01',
        },
      ],
      history: [
        {
          priceText: '2.35 元/m²/月（按建筑面积）',
          effectiveFrom: '2024-12-01',
          effectiveTo: '2098-12-31',
          approvalRef: '翠湖花园业主大会决议（物业服务费标准）',
        },
        {
          priceText: '2.50 元/m²/月（按建筑面积）',
          effectiveFrom: '2099-01-01',
          effectiveTo: null,
          approvalRef: '业主大会决议（调价）',
        },
      ],
    },
  ],
  adjustments: [],
  servicePhone: '0571-8888 6666',
  priceHotline: '12358',
  notice: '以上收费标准依法公示（明码标价）。',
};

describe('收费标准公示', () => {
  test('from 我的: finds the community, shows prices, rules, announced changes', async () => {
    const stub = stubWx({
      'owner.home': ok({ rooms: [{ communityId: 'c_cuihu' }] }),
      'fee.publicStandards': ok(PUBLIC),
    });
    const page = await loadPage('pages/standards/index');
    expect(stub.calls.find((c) => c.data.action === 'publicStandards')!.data).toEqual({
      action: 'publicStandards',
      communityId: 'c_cuihu',
    });
    const text = textOf(page);
    expect(text).toContain('2.35 元/m²/月（按建筑面积）');
    expect(text).toContain('空置优惠：经审批的空置期间减收 30%');
    expect(text).toContain('调价预告：2099年1月1日起调整为 2.50 元/m²/月');
    expect(text).toContain('明码标价');
  });

  test('tapping 12358 calls the price hotline', async () => {
    const stub = stubWx({ 'fee.publicStandards': ok(PUBLIC) });
    const page = await loadPage('pages/standards/index', { communityId: 'c_cuihu' });
    await tap(page, '.hotline');
    expect(stub.wx.makePhoneCall).toHaveBeenCalledWith(
      expect.objectContaining({ phoneNumber: '12358' }),
    );
  });
});

function pass(p: Partial<BillingPassView>): BillingPassView {
  return {
    done: true,
    roomsScanned: 288,
    roomsTotal: 288,
    bills: 287,
    totalFen: 23166420,
    chargesFen: 23224320,
    discountsFen: 57900,
    prepaidAppliedFen: 0,
    prepaidRooms: 0,
    byBuilding: [{ building: '1', bills: 72, totalFen: 6100260 }],
    byItem: [
      {
        itemId: 'property',
        name: '物业服务费',
        lines: 287,
        amountFen: 21830832,
        discountFen: 57900,
      },
    ],
    skipped: [{ reason: 'noOwner', label: '房屋未登记业主', count: 1 }],
    skippedRooms: [
      {
        roomId: 'r_4_2_1801',
        roomLabel: '4栋2单元1801',
        reason: 'noOwner',
        label: '房屋未登记业主',
      },
    ],
    itemSkips: [],
    itemSkipRooms: [],
    anomalies: [
      {
        roomId: 'r_1_1_1501',
        roomLabel: '1栋1单元1501',
        itemId: 'property',
        name: '物业服务费',
        previousFen: 96500,
        currentFen: 67550,
        changeBp: -3000,
      },
    ],
    anomalyCount: 1,
    startedAt: null,
    finishedAt: null,
    ...p,
  };
}

function run(r: Partial<BillingRunView>): BillingRunView {
  return {
    runId: 'run_c_cuihu_2026-12',
    communityId: 'c_cuihu',
    period: '2026-12',
    status: 'previewed',
    items: [
      {
        itemId: 'property',
        name: '物业服务费',
        kind: 'area',
        from: '2026-12-01',
        to: '2027-02-28',
        dueDate: '2026-12-15',
        readingPeriod: null,
      },
    ],
    stale: false,
    preview: pass({}),
    issue: null,
    summary: null,
    issuedAt: null,
    ...r,
  };
}

describe('账单生成 (admin/billing)', () => {
  test('preview (resumed until done) → confirm → issue in chunks until done', async () => {
    const previews = [
      run({ status: 'previewing', preview: pass({ done: false, roomsScanned: 100 }) }),
      run({}),
    ];
    const issued = run({
      status: 'issued',
      issuedAt: '2026-11-26T02:00:00.000Z',
      issue: pass({}),
      summary: {
        bills: 287,
        totalFen: 23166420,
        prepaidAppliedFen: 0,
        byBuilding: [],
        byItem: [],
      },
    });
    const issues = [
      run({ status: 'issuing', issue: pass({ done: false, roomsScanned: 150 }) }),
      issued,
    ];
    const stub = stubWx({
      'account.whoami': ok(FINANCE),
      'fee.runs': ok({ runs: [] }),
      'fee.preview': () => ok(previews.shift() ?? run({})),
      'fee.issue': () => ok(issues.shift() ?? issued),
      'fee.run': ok(run({ status: 'issuing', issue: pass({ done: false, roomsScanned: 150 }) })),
    });
    stub.wx.showModal = jest.fn((o: { content: string; success?: (r: object) => void }) =>
      o.success?.({ confirm: true, cancel: false }),
    );
    const page = await loadPage('admin/billing/index', { period: '2026-12' });
    expect(textOf(page)).toContain('2026年12月');
    expect(textOf(page)).toContain('本期尚未预览');

    await tapButton(page, '.preview-btn');
    await settle(10);
    const previewCalls = stub.calls.filter((c) => c.data.action === 'preview');
    expect(previewCalls).toHaveLength(2);
    let text = textOf(page);
    expect(text).toContain('应出账 287 户');
    expect(text).toContain('¥231,664.20');
    expect(text).toContain('1栋');
    expect(text).toContain('4栋2单元1801');
    expect(text).toContain('房屋未登记业主');
    expect(text).toContain('上期 ¥965.00 → 本期 ¥675.50');
    expect(text).toContain('-30.0%');

    await tapButton(page, '.issue-btn');
    await settle(10);
    expect((stub.wx.showModal as jest.Mock).mock.calls[0][0].content).toContain(
      '生成 287 户账单，合计 ¥231,664.20',
    );
    const issueCalls = stub.calls.filter((c) => c.data.action === 'issue');
    expect(issueCalls).toHaveLength(2);
    expect(issueCalls[0]!.data).toMatchObject({ communityId: 'c_cuihu', period: '2026-12' });
    text = textOf(page);
    expect(text).toContain('已生成 287 户账单，合计 ¥231,664.20');
    expect(text).toContain('已出账');
    // an issued period is not previewed again: the button is off and the page says why
    expect(text).toContain('本期已于 2026年11月26日 出账');
    const again = query(page, '.preview-btn');
    expect(again.querySelector('.van-button--disabled')).toBeTruthy();
    await tapButton(page, '.preview-btn');
    await settle();
    expect(stub.calls.filter((c) => c.data.action === 'preview')).toHaveLength(2);
  });

  test('a half-issued run offers 继续出账 without asking again', async () => {
    const stub = stubWx({
      'account.whoami': ok(ADMIN),
      'fee.runs': ok({
        runs: [run({ status: 'issuing', issue: pass({ done: false, roomsScanned: 150 }) })],
      }),
      'fee.issue': ok(run({ status: 'issued', issue: pass({}) })),
    });
    const page = await loadPage('admin/billing/index', { period: '2026-12' });
    expect(textOf(query(page, '.issue-btn'))).toContain('继续出账');
    await tapButton(page, '.issue-btn');
    await settle(10);
    expect(stub.wx.showModal).not.toHaveBeenCalled();
    expect(stub.calls.filter((c) => c.data.action === 'issue')).toHaveLength(1);
    expect(textOf(page)).toContain('出账完成');
  });
});

describe('bill detail: reminder consent', () => {
  test('到期提醒 asks from the tap (≤ 3 templates) and records the answer as credits', async () => {
    const stub = stubWx({ 'fee.billDetail': ok(DETAIL), 'notice.consent': ok({ credits: {} }) });
    (stub.wx.requestSubscribeMessage as jest.Mock).mockImplementation(
      (o: { tmplIds: string[]; success: (r: object) => void }) =>
        o.success(Object.fromEntries(o.tmplIds.map((id) => [id, 'accept']))),
    );
    const page = await loadPage('pages/bill/index', { billId: DETAIL.billId });
    expect(stub.wx.requestSubscribeMessage).not.toHaveBeenCalled();
    query(page, '.remind-row').dispatchEvent('tap');
    await settle();
    const req = (stub.wx.requestSubscribeMessage as jest.Mock).mock.calls[0][0] as {
      tmplIds: string[];
    };
    expect(req.tmplIds.length).toBeGreaterThan(0);
    expect(req.tmplIds.length).toBeLessThanOrEqual(3);
    expect(stub.calls.find((c) => c.data.action === 'consent')?.data).toMatchObject({
      trigger: 'bill',
    });
    expect(stub.wx.showToast).toHaveBeenCalledWith(
      expect.objectContaining({ title: `已为您订阅 ${req.tmplIds.length} 项提醒` }),
    );
  });
});
