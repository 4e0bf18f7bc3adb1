/** Display text of fen amounts and dates (the kernel's money.ts and time.ts). */
import fc from 'fast-check';
import { formatYuan, splitFen } from '../../miniprogram/domain/kernel/money';
import {
  daysBetween,
  formatDate,
  formatPeriod,
  formatShortDate,
  toShanghaiDate,
} from '../../miniprogram/domain/kernel/time';

describe('formatYuan', () => {
  test.each([
    [0, '¥0.00'],
    [5, '¥0.05'],
    [100, '¥1.00'],
    [123456, '¥1,234.56'],
    [319152, '¥3,191.52'],
    [100000000, '¥1,000,000.00'],
    [-500, '-¥5.00'],
  ])('%i fen → %s', (fen, text) => expect(formatYuan(fen)).toBe(text));

  test('refuses a float: money is integer fen', () => {
    expect(() => formatYuan(12.5)).toThrow(RangeError);
    expect(() => formatYuan(Number.NaN)).toThrow(RangeError);
  });

  test('round-trips: the digits shown are the fen given', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (fen) => {
        const p = splitFen(fen);
        const back = Number(`${p.yuan.replace(/,/g, '')}${p.cents}`) * (p.sign ? -1 : 1);
        return back === fen || (fen === 0 && back === 0);
      }),
    );
  });
});

describe('dates', () => {
  test('formats dates and periods in Chinese', () => {
    expect(formatDate('2026-06-15')).toBe('2026年6月15日');
    expect(formatShortDate('2026-06-05')).toBe('6月5日');
    expect(formatPeriod('2026-06')).toBe('2026年6月');
    expect(formatPeriod('bad')).toBe('bad');
  });

  test('timestamps become Shanghai dates', () => {
    expect(toShanghaiDate('2026-11-26T23:23:07.329Z')).toBe('2026-11-27');
    expect(toShanghaiDate('2026-11-26T10:00:00+08:00')).toBe('2026-11-26');
    expect(toShanghaiDate('2026-11-26')).toBe('2026-11-26');
  });

  test('days between dates', () => {
    expect(daysBetween('2026-06-01', '2026-06-15')).toBe(14);
    expect(daysBetween('2026-06-15', '2026-06-01')).toBe(-14);
    expect(daysBetween('2026-02-28', '2026-03-01')).toBe(1);
  });
});
