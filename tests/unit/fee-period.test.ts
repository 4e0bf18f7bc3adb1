/** Periods, dates, cycles and due dates (miniprogram/domain/fee/period.ts). */
import {
  addMonths,
  cycleContaining,
  daysInMonth,
  dueDateIn,
  isDate,
  isPeriod,
  monthsBetween,
  resolveVersions,
  sliceByMonth,
} from '../../miniprogram/domain/fee';

describe('periods and dates', () => {
  test.each([
    ['2026-05', true],
    ['2026-12', true],
    ['2026-13', false],
    ['2026-00', false],
    ['2026-5', false],
    ['26-05', false],
    ['2026-05-01', false],
    ['', false],
  ])('isPeriod(%p) = %p', (text, ok) => expect(isPeriod(text)).toBe(ok));

  test.each([
    ['2026-02-28', true],
    ['2026-02-29', false],
    ['2024-02-29', true], // leap year
    ['1900-02-29', false], // divisible by 100, not by 400
    ['2000-02-29', true],
    ['2026-04-31', false],
    ['2026-4-1', false],
  ])('isDate(%p) = %p', (text, ok) => expect(isDate(text)).toBe(ok));

  test.each([
    ['2026-01', 31],
    ['2026-02', 28],
    ['2024-02', 29],
    ['2026-04', 30],
  ])('daysInMonth(%s) = %i', (p, n) => expect(daysInMonth(p)).toBe(n));

  test('month arithmetic across years', () => {
    expect(addMonths('2026-11', 3)).toBe('2027-02');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(monthsBetween('2025-11', '2026-02')).toBe(3);
  });

  test.each([
    ['2026-05', 'quarterly', '2026-04', '2026-06'],
    ['2026-04', 'quarterly', '2026-04', '2026-06'],
    ['2026-12', 'quarterly', '2026-10', '2026-12'],
    ['2026-05', 'monthly', '2026-05', '2026-05'],
    ['2026-08', 'halfYear', '2026-07', '2026-12'],
    ['2026-05', 'yearly', '2026-01', '2026-12'],
  ] as const)('the %s cycle of %s is %s..%s', (period, cycle, start, end) => {
    const c = cycleContaining(period, cycle);
    expect([c.start, c.end]).toEqual([start, end]);
    expect(c.months).toHaveLength(
      { monthly: 1, quarterly: 3, halfYear: 6, yearly: 12 }[cycle] as number,
    );
  });

  test('a fiscal year starting in July', () => {
    expect(cycleContaining('2026-03', 'yearly', 7)).toMatchObject({
      start: '2025-07',
      end: '2026-06',
    });
    expect(cycleContaining('2026-03', 'quarterly', 2)).toMatchObject({
      start: '2026-02',
      end: '2026-04',
    });
  });

  test.each([
    ['2026-05', 15, '2026-05-15'],
    ['2026-02', 31, '2026-02-28'], // clamped to the month end
    ['2024-02', 30, '2024-02-29'],
    ['2026-04', 31, '2026-04-30'],
  ])('due day in %s of %i → %s', (period, day, date) => {
    expect(dueDateIn(period, day)).toBe(date);
  });

  test('due day must be 1..31', () => {
    expect(() => dueDateIn('2026-05', 0)).toThrow(RangeError);
    expect(() => dueDateIn('2026-05', 32)).toThrow(RangeError);
  });

  test('slices a range at month ends', () => {
    expect(sliceByMonth({ from: '2026-01-17', to: '2026-03-10' })).toEqual([
      { period: '2026-01', from: '2026-01-17', to: '2026-01-31', days: 15, daysInMonth: 31 },
      { period: '2026-02', from: '2026-02-01', to: '2026-02-28', days: 28, daysInMonth: 28 },
      { period: '2026-03', from: '2026-03-01', to: '2026-03-10', days: 10, daysInMonth: 31 },
    ]);
  });
});

describe('resolveVersions', () => {
  const versions = [
    { versionId: 'v2', effectiveFrom: '2026-05-01' },
    { versionId: 'v1', effectiveFrom: '2025-01-01' },
    { versionId: 'v3', effectiveFrom: '2026-05-16' },
  ];

  test('splits a quarter at effective dates, in date order', () => {
    expect(
      resolveVersions(versions, '2026-04-01', '2026-06-30').map((s) => [
        s.version.versionId,
        s.from,
        s.to,
      ]),
    ).toEqual([
      ['v1', '2026-04-01', '2026-04-30'],
      ['v2', '2026-05-01', '2026-05-15'],
      ['v3', '2026-05-16', '2026-06-30'],
    ]);
  });

  test('days before the first version are not covered', () => {
    expect(
      resolveVersions(versions, '2024-12-01', '2025-01-31').map((s) => [s.from, s.to]),
    ).toEqual([['2025-01-01', '2025-01-31']]);
  });

  test('two versions on one day are an error', () => {
    expect(() =>
      resolveVersions([...versions, { effectiveFrom: '2026-05-01' }], '2026-01-01', '2026-12-31'),
    ).toThrow(RangeError);
  });
});
