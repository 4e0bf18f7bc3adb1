/** View models of the 催缴 pages (pure, unit-tested). */
import { api } from '../../domain/api';
import { check, messagesByField } from '../../domain/kernel/check';
import type { CaseEventView, CaseItem, TaskView } from '../../domain/overdue/contract';
import {
  CONTACT_CHANNEL_LABELS,
  CONTACT_CHANNELS,
  NONPAYMENT_REASON_LABELS,
  NONPAYMENT_REASONS,
  evenInstallments,
  type ContactChannel,
  type NonpaymentReason,
} from '../../domain/overdue/vocabulary';
import { formatYuan } from '../../domain/kernel/money';
import { formatDate, toShanghaiDate } from '../../domain/kernel/time';
import type { PrintBlock } from '../../domain/print/document';

export const CASE_FILTERS = [
  { value: 'all', label: '全部' },
  { value: 'letters', label: '书面通知' },
  { value: 'visits', label: '上门' },
  { value: 'held', label: '暂缓' },
] as const;

export const REASON_OPTIONS: { value: NonpaymentReason; label: string }[] = NONPAYMENT_REASONS.map(
  (value) => ({ value, label: NONPAYMENT_REASON_LABELS[value] }),
);
export const CHANNEL_OPTIONS: { value: ContactChannel; label: string }[] = CONTACT_CHANNELS.filter(
  (c) => c !== 'letter',
).map((value) => ({ value, label: CONTACT_CHANNEL_LABELS[value] }));

export interface CaseRow extends CaseItem {
  arrearsText: string;
  daysText: string;
  heldText: string;
}

export function toCaseRow(c: CaseItem): CaseRow {
  return {
    ...c,
    arrearsText: formatYuan(c.arrearsFen),
    daysText: `逾期 ${c.overdueDays} 天`,
    heldText: c.held ? `${c.held.reasonText}${c.held.to ? `至 ${formatDate(c.held.to)}` : ''}` : '',
  };
}

export interface TaskRow extends TaskView {
  arrearsText: string;
  assignedText: string;
}

export function toTaskRow(t: TaskView): TaskRow {
  return {
    ...t,
    arrearsText: formatYuan(t.arrearsFen),
    assignedText: t.assignedName ? `负责人 ${t.assignedName}` : '未分派',
  };
}

export interface EventRow extends CaseEventView {
  timeText: string;
}

export function toEventRow(e: CaseEventView): EventRow {
  return { ...e, timeText: formatDate(toShanghaiDate(e.at)) };
}

/**
 * The contact form checked with overdue.record (a channel, a reason, what was said, the next step,
 * a real promise date: the contract's words), by field (empty when it can be sent); the form adds
 * the window a promise date may fall in (today to `latest`), which only it knows.
 */
export function checkContact(
  f: {
    channel: string;
    reason: string;
    notes: string;
    nextStep: string;
    promiseDate?: string;
  },
  today = '',
  latest = '',
): Record<string, string> {
  const p = (f.promiseDate ?? '').trim();
  const checked = check(api.overdue.record, {
    communityId: 'community',
    roomId: 'room',
    channel: f.channel,
    reason: f.reason,
    notes: f.notes,
    nextStep: f.nextStep,
    ...(p ? { promiseDate: p } : {}),
  });
  const errors = checked.ok ? {} : messagesByField(checked.errors);
  if (!errors.promiseDate && p && ((today && p < today) || (latest && p > latest)))
    errors.promiseDate = `承诺日期请填写 ${today} 至 ${latest} 之间的日期，如 ${latest}`;
  return errors;
}

/** An even split for the proposal form; the function checks the sum again. */
export function proposedInstallments(
  arrearsFen: number,
  count: number,
  firstDue: string,
): { dueDate: string; amountFen: number; amountText: string; dateText: string }[] {
  return evenInstallments(arrearsFen, count, firstDue).map((i) => ({
    ...i,
    amountText: formatYuan(i.amountFen),
    dateText: formatDate(i.dueDate),
  }));
}

/** A table row as a phone shows it: a card with the first two columns as its head. */
export interface ScreenCard {
  key: number;
  title: string;
  sub: string;
  fields: { label: string; value: string }[];
}

export type ScreenBlock = PrintBlock & {
  key: number;
  /** Tables only: their rows as cards, and the footer as one line ("合计 ¥1,326.96"). */
  cards?: ScreenCard[];
  totalText?: string;
};

/**
 * The letter's blocks for a phone screen: an A4 table of eight columns cannot be read 375 px wide
 * (amounts broke mid-number, fee names one character a line), so each row becomes a card —
 * fee and months on top, then each amount under its column's name — and the footer one line.
 * The PDF keeps the table (A4).
 */
export function screenBlocks(blocks: PrintBlock[]): ScreenBlock[] {
  return blocks
    .filter((b) => b.kind !== 'pageBreak')
    .map((b, key) => {
      if (b.kind !== 'table') return { ...b, key };
      return {
        ...b,
        key,
        cards: b.rows.map((row, i) => ({
          key: i,
          title: row[1] ?? '',
          sub: row[0] ?? '',
          fields: b.columns.slice(2).map((label, j) => ({ label, value: row[j + 2] ?? '' })),
        })),
        totalText: (b.footer ?? []).filter(Boolean).join(' '),
      };
    });
}
