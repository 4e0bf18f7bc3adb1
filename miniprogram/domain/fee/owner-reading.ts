/**
 * Owners' own meter readings (自助抄表): when an owner may report a reading, and how a reading
 * reads to them. Owners photograph their meter around the end of the month (the community's
 * `readingWindowDays` before and after it); what they report is that month's reading, held as
 * `submitted` until staff accept or correct it on the reading sheet (docs/billing.md). Pure:
 * `today` is passed in.
 */
import { formatShortDate, monthLength } from '../kernel/time';
import { addMonths } from './period';
import type { ReadingStatus } from './readings.contract';

export interface ReadingWindow {
  /** The usage month an owner reports (the month the reading closes). */
  period: string;
  /** First and last day owners may report it (inclusive). */
  from: string;
  to: string;
  /** `today` lies in it; when false, `from`–`to` is the next window. */
  open: boolean;
}

/** The window of usage month `period`: its last `days` days and the first `days` of the next. */
function windowOf(period: string, days: number): { from: string; to: string } {
  const last = monthLength(Number(period.slice(0, 4)), Number(period.slice(5, 7)));
  const first = Math.max(1, last - days + 1);
  return {
    from: `${period}-${String(first).padStart(2, '0')}`,
    to: `${addMonths(period, 1)}-${String(days).padStart(2, '0')}`,
  };
}

/**
 * When owners report: around the end of each month (抄表期) — the month's last `days` days and
 * the next month's first `days` days, for that month's usage. On `today`: the window open now,
 * or else the next one (this month's). null when owner readings are off (`days` 0).
 */
export function ownerReadingWindow(today: string, days: number): ReadingWindow | null {
  if (!Number.isInteger(days) || days <= 0) return null;
  const month = today.slice(0, 7);
  for (const period of [addMonths(month, -1), month]) {
    const w = windowOf(period, days);
    if (today >= w.from && today <= w.to) return { period, ...w, open: true };
  }
  return { period: month, ...windowOf(month, days), open: false };
}

/**
 * The usage month staff read now: the owners' open window's month, otherwise last month (staff
 * read after the month closes).
 */
export function readingPeriodNow(today: string, days: number): string {
  const w = ownerReadingWindow(today, days);
  return w?.open ? w.period : addMonths(today.slice(0, 7), -1);
}

/** The readings an owner may still report over: none yet, their own unreviewed one, a rejected one. */
export function ownerMayReport(status: ReadingStatus | null): boolean {
  return status === null || status === 'submitted' || status === 'rejected';
}

/** How a month's reading reads to the owner. */
export const OWNER_READING_STATUS: Record<ReadingStatus, string> = {
  submitted: '已上报，等待物业核对',
  ok: '物业已确认',
  confirmed: '物业已确认',
  flagged: '物业正在核实',
  rejected: '未通过核对，请重新拍照上报',
  billed: '已出账',
};

/**
 * Why an owner cannot report a meter now: the window is closed, staff have read it this month,
 * or the meter has no accepted reading yet (its first reading sets the base: staff read it).
 */
export type ReportBlock = 'closed' | 'staffRead' | 'noStart';

export function reportBlock(
  window: ReadingWindow,
  status: ReadingStatus | null,
  previous: string | null,
): ReportBlock | null {
  if (!window.open) return 'closed';
  if (!ownerMayReport(status)) return 'staffRead';
  if (previous === null) return 'noStart';
  return null;
}

/** The sentence for a block, as the page shows it and the function refuses with it. */
export function reportBlockText(block: ReportBlock, window: { from: string; to: string }): string {
  switch (block) {
    case 'closed':
      return `下次自助抄表时间为 ${formatShortDate(window.from)}至${formatShortDate(window.to)}，请到时再拍照上报`;
    case 'staffRead':
      return '本月读数物业已经抄录，无需再报';
    case 'noStart':
      return '这块表还没有起始读数，首次抄表请联系物业上门抄读';
  }
}
