/** Date text and Beijing dates (miniprogram/domain/kernel/time.ts). */
import {
  daysBetween,
  formatDate,
  formatPeriod,
  formatShortDate,
  toShanghaiDate,
} from '../../miniprogram/domain/kernel/time';

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
