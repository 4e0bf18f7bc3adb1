/**
 * Line items: area, fixed, parking, meter (tiered) and one-off charges, proration by days,
 * standard versions, and rounding once per line (miniprogram/domain/fee/line.ts).
 * Every expected amount is worked by hand in the comment next to it.
 */
import fc from 'fast-check';
import {
  type BillableRoom,
  type FeeLine,
  type FeeStandard,
  type LineInput,
  type MeterReading,
  type RoundingMode,
  addDays,
  computeLine,
  daysBetween,
  formatPriceE4,
  parsePriceE4,
  splitTiers,
  toQuantity,
} from '../../miniprogram/domain/fee';
import { areaStandard, expectMoneyWithTwoDecimals, room, standardOf } from './fee-fixtures';

const Q2 = { from: '2026-04-01', to: '2026-06-30' };

function line(
  standard: FeeStandard,
  window: { from: string; to: string },
  extra: Partial<LineInput> = {},
  forRoom: BillableRoom = room,
): FeeLine {
  const outcome = computeLine({
    key: `${forRoom.roomId}:test:${standard.itemId}`,
    standard,
    room: forRoom,
    window,
    dueDate: '2026-04-15',
    ...extra,
  });
  if (!('line' in outcome)) throw new Error(`skipped: ${outcome.skipped}`);
  expectMoneyWithTwoDecimals(outcome.line.basis);
  return outcome.line;
}

describe('area-based fees', () => {
  test('89.47 m² × 2.35 元/m²/月 × 3 months = ¥630.76', () => {
    // 89.47 × 2.35 = 210.2545 a month; × 3 = 630.7635 → half-up → 630.76 → 63076 fen
    const l = line(areaStandard(), Q2);
    expect(l.amountFen).toBe(63076);
    expect(l.basis).toBe('建筑面积 89.47 m² × 2.3500 元/m²/月 × 3 个月 = ¥630.76');
    expect(l).toMatchObject({
      quantity: '89.47',
      quantityUnit: 'm²',
      unitPrice: '2.3500',
      priceUnit: '元/m²/月',
      months: '3 个月',
      from: '2026-04-01',
      to: '2026-06-30',
    });
  });

  test('套内面积 when the standard says so', () => {
    // 75.12 × 2.35 × 1 = 176.532 → 176.53
    const standard = areaStandard({
      versions: [
        {
          versionId: 'v1',
          effectiveFrom: '2025-01-01',
          pricing: { kind: 'area', areaBasis: 'inner', unitPriceE4: 23500 },
        },
      ],
    });
    const l = line(standard, { from: '2026-05-01', to: '2026-05-31' });
    expect(l.amountFen).toBe(17653);
    expect(l.basis).toBe('套内面积 75.12 m² × 2.3500 元/m²/月 × 1 个月 = ¥176.53');
  });

  test('move-in on the 17th of a 31-day month pays 15/31 of the month', () => {
    // May has 31 days; 17th..31st = 15 days.
    // 210.2545 × 15/31 = 3153.8175/31 = 101.736048… → 101.74 → 10174 fen
    const movedIn = { ...room, billableFrom: '2026-05-17' };
    const l = line(
      areaStandard({ cycle: 'monthly' }),
      { from: '2026-05-01', to: '2026-05-31' },
      {},
      movedIn,
    );
    expect(l.amountFen).toBe(10174);
    expect(l.basis).toBe('建筑面积 89.47 m² × 2.3500 元/m²/月 × 15/31 天 = ¥101.74');
    expect(l.from).toBe('2026-05-17');
    expect(l.months).toBe('15/31 天');
  });

  test('move-in mid-quarter: the partial month by its own days, then whole months', () => {
    // April has 30 days; move-in 04-17 → 14 days. 210.2545 × (14/30 + 2)
    // = 98.1187666… + 420.509 = 518.6277666… → 518.63
    const movedIn = { ...room, billableFrom: '2026-04-17' };
    const l = line(areaStandard(), Q2, {}, movedIn);
    expect(l.amountFen).toBe(51863);
    expect(l.basis).toBe('建筑面积 89.47 m² × 2.3500 元/m²/月 × (14/30 天 + 2 个月) = ¥518.63');
  });

  test('move-out: days ÷ days in that month (February has 28)', () => {
    // 1..10 Feb 2026 = 10/28; 210.2545 × 10/28 = 75.0908928… → 75.09
    const movedOut = { ...room, billableTo: '2026-02-10' };
    const l = line(
      areaStandard({ cycle: 'monthly' }),
      { from: '2026-02-01', to: '2026-02-28' },
      {},
      movedOut,
    );
    expect(l.amountFen).toBe(7509);
    expect(l.basis).toBe('建筑面积 89.47 m² × 2.3500 元/m²/月 × 10/28 天 = ¥75.09');
  });

  test('a standard change on the 1st of the 2nd month of a quarter splits the quarter', () => {
    // April at 2.35, May–June at 2.50: 89.47 × (2.35 × 1 + 2.50 × 2) = 89.47 × 7.35
    // = 657.6045 → 657.60
    const standard = areaStandard({
      versions: [
        {
          versionId: 'v1',
          effectiveFrom: '2025-01-01',
          pricing: { kind: 'area', areaBasis: 'building', unitPriceE4: 23500 },
        },
        {
          versionId: 'v2',
          effectiveFrom: '2026-05-01',
          pricing: { kind: 'area', areaBasis: 'building', unitPriceE4: 25000 },
        },
      ],
    });
    const l = line(standard, Q2);
    expect(l.amountFen).toBe(65760);
    expect(l.basis).toBe(
      '建筑面积 89.47 m² × (2.3500 元/m²/月 × 1 个月 + 2.5000 元/m²/月 × 2 个月) = ¥657.60',
    );
    expect(l.unitPrice).toBe('2.3500 / 2.5000');
    expect(l.segments.map((s) => [s.versionId, s.from, s.to, s.months])).toEqual([
      ['v1', '2026-04-01', '2026-04-30', '1 个月'],
      ['v2', '2026-05-01', '2026-06-30', '2 个月'],
    ]);
  });

  test('a change mid-month splits that month by days', () => {
    // v2 from 05-16: May = 15/31 at 2.35 + 16/31 at 2.50.
    // 89.47 × (2.35 × 15 + 2.50 × 16) / 31 = 89.47 × 75.25 / 31 = 6732.6175 / 31
    // = 217.18120967… → 217.18
    const standard = areaStandard({
      cycle: 'monthly',
      versions: [
        {
          versionId: 'v1',
          effectiveFrom: '2025-01-01',
          pricing: { kind: 'area', areaBasis: 'building', unitPriceE4: 23500 },
        },
        {
          versionId: 'v2',
          effectiveFrom: '2026-05-16',
          pricing: { kind: 'area', areaBasis: 'building', unitPriceE4: 25000 },
        },
      ],
    });
    const l = line(standard, { from: '2026-05-01', to: '2026-05-31' });
    expect(l.amountFen).toBe(21718);
    expect(l.basis).toBe(
      '建筑面积 89.47 m² × (2.3500 元/m²/月 × 15/31 天 + 2.5000 元/m²/月 × 16/31 天) = ¥217.18',
    );
  });

  test('a withdrawn standard stops on its last day', () => {
    // effectiveTo 05-31: April + May = 2 months; 210.2545 × 2 = 420.509 → 420.51
    const l = line(areaStandard({ effectiveTo: '2026-05-31' }), Q2);
    expect(l.amountFen).toBe(42051);
    expect(l.to).toBe('2026-05-31');
  });

  test('skips: no area, not billable in the window, before the first version', () => {
    const run = (s: FeeStandard, r: BillableRoom, w = Q2) =>
      computeLine({ key: 'k', standard: s, room: r, window: w, dueDate: '2026-04-15' });
    expect(run(areaStandard(), { ...room, buildingAreaCm2: null })).toEqual({ skipped: 'noArea' });
    expect(run(areaStandard(), { ...room, buildingAreaCm2: 0 })).toEqual({ skipped: 'noArea' });
    expect(run(areaStandard(), { ...room, billableFrom: '2026-07-01' })).toEqual({
      skipped: 'notOccupied',
    });
    expect(run(areaStandard(), room, { from: '2024-01-01', to: '2024-03-31' })).toEqual({
      skipped: 'noVersion',
    });
  });
});

describe('rounding once per line, at exactly half a fen', () => {
  // 89.50 × 2.35 = 210.325 元 = 21032.5 fen (exactly half)
  // 89.47 × 2.35 = 210.2545 元 = 21025.45 fen (below half)
  test.each([
    [8950, 'halfUp', 21033],
    [8950, 'up', 21033],
    [8950, 'down', 21032],
    [8947, 'halfUp', 21025],
    [8947, 'up', 21026],
    [8947, 'down', 21025],
  ] as const)('%i cm² in mode %s → %i fen', (cm2, mode, fen) => {
    const l = line(
      areaStandard({ cycle: 'monthly', rounding: mode as RoundingMode }),
      { from: '2026-05-01', to: '2026-05-31' },
      {},
      { ...room, buildingAreaCm2: cm2 },
    );
    expect(l.amountFen).toBe(fen);
  });

  test('no float artefact: 444.195 rounds half-up to 444.20', () => {
    // 1.00 m² × 44.4195 元/m²/月 × 10 months = 444.195 → half-up → 444.20
    // (in floats (444.195).toFixed(2) is "444.19": the double just below 444.195)
    const l = line(
      standardOf({ kind: 'area', areaBasis: 'building', unitPriceE4: 444195 }, { cycle: 'yearly' }),
      { from: '2026-01-01', to: '2026-10-31' },
      {},
      { ...room, buildingAreaCm2: 100 },
    );
    expect(l.amountFen).toBe(44420);
    expect(l.basis).toBe('建筑面积 1.00 m² × 44.4195 元/m²/月 × 10 个月 = ¥444.20');
  });
});

describe('fixed, parking and one-off fees', () => {
  test('fixed 30.00 元/户/月 × 3 months = ¥90.00', () => {
    const l = line(standardOf({ kind: 'fixed', unitPriceE4: 300000 }), Q2);
    expect(l.amountFen).toBe(9000);
    expect(l.basis).toBe('30.00 元/户/月 × 3 个月 = ¥90.00');
    expect(l.unitPrice).toBe('30.00');
  });

  test('a fixed price with more than 2 decimals shows all 4', () => {
    // 12.3456 × 1 = 12.3456 → 12.35
    const l = line(standardOf({ kind: 'fixed', unitPriceE4: 123456 }, { cycle: 'monthly' }), {
      from: '2026-05-01',
      to: '2026-05-31',
    });
    expect(l.basis).toBe('12.3456 元/户/月 × 1 个月 = ¥12.35');
  });

  test('parking: 2 spaces × 150.00 元/个/月 × 3 months = ¥900.00', () => {
    const l = line(standardOf({ kind: 'parking', unitPriceE4: 1500000 }), Q2);
    expect(l.amountFen).toBe(90000);
    expect(l.basis).toBe('车位 2 个 × 150.00 元/个/月 × 3 个月 = ¥900.00');
    const none = computeLine({
      key: 'k',
      standard: standardOf({ kind: 'parking', unitPriceE4: 1500000 }),
      room: { ...room, parkingSpaces: 0 },
      window: Q2,
      dueDate: '2026-04-15',
    });
    expect(none).toEqual({ skipped: 'noParking' });
  });

  test('one-off deposit', () => {
    const l = line(standardOf({ kind: 'oneOff', amountFen: 200000 }), {
      from: '2026-05-01',
      to: '2026-05-31',
    });
    expect(l.amountFen).toBe(200000);
    expect(l.basis).toBe('一次性收费 ¥2,000.00');
    expect(l.unitPrice).toBe('2000.00');
  });
});

describe('meters', () => {
  const tiers = [
    { upTo: 200, unitPriceE4: 5283 }, // 0.5283 元/kWh
    { upTo: 400, unitPriceE4: 5783 },
    { upTo: null, unitPriceE4: 8283 },
  ];
  const electricity = standardOf(
    { kind: 'meter', unit: 'kWh', tiers },
    { cycle: 'monthly', billingMode: 'postpaid', name: '电费' },
  );
  const april = { from: '2026-04-01', to: '2026-04-30' };
  const meter = (reading: MeterReading, standard = electricity) =>
    line(standard, april, { reading });

  test('flat price', () => {
    // (1250 − 1000) × 3.45 = 862.50
    const water = standardOf({
      kind: 'meter',
      unit: 'm³',
      tiers: [{ upTo: null, unitPriceE4: 34500 }],
    });
    const l = meter({ previous: 1000, current: 1250 }, water);
    expect(l.amountFen).toBe(86250);
    expect(l.basis).toBe('用量 1250 − 1000 = 250 m³ × 3.4500 元/m³ = ¥862.50');
    expect(l.months).toBeNull();
  });

  test('tiered electricity across a tier boundary (and exactly half a fen)', () => {
    // 250 kWh: 200 × 0.5283 = 105.66; 50 × 0.5783 = 28.915; total 134.575 → half-up 134.58
    const l = meter({ previous: 1000, current: 1250 });
    expect(l.amountFen).toBe(13458);
    expect(l.basis).toBe(
      '用量 1250 − 1000 = 250 kWh：200 kWh × 0.5283 元/kWh + 50 kWh × 0.5783 元/kWh = ¥134.58',
    );
    expect(l.unitPrice).toBe('0.5283 / 0.5783');
    // rounding down: 134.57
    expect(
      meter({ previous: 1000, current: 1250 }, { ...electricity, rounding: 'down' }).amountFen,
    ).toBe(13457);
  });

  test('all three tiers', () => {
    // 450 kWh: 105.66 + 200 × 0.5783 (115.66) + 50 × 0.8283 (41.415) = 262.735 → 262.74
    expect(meter({ previous: 0, current: 450 }).amountFen).toBe(26274);
  });

  test('tiers are cumulative over the tier period', () => {
    // 150 kWh already billed this tier period; 100 more: 50 × 0.5283 + 50 × 0.5783
    // = 26.415 + 28.915 = 55.33
    const l = meter({ previous: 1000, current: 1100, priorUsage: 150 });
    expect(l.amountFen).toBe(5533);
    expect(l.basis).toContain('（本阶梯周期已用 150 kWh）');
  });

  test('multiplier and loss', () => {
    // (1012.5 − 1010) × 40 + 3 = 103 kWh; 103 × 0.5283 = 54.4149 → 54.41
    const l = meter({ previous: '1010', current: '1012.5', multiplier: 40, loss: 3 });
    expect(l.amountFen).toBe(5441);
    expect(l.basis).toBe(
      '用量 (1012.5 − 1010) × 40 + 3 = 103 kWh：103 kWh × 0.5283 元/kWh = ¥54.41',
    );
  });

  test('missing or backwards readings are not billed', () => {
    const run = (reading?: MeterReading) =>
      computeLine({
        key: 'k',
        standard: electricity,
        room,
        window: april,
        dueDate: '2026-05-15',
        reading,
      });
    expect(run()).toEqual({ skipped: 'noReading' });
    expect(run({ previous: 1000, current: 900 })).toEqual({ skipped: 'invalidReading' });
    expect(() => run({ previous: 0.1 + 0.2, current: 1 })).toThrow(RangeError);
  });

  test('splitTiers places usage on the cumulative scale', () => {
    const uses = splitTiers(tiers, toQuantity(300), toQuantity(150));
    expect(uses.map((u) => [u.tier, u.quantity.toFixed()])).toEqual([
      [1, '50'],
      [2, '200'],
      [3, '50'],
    ]);
  });
});

describe('unit prices', () => {
  test('4 decimals held as an integer of 0.0001 元', () => {
    expect(parsePriceE4('2.35')).toBe(23500);
    expect(parsePriceE4('0.5283')).toBe(5283);
    expect(formatPriceE4(23500)).toBe('2.3500');
    expect(formatPriceE4(300000, 2)).toBe('30.00');
    expect(formatPriceE4(123456, 2)).toBe('12.3456');
    expect(() => parsePriceE4('2.35001')).toThrow(RangeError);
    expect(() => parsePriceE4('-1')).toThrow(RangeError);
  });
});

describe('properties', () => {
  const modes: RoundingMode[] = ['halfUp', 'up', 'down'];
  const dateArb = fc.integer({ min: 0, max: 4 * 365 }).map((n) => addDays('2025-01-01', n));

  test('amounts are non-negative integers and every ¥ shows two decimals', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_00 }), // up to 10,000 m²
        fc.integer({ min: 0, max: 1_000_000 }), // up to 100 元/m²/月
        dateArb,
        fc.integer({ min: 0, max: 400 }),
        fc.constantFrom(...modes),
        (cm2, priceE4, from, length, mode) => {
          const outcome = computeLine({
            key: 'k',
            standard: standardOf(
              { kind: 'area', areaBasis: 'building', unitPriceE4: priceE4 },
              { rounding: mode },
            ),
            room: { ...room, buildingAreaCm2: cm2 },
            window: { from, to: addDays(from, length) },
            dueDate: from,
          });
          if ('skipped' in outcome) {
            expect(cm2).toBe(0);
            return;
          }
          expect(Number.isSafeInteger(outcome.line.amountFen)).toBe(true);
          expect(outcome.line.amountFen).toBeGreaterThanOrEqual(0);
          expectMoneyWithTwoDecimals(outcome.line.basis);
        },
      ),
    );
  });

  test('a range split into k parts sums to the whole within the rounding bound', () => {
    // Each part and the whole are rounded once from exact values. Half-up: every rounding moves
    // the amount by (−½, ½] fen, so |Σ parts − whole| < (k + 1)/2, i.e. ≤ ⌊k/2⌋ fen.
    // Up or down: each moves it by [0, 1) in one direction, so the gap is ≤ k − 1 fen.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50_000 }),
        fc.integer({ min: 1, max: 500_000 }),
        dateArb,
        fc.integer({ min: 1, max: 500 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 499 }), { maxLength: 6 }),
        fc.constantFrom(...modes),
        (cm2, priceE4, from, length, cutsRaw, mode) => {
          const to = addDays(from, length);
          const cuts = cutsRaw.filter((c) => c <= length).sort((a, b) => a - b);
          const starts = [from, ...cuts.map((c) => addDays(from, c))];
          const parts = starts.map((s, i) => ({
            from: s,
            to: i + 1 < starts.length ? addDays(starts[i + 1]!, -1) : to,
          }));
          const standard = standardOf(
            { kind: 'area', areaBasis: 'building', unitPriceE4: priceE4 },
            { rounding: mode },
          );
          const r = { ...room, buildingAreaCm2: cm2 };
          const amount = (w: { from: string; to: string }) => line(standard, w, {}, r).amountFen;
          const whole = amount({ from, to });
          const sum = parts.reduce((s, p) => s + amount(p), 0);
          const k = parts.length;
          expect(parts.reduce((n, p) => n + daysBetween(p.from, p.to) + 1, 0)).toBe(length + 1);
          const bound = mode === 'halfUp' ? Math.floor(k / 2) : k - 1;
          expect(Math.abs(sum - whole)).toBeLessThanOrEqual(bound);
        },
      ),
    );
  });
});
