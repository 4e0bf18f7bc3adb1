/**
 * What complaint pages show: labels, tag colours, times in Beijing time, the timeline with who
 * said what, and the deadline badge staff see on the desk.
 */
import {
  CATEGORY_LABELS,
  KIND_LABELS,
  STATUS_LABELS,
  durationText,
  type ComplaintCategory,
  type TicketStatus,
} from '../domain/complaint/rules';
import type {
  OwnerTicketSummary,
  StaffTicketSummary,
  TimelineEntry,
} from '../domain/complaint/contract';
import { formatDateTime } from '../domain/kernel/time';
import { api, type ActionInput } from '../domain/api';
import { check } from '../domain/kernel/check';

export const STATUS_TAG: Record<TicketStatus, 'primary' | 'warning' | 'success' | 'default'> = {
  registered: 'warning',
  accepted: 'primary',
  'in-progress': 'primary',
  resolved: 'success',
  closed: 'default',
};

export const CATEGORY_OPTIONS = (Object.keys(CATEGORY_LABELS) as ComplaintCategory[]).map(
  (value) => ({ value, label: CATEGORY_LABELS[value] }),
);

export interface TicketRow {
  ticketId: string;
  ticketNo: string;
  title: string;
  description: string;
  roomLabel: string;
  statusText: string;
  tagType: string;
  whenText: string;
  rated: boolean;
}

export function toTicketRow(t: OwnerTicketSummary): TicketRow {
  return {
    ticketId: t.ticketId,
    ticketNo: t.ticketNo,
    title: `${CATEGORY_LABELS[t.category]}${KIND_LABELS[t.kind]}`,
    description: t.description.length > 60 ? `${t.description.slice(0, 59)}…` : t.description,
    roomLabel: t.roomLabel,
    statusText: STATUS_LABELS[t.status],
    tagType: STATUS_TAG[t.status],
    whenText: formatDateTime(t.updatedAt),
    rated: t.rated,
  };
}

export interface TimelineRow {
  id: string;
  whenText: string;
  who: string;
  text: string;
  photos: string[];
  internal: boolean;
  tone: 'owner' | 'staff' | 'system' | 'alert';
}

const WHO: Record<TimelineEntry['by'], string> = { owner: '业主', staff: '物业', system: '系统' };

export function toTimeline(entries: TimelineEntry[]): TimelineRow[] {
  return entries.map((e) => ({
    id: e.id,
    whenText: formatDateTime(e.at),
    who: e.by === 'staff' ? e.byName || '物业客服' : WHO[e.by],
    text: e.text,
    photos: e.photos,
    internal: e.internal,
    tone: e.kind === 'breach' || e.kind === 'escalate' ? 'alert' : e.by,
  }));
}

export interface DeskRow extends TicketRow {
  handlerName: string;
  deadlineText: string;
  deadlineTone: 'ok' | 'near' | 'breached' | 'done';
  breached: boolean;
  hasHold: boolean;
}

/** "首次响应 剩 35 分钟" / "办结 已超时 2 小时" / "已办结". */
export function deadlineText(t: StaffTicketSummary, now: Date): string {
  if (t.deadlineKind === 'none') return t.status === 'closed' ? '已关闭' : '已解决，待业主确认';
  const what = t.deadlineKind === 'first-response' ? '首次响应' : '办结';
  const left = (Date.parse(t.deadlineAt) - now.getTime()) / 60_000;
  return left >= 0
    ? `${what} 剩 ${durationText(Math.max(1, left))}`
    : `${what} 已超时 ${durationText(-left)}`;
}

export function toDeskRow(t: StaffTicketSummary, now: Date): DeskRow {
  return {
    ...toTicketRow(t),
    handlerName: t.handlerName || '未分派',
    deadlineText: deadlineText(t, now),
    deadlineTone:
      t.deadlineKind === 'none'
        ? 'done'
        : t.deadlineState === 'met'
          ? 'ok'
          : (t.deadlineState as 'ok' | 'near' | 'breached'),
    breached: t.breaches.length > 0,
    hasHold: t.hasHold,
  };
}

/** A request id for `complaint.file`: a retried submit lands on the same ticket. */
export function newRequestId(): string {
  return `r${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 6)
    .toString(36)
    .padStart(6, '0')}`;
}

export type FileInput = ActionInput<'complaint', 'file'>;

export interface ComplaintErrors {
  room: string;
  category: string;
  description: string;
  submit: string;
}

export const NO_COMPLAINT_ERRORS: ComplaintErrors = {
  room: '',
  category: '',
  description: '',
  submit: '',
};

/** The form field a complaint.file problem belongs to (anything else: the submit line). */
export function complaintField(path: string): keyof ComplaintErrors {
  const top = path.split('.')[0];
  if (top === 'roomId') return 'room';
  if (top === 'category' || top === 'description') return top;
  return 'submit';
}

/**
 * The filing checked with complaint.file (a category, at least 5 characters of what happened, at
 * most 9 photos: the contract's words), every problem at once. Only the form knows that an owner
 * with no room to pick has to be verified first.
 */
export function checkComplaintForm(
  f: Omit<FileInput, 'category'> & { category: string },
): { ok: true; input: FileInput } | { ok: false; errors: ComplaintErrors } {
  const input = { ...f, description: f.description.trim() };
  const checked = check(api.complaint.file, input);
  const errors = { ...NO_COMPLAINT_ERRORS };
  if (!checked.ok) {
    for (const e of checked.errors) {
      const key = complaintField(e.field);
      if (!errors[key]) errors[key] = e.message;
    }
  }
  if (!f.roomId) errors.room = '请先认证您的房屋';
  if (!checked.ok || errors.room) return { ok: false, errors };
  return { ok: true, input: input as FileInput };
}
