/** Meter reading checks before billing (miniprogram/domain/fee/meter.ts). */
import { checkReading, median, toQuantity } from '../../miniprogram/domain/fee';

describe('checkReading', () => {
  test('a normal reading', () => {
    expect(checkReading(1000, 1250, [240, 260, 250])).toEqual({ ok: true, usage: '250' });
  });

  test('lower than the previous reading', () => {
    expect(checkReading(1000, 990, [240])).toEqual({
      ok: false,
      usage: '-10',
      flags: ['lowerThanPrevious'],
      median: '240',
    });
  });

  test('usage above 5 × the median of past usage', () => {
    // median of [100, 120, 300, 90] = (100 + 120) / 2 = 110; 5 × 110 = 550
    expect(checkReading(0, 550, [100, 120, 300, 90]).ok).toBe(true);
    expect(checkReading(0, 551, [100, 120, 300, 90])).toEqual({
      ok: false,
      usage: '551',
      flags: ['spike'],
      median: '110',
    });
  });

  test('no history: only the order of readings is checked', () => {
    expect(checkReading(0, 99999, []).ok).toBe(true);
  });

  test('a zero median flags any usage for a human to confirm', () => {
    expect(checkReading(10, 13, [0, 0, 0])).toMatchObject({ ok: false, flags: ['spike'] });
    expect(checkReading(10, 10, [0, 0, 0]).ok).toBe(true);
  });

  test('decimal readings stay exact; a custom factor', () => {
    expect(checkReading('1010.1', '1010.3', [])).toEqual({ ok: true, usage: '0.2' });
    expect(checkReading(0, 31, [10], { spikeFactor: 3 })).toMatchObject({ flags: ['spike'] });
  });

  test('rejects malformed readings', () => {
    expect(() => checkReading(-1, 5, [])).toThrow(RangeError);
    expect(() => checkReading(0, Number.NaN, [])).toThrow(RangeError);
    expect(() => checkReading(0, 0.1 + 0.2, [])).toThrow(RangeError);
  });

  test('median', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2].map((n) => toQuantity(n)))?.toFixed()).toBe('2');
    expect(median([1, 2].map((n) => toQuantity(n)))?.toFixed()).toBe('1.5');
  });
});
