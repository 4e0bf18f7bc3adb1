/**
 * Complaint deadlines in working time (Mon–Fri 09:00–18:00 Asia/Shanghai by default, holidays
 * skipped), deadline states, the status flow and the median.
 */
import {
  DEFAULT_CALENDAR,
  addWorkingMinutes,
  canMoveTo,
  deadlineState,
  deadlinesFor,
  durationText,
  median,
  ticketNumber,
  workingMinutesBetween,
} from '../../miniprogram/domain/complaint/rules';
import { DEFAULT_SETTINGS } from '../../miniprogram/domain/settings/defaults';

const sh = (local: string) => new Date(`${local}+08:00`);
const iso = (local: string) => sh(local).toISOString();

describe('addWorkingMinutes', () => {
  test.each([
    // [filed (Shanghai), working minutes, due (Shanghai)]
    ['2030-03-04T10:00:00', 120, '2030-03-04T12:00:00'], // Monday morning
    ['2030-03-04T17:00:00', 120, '2030-03-05T10:00:00'], // carries over to Tuesday
    ['2030-03-08T17:30:00', 120, '2030-03-11T10:30:00'], // Friday evening → Monday
    ['2030-03-09T11:00:00', 120, '2030-03-11T11:00:00'], // filed on Saturday
    ['2030-03-04T07:00:00', 60, '2030-03-04T10:00:00'], // before opening
    ['2030-03-04T20:00:00', 60, '2030-03-05T10:00:00'], // after closing
    ['2030-03-04T10:00:00', 3 * 540, '2030-03-07T10:00:00'], // 3 working days
    ['2030-03-04T10:00:00', 5 * 540, '2030-03-11T10:00:00'], // 5 working days spans a weekend
    ['2030-03-04T18:00:00', 0, '2030-03-05T09:00:00'], // at closing: the next opening
  ])('%s + %i min → %s', (from, minutes, due) => {
    expect(addWorkingMinutes(sh(from), minutes, DEFAULT_CALENDAR).toISOString()).toBe(iso(due));
  });

  test('holidays and custom hours are honoured', () => {
    const cal = {
      days: [1, 2, 3, 4, 5, 6],
      start: '08:30',
      end: '17:30',
      holidays: ['2030-03-05'],
    };
    // Monday 17:00 + 2 h: 30 min Monday, Tuesday is a holiday, 90 min Wednesday from 08:30.
    expect(addWorkingMinutes(sh('2030-03-04T17:00:00'), 120, cal).toISOString()).toBe(
      iso('2030-03-06T10:00:00'),
    );
    // Saturday is a working day here.
    expect(addWorkingMinutes(sh('2030-03-09T08:00:00'), 60, cal).toISOString()).toBe(
      iso('2030-03-09T09:30:00'),
    );
    expect(() =>
      addWorkingMinutes(new Date(), 1, { days: [], start: '09:00', end: '18:00', holidays: [] }),
    ).toThrow(RangeError);
  });

  test('workingMinutesBetween inverts addWorkingMinutes', () => {
    const from = sh('2030-03-08T16:10:00');
    for (const m of [0, 1, 50, 110, 540, 1000, 2700]) {
      expect(
        workingMinutesBetween(from, addWorkingMinutes(from, m, DEFAULT_CALENDAR), DEFAULT_CALENDAR),
      ).toBe(m);
    }
  });
});

test('deadlines per category from the default settings: fee disputes get 5 days', () => {
  const at = sh('2030-03-04T10:00:00');
  const fee = deadlinesFor(
    'fee-dispute',
    at,
    DEFAULT_SETTINGS.complaintDeadlines,
    DEFAULT_CALENDAR,
  );
  expect(fee.firstResponseDueAt.toISOString()).toBe(iso('2030-03-04T12:00:00'));
  expect(fee.resolutionDueAt.toISOString()).toBe(iso('2030-03-11T10:00:00'));
  const noise = deadlinesFor('noise', at, DEFAULT_SETTINGS.complaintDeadlines, DEFAULT_CALENDAR);
  expect(noise.resolutionDueAt.toISOString()).toBe(iso('2030-03-07T10:00:00'));
});

test('deadlineState: ok, near in the last fifth (at least 30 minutes), breached, met', () => {
  const start = sh('2030-03-04T10:00:00');
  const due = sh('2030-03-04T12:00:00');
  expect(deadlineState(start, due, null, sh('2030-03-04T11:00:00'))).toBe('ok');
  expect(deadlineState(start, due, null, sh('2030-03-04T11:31:00'))).toBe('near');
  expect(deadlineState(start, due, null, sh('2030-03-04T12:00:01'))).toBe('breached');
  expect(deadlineState(start, due, sh('2030-03-04T13:00:00'), sh('2030-03-04T14:00:00'))).toBe(
    'met',
  );
});

test('status moves forward only', () => {
  expect(canMoveTo('registered', 'accepted')).toBe(true);
  expect(canMoveTo('registered', 'resolved')).toBe(true);
  expect(canMoveTo('resolved', 'in-progress')).toBe(false);
  expect(canMoveTo('closed', 'closed')).toBe(false);
});

test('median, duration text and ticket numbers', () => {
  expect(median([])).toBeNull();
  expect(median([5])).toBe(5);
  expect(median([100, 30, 60, 50])).toBe(55);
  expect(median([3, 1, 2])).toBe(2);
  expect(durationText(null)).toBe('—');
  expect(durationText(45)).toBe('45 分钟');
  expect(durationText(125)).toBe('2 小时 5 分');
  expect(durationText(2160)).toBe('1 天 12 小时');
  // The date is Shanghai's: 23:30 UTC is already the next day.
  expect(ticketNumber(new Date('2030-03-03T23:30:00Z'), 7)).toBe('TS203003040007');
});
