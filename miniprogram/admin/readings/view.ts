/**
 * Pure helpers of 抄表录入: the usage a typed reading implies, checks before saving, and the rows
 * the page shows (status words, flag explanations, what an owner reported).
 */
import { type MeterReadingView, type ReadingStatus } from '../../domain/fee/readings.contract';
import type { ReadingSheet, ReadingSheetRow } from '../../domain/fee/readings.contract';
import { quantityText } from '../../domain/fee/fields.contract';
import { check } from '../../domain/kernel/check';
import { formatDateTime, formatPeriod } from '../../domain/kernel/time';

/** The problem with a typed reading by fee.saveReadings' rule ('' when it is one). */
function readingProblem(text: string): string {
  const checked = check({ input: quantityText }, text);
  return checked.ok ? '' : (checked.errors[0]?.message ?? '');
}

export const STATUS_TEXT: Record<ReadingStatus, string> = {
  submitted: '业主上报',
  ok: '已录入',
  flagged: '待确认',
  confirmed: '已确认',
  rejected: '已驳回',
  billed: '已出账',
};

export interface SheetRowView {
  roomId: string;
  roomLabel: string;
  /** Previous reading as shown, '—' when the room has none. */
  previousText: string;
  previousPeriodText: string;
  /** The room has no previous reading: the form asks for a start reading too. */
  needsStart: boolean;
  readingId: string;
  current: string;
  usageText: string;
  status: ReadingStatus | 'pending';
  statusText: string;
  flagText: string;
  /** Lower than previous: must be re-entered, cannot be confirmed. */
  lower: boolean;
  editable: boolean;
  /** What the owner reported (自助抄表), with the link to their photo; '' when none. */
  ownerText: string;
  photoUrl: string;
  /** An owner's reading waiting for staff to accept or correct it. */
  ownerPending: boolean;
}

function periodText(p: string | null): string {
  return p ? formatPeriod(p) : '';
}

export function flagText(r: MeterReadingView, unit: string): string {
  const parts: string[] = [];
  if (r.flags.includes('lowerThanPrevious')) {
    parts.push(
      `本次读数 ${r.current} 低于上次 ${r.previous}，请核实后重新录入（换表请填新表起始读数）`,
    );
  }
  if (r.flags.includes('spike')) {
    parts.push(
      `用量 ${r.usage} ${unit} 超过该户历史中位数 ${r.median ?? '0'} ${unit} 的 5 倍，请核实`,
    );
  }
  return parts.join('；');
}

export function toSheetRow(row: ReadingSheetRow, unit: string): SheetRowView {
  const r = row.reading;
  const status = r ? r.status : 'pending';
  return {
    roomId: row.roomId,
    roomLabel: row.roomLabel,
    previousText: r?.previous ?? row.previous ?? '—',
    previousPeriodText: r ? '' : periodText(row.previousPeriod),
    needsStart: !r && row.previous === null,
    readingId: r?.readingId ?? '',
    current: r?.current ?? '',
    usageText: r ? `${r.usage} ${unit}` : '',
    status,
    statusText: status === 'pending' ? '待录入' : STATUS_TEXT[status],
    flagText: r && r.status === 'flagged' ? flagText(r, unit) : '',
    lower: !!r && r.flags.includes('lowerThanPrevious'),
    // an owner's reading is taken with 采用 / 更正, which the audit log records
    editable: status !== 'billed' && status !== 'submitted',
    ownerText: r?.ownerReading
      ? `业主上报 ${r.ownerReading.current}${r.ownerReading.submittedAt ? `（${formatDateTime(r.ownerReading.submittedAt)}）` : ''}`
      : '',
    photoUrl: r?.ownerReading?.photoUrl ?? '',
    ownerPending: status === 'submitted',
  };
}

export function sheetSummary(s: ReadingSheet): string {
  const c = s.counts;
  const owners = c.submitted > 0 ? `，业主上报待核对 ${c.submitted} 户` : '';
  return `共 ${c.rooms} 户，已录 ${c.entered} 户，待录 ${c.rooms - c.entered + c.rejected} 户，待确认 ${c.flagged} 户${owners}`;
}

/**
 * The usage a typed reading implies (current − previous), for a hint while typing; null when
 * either is not a valid number.
 */
export function usagePreview(previous: string | null, current: string): string | null {
  if (!previous || readingProblem(previous) || readingProblem(current)) return null;
  const a = tenThousandths(current);
  const b = tenThousandths(previous);
  if (a === null || b === null) return null;
  return fromTenThousandths(a - b);
}

/** "123.45" → 1234500 (exact while below 2^53, i.e. readings under about 900 billion). */
function tenThousandths(s: string): number | null {
  const [int, frac = ''] = s.split('.');
  const n = Number(int) * 10_000 + Number(frac.padEnd(4, '0'));
  return Number.isSafeInteger(n) ? n : null;
}

function fromTenThousandths(n: number): string {
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  const frac = String(abs % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return `${sign}${Math.floor(abs / 10_000)}${frac ? `.${frac}` : ''}`;
}

export interface Draft {
  current: string;
  start?: string;
}

/** The rows to send, or the first problem (room label and what is wrong). */
export function readingsToSave(
  rows: readonly SheetRowView[],
  drafts: Record<string, Draft>,
): { readings: { roomId: string; current: string; previous?: string }[] } | { error: string } {
  const readings: { roomId: string; current: string; previous?: string }[] = [];
  for (const row of rows) {
    const d = drafts[row.roomId];
    if (!d || !row.editable) continue;
    const current = d.current.trim();
    const start = (d.start ?? '').trim();
    if (current === '' && start === '') continue;
    if (current === row.current && start === '') continue;
    const problem = readingProblem(current);
    if (problem) return { error: `${row.roomLabel}：本次读数${problem}` };
    if (row.needsStart && start === '') {
      return { error: `${row.roomLabel}：首次抄表请填写起始读数` };
    }
    const startProblem = row.needsStart ? readingProblem(start) : '';
    if (startProblem) return { error: `${row.roomLabel}：起始读数${startProblem}` };
    readings.push({ roomId: row.roomId, current, ...(row.needsStart ? { previous: start } : {}) });
  }
  if (readings.length === 0) return { error: '请先填写本次读数' };
  return { readings };
}
