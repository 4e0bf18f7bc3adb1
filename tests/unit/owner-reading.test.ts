/**
 * When owners may report their meters (自助抄表, miniprogram/domain/fee/owner-reading.ts): the
 * window around each month's end, the month staff read now, and why an owner cannot report.
 */
import {
  OWNER_READING_STATUS,
  ownerReadingWindow,
  readingPeriodNow,
  reportBlock,
  reportBlockText,
} from '../../miniprogram/domain/fee/owner-reading';

describe('ownerReadingWindow', () => {
  test.each([
    // today, days → period, from, to, open
    ['2026-11-26', 7, '2026-11', '2026-11-24', '2026-12-07', true],
    ['2026-11-24', 7, '2026-11', '2026-11-24', '2026-12-07', true],
    ['2026-11-23', 7, '2026-11', '2026-11-24', '2026-12-07', false],
    // the first days of a month report the month before
    ['2026-12-07', 7, '2026-11', '2026-11-24', '2026-12-07', true],
    ['2026-12-08', 7, '2026-12', '2026-12-25', '2027-01-07', false],
    ['2027-01-03', 7, '2026-12', '2026-12-25', '2027-01-07', true],
    // February, leap and not
    ['2028-02-25', 5, '2028-02', '2028-02-25', '2028-03-05', true],
    ['2027-02-24', 5, '2027-02', '2027-02-24', '2027-03-05', true],
    ['2026-11-30', 1, '2026-11', '2026-11-30', '2026-12-01', true],
    ['2026-11-15', 15, '2026-10', '2026-10-17', '2026-11-15', true],
    ['2026-11-16', 15, '2026-11', '2026-11-16', '2026-12-15', true],
  ])('%s with %i days: %s, %s to %s, open %s', (today, days, period, from, to, open) => {
    expect(ownerReadingWindow(today, days)).toEqual({ period, from, to, open });
  });

  test('0 days: owner readings are off', () => {
    expect(ownerReadingWindow('2026-11-26', 0)).toBeNull();
    expect(readingPeriodNow('2026-11-26', 0)).toBe('2026-10');
  });

  test('staff read the open window’s month, otherwise last month', () => {
    expect(readingPeriodNow('2026-11-26', 7)).toBe('2026-11');
    expect(readingPeriodNow('2026-12-03', 7)).toBe('2026-11');
    expect(readingPeriodNow('2026-12-15', 7)).toBe('2026-11');
    expect(readingPeriodNow('2027-01-15', 7)).toBe('2026-12');
  });
});

describe('reportBlock', () => {
  const open = ownerReadingWindow('2026-11-26', 7)!;
  const closed = ownerReadingWindow('2026-11-20', 7)!;

  test('an owner reports over nothing, their own unreviewed report, or a rejected one', () => {
    for (const status of [null, 'submitted', 'rejected'] as const) {
      expect(reportBlock(open, status, '120')).toBeNull();
    }
    for (const status of ['ok', 'flagged', 'confirmed', 'billed'] as const) {
      expect(reportBlock(open, status, '120')).toBe('staffRead');
    }
  });

  test('closed window, and a meter without a first reading, each in words', () => {
    expect(reportBlock(closed, null, '120')).toBe('closed');
    expect(reportBlockText('closed', closed)).toBe(
      '下次自助抄表时间为 11月24日至12月7日，请到时再拍照上报',
    );
    expect(reportBlock(open, null, null)).toBe('noStart');
    expect(reportBlockText('noStart', open)).toMatch(/首次抄表请联系物业/);
    expect(OWNER_READING_STATUS.submitted).toBe('已上报，等待物业核对');
  });
});
