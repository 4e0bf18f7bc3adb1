/**
 * The 收支公示 domain: disclosure periods and their Beijing-time bounds, figures hand-computed
 * (shares that always sum to 100.0%, also as a property), the chart layout, the poster as a
 * PrintDoc, the notice period of price adjustments, and the admin forms.
 */
import fc from 'fast-check';
import {
  adjustmentStatus,
  barChartLayout,
  computeFigures,
  disclosurePoster,
  EXPENSE_CATEGORIES,
  earliestEffective,
  lastEndedQuarter,
  noticeDaysLeft,
  periodEnded,
  periodInstants,
  periodLabel,
  periodRange,
  type DisclosureSnapshot,
  type ExpenseLine,
} from '../../miniprogram/domain/disclosure/rules';
import { allocate } from '../../miniprogram/domain/kernel/money';
import {
  parseProjects,
  periodOptions,
  validateEntry,
} from '../../miniprogram/admin/disclosure/form';
import { pricingFor, validateProposal } from '../../miniprogram/admin/adjustments/form';

describe('periods', () => {
  test.each([
    ['2026Q1', '2026-01-01', '2026-03-31', '2026年第一季度'],
    ['2024Q1', '2024-01-01', '2024-03-31', '2024年第一季度'],
    ['2026Q3', '2026-07-01', '2026-09-30', '2026年第三季度'],
    ['2026Q4', '2026-10-01', '2026-12-31', '2026年第四季度'],
    ['2026H1', '2026-01-01', '2026-06-30', '2026年上半年'],
    ['2026H2', '2026-07-01', '2026-12-31', '2026年下半年'],
  ])('%s is %s to %s (%s)', (p, from, to, label) => {
    expect(periodRange(p)).toEqual({ from, to });
    expect(periodLabel(p)).toBe(label);
  });

  test('bounds are Beijing midnights; a period is disclosable the day after it ends', () => {
    const { start, end } = periodInstants('2026Q3');
    expect(start.toISOString()).toBe('2026-06-30T16:00:00.000Z');
    expect(end.toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(periodEnded('2026Q3', '2026-09-30')).toBe(false);
    expect(periodEnded('2026Q3', '2026-10-01')).toBe(true);
    expect(lastEndedQuarter('2026-11-27')).toBe('2026Q3');
    expect(lastEndedQuarter('2026-01-05')).toBe('2025Q4');
    expect(lastEndedQuarter('2026-04-01')).toBe('2026Q1');
    expect(() => periodRange('2026Q5')).toThrow(RangeError);
  });
});

const line = (entryId: string, category: ExpenseLine['category'], amountFen: number) => ({
  entryId,
  category,
  date: '2026-07-01',
  description: entryId,
  amountFen,
  vouchers: 1,
});

describe('figures', () => {
  test('hand-computed totals, categories largest first, shares to 100.0%', () => {
    const f = computeFigures(
      { receivedFen: 309_576, refundedFen: 20_000, payments: 3, refunds: 1, byChannel: [] },
      [
        line('a', 'staff', 1_000_000),
        line('b', 'staff', 1_050_050),
        line('c', 'cleaning', 300_000),
        line('d', 'repairs', 49_999),
      ],
      [
        {
          entryId: 'i',
          kind: 'ads',
          date: '2026-07-01',
          description: '',
          amountFen: 120_000,
          use: 'x',
        },
        {
          entryId: 'j',
          kind: 'parking',
          date: '2026-07-01',
          description: '',
          amountFen: 80_001,
          use: 'y',
        },
      ],
    );
    expect(f.totals).toEqual({
      feeReceivedFen: 309_576,
      feeRefundedFen: 20_000,
      feeNetFen: 289_576,
      commonIncomeFen: 200_001,
      totalIncomeFen: 489_577,
      expenseFen: 2_400_049,
      balanceFen: -1_910_472,
    });
    expect(
      f.expensesByCategory.map((c) => [c.category, c.amountFen, c.lines, c.shareText]),
    ).toEqual([
      ['staff', 2_050_050, 2, '85.4%'],
      ['cleaning', 300_000, 1, '12.5%'],
      ['repairs', 49_999, 1, '2.1%'],
    ]);
    expect(f.incomeByKind).toEqual([
      { kind: 'ads', label: '广告收益', amountFen: 120_000 },
      { kind: 'parking', label: '停车收益', amountFen: 80_001 },
    ]);
  });

  test('three equal categories: 33.4% + 33.3% + 33.3% (the earlier one takes the tenth)', () => {
    const f = computeFigures(
      { receivedFen: 0, refundedFen: 0, payments: 0, refunds: 0, byChannel: [] },
      [line('a', 'tax', 100), line('b', 'staff', 100), line('c', 'other', 100)],
      [],
    );
    expect(f.expensesByCategory.map((c) => [c.category, c.shareText])).toEqual([
      ['staff', '33.4%'],
      ['tax', '33.3%'],
      ['other', '33.3%'],
    ]);
  });

  test('no expenses: no categories, no division by zero', () => {
    const f = computeFigures(
      { receivedFen: 500, refundedFen: 0, payments: 1, refunds: 0, byChannel: [] },
      [],
      [],
    );
    expect(f.expensesByCategory).toEqual([]);
    expect(f.totals.balanceFen).toBe(500);
  });

  test('a float or negative amount is refused', () => {
    const fee = { receivedFen: 0, refundedFen: 0, payments: 0, refunds: 0, byChannel: [] };
    expect(() => computeFigures(fee, [line('a', 'tax', 1.5)], [])).toThrow(RangeError);
    expect(() => computeFigures(fee, [line('a', 'tax', -1)], [])).toThrow(RangeError);
    expect(() => computeFigures({ ...fee, receivedFen: 0.1 }, [], [])).toThrow(RangeError);
  });

  test('property: category shares sum to exactly 1000‰, split as the kernel allocate splits', () => {
    const fee = { receivedFen: 0, refundedFen: 0, payments: 0, refunds: 0, byChannel: [] };
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...EXPENSE_CATEGORIES), { minLength: 1, maxLength: 9 }),
        fc.array(fc.integer({ min: 1, max: 10_000_000_000 }), { minLength: 9, maxLength: 9 }),
        (cats, amounts) => {
          const lines = cats.map((c, i) => line(`e${i}`, c, amounts[i]!));
          const f = computeFigures(fee, lines, []);
          const shares = f.expensesByCategory.map((c) => c.sharePermille);
          expect(shares.reduce((a, b) => a + b, 0)).toBe(1000);
          const inOrder = EXPENSE_CATEGORIES.filter((c) => cats.includes(c));
          const expected = allocate(
            1000,
            inOrder.map((c) => amounts[cats.indexOf(c)]!),
          );
          for (const c of f.expensesByCategory)
            expect(c.sharePermille).toBe(expected[inOrder.indexOf(c.category)]);
        },
      ),
    );
  });
});

describe('chart layout', () => {
  test('the largest bar fills the track; tiny amounts stay visible; rows stack', () => {
    const layout = barChartLayout(
      [
        { label: '人员费用', color: '#0e8f7e', amountFen: 2_000_000, shareText: '90.0%' },
        { label: '税费', color: '#607d8b', amountFen: 100, shareText: '0.0%' },
      ],
      { width: 340, rowHeight: 30, labelWidth: 100, valueWidth: 120 },
    );
    expect(layout.barSpace).toBe(340 - 100 - 120 - 8);
    expect(layout.rows[0]).toMatchObject({
      x: 100,
      width: layout.barSpace,
      valueText: '¥20,000.00 · 90.0%',
    });
    expect(layout.rows[1]!.width).toBe(2);
    expect(layout.rows[1]!.y - layout.rows[0]!.y).toBe(30);
    expect(layout.height).toBe(2 * 30 + 16);
  });
});

function snapshot(over: Partial<DisclosureSnapshot> = {}): DisclosureSnapshot {
  const fee = { receivedFen: 100_000, refundedFen: 0, payments: 1, refunds: 0, byChannel: [] };
  const expenses = [line('a', 'staff', 60_000), line('b', 'cleaning', 20_000)];
  return {
    communityId: 'c',
    communityName: '翠湖花园',
    period: '2026Q3',
    periodLabel: '2026年第三季度',
    from: '2026-07-01',
    to: '2026-09-30',
    version: 1,
    fee,
    figures: computeFigures(fee, expenses, []),
    expenses,
    incomes: [],
    projects: [{ title: '电梯维修', detail: '8 月完成' }],
    note: '',
    correctionReason: null,
    servicePhone: '0571-8888 6666',
    ...over,
  };
}

describe('poster', () => {
  test('a PrintDoc with totals, the category table (footer 合计), projects and the signature', () => {
    const doc = disclosurePoster(snapshot(), { publishedOn: '2026-10-15' });
    expect(doc.title).toBe('翠湖花园2026年第三季度收支公示');
    expect(doc.size).toBe('A4');
    expect(doc.blocks[0]).toEqual({
      kind: 'heading',
      text: '翠湖花园物业服务收支情况公示',
      level: 1,
    });
    expect(doc.blocks).toContainEqual({
      kind: 'fields',
      rows: [
        { label: '物业费实收', value: '¥1,000.00' },
        { label: '其中退款', value: '¥0.00' },
        { label: '物业费净收入', value: '¥1,000.00' },
        { label: '公共收益', value: '¥0.00' },
        { label: '收入合计', value: '¥1,000.00' },
        { label: '支出合计', value: '¥800.00' },
        { label: '收支结余', value: '¥200.00' },
      ],
    });
    expect(doc.blocks.find((b) => b.kind === 'table')).toMatchObject({
      columns: ['类别', '金额', '占比', '笔数'],
      rows: [
        ['人员费用', '¥600.00', '75.0%', '1'],
        ['保洁费用', '¥200.00', '25.0%', '1'],
      ],
      footer: ['合计', '¥800.00', '100.0%', '2'],
    });
    expect(doc.blocks).toContainEqual({ kind: 'paragraph', text: '本期无公共收益。' });
    expect(doc.blocks).toContainEqual({ kind: 'paragraph', text: '1. 电梯维修：8 月完成' });
    expect(doc.blocks.at(-1)).toEqual({
      kind: 'signature',
      lines: ['翠湖花园物业服务中心', '2026-10-15'],
    });
  });

  test('a correction says so; a superseded version warns', () => {
    const doc = disclosurePoster(snapshot({ version: 2, correctionReason: '补记电费' }), {
      publishedOn: '2026-10-20',
      superseded: true,
    });
    expect(doc.title).toBe('翠湖花园2026年第三季度收支公示（第2版）');
    const texts = doc.blocks
      .filter((b) => b.kind === 'paragraph')
      .map((b) => (b as { text: string }).text);
    expect(texts).toContain('本版本已被更正，请以最新版本为准。');
    expect(texts).toContain('更正说明：补记电费');
    expect(texts[0]).toContain('第 2 版（更正）');
  });
});

describe('price adjustments', () => {
  test('30 days of notice by default; status follows the date', () => {
    expect(earliestEffective('2026-11-27')).toBe('2026-12-27');
    expect(earliestEffective('2026-11-27', 45)).toBe('2027-01-11');
    const a = { state: 'announced' as const, effectiveFrom: '2027-03-01' };
    expect(adjustmentStatus(a, '2027-02-28')).toBe('notice');
    expect(adjustmentStatus(a, '2027-03-01')).toBe('effective');
    expect(adjustmentStatus({ ...a, state: 'proposed' }, '2027-03-05')).toBe('proposed');
    expect(adjustmentStatus({ ...a, state: 'withdrawn' }, '2027-01-01')).toBe('withdrawn');
    expect(noticeDaysLeft('2027-03-01', '2027-02-27')).toBe(2);
    expect(noticeDaysLeft('2027-03-01', '2027-03-02')).toBe(0);
  });

  test('the proposal form keeps the standard’s kind and refuses a date inside the notice', () => {
    expect(pricingFor({ kind: 'area', areaBasis: 'inner', unitPriceE4: 23500 }, '2.6')).toEqual({
      kind: 'area',
      areaBasis: 'inner',
      unitPrice: '2.6',
    });
    expect(pricingFor({ kind: 'meter', unit: 'm³', tiers: [] }, '3.45')).toEqual({
      kind: 'meter',
      unit: 'm³',
      tiers: [{ upTo: null, unitPrice: '3.45' }],
    });
    expect(pricingFor({ kind: 'oneOff', amountFen: 100 }, '50.5')).toEqual({
      kind: 'oneOff',
      amountFen: 5050,
    });
    expect(pricingFor({ kind: 'oneOff', amountFen: 100 }, '五十')).toBeNull();
    const form = {
      itemId: 'property',
      price: '2.60',
      effectiveFrom: '2026-12-20',
      approvalRef: '业主大会决议',
      approvedAt: '2026-11-20',
      reason: '人工成本上升，经业主大会表决通过',
      noticeDays: '30',
      documents: [{ name: '决议', fileId: 'cloud://x/y.jpg' }],
    };
    const current = { kind: 'area' as const, areaBasis: 'building' as const, unitPriceE4: 23500 };
    const early = validateProposal(form, current, 'c', 'req-000001', '2026-11-27');
    expect(early).toEqual({
      ok: false,
      errors: { effectiveFrom: '须公示期满后生效，最早 2026-12-27' },
    });
    const good = validateProposal(
      { ...form, effectiveFrom: '2027-01-01' },
      current,
      'c',
      'req-000001',
      '2026-11-27',
    );
    expect(good.ok && good.input).toMatchObject({ noticeDays: 30, pricing: { unitPrice: '2.60' } });
    const short = validateProposal(
      { ...form, noticeDays: '20' },
      current,
      'c',
      'req-000001',
      '2026-11-27',
    );
    expect(short.ok ? null : short.errors.noticeDays).toBe('公示期不少于 30 天');
    // the price is checked with the contract's rule, and named at the form's price field
    const fine = validateProposal(
      { ...form, price: '2.123456', effectiveFrom: '2027-01-01', reason: '涨价', documents: [] },
      current,
      'c',
      'req-000001',
      '2026-11-27',
    );
    expect(fine).toEqual({
      ok: false,
      errors: {
        price: '单价应为数字，最多 4 位小数（如 2.35）',
        reason: '请说明调价原因及依据（至少 10 个字）',
        documents: '请上传至少一份依据材料（如业主大会决议、成本测算）',
      },
    });
  });
});

describe('admin forms', () => {
  test('periods offered: four ended quarters and two ended half-years, newest first', () => {
    expect(periodOptions('2026-11-27').map((p) => p.value)).toEqual([
      '2026Q3',
      '2026Q2',
      '2026Q1',
      '2025Q4',
      '2026H1',
      '2025H2',
    ]);
    expect(periodOptions('2026-02-01').map((p) => p.value)).toEqual([
      '2025Q4',
      '2025Q3',
      '2025Q2',
      '2025Q1',
      '2025H2',
      '2025H1',
    ]);
  });

  test('an entry: yuan to fen without floats, every missing field named', () => {
    const base = {
      type: 'expense' as const,
      category: 'repairs',
      date: '2026-09-05',
      amount: '1,320.8',
      description: '水泵维修',
      use: '',
      vouchers: ['cloud://x/v.jpg'],
    };
    expect(validateEntry(base, 'c', 'req-000001', '2026-11-27')).toEqual({
      ok: false,
      errors: { amount: '请填写金额（元），如 1234.56' },
    });
    const ok = validateEntry({ ...base, amount: '1320.80' }, 'c', 'req-000001', '2026-11-27');
    expect(ok).toEqual({
      ok: true,
      input: {
        communityId: 'c',
        requestId: 'req-000001',
        type: 'expense',
        category: 'repairs',
        date: '2026-09-05',
        amountFen: 132_080,
        description: '水泵维修',
        vouchers: ['cloud://x/v.jpg'],
      },
    });
    const bad = validateEntry(
      {
        ...base,
        type: 'income',
        category: 'staff',
        date: '2026-12-01',
        amount: '0',
        description: 'x',
        vouchers: [],
      },
      'c',
      'req-000001',
      '2026-11-27',
    );
    expect(bad.ok ? [] : Object.keys(bad.errors).sort()).toEqual([
      'amount',
      'category',
      'date',
      'description',
      'use',
    ]);
  });

  test('service projects one per line, title before the colon', () => {
    expect(parseProjects('电梯维修：8 月完成\n\n  防汛排查 \n绿化: 补种 12 株')).toEqual([
      { title: '电梯维修', detail: '8 月完成' },
      { title: '防汛排查', detail: '' },
      { title: '绿化', detail: '补种 12 株' },
    ]);
  });
});
