/** Contracts of the `notice` function: payment notices, read receipts, delivery reports, subscribe consent credits. */
import {
  buildingCode,
  communityId,
  contract,
  date,
  docId,
  id,
  pageCursor,
  pageLimit,
  period,
  reasonText,
  text,
  z,
} from '../kernel/contract';
import type { PrintDoc } from '../print/document';
import type { PrintedFile } from '../print/file';

// ---------------------------------------------------------------- notices

export const CONSENT_RESULTS = ['accept', 'reject', 'ban', 'filter'] as const;
export type ConsentResult = (typeof CONSENT_RESULTS)[number];
export const CONSENT_TRIGGERS = ['bill', 'pay', 'complaint', 'notice', 'settings'] as const;

/** How a payment notice reached one room. */
export type DeliveryOutcome = 'wechat' | 'no-subscription' | 'not-bound' | 'quiet-pending' | 'paid';

/** What a notice says, as staff write it and owners read it. */
export interface NoticeText {
  kind: 'payment' | 'general';
  title: string;
  summary: string;
  period: string | null;
  deadline: string | null;
  amountBasis: string;
  methods: string[];
  frontDesk: string;
  serviceHours: string;
  lateFeePolicy: string | null;
  contactPhone: string;
  body: string;
}

export interface NoticeView extends NoticeText {
  noticeId: string;
  communityId: string;
  publishedAt: string;
  publishedByName: string;
  /** Push progress: rooms reached so far and whether every room has been looked at. */
  push: { status: 'none' | 'running' | 'done'; rooms: number; sent: number };
  readCount: number;
  /** Published fewer days before the deadline than settings ask (noticeLeadDays), and why. */
  late: NoticeLateness | null;
}

export interface NoticeLateness {
  leadDays: number;
  daysBefore: number;
  reason: string;
}

export interface DeliveryReport {
  noticeId: string;
  title: string;
  counts: {
    rooms: number;
    wechat: number;
    read: number;
    noSubscription: number;
    notBound: number;
    pending: number;
    paid: number;
    /** By channel (a room counts once, in the first that reached it). */
    sms: number;
    smsQueued: number;
    printed: number;
    /** Not reached by any channel yet: on the call/visit list, or with no contact at all. */
    callList: number;
    unreachable: number;
    /** Not reached by any channel, but paid since: nothing left to tell them. */
    settled: number;
  };
  /**
   * Rooms not reached by WeChat that still owe, for the contact list: one page by room
   * (`limit`, `cursor`), `total` counting them all.
   */
  unreached: {
    roomId: string;
    roomLabel: string;
    outcome: DeliveryOutcome;
    read: boolean;
    /** How it was reached after all, or why not: '短信已送达', '短信：号码无效', '已签收'… */
    channel: string;
  }[];
  nextCursor: string | null;
  total: number;
  late: NoticeLateness | null;
}

/** One SMS of a notice, as staff see it (numbers masked). */
export interface SmsView {
  roomId: string;
  roomLabel: string;
  phones: string[];
  text: string;
  status: 'queued' | 'sending' | 'sent' | 'failed';
  reason: string;
  attempts: number;
  sentAt: string | null;
}

/** Periods whose bills were issued but no payment notice published (the daily staff reminder). */
export interface MissingNotices {
  periods: { period: string; issuedAt: string; dueDate: string | null }[];
  /** When the daily run last listed them for staff. */
  remindedAt: string | null;
  /** Days of notice settings ask for before a deadline. */
  leadDays: number;
}

export interface OwnerNoticeItem extends Pick<NoticeText, 'title' | 'summary' | 'kind'> {
  noticeId: string;
  publishedAt: string;
  read: boolean;
}

export interface OwnerNoticeDetail extends OwnerNoticeItem, NoticeText {
  communityName: string;
  /** What the caller's own rooms owe for this period (payment notices). */
  myRooms: { roomId: string; roomLabel: string; amountFen: number }[];
}

export interface CreditsView {
  /** Unused one-time subscriptions per template id. */
  credits: Record<string, number>;
}

export const noticeContracts = {
  /** Service/admin: publish a payment notice for a period and push it to each owner. */
  publish: contract<NoticeView>()(
    z.strictObject({
      communityId,
      period,
      deadline: date,
      amountBasis: text(120),
      methods: z.array(text(20)).check(z.minLength(1), z.maxLength(6)),
      body: text(500),
      lateFeePolicy: z.nullable(text(100)),
      contactPhone: z.optional(text(20)),
      title: z.optional(text(40)),
      /** Needed when fewer days are left before the deadline than settings ask. */
      lateReason: z.optional(reasonText(200, '距缴费截止不足规定天数，请填写延迟发布的原因')),
    }),
  ),
  /** Staff: the community's notices, newest first. */
  staffList: contract<NoticeView[]>()(z.strictObject({ communityId })),
  /** Staff: how a notice reached each room. */
  report: contract<DeliveryReport>()(
    z.strictObject({ communityId, noticeId: id, limit: pageLimit, cursor: pageCursor }),
  ),
  /** Staff: the notice as a printable poster. */
  poster: contract<PrintDoc>()(z.strictObject({ communityId, noticeId: id })),
  /** Staff: the poster as an A4 PDF in cloud storage, for the bulletin board. */
  posterPdf: contract<PrintedFile>()(z.strictObject({ communityId, noticeId: id })),
  /**
   * Staff: the notice printed per household (one A4 page per billed room, with its personal
   * mini-program code), for a building or the whole community.
   */
  householdPdf: contract<PrintedFile & { rooms: number }>()(
    z.strictObject({ communityId, noticeId: id, building: z.optional(buildingCode) }),
  ),
  /** Staff: households that signed for their printed notice (送达签收). */
  recordDelivery: contract<{ recorded: number }>()(
    z.strictObject({
      communityId,
      noticeId: id,
      roomIds: z.array(docId).check(z.minLength(1), z.maxLength(500)),
    }),
  ),
  /**
   * Service/admin: text the rooms the notice has not reached (not bound or no subscription, a
   * number on record, no SMS yet), e.g. once an SMS package is bought; the call list keeps the rest.
   */
  smsUnreached: contract<{ queued: number; sent: number; waiting: number; failed: number }>()(
    z.strictObject({ communityId, noticeId: id }),
  ),
  /**
   * Staff: the notice's SMS and how each went, a page at a time (`limit`, `cursor`; `total`
   * counts them all): the failed first, then waiting, then sent, each by room.
   */
  smsList: contract<{ sms: SmsView[]; nextCursor: string | null; total: number }>()(
    z.strictObject({ communityId, noticeId: id, limit: pageLimit, cursor: pageCursor }),
  ),
  /** Staff: periods issued without a payment notice. */
  missing: contract<MissingNotices>()(z.strictObject({ communityId })),
  /** Owner: notices of the caller's communities. */
  mine: contract<OwnerNoticeItem[]>()(z.strictObject({})),
  /** Owner: one notice with the caller's own amounts; records the read receipt. */
  detail: contract<OwnerNoticeDetail>()(z.strictObject({ noticeId: id })),
  /** Owner: what `wx.requestSubscribeMessage` answered (≤ 3 templates), recorded as credits. */
  consent: contract<CreditsView>()(
    z.strictObject({
      results: z.record(id, z.enum(CONSENT_RESULTS)).check(
        z.refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= 3, {
          message: '每次最多 3 个模板',
        }),
      ),
      trigger: z.enum(CONSENT_TRIGGERS),
    }),
  ),
  /**
   * Owner: whether SMS may reach them when WeChat cannot (the numbers on record for their rooms);
   * `sms` given sets the choice, absent reads it. `available` is false without a number.
   */
  smsChoice: contract<{ sms: boolean; available: boolean }>()(
    z.strictObject({ sms: z.optional(z.boolean()) }),
  ),
  /** Owner: unused subscriptions per template. */
  credits: contract<CreditsView>()(z.strictObject({})),
};
