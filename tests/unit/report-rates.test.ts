/**
 * Report maths (miniprogram/domain/report/rates.ts, ledger/aging.ts) and the reports page's bar
 * chart layout.
 */
import Big from 'big.js';
import fc from 'fast-check';
import { agingBucket, agingCutoffs, overdueDaysOn } from '../../miniprogram/domain/ledger/aging';
import { collectionRates, formatRate, rateBp } from '../../miniprogram/domain/report/rates';
import { addDays } from '../../miniprogram/domain/kernel/time';
import { layoutBars, niceScale } from '../../miniprogram/admin/reports/chart';
import { formatYuanWhole } from '../../miniprogram/domain/kernel/money';

describe('report maths', () => {
  test('rates in hundredths of a percent, half-up once', () => {
    expect(rateBp(35000, 51000)).toBe(6863);
    expect(rateBp(2, 3)).toBe(6667);
    expect(rateBp(1, 0)).toBe(0);
    expect(formatRate(9653)).toBe('96.53%');
    // Integer arithmetic agrees with big.js half-up rounding.
    fc.assert(
      fc.property(fc.nat(10_000_000_000), fc.integer({ min: 1, max: 10_000_000_000 }), (n, d) => {
        const big = Number(new Big(n).times(10000).div(d).round(0, Big.roundHalfUp).toFixed(0));
        expect(rateBp(n, d)).toBe(big);
      }),
    );
    expect(formatRate(5)).toBe('0.05%');
    expect(
      collectionRates({ billedRooms: 4, arrearsRooms: 3, dueFen: 101000, collectedFen: 75000 }),
    ).toEqual({ householdRateBp: 2500, amountRateBp: 7426 });
  });
  test('aging cutoffs agree with the bucket of the overdue days', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 800 }), (days) => {
        const asOf = '2026-11-20';
        const due = addDays(asOf, -days);
        const cut = agingCutoffs(asOf).find((c) => due >= c.minDue)!;
        expect(cut.bucket).toBe(agingBucket(overdueDaysOn(due, asOf)));
      }),
    );
    expect([0, 30, 31, 90, 91, 180, 181, 365, 366].map(agingBucket)).toEqual([
      '0-30',
      '0-30',
      '31-90',
      '31-90',
      '91-180',
      '91-180',
      '181-365',
      '181-365',
      '365+',
    ]);
  });
});

describe('bar chart layout (admin/reports/chart.ts)', () => {
  test('bars scale to the maximum, share the baseline and stay inside the canvas', () => {
    const layout = layoutBars(
      [
        { label: '1栋', value: 50, valueText: '50%' },
        { label: '2栋', value: 100, valueText: '100%' },
        { label: '3栋', value: 0, valueText: '0%' },
      ],
      { width: 330, height: 190, max: 100, title: '收缴率' },
    );
    const [a, b, c] = layout.bars;
    expect(b!.h).toBeCloseTo(a!.h * 2);
    expect(c!.h).toBe(0);
    for (const bar of layout.bars) {
      expect(bar.y + bar.h).toBeCloseTo(layout.baseline);
      expect(bar.x).toBeGreaterThanOrEqual(0);
      expect(bar.x + bar.w).toBeLessThanOrEqual(330);
    }
    expect(a!.x).toBeLessThan(b!.x);
  });

  test('the value axis carries its values: a rate in quarters of 100%, the top at the scale', () => {
    const layout = layoutBars([{ label: '1栋', value: 100, valueText: '100%' }], {
      width: 330,
      height: 190,
      max: 100,
      tickText: (v) => `${v}%`,
      axisLabel: '金额收缴率',
    });
    expect(layout.ticks.map((t) => t.text)).toEqual(['0%', '25%', '50%', '75%', '100%']);
    expect(layout.ticks[0]!.y).toBeCloseTo(layout.baseline);
    expect(layout.ticks[4]!.y).toBeCloseTo(layout.bars[0]!.y);
    // the tick text has room left of the plot
    expect(layout.left).toBeGreaterThanOrEqual(40);
  });

  test('amounts get a round scale above the largest bar, ticks as whole yuan', () => {
    const layout = layoutBars(
      [
        { label: '0-30', value: 1_234_56, valueText: '¥1,235' },
        { label: '31-90', value: 310_00, valueText: '¥310' },
      ],
      { width: 330, height: 190, tickText: (v) => formatYuanWhole(v) },
    );
    expect(layout.ticks.map((t) => t.text)).toEqual(['¥0', '¥500', '¥1,000', '¥1,500']);
    expect(niceScale(0)).toEqual([0, 1]);
    expect(niceScale(9)).toEqual([0, 2.5, 5, 7.5, 10]);
  });
});
