/**
 * Report maths (miniprogram/domain/report/rates.ts, ledger/aging.ts) and the reports page's bar
 * chart layout.
 */
import Big from 'big.js';
import fc from 'fast-check';
import { agingBucket, agingCutoffs, overdueDaysOn } from '../../miniprogram/domain/ledger/aging';
import { collectionRates, formatRate, rateBp } from '../../miniprogram/domain/report/rates';
import { addDays } from '../../miniprogram/domain/kernel/time';
import { layoutBars } from '../../miniprogram/admin/reports/chart';

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
    expect(layout.guides).toHaveLength(3);
  });
});
