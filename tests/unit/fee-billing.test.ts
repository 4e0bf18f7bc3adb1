/**
 * The billing run's pure decisions (miniprogram/domain/fee/billing.ts): which standards fall due,
 * deterministic bill ids and keys, computed bill → stored bill, the 20% anomaly rule, tallies
 * and the words owners read.
 */
import fc from 'fast-check';
import {
  ANOMALY_THRESHOLD_BP,
  basisWithAmount,
  billDraftFor,
  billKeyOf,
  billTitle,
  billedItemIds,
  dueItems,
  emptyTally,
  lineAnomalies,
  pricingText,
  remainingBill,
  resolveRunPeriod,
  rulesText,
  standardsFingerprint,
  tallyBill,
  tallyRoomSkip,
} from '../../miniprogram/domain/fee/billing';
import { computeBill, type FeeStandard } from '../../miniprogram/domain/fee';
import { billMonths } from '../../miniprogram/domain/fee/bill';
import { formatMonths } from '../../miniprogram/domain/kernel/time';
import { areaStandard, room, standardOf } from './fee-fixtures';
import { issuedBill } from '../../cloudfunctions/_shared/ledger/state';

const water = standardOf(
  {
    kind: 'meter',
    unit: 'm³',
    tiers: [
      { upTo: 20, unitPriceE4: 29000 },
      { upTo: null, unitPriceE4: 43500 },
    ],
  },
  { itemId: 'water', name: '水费', cycle: 'monthly', billingMode: 'postpaid', dueDay: 20 },
);
const deposit = standardOf({ kind: 'oneOff', amountFen: 200000 }, { itemId: 'deposit' });
const meta = (standards: FeeStandard[]) =>
  new Map(standards.map((s) => [s.itemId, { standard: s, revision: 3 }]));

describe('dueItems and resolveRunPeriod', () => {
  test('prepaid quarters fall due in their first month, postpaid meters the month after', () => {
    const due = dueItems([areaStandard(), water, deposit], '2026-04');
    expect(
      due.map((d) => [d.itemId, d.from, d.to, d.dueDate, d.readingPeriod, d.previousPeriod]),
    ).toEqual([
      ['mgmt', '2026-04-01', '2026-06-30', '2026-04-15', null, '2026-01'],
      ['water', '2026-03-01', '2026-03-31', '2026-04-20', '2026-03', '2026-03'],
    ]);
    expect(dueItems([areaStandard()], '2026-05')).toEqual([]);
  });

  test('a withdrawn standard is not billed after its last day', () => {
    expect(dueItems([areaStandard({ effectiveTo: '2026-03-31' })], '2026-04')).toEqual([]);
    expect(dueItems([areaStandard({ effectiveTo: '2026-04-30' })], '2026-04')).toHaveLength(1);
  });

  test('a standard not yet in effect falls due from its first version on, and does not steer runs', () => {
    const later = {
      ...water,
      versions: water.versions.map((v) => ({ ...v, effectiveFrom: '2026-09-01' })),
    };
    expect(dueItems([later], '2026-04')).toEqual([]);
    expect(dueItems([later], '2026-10').map((d) => d.readingPeriod)).toEqual(['2026-09']);
    // With only the upcoming monthly meter besides it, a month inside the quarter runs the quarter.
    expect(resolveRunPeriod([areaStandard(), later], '2026-05')).toBe('2026-04');
  });

  test('a month inside a prepaid cycle runs the cycle’s first month', () => {
    expect(resolveRunPeriod([areaStandard()], '2026-05')).toBe('2026-04');
    expect(resolveRunPeriod([areaStandard()], '2026-06')).toBe('2026-04');
    expect(resolveRunPeriod([areaStandard(), water], '2026-05')).toBe('2026-05');
    expect(resolveRunPeriod([areaStandard({ firstMonth: 3 })], '2026-05')).toBe('2026-03');
    expect(resolveRunPeriod([], '2026-05')).toBe('2026-05');
  });
});

describe('bill documents', () => {
  const standards = [areaStandard({ vacancyDiscount: { rateBp: 3000 } }), water];
  const computed = computeBill(room, standards, '2026-04', {
    readings: { water: { previous: 100, current: 130 } },
    vacancies: [{ roomId: room.roomId, from: '2026-04-01', to: '2026-04-30', status: 'approved' }],
  });

  test('keys and ids are deterministic: the same room, period and items give the same bill', () => {
    expect(billKeyOf(['water', 'mgmt'])).toBe('mgmt+water');
    expect(billKeyOf(['mgmt', 'water', 'mgmt'])).toBe('mgmt+water');
    expect(() => billKeyOf([])).toThrow(RangeError);
    // The ledger issues the draft: no late fee, nothing paid yet.
    const doc = issuedBill(
      billDraftFor({
        computed,
        communityId: 'c1',
        building: 'B3',
        runId: 'run_c1_2026-04',
        issuedAt: new Date('2026-04-01T00:00:00Z'),
        standards: meta(standards),
        readingIds: { water: 'mr_R1502_water_2026-03' },
      }),
    );
    expect(doc._id).toBe('b_R1502_2026-04_mgmt+water');
    expect(doc).toMatchObject({
      key: 'mgmt+water',
      itemIds: ['mgmt', 'water'],
      status: 'unpaid',
      paidFen: 0,
      lateFeeFen: 0,
      dueDate: '2026-04-15',
      standardRevisions: { mgmt: 3, water: 3 },
    });
    // Charges then their discounts (negative): the items add up to the amount due.
    expect(doc.items.map((i) => [i.itemId, i.kind])).toEqual([
      ['mgmt', 'charge'],
      ['mgmt', 'discount'],
      ['water', 'charge'],
    ]);
    expect(doc.items.reduce((s, i) => s + i.amountFen, 0)).toBe(doc.amountDueFen);
    expect(doc.amountDueFen).toBe(computed.totalFen);
    expect(doc.items[2]!.readingId).toBe('mr_R1502_water_2026-03');
    expect(doc.items[0]!.basis).toBe('建筑面积 89.47 m² × 2.3500 元/m²/月 × 3 个月 = ¥630.76');
    expect(billedItemIds(doc)).toEqual(['mgmt', 'water']);
    expect(billedItemIds({ items: [{ itemId: 'property' }] })).toEqual(['property']);
  });

  test('items already billed are left out; what remains gets its own key', () => {
    const rest = remainingBill(computed, new Set(['mgmt']));
    expect(rest.lines.map((l) => l.itemId)).toEqual(['water']);
    expect(rest.discounts).toEqual([]);
    expect(rest.totalFen).toBe(rest.lines[0]!.amountFen);
    expect(rest.dueDate).toBe('2026-04-20');
    expect(remainingBill(computed, new Set(['mgmt', 'water'])).lines).toEqual([]);
  });

  test('prepaid money marks the bill partial or paid, never above the amount due', () => {
    const doc = billDraftFor({
      computed,
      communityId: 'c1',
      building: 'B3',
      runId: 'r',
      issuedAt: new Date(0),
      standards: meta(standards),
    });
    expect(issuedBill(doc, 100)).toMatchObject({
      paidFen: 100,
      prepaidAppliedFen: 100,
      status: 'partial',
    });
    expect(issuedBill(doc, doc.amountDueFen + 5)).toMatchObject({
      paidFen: doc.amountDueFen,
      status: 'paid',
    });
    expect(issuedBill(doc, 0).status).toBe('unpaid');
  });

  test('titles name the items and the cycle; the covered months come from the lines', () => {
    expect(billTitle('2026-04', [{ name: '物业服务费', from: '2026-04-01' }], ['quarterly'])).toBe(
      '物业服务费（季度）',
    );
    expect(billTitle('2026-04', [{ name: '物业服务费', from: '2026-04-01' }], ['monthly'])).toBe(
      '物业服务费',
    );
    const quarter = {
      period: '2026-07',
      items: [
        { from: '2026-07-01', to: '2026-09-30' },
        { from: undefined, to: undefined },
      ],
    };
    expect(billMonths(quarter)).toEqual({ from: '2026-07', to: '2026-09' });
    expect(formatMonths('2026-07', '2026-09')).toBe('2026年7月–9月');
    expect(formatMonths('2026-11', '2027-01')).toBe('2026年11月–2027年1月');
    expect(formatMonths('2026-07', '2026-07')).toBe('2026年7月');
    // an opening balance has no ranges: it covers its period
    expect(billMonths({ period: '2025-12', items: [] })).toEqual({
      from: '2025-12',
      to: '2025-12',
    });
    expect(
      billTitle(
        '2026-04',
        [
          { name: '物业服务费', from: '2026-04-01' },
          { name: '水费', from: '2026-03-01' },
        ],
        ['quarterly', 'monthly'],
      ),
    ).toBe('物业服务费、水费');
  });
});

describe('anomalies: more than 20% against the previous period', () => {
  const line = (amountFen: number) => [{ itemId: 'mgmt', name: '物业服务费', amountFen }];

  test('exactly 20% is not an anomaly; just over is', () => {
    const prev = new Map([['mgmt', 10000]]);
    expect(lineAnomalies('R', line(12000), prev)).toEqual([]);
    expect(lineAnomalies('R', line(8000), prev)).toEqual([]);
    expect(lineAnomalies('R', line(12001), prev)).toEqual([
      {
        roomId: 'R',
        itemId: 'mgmt',
        name: '物业服务费',
        previousFen: 10000,
        currentFen: 12001,
        changeBp: 2001,
      },
    ]);
    expect(lineAnomalies('R', line(7999), prev)[0]!.changeBp).toBe(-2001);
  });

  test('new items and items without a previous amount are never anomalies', () => {
    expect(lineAnomalies('R', line(50000), new Map())).toEqual([]);
    expect(lineAnomalies('R', line(50000), new Map([['mgmt', 0]]))).toEqual([]);
  });

  test('property: flagged exactly when |Δ| × 10000 > 2000 × previous', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 20_000_000 }),
        (p, c) => {
          const flagged = lineAnomalies('R', line(c), new Map([['mgmt', p]])).length === 1;
          expect(flagged).toBe(Math.abs(c - p) * 10000 > ANOMALY_THRESHOLD_BP * p);
        },
      ),
    );
  });
});

describe('tallies', () => {
  test('bills add up per building and item; skips are counted and sampled', () => {
    const t = emptyTally();
    const bill = computeBill(room, [areaStandard()], '2026-04');
    tallyBill(t, 'B3', bill, 500);
    tallyBill(t, 'B3', bill);
    tallyRoomSkip(t, { roomId: 'R2', roomLabel: '1栋1单元102' }, 'noOwner');
    tallyRoomSkip(t, { roomId: 'R3', roomLabel: '1栋1单元103' }, 'alreadyIssued');
    expect(t).toMatchObject({
      bills: 2,
      totalFen: 2 * bill.totalFen,
      prepaidAppliedFen: 500,
      prepaidRooms: 1,
      byBuilding: { B3: { bills: 2, totalFen: 2 * bill.totalFen } },
      byItem: { mgmt: { lines: 2, amountFen: 2 * bill.totalFen } },
      skipped: { noOwner: 1, alreadyIssued: 1 },
      skippedRooms: [{ roomId: 'R2', roomLabel: '1栋1单元102', reason: 'noOwner' }],
    });
  });
});

describe('words', () => {
  test('prices show 2 decimals where exact, 4 where needed; tiers are spelled out', () => {
    expect(pricingText({ kind: 'area', areaBasis: 'building', unitPriceE4: 23500 })).toBe(
      '2.35 元/m²/月（按建筑面积）',
    );
    expect(pricingText({ kind: 'area', areaBasis: 'inner', unitPriceE4: 23456 })).toBe(
      '2.3456 元/m²/月（按套内面积）',
    );
    expect(pricingText({ kind: 'area', areaBasis: 'building', unitPriceE4: 23500 }, 4)).toBe(
      '2.3500 元/m²/月（按建筑面积）',
    );
    expect(pricingText(water.versions[0]!.pricing)).toBe(
      '第1档 0–20 m³：2.90 元/m³；第2档 20 m³ 以上：4.35 元/m³',
    );
    expect(pricingText({ kind: 'oneOff', amountFen: 200000 })).toBe('2000.00 元/次');
  });

  test('rules: cycle, discounts and a capped late fee, or none', () => {
    expect(rulesText(areaStandard())).toEqual(['季度收取，每期首月 15 日前缴纳', '不收取滞纳金']);
    const rules = rulesText(
      areaStandard({
        vacancyDiscount: { rateBp: 3000 },
        prepaymentDiscount: [{ minMonths: 12, rateBp: 500 }],
        lateFee: {
          enabled: true,
          rateBpPerDay: 5,
          graceDays: 30,
          cap: { kind: 'percentOfPrincipal', bp: 1000 },
        },
      }),
    );
    expect(rules).toEqual([
      '季度收取，每期首月 15 日前缴纳',
      '空置优惠：经审批的空置期间减收 30%',
      '预缴优惠：一次预缴满 12 个月减收 5%',
      '滞纳金：逾期超过 30 天后按欠费本金每日 0.05% 计收，最高为欠费本金的 10%；有争议或投诉处理期间暂停计收',
    ]);
  });

  test('an older basis gets its amount; a full one is left alone', () => {
    expect(
      basisWithAmount({ basis: '建筑面积 89.47 m² × 2.3500 元/m²/月 × 3 个月', amountFen: 63076 }),
    ).toBe('建筑面积 89.47 m² × 2.3500 元/m²/月 × 3 个月 = ¥630.76');
    const full = '空置 2026-04-01 至 2026-04-30：¥630.76 × 30% = ¥189.23';
    expect(basisWithAmount({ basis: full, amountFen: -18923 })).toBe(full);
  });

  test('the fingerprint changes with any revision, not with order', () => {
    const a = standardsFingerprint([
      { itemId: 'b', revision: 1 },
      { itemId: 'a', revision: 2 },
    ]);
    expect(a).toBe('a@2,b@1');
    expect(
      standardsFingerprint([
        { itemId: 'a', revision: 3 },
        { itemId: 'b', revision: 1 },
      ]),
    ).not.toBe(a);
  });
});
