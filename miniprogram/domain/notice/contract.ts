/** Contracts of the `notice` function: payment notices, read receipts, delivery reports, subscribe consent credits. */
import { communityId, contract, date, id, period, text, z } from '../kernel/contract';
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
  };
  /** Rooms not reached by WeChat, for the contact list (first 200). */
  unreached: { roomId: string; roomLabel: string; outcome: DeliveryOutcome; read: boolean }[];
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
    }),
  ),
  /** Staff: the community's notices, newest first. */
  staffList: contract<NoticeView[]>()(z.strictObject({ communityId })),
  /** Staff: how a notice reached each room. */
  report: contract<DeliveryReport>()(z.strictObject({ communityId, noticeId: id })),
  /** Staff: the notice as a printable poster. */
  poster: contract<PrintDoc>()(z.strictObject({ communityId, noticeId: id })),
  /** Staff: the poster as an A4 PDF in cloud storage, for the bulletin board. */
  posterPdf: contract<PrintedFile>()(z.strictObject({ communityId, noticeId: id })),
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
  /** Owner: unused subscriptions per template. */
  credits: contract<CreditsView>()(z.strictObject({})),
};
