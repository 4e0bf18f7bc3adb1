/**
 * Contracts of the `complaint` function (投诉与建议, the service desk, call log and service
 * numbers). See docs/complaints.md.
 */
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
import {
  communityId,
  contract,
  date,
  fileId,
  freeText,
  hhmm,
  id,
  pageCursor,
  requestId,
  text,
  z,
  type Page,
} from '../kernel/contract';

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
  /** Temporary links to the photos (never file ids: staff cannot read an owner's upload by id). */
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
  /** Temporary links to the photos filed with the ticket. */
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
  /** Temporary links to the owner's photos (2 hours; the page reloads when shown). */
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

/**
 * A page of the desk (pass `nextCursor` back as `cursor` for the next one); `total` counts every
 * page, `counts` every open ticket the filters other than `deadline` let through.
 */
export interface DeskView extends Page<StaffTicketSummary> {
  handlers: HandlerOption[];
  counts: { open: number; near: number; breached: number; unassigned: number };
  isAdmin: boolean;
}

export interface FormOptions {
  rooms: { roomId: string; communityId: string; label: string }[];
  /**
   * Bills of those rooms for "related bill": the ones still owed first (oldest due first; a
   * complaint about them pauses collection), then the latest paid ones; up to 8 a room.
   */
  bills: {
    billId: string;
    roomId: string;
    title: string;
    status: string;
    outstandingFen: number;
    /** The months the bill covers, YYYY-MM. */
    coverFrom: string;
    coverTo: string;
  }[];
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

const photos = z._default(z.array(fileId).check(z.maxLength(9, '最多 9 张照片')), []);

export const complaintContracts = {
  // ------------------------------------------------ owner
  /** Rooms and recent bills the owner may file about. */
  formOptions: contract<FormOptions>()(z.strictObject({})),
  /** File a complaint or suggestion; `requestId` makes a retried submit land on the same ticket. */
  file: contract<FiledTicket>()(
    z.strictObject({
      requestId,
      roomId: id,
      kind: z.enum(TICKET_KINDS),
      category: z.enum(COMPLAINT_CATEGORIES, '请选择类别'),
      description: text(1000, 5, '请至少写 5 个字说明情况'),
      photos,
      billIds: z._default(z.array(id).check(z.maxLength(12)), []),
    }),
  ),
  mine: contract<OwnerTicketSummary[]>()(z.strictObject({})),
  detail: contract<OwnerTicketView>()(z.strictObject({ ticketId: id })),
  ownerReply: contract<OwnerTicketView>()(
    z.strictObject({ ticketId: id, text: text(500), photos }),
  ),
  /** Owner confirms the resolution (resolved → closed). */
  confirm: contract<OwnerTicketView>()(z.strictObject({ ticketId: id })),
  /** Owner reopens within 7 days of the resolution. */
  reopen: contract<OwnerTicketView>()(z.strictObject({ ticketId: id, reason: text(300) })),
  rate: contract<OwnerTicketView>()(
    z.strictObject({
      ticketId: id,
      stars: z.int().check(z.minimum(1), z.maximum(5)),
      comment: z._default(freeText(300), ''),
    }),
  ),

  // ------------------------------------------------ staff
  /**
   * The desk: open tickets soonest deadline first, then finished ones most recently updated
   * first, a page at a time. Service staff see their own and unassigned tickets; admins all.
   */
  desk: contract<DeskView>()(
    z.strictObject({
      communityId,
      scope: z._default(z.enum(['open', 'resolved', 'closed', 'all']), 'open'),
      category: z.optional(z.enum(COMPLAINT_CATEGORIES)),
      handler: z.optional(z.union([z.enum(['me', 'unassigned']), id])),
      deadline: z.optional(z.enum(['near', 'breached'])),
      /** Part of the ticket number, room or description. */
      keyword: z.optional(freeText(40)),
      // A summary carries up to 1,000 characters of description (≈3.5 KB): 50 stay under 256 KB.
      limit: z._default(z.int().check(z.minimum(1), z.maximum(50)), 30),
      cursor: pageCursor,
    }),
  ),
  staffDetail: contract<StaffTicketView>()(z.strictObject({ communityId, ticketId: id })),
  assign: contract<StaffTicketView>()(z.strictObject({ communityId, ticketId: id, handler: id })),
  /** A reply to the owner, or an internal note (`internal: true`, never shown to owners). */
  reply: contract<StaffTicketView>()(
    z.strictObject({
      communityId,
      ticketId: id,
      text: text(1000),
      internal: z._default(z.boolean(), false),
    }),
  ),
  setStatus: contract<StaffTicketView>()(
    z.strictObject({
      communityId,
      ticketId: id,
      status: z.enum(['accepted', 'in-progress', 'resolved', 'closed']),
      note: z._default(freeText(500), ''),
    }),
  ),
  returnVisit: contract<StaffTicketView>()(
    z.strictObject({
      communityId,
      ticketId: id,
      method: z.enum(['phone', 'visit', 'wechat']),
      satisfied: z.boolean(),
      feedback: text(500),
    }),
  ),
  logCall: contract<CallView>()(
    z.strictObject({
      communityId,
      at: z.iso.datetime({ offset: true }).check(z.maxLength(40)),
      direction: z.enum(['inbound', 'outbound']),
      caller: text(40),
      phone: z.optional(
        z
          .string()
          .check(z.regex(/^[\d+-]{3,20}$/, '电话号码只能包含数字、+ 和 -'), z.maxLength(20)),
      ),
      roomId: z.optional(id),
      topic: text(200),
      outcome: text(300),
      rings: z.optional(z.int().check(z.minimum(0), z.maximum(60))),
      answerSeconds: z.optional(z.int().check(z.minimum(0), z.maximum(3600))),
      ticketId: z.optional(id),
    }),
  ),
  /** The call log, newest first, a page at a time (`total` over every page). */
  calls: contract<Page<CallView>>()(
    z.strictObject({
      communityId,
      keyword: z.optional(freeText(40)),
      from: z.optional(date),
      to: z.optional(date),
      direction: z.optional(z.enum(['inbound', 'outbound'])),
      ticketId: z.optional(id),
      limit: z._default(z.int().check(z.minimum(1), z.maximum(200)), 50),
      cursor: pageCursor,
    }),
  ),
  dashboard: contract<ServiceDashboard>()(
    z.strictObject({ communityId, from: z.optional(date), to: z.optional(date) }),
  ),
  settings: contract<ComplaintSettingsView>()(z.strictObject({ communityId })),
  updateSettings: contract<ComplaintSettingsView>()(
    z.strictObject({
      communityId,
      deadlines: z.optional(
        z
          .array(
            z.strictObject({
              category: z.enum(COMPLAINT_CATEGORIES),
              firstResponseWorkingHours: z.int().check(z.minimum(1), z.maximum(72)),
              resolutionDays: z.int().check(z.minimum(1), z.maximum(60)),
            }),
          )
          .check(z.minLength(1)),
      ),
      calendar: z.optional(
        z.strictObject({
          days: z
            .array(z.int().check(z.minimum(1), z.maximum(7)))
            .check(z.minLength(1), z.maxLength(7)),
          start: hhmm,
          end: hhmm,
          holidays: z._default(z.array(date).check(z.maxLength(60)), []),
        }),
      ),
      autoAssign: z.optional(z.partialRecord(z.enum(COMPLAINT_CATEGORIES), id)),
    }),
  ),
};
