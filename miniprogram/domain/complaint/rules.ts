/**
 * Complaints and customer service (投诉与建议): categories, the status flow, deadlines counted in
 * working time, and the service numbers (medians, breach rate, satisfaction). Pure: `now` is
 * always passed in, no I/O. See docs/complaints.md.
 *
 * Working time: by default Monday–Friday 09:00–18:00 Asia/Shanghai (configurable per community:
 * the days, the hours and extra non-working dates such as public holidays). A first-response
 * deadline of 2 working hours for a complaint filed on Friday at 17:30 falls on Monday at 10:30;
 * a resolution deadline of N days is N full working days of working time (filed Monday 10:00 with
 * 3 days → Thursday 10:00).
 */
import { codesOf } from '../kernel/codes';
import type { ComplaintDeadline } from '../settings/defaults';

export const CATEGORY_LABELS = {
  'fee-dispute': '费用疑问',
  service: '服务质量',
  repair: '维修',
  security: '安全秩序',
  cleaning: '环境卫生',
  noise: '噪音扰民',
  other: '其他',
};
export type ComplaintCategory = keyof typeof CATEGORY_LABELS;
export const COMPLAINT_CATEGORIES = codesOf(CATEGORY_LABELS);

export const KIND_LABELS = { complaint: '投诉', suggestion: '建议' };
export type TicketKind = keyof typeof KIND_LABELS;
export const TICKET_KINDS = codesOf(KIND_LABELS);

export const STATUS_LABELS = {
  registered: '已登记',
  accepted: '已受理',
  'in-progress': '处理中',
  resolved: '已解决',
  closed: '已关闭',
};
export type TicketStatus = keyof typeof STATUS_LABELS;
export const TICKET_STATUSES = codesOf(STATUS_LABELS);

export const OPEN_STATUSES: readonly TicketStatus[] = ['registered', 'accepted', 'in-progress'];

/** Staff move a ticket forward only (a step may be skipped); owners reopen (below). */
export function canMoveTo(from: TicketStatus, to: TicketStatus): boolean {
  return TICKET_STATUSES.indexOf(to) > TICKET_STATUSES.indexOf(from);
}

/** An owner may confirm or reopen a resolved ticket for this long after it was resolved. */
export const REOPEN_WINDOW_MS = 7 * 24 * 3600_000;

export const MAX_PHOTOS = 9;

/** Phrases staff can start a reply with (the service standard: 您好 / 请 / 抱歉 / 感谢). */
export const POLITE_PHRASES: readonly string[] = [
  '您好，感谢您的反馈，我们已收到并安排专人处理。',
  '抱歉给您带来不便，我们会尽快核实并给您答复。',
  '您好，工作人员将于今天内与您电话联系，请保持电话畅通。',
  '您好，经核实，该笔费用按公示的收费标准计算，明细如下：',
  '问题已处理完毕，请您查看是否满意，如有需要可随时联系我们。',
  '感谢您的理解与支持，祝您生活愉快！',
];

// ---------------------------------------------------------------- working time

export interface WorkingCalendar {
  /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday. */
  days: number[];
  /** Start and end of the working day, HH:mm, Asia/Shanghai. */
  start: string;
  end: string;
  /** Extra non-working dates (public holidays), YYYY-MM-DD. */
  holidays: string[];
}

export const DEFAULT_CALENDAR: WorkingCalendar = {
  days: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '18:00',
  holidays: [],
};

const OFFSET = 8 * 3600_000;
const DAY = 24 * 3600_000;
const MINUTE = 60_000;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** Minutes of working time in one working day. */
export function workingDayMinutes(cal: WorkingCalendar): number {
  return Math.max(0, minutesOf(cal.end) - minutesOf(cal.start));
}

function isWorkingDate(cal: WorkingCalendar, dayStartLocal: number): boolean {
  const d = new Date(dayStartLocal);
  const iso = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
  return cal.days.includes(iso) && !cal.holidays.includes(d.toISOString().slice(0, 10));
}

/**
 * The instant `minutes` of working time after `at` (counting only working days between start and
 * end). Time outside working hours does not count: a complaint filed at night starts its clock
 * at the next opening.
 */
export function addWorkingMinutes(at: Date, minutes: number, cal: WorkingCalendar): Date {
  const open = minutesOf(cal.start);
  const close = minutesOf(cal.end);
  if (close <= open || cal.days.length === 0) throw new RangeError('working calendar is empty');
  let local = at.getTime() + OFFSET; // shanghai wall clock as a UTC instant
  let left = minutes;
  for (let guard = 0; guard < 3660; guard++) {
    const dayStart = Math.floor(local / DAY) * DAY;
    if (isWorkingDate(cal, dayStart)) {
      const from = Math.max(local, dayStart + open * MINUTE);
      const to = dayStart + close * MINUTE;
      if (from < to) {
        const avail = (to - from) / MINUTE;
        if (left <= avail) return new Date(from + left * MINUTE - OFFSET);
        left -= avail;
      }
    }
    local = dayStart + DAY;
  }
  throw new RangeError('no working time within ten years');
}

/** Working minutes between two instants (0 when `to` is not after `from`). */
export function workingMinutesBetween(from: Date, to: Date, cal: WorkingCalendar): number {
  const open = minutesOf(cal.start);
  const close = minutesOf(cal.end);
  let local = from.getTime() + OFFSET;
  const end = to.getTime() + OFFSET;
  let total = 0;
  while (local < end) {
    const dayStart = Math.floor(local / DAY) * DAY;
    if (isWorkingDate(cal, dayStart)) {
      const a = Math.max(local, dayStart + open * MINUTE);
      const b = Math.min(end, dayStart + close * MINUTE);
      if (b > a) total += (b - a) / MINUTE;
    }
    local = dayStart + DAY;
  }
  return Math.round(total);
}

export interface TicketDeadlines {
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
}

/** Deadlines for a ticket filed (or reopened) at `at`; unknown categories use `other`. */
export function deadlinesFor(
  category: ComplaintCategory,
  at: Date,
  rules: readonly ComplaintDeadline[],
  cal: WorkingCalendar,
): TicketDeadlines {
  const rule = rules.find((r) => r.category === category) ??
    rules.find((r) => r.category === 'other') ?? {
      category,
      firstResponseWorkingHours: 2,
      resolutionDays: 3,
    };
  return {
    firstResponseDueAt: addWorkingMinutes(at, rule.firstResponseWorkingHours * 60, cal),
    resolutionDueAt: addWorkingMinutes(at, rule.resolutionDays * workingDayMinutes(cal), cal),
  };
}

export type DeadlineState = 'ok' | 'near' | 'breached' | 'met';

/**
 * Where a deadline stands: met when done (on time or not — breaches are counted separately),
 * breached when past, near when less than a fifth of the allowed time (and at most a working
 * day's worth) remains, ok otherwise.
 */
export function deadlineState(
  startedAt: Date,
  dueAt: Date,
  doneAt: Date | null,
  now: Date,
): DeadlineState {
  if (doneAt) return 'met';
  const left = dueAt.getTime() - now.getTime();
  if (left < 0) return 'breached';
  return left <= nearWindowMs(startedAt.getTime(), dueAt.getTime()) ? 'near' : 'ok';
}

/** How long before its due instant a deadline counts as near: a fifth of it, at least 30 minutes. */
export function nearWindowMs(startedAt: number, dueAt: number): number {
  return Math.max((dueAt - startedAt) / 5, 30 * MINUTE);
}

// ---------------------------------------------------------------- numbers

/** The median of a list (mean of the middle two for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** "2 小时 5 分" / "3 天 4 小时" for a duration in minutes. */
export function durationText(minutes: number | null): string {
  if (minutes === null) return '—';
  const m = Math.round(minutes);
  if (m < 60) return `${m} 分钟`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} 小时 ${m % 60} 分` : `${h} 小时`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} 天 ${h % 24} 小时` : `${d} 天`;
}

/** A ticket number people can read over the phone: TS + date + 4-digit daily sequence. */
export function ticketNumber(at: Date, seq: number): string {
  const d = new Date(at.getTime() + OFFSET).toISOString().slice(0, 10).replace(/-/g, '');
  return `TS${d}${String(seq).padStart(4, '0')}`;
}
