/**
 * A room's bill for a period: cycles, applicability, skip reasons, vacancy and prepayment
 * discounts, deterministic keys (miniprogram/domain/fee/compute-bill.ts, discounts.ts).
 */
import {
  type FeeStandard,
  type VacancyRecord,
  assertStandard,
  chargeWindow,
  computeBill,
  quotePrepayment,
} from '../../miniprogram/domain/fee';
import { areaStandard, expectMoneyWithTwoDecimals, room, standardOf } from './fee-fixtures';

const electricity = standardOf(
  { kind: 'meter', unit: 'kWh', tiers: [{ upTo: null, unitPriceE4: 5283 }] },
  { itemId: 'elec', name: '电费', cycle: 'monthly', billingMode: 'postpaid', dueDay: 31 },
);
const deposit = standardOf(
  { kind: 'oneOff', amountFen: 200000 },
  { itemId: 'deposit', name: '装修押金' },
);

describe('chargeWindow', () => {
  test('prepaid quarterly: billed in the first month of the quarter', () => {
    expect(chargeWindow(areaStandard(), '2026-04')).toEqual({
      from: '2026-04-01',
      to: '2026-06-30',
      dueDate: '2026-04-15',
      cycle: { start: '2026-04', end: '2026-06', months: ['2026-04', '2026-05', '2026-06'] },
    });
    expect(chargeWindow(areaStandard(), '2026-05')).toBeNull();
  });

  test('postpaid monthly: billed the month after, due day clamped', () => {
    expect(chargeWindow(electricity, '2026-03')).toMatchObject({
      from: '2026-02-01',
      to: '2026-02-28',
      dueDate: '2026-03-31',
    });
    expect(chargeWindow({ ...electricity, dueDay: 31 }, '2026-02')?.dueDate).toBe('2026-02-28');
  });

  test('postpaid quarterly: billed in the month after the quarter ends', () => {
    const s = areaStandard({ billingMode: 'postpaid' });
    expect(chargeWindow(s, '2026-07')).toMatchObject({ from: '2026-04-01', to: '2026-06-30' });
    expect(chargeWindow(s, '2026-06')).toBeNull();
  });
});

describe('computeBill', () => {
  const standards: FeeStandard[] = [
    areaStandard(),
    standardOf({ kind: 'parking', unitPriceE4: 1500000 }, { itemId: 'park', name: '车位管理费' }),
    electricity,
    deposit,
  ];

  test('lines, total and due date for a quarter', () => {
    const bill = computeBill(room, standards, '2026-04', {
      readings: { elec: { previous: 1000, current: 1250 } },
    });
    // 物业服务费 630.76 (89.47 × 2.35 × 3) + 车位 900.00 (2 × 150 × 3)
    // + 电费 (March) 250 × 0.5283 = 132.075 → 132.08
    expect(bill.lines.map((l) => [l.key, l.amountFen])).toEqual([
      ['R1502:2026-04:mgmt', 63076],
      ['R1502:2026-04:park', 90000],
      ['R1502:2026-04:elec', 13208],
    ]);
    expect(bill.key).toBe('R1502:2026-04');
    expect(bill.totalFen).toBe(63076 + 90000 + 13208);
    expect(bill.dueDate).toBe('2026-04-15');
    expect(bill.lines[2]).toMatchObject({
      from: '2026-03-01',
      to: '2026-03-31',
      dueDate: '2026-04-30',
    });
    expect(bill.skippedItems).toEqual([{ itemId: 'deposit', reason: 'notRequested' }]);
    expect(bill.skipped).toBeUndefined();
    bill.lines.forEach((l) => expectMoneyWithTwoDecimals(l.basis));
  });

  test('is deterministic: a re-run gives the same keys and amounts (idempotent issuing)', () => {
    const ctx = { readings: { elec: { previous: 1000, current: 1250 } } };
    expect(computeBill(room, standards, '2026-04', ctx)).toEqual(
      computeBill(room, standards, '2026-04', ctx),
    );
  });

  test('one-off items only on request', () => {
    const bill = computeBill(room, [deposit], '2026-05', { oneOffItemIds: ['deposit'] });
    expect(bill.totalFen).toBe(200000);
    expect(bill.lines[0]?.key).toBe('R1502:2026-05:deposit');
  });

  test('nothing due mid-quarter', () => {
    const bill = computeBill(room, [areaStandard()], '2026-05');
    expect(bill.skipped).toBe('nothingDue');
    expect(bill.skippedItems).toEqual([{ itemId: 'mgmt', reason: 'notInCycle' }]);
  });

  test.each([
    ['noOwner', { ...room, ownerId: null }, [areaStandard()]],
    ['noArea', { ...room, buildingAreaCm2: null }, [areaStandard()]],
    [
      'notApplicable',
      room,
      [areaStandard({ applicability: { scope: 'buildings', buildingIds: ['B9'] } })],
    ],
    [
      'notApplicable',
      room,
      [areaStandard({ applicability: { scope: 'useTypes', useTypes: ['commercial'] } })],
    ],
  ] as const)('skipped: %s', (reason, r, list) => {
    const bill = computeBill(r, list, '2026-04');
    expect(bill.skipped).toBe(reason);
    expect(bill.lines).toEqual([]);
    expect(bill.totalFen).toBe(0);
  });

  test('applicability by room list and by use type', () => {
    const s = areaStandard({ applicability: { scope: 'rooms', roomIds: ['R1502'] } });
    expect(computeBill(room, [s], '2026-04').totalFen).toBe(63076);
    const u = areaStandard({ applicability: { scope: 'useTypes', useTypes: ['residential'] } });
    expect(computeBill(room, [u], '2026-04').totalFen).toBe(63076);
  });

  test('a missing area on one item does not stop the others', () => {
    const fixed = standardOf(
      { kind: 'fixed', unitPriceE4: 100000 },
      { itemId: 'lift', name: '电梯费' },
    );
    const bill = computeBill(
      { ...room, buildingAreaCm2: null },
      [areaStandard(), fixed],
      '2026-04',
    );
    // 10.00 × 3 = 30.00
    expect(bill.totalFen).toBe(3000);
    expect(bill.skippedItems).toEqual([{ itemId: 'mgmt', reason: 'noArea' }]);
    expect(bill.skipped).toBeUndefined();
  });

  test('rejects invalid standards and duplicate items', () => {
    expect(() => computeBill(room, [areaStandard(), areaStandard()], '2026-04')).toThrow(
      RangeError,
    );
    expect(() => computeBill(room, [areaStandard()], '2026-4')).toThrow(RangeError);
  });
});

describe('vacancy discount', () => {
  const vacant = (from: string, to: string, status: VacancyRecord['status'] = 'approved') => [
    { roomId: 'R1502', from, to, status },
  ];
  const half = areaStandard({ vacancyDiscount: { rateBp: 5000 } });

  test('50% for a whole vacant quarter', () => {
    // 630.76 × 50% = 315.38
    const bill = computeBill(room, [half], '2026-04', {
      vacancies: vacant('2026-01-01', '2026-12-31'),
    });
    expect(bill.discounts).toEqual([
      {
        key: 'R1502:2026-04:mgmt:vacancy',
        lineKey: 'R1502:2026-04:mgmt',
        itemId: 'mgmt',
        kind: 'vacancy',
        name: '空置优惠',
        rateBp: 5000,
        amountFen: 31538,
        basis: '空置 2026-04-01 至 2026-06-30：¥630.76 × 50% = ¥315.38',
      },
    ]);
    expect(bill.totalFen).toBe(31538);
  });

  test('part of the quarter: the vacant days are charged like a line, then discounted', () => {
    // Vacant 04-01..05-15: 210.2545 × (1 + 15/31) = 311.990548… → 311.99;
    // × 50% = 155.995 → half-up 156.00. Total 630.76 − 156.00 = 474.76
    const bill = computeBill(room, [half], '2026-04', {
      vacancies: vacant('2026-03-01', '2026-05-15'),
    });
    expect(bill.discounts[0]?.amountFen).toBe(15600);
    expect(bill.discounts[0]?.basis).toBe(
      '空置 2026-04-01 至 2026-05-15：建筑面积 89.47 m² × 2.3500 元/m²/月 × (1 个月 + 15/31 天) = ¥311.99；× 50% = ¥156.00',
    );
    expect(bill.totalFen).toBe(47476);
  });

  test('only approved records count', () => {
    for (const status of ['pending', 'rejected', 'revoked'] as const) {
      const bill = computeBill(room, [half], '2026-04', {
        vacancies: vacant('2026-01-01', '2026-12-31', status),
      });
      expect(bill.discounts).toEqual([]);
      expect(bill.totalFen).toBe(63076);
    }
  });

  test('no discount without the rule', () => {
    const bill = computeBill(room, [areaStandard()], '2026-04', {
      vacancies: vacant('2026-01-01', '2026-12-31'),
    });
    expect(bill.totalFen).toBe(63076);
  });

  test('100% for a whole vacant quarter: no bill (skipped: vacant)', () => {
    const full = areaStandard({ vacancyDiscount: { rateBp: 10000 } });
    const bill = computeBill(room, [full], '2026-04', {
      vacancies: vacant('2026-04-01', '2026-06-30'),
    });
    expect(bill.discounts[0]?.amountFen).toBe(63076);
    expect(bill.totalFen).toBe(0);
    expect(bill.skipped).toBe('vacant');
  });

  test('overlapping records are not counted twice', () => {
    const full = areaStandard({ vacancyDiscount: { rateBp: 10000 } });
    const bill = computeBill(room, [full], '2026-04', {
      vacancies: [...vacant('2026-04-01', '2026-05-31'), ...vacant('2026-05-01', '2026-06-30')],
    });
    expect(bill.discounts[0]?.amountFen).toBe(63076);
  });
});

describe('prepayment quote', () => {
  const standard = areaStandard({
    prepaymentDiscount: [
      { minMonths: 6, rateBp: 200 },
      { minMonths: 12, rateBp: 500 },
    ],
  });

  test('12 months ahead: 5% off', () => {
    // 210.2545 × 12 = 2523.054 → 2523.05; × 5% = 126.1525 → 126.15; total 2396.90
    const quote = quotePrepayment(room, [standard, electricity], '2026-01', 12);
    expect(quote.key).toBe('R1502:2026-01+12');
    expect(quote.lines[0]?.amountFen).toBe(252305);
    expect(quote.lines[0]?.basis).toBe('建筑面积 89.47 m² × 2.3500 元/m²/月 × 12 个月 = ¥2,523.05');
    expect(quote.discounts).toEqual([
      expect.objectContaining({
        kind: 'prepayment',
        rateBp: 500,
        amountFen: 12615,
        basis: '预缴 12 个月：¥2,523.05 × 5% = ¥126.15',
      }),
    ]);
    expect(quote.totalFen).toBe(239690);
    expect(quote.skippedItems).toEqual([{ itemId: 'elec', reason: 'notApplicable' }]);
  });

  test('6 months: 2%; 5 months: none', () => {
    // 210.2545 × 6 = 1261.527 → 1261.53; × 2% = 25.2306 → 25.23
    expect(quotePrepayment(room, [standard], '2026-07', 6).discounts[0]?.amountFen).toBe(2523);
    expect(quotePrepayment(room, [standard], '2026-07', 5).discounts).toEqual([]);
  });
});

describe('assertStandard', () => {
  test.each([
    ['kind mismatch', areaStandard({ kind: 'fixed' })],
    ['due day', areaStandard({ dueDay: 0 })],
    ['no versions', areaStandard({ versions: [] })],
    [
      'same effective date twice',
      areaStandard({
        versions: [
          {
            versionId: 'a',
            effectiveFrom: '2026-01-01',
            pricing: { kind: 'area', areaBasis: 'building', unitPriceE4: 1 },
          },
          {
            versionId: 'b',
            effectiveFrom: '2026-01-01',
            pricing: { kind: 'area', areaBasis: 'building', unitPriceE4: 2 },
          },
        ],
      }),
    ],
    ['float price', standardOf({ kind: 'fixed', unitPriceE4: 1.5 })],
    [
      'tiers not increasing',
      standardOf({
        kind: 'meter',
        unit: 'kWh',
        tiers: [
          { upTo: 200, unitPriceE4: 1 },
          { upTo: 100, unitPriceE4: 2 },
          { upTo: null, unitPriceE4: 3 },
        ],
      }),
    ],
    [
      'last tier bounded',
      standardOf({ kind: 'meter', unit: 'kWh', tiers: [{ upTo: 200, unitPriceE4: 1 }] }),
    ],
    ['vacancy rate over 100%', areaStandard({ vacancyDiscount: { rateBp: 10001 } })],
    [
      'late fee without a sane cap',
      areaStandard({
        lateFee: {
          enabled: true,
          rateBpPerDay: 30,
          graceDays: 0,
          cap: { kind: 'percentOfPrincipal', bp: 20000 },
        },
      }),
    ],
  ])('rejects %s', (_name, standard) => {
    expect(() => assertStandard(standard)).toThrow(RangeError);
  });
});
