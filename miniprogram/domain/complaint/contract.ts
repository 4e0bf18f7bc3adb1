/**
 * Contracts of the `complaint` function (投诉与建议, the service desk, call log and service
 * numbers). See docs/complaints.md.
 */
import { z } from 'zod';
import {
  COMPLAINT_CATEGORIES,
  TICKET_KINDS,
  type ComplaintCategory,
  type DeadlineState,
  type TicketKind,
  type TicketStatus,
  type WorkingCalendar,
} from './rules';
import type { ComplaintDeadline } from '../settings/defaults';
import { contract } from '../kernel/contract';

/** As `contract` in api.ts (kept local: api.ts imports this file). */
export type { ComplaintCategory, TicketKind, TicketStatus, DeadlineState } from './rules';

export type TimelineKind =
  | 'created'
  | 'status'
  | 'assign'
  | 'reply'
  | 'owner-reply'
  | 'note'
  | 'reopen'
  | 'confirm'
  | 'rate'
  | 'visit'
  | 'breach'
  | 'escalate';

export interface TimelineEntry {
  id: string;
  at: string;
  kind: TimelineKind;
  /** Who: 'owner', 'staff' or 'system' (timer). */
  by: 'owner' | 'staff' | 'system';
  /** Shown name: 业主, 周客服, 系统. */
  byName: string;
  text: string;
  status: TicketStatus | null;
  photos: string[];
  /** Internal notes: staff only; never sent to owners. */
  internal: boolean;
}

export interface TicketRating {
  stars: number;
  comment: string;
  at: string;
}

export interface ReturnVisitView {
  at: string;
  byName: string;
  method: 'phone' | 'visit' | 'wechat';
  satisfied: boolean;
  feedback: string;
}

/** A ticket as its owner sees it (no internal notes, no handler's openid). */
export interface OwnerTicketView extends OwnerTicketSummary {
  photos: string[];
  bills: { billId: string; title: string }[];
  resolvedAt: string | null;
  handlerName: string;
  timeline: TimelineEntry[];
  rating: TicketRating | null;
  /** What the owner may do now. */
  canReply: boolean;
  canConfirm: boolean;
  canReopen: boolean;
  canRate: boolean;
  /** Until when confirm/reopen stay open (resolved + 7 days), or null. */
  reopenUntil: string | null;
}

export interface OwnerTicketSummary {
  ticketId: string;
  ticketNo: string;
  kind: TicketKind;
  category: ComplaintCategory;
  status: TicketStatus;
  description: string;
  roomLabel: string;
  createdAt: string;
  updatedAt: string;
  rated: boolean;
}

export interface StaffTicketSummary extends OwnerTicketSummary {
  handler: string | null;
  handlerName: string;
  firstResponseDueAt: string;
  resolutionDueAt: string;
  /** The deadline that matters now: first response until answered, then resolution. */
  deadlineAt: string;
  deadlineKind: 'first-response' | 'resolution' | 'none';
  deadlineState: DeadlineState;
  breaches: ('first-response' | 'resolution')[];
  hasHold: boolean;
}

export interface StaffTicketView extends StaffTicketSummary {
  photos: string[];
  bills: { billId: string; title: string }[];
  ownerName: string;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  reopenCount: number;
  timeline: TimelineEntry[];
  rating: TicketRating | null;
  returnVisit: ReturnVisitView | null;
  calls: CallView[];
}

export interface HandlerOption {
  openid: string;
  name: string;
}

export interface DeskView {
  items: StaffTicketSummary[];
  handlers: HandlerOption[];
  counts: { open: number; near: number; breached: number; unassigned: number };
  isAdmin: boolean;
}

export interface FormOptions {
  rooms: { roomId: string; communityId: string; label: string }[];
  /** Recent bills of those rooms, newest first, for "related bill". */
  bills: { billId: string; roomId: string; title: string; status: string }[];
}

export interface FiledTicket {
  ticketId: string;
  ticketNo: string;
  status: TicketStatus;
  /** Whether a fee hold (escalation and late fees paused) was placed. */
  held: boolean;
  /** When staff will have answered at the latest (working hours counted). */
  firstResponseDueAt: string;
}

export type CallDirection = 'inbound' | 'outbound';

export interface CallView {
  callId: string;
  at: string;
  direction: CallDirection;
  caller: string;
  /** Masked (PIPL). */
  phone: string;
  roomLabel: string;
  topic: string;
  outcome: string;
  rings: number | null;
  answerSeconds: number | null;
  withinThreeRings: boolean | null;
  ticketId: string | null;
  ticketNo: string;
  byName: string;
}

export interface ComplaintSettingsView {
  communityId: string;
  deadlines: ComplaintDeadline[];
  calendar: WorkingCalendar;
  /** Category → handler openid for auto-assignment. */
  autoAssign: Partial<Record<ComplaintCategory, string>>;
}

export interface ServiceDashboard {
  from: string;
  to: string;
  total: number;
  byCategory: { category: ComplaintCategory; count: number }[];
  byStatus: { status: TicketStatus; count: number }[];
  /** Median minutes from filing to first response, over tickets answered. */
  medianFirstResponseMinutes: number | null;
  /** Median minutes from filing to (last) resolution, over tickets resolved. */
  medianResolutionMinutes: number | null;
  /** Tickets with at least one breached deadline. */
  breachedTickets: number;
  /** Every breach counted (a ticket can breach first response and resolution). */
  breaches: number;
  /** breachedTickets ÷ total, 0..1 (0 when none). */
  breachRate: number;
  ratings: number;
  satisfactionAverage: number | null;
  /** Count of ratings for 1..5 stars (index 0 = 1 star). */
  satisfactionDistribution: [number, number, number, number, number];
  /** Rooms with more than one complaint in the period, most first. */
  repeatRooms: { roomId: string; roomLabel: string; count: number }[];
  calls: { total: number; inbound: number; answeredWithinThreeRings: number; measured: number };
}

const id = z.string().min(1).max(64);
const communityId = id;
const text = (max: number) => z.string().trim().min(1, '请填写内容').max(max);
const fileId = z
  .string()
  .max(256)
  .regex(/^cloud:\/\/\S+$/, '须为云存储文件 ID (cloud://…)');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:mm');

export const complaintContracts = {
  // ------------------------------------------------ owner
  /** Rooms and recent bills the owner may file about. */
  formOptions: contract<FormOptions>()(z.object({}).strict()),
  /** File a complaint or suggestion; `requestId` makes a retried submit land on the same ticket. */
  file: contract<FiledTicket>()(
    z
      .object({
        requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '须为 8–64 位字母数字'),
        roomId: id,
        kind: z.enum(TICKET_KINDS),
        category: z.enum(COMPLAINT_CATEGORIES),
        description: z.string().trim().min(5, '请至少写 5 个字说明情况').max(1000),
        photos: z.array(fileId).max(9, '最多 9 张照片').default([]),
        billIds: z.array(id).max(12).default([]),
      })
      .strict(),
  ),
  mine: contract<OwnerTicketSummary[]>()(z.object({}).strict()),
  detail: contract<OwnerTicketView>()(z.object({ ticketId: id }).strict()),
  ownerReply: contract<OwnerTicketView>()(
    z
      .object({
        ticketId: id,
        text: text(500),
        photos: z.array(fileId).max(9).default([]),
      })
      .strict(),
  ),
  /** Owner confirms the resolution (resolved → closed). */
  confirm: contract<OwnerTicketView>()(z.object({ ticketId: id }).strict()),
  /** Owner reopens within 7 days of the resolution. */
  reopen: contract<OwnerTicketView>()(z.object({ ticketId: id, reason: text(300) }).strict()),
  rate: contract<OwnerTicketView>()(
    z
      .object({
        ticketId: id,
        stars: z.number().int().min(1).max(5),
        comment: z.string().trim().max(300).default(''),
      })
      .strict(),
  ),

  // ------------------------------------------------ staff
  desk: contract<DeskView>()(
    z
      .object({
        communityId,
        scope: z.enum(['open', 'resolved', 'closed', 'all']).default('open'),
        category: z.enum(COMPLAINT_CATEGORIES).optional(),
        handler: z.union([z.enum(['me', 'unassigned']), id]).optional(),
        deadline: z.enum(['near', 'breached']).optional(),
        keyword: z.string().trim().max(40).optional(),
      })
      .strict(),
  ),
  staffDetail: contract<StaffTicketView>()(z.object({ communityId, ticketId: id }).strict()),
  assign: contract<StaffTicketView>()(
    z.object({ communityId, ticketId: id, handler: id }).strict(),
  ),
  /** A reply to the owner, or an internal note (`internal: true`, never shown to owners). */
  reply: contract<StaffTicketView>()(
    z
      .object({
        communityId,
        ticketId: id,
        text: text(1000),
        internal: z.boolean().default(false),
      })
      .strict(),
  ),
  setStatus: contract<StaffTicketView>()(
    z
      .object({
        communityId,
        ticketId: id,
        status: z.enum(['accepted', 'in-progress', 'resolved', 'closed']),
        note: z.string().trim().max(500).default(''),
      })
      .strict(),
  ),
  returnVisit: contract<StaffTicketView>()(
    z
      .object({
        communityId,
        ticketId: id,
        method: z.enum(['phone', 'visit', 'wechat']),
        satisfied: z.boolean(),
        feedback: text(500),
      })
      .strict(),
  ),
  logCall: contract<CallView>()(
    z
      .object({
        communityId,
        at: z.iso.datetime({ offset: true }),
        direction: z.enum(['inbound', 'outbound']),
        caller: text(40),
        phone: z
          .string()
          .regex(/^[\d+-]{3,20}$/, '电话号码只能包含数字、+ 和 -')
          .optional(),
        roomId: id.optional(),
        topic: text(200),
        outcome: text(300),
        rings: z.number().int().min(0).max(60).optional(),
        answerSeconds: z.number().int().min(0).max(3600).optional(),
        ticketId: id.optional(),
      })
      .strict(),
  ),
  calls: contract<{ items: CallView[]; total: number }>()(
    z
      .object({
        communityId,
        keyword: z.string().trim().max(40).optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        direction: z.enum(['inbound', 'outbound']).optional(),
        ticketId: id.optional(),
      })
      .strict(),
  ),
  dashboard: contract<ServiceDashboard>()(
    z.object({ communityId, from: isoDate.optional(), to: isoDate.optional() }).strict(),
  ),
  settings: contract<ComplaintSettingsView>()(z.object({ communityId }).strict()),
  updateSettings: contract<ComplaintSettingsView>()(
    z
      .object({
        communityId,
        deadlines: z
          .array(
            z
              .object({
                category: z.enum(COMPLAINT_CATEGORIES),
                firstResponseWorkingHours: z.number().int().min(1).max(72),
                resolutionDays: z.number().int().min(1).max(60),
              })
              .strict(),
          )
          .min(1)
          .optional(),
        calendar: z
          .object({
            days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
            start: hhmm,
            end: hhmm,
            holidays: z.array(isoDate).max(60).default([]),
          })
          .strict()
          .optional(),
        autoAssign: z.partialRecord(z.enum(COMPLAINT_CATEGORIES), id).optional(),
      })
      .strict(),
  ),
};
