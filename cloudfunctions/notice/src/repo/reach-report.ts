/**
 * A notice's delivery report worked out by the database (issue 16: 20,000 rooms). One pipeline
 * from the notice's deliveries joins, per room, its reminders, SMS, read receipts and open bills
 * of the period, and names the room's outcome now and the channel that reached it after all
 * (`reach`). The counts are one `$group` of that; the unreached rooms one sorted page of it.
 * Only the rooms nothing reached yet and that have no SMS need the owners' numbers on record
 * (call list or unreachable): their ids are read in pages and checked with `roomNumbers`.
 */
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { OPEN_BILL_STATUSES } from '../../../../miniprogram/domain/fee/bill';
import type {
  DeliveryOutcome,
  DeliveryReport,
} from '../../../../miniprogram/domain/notice/contract';
import type { NoticeDoc } from '../../../_shared/notice-push';
import { roomNumbers, type SmsDoc } from '../../../_shared/sms';
import { decodeCursor, nextCursor, READ_PAGE, type WithDb } from '../../../_shared/paging';
import type { ActionContext } from '../../../_shared/router';

type Stage = Record<string, unknown>;
/** How a room not reached by WeChat was reached after all; `left`: nothing yet, no SMS either. */
type Reach = 'settled' | 'sms' | 'printed' | 'smsQueued' | 'callList' | 'left';
type Counts = DeliveryReport['counts'];

const UNREACHED: Reach[] = ['sms', 'printed', 'smsQueued', 'callList', 'left'];
const OUTCOME_COUNT: Record<DeliveryOutcome, keyof Counts> = {
  wechat: 'wechat',
  'no-subscription': 'noSubscription',
  'not-bound': 'notBound',
  'quiet-pending': 'pending',
  paid: 'paid',
};

/** Joined docs of this notice only (the joins match by room or openid across all notices). */
function mine(field: string, cond: unknown[]): Stage {
  return { $filter: { input: `$${field}`, as: 'x', cond: { $and: cond } } };
}

type Aggregate = ReturnType<ReturnType<WithDb['db']['collection']>['aggregate']>;

/** Joins each delivery's room to its bills (`roomBills`; every period, only read). */
function withBills(agg: Aggregate): Aggregate {
  return agg.lookup({
    from: 'bills',
    localField: 'roomId',
    foreignField: 'roomId',
    as: 'roomBills',
  });
}

/** The joined `roomBills` still open for the notice's period. */
function openBills(n: NoticeDoc): Stage {
  return mine('roomBills', [
    { $eq: ['$$x.communityId', n.communityId] },
    { $eq: ['$$x.period', n.period] },
    { $in: ['$$x.status', [...OPEN_BILL_STATUSES]] },
  ]);
}

/** The notice's deliveries, each with its room's reminders, SMS, read receipts and bills. */
function joined(ctx: WithDb, n: NoticeDoc): Aggregate {
  const agg = ctx.db
    .collection('notice_deliveries')
    .aggregate()
    .match({ noticeId: n._id })
    .lookup({ from: 'reminders', localField: 'roomId', foreignField: 'roomId', as: 'rs' })
    .lookup({ from: 'sms_outbox', localField: 'roomId', foreignField: 'roomId', as: 'texts' })
    .lookup({ from: 'notice_reads', localField: 'openids', foreignField: 'openid', as: 'reads' });
  return n.period ? withBills(agg) : agg;
}

/** Then: the room's `outcome` (now), `read`, `reach` and its SMS. */
function reportStages(n: NoticeDoc): Stage[] {
  const ofNotice = [{ $eq: ['$$x.refId', n._id] }, { $eq: ['$$x.communityId', n.communityId] }];
  const owing = n.period ? { $gt: [{ $size: openBills(n) }, 0] } : false;
  return [
    {
      $project: {
        roomId: 1,
        roomLabel: 1,
        outcome: 1,
        printed: { $cond: [{ $ifNull: ['$printedAt', false] }, true, false] },
        statuses: { $map: { input: mine('rs', ofNotice), as: 'r', in: '$$r.status' } },
        sms: { $arrayElemAt: [mine('texts', ofNotice), -1] },
        read: { $gt: [{ $size: mine('reads', [{ $eq: ['$$x.noticeId', n._id] }]) }, 0] },
        owing,
      },
    },
    {
      // The outcome now: a reminder that waited for the quiet hours may have gone out since.
      $addFields: {
        outcome: {
          $switch: {
            branches: [
              { case: { $in: ['sent', '$statuses'] }, then: 'wechat' },
              {
                case: {
                  $or: [{ $in: ['pending', '$statuses'] }, { $in: ['sending', '$statuses'] }],
                },
                then: 'quiet-pending',
              },
              { case: { $in: ['$outcome', ['wechat', 'quiet-pending']] }, then: 'no-subscription' },
            ],
            default: '$outcome',
          },
        },
      },
    },
    {
      // Not reached by WeChat: paid since, by SMS, on paper, or still to call.
      $addFields: {
        reach: {
          $switch: {
            branches: [
              {
                case: { $not: [{ $in: ['$outcome', ['no-subscription', 'not-bound']] }] },
                then: null,
              },
              { case: { $not: ['$owing'] }, then: 'settled' },
              { case: { $eq: ['$sms.status', 'sent'] }, then: 'sms' },
              { case: '$printed', then: 'printed' },
              { case: { $in: ['$sms.status', ['queued', 'sending']] }, then: 'smsQueued' },
              { case: { $ifNull: ['$sms', false] }, then: 'callList' },
            ],
            default: 'left',
          },
        },
      },
    },
  ];
}

/** The stages (plain `{ $op: arg }` objects) after `agg`, run; the results. */
async function run<T>(agg: Aggregate, stages: Stage[]): Promise<T[]> {
  for (const s of stages) {
    const [op, arg] = Object.entries(s)[0]!;
    agg = (agg as unknown as Record<string, (a: unknown) => typeof agg>)[op.slice(1)]!.call(
      agg,
      arg,
    );
  }
  return (await agg.end()).list as T[];
}

/** The rooms nothing reached yet with no SMS: on the call list if an owner has a number. */
async function callable(ctx: ActionContext, n: NoticeDoc, stages: Stage[]): Promise<number> {
  let found = 0;
  for (let offset = 0; ; offset += READ_PAGE) {
    const ids = await run<{ roomId: string }>(joined(ctx, n), [
      ...stages,
      { $match: { reach: 'left' } },
      { $sort: { _id: 1 } },
      { $skip: offset },
      { $limit: READ_PAGE },
      { $project: { _id: 0, roomId: 1 } },
    ]);
    const numbers = await roomNumbers(
      ctx.db,
      n.communityId,
      ids.map((d) => d.roomId),
      shanghaiDate(ctx.now()),
    );
    found += numbers.size;
    if (ids.length < READ_PAGE) return found;
  }
}

/** The counts of the report. */
async function reportCounts(ctx: ActionContext, n: NoticeDoc, stages: Stage[]): Promise<Counts> {
  const groups = await run<{
    _id: { outcome: DeliveryOutcome; read: boolean; reach: Reach | null };
    rooms: number;
  }>(joined(ctx, n), [
    ...stages,
    {
      $group: {
        _id: { outcome: '$outcome', read: '$read', reach: '$reach' },
        rooms: { $sum: 1 },
      },
    },
    // CloudBase returns 20 results of an aggregation unless told (5 outcomes × 2 × 7 at most).
    { $limit: 100 },
  ]);
  const counts: Counts = {
    rooms: 0,
    wechat: 0,
    read: 0,
    noSubscription: 0,
    notBound: 0,
    pending: 0,
    paid: 0,
    sms: 0,
    smsQueued: 0,
    printed: 0,
    callList: 0,
    unreachable: 0,
    settled: 0,
  };
  let left = 0;
  for (const { _id: g, rooms } of groups) {
    counts.rooms += rooms;
    if (g.read) counts.read += rooms;
    counts[OUTCOME_COUNT[g.outcome] ?? 'paid'] += rooms;
    if (g.reach === 'left') left += rooms;
    else if (g.reach) counts[g.reach] += rooms;
  }
  if (left > 0) {
    const withNumber = await callable(ctx, n, stages);
    counts.callList += withNumber;
    counts.unreachable += left - withNumber;
  }
  return counts;
}

function channelText(sms: SmsDoc | undefined, printed: boolean): string {
  if (sms?.status === 'sent') return '短信已送达';
  if (printed) return '通知单已签收';
  if (sms?.status === 'failed') return `短信未送达：${sms.reason}`;
  if (sms) return sms.reason ? `短信待发：${sms.reason}` : '短信待发';
  return '待电话联系';
}

/**
 * The report: counts of every room, and one page of the rooms not reached by WeChat that still
 * owe (by room label, sorted by the database; `total` counts them all).
 */
export async function deliveryReport(
  ctx: ActionContext,
  n: NoticeDoc,
  page: { limit: number; cursor?: string },
): Promise<Omit<DeliveryReport, 'title' | 'noticeId' | 'late'>> {
  const stages = reportStages(n);
  const offset = decodeCursor(page.cursor);
  const [counts, rows] = await Promise.all([
    reportCounts(ctx, n, stages),
    run<{
      roomId: string;
      roomLabel: string;
      outcome: DeliveryOutcome;
      read: boolean;
      printed: boolean;
      sms?: SmsDoc;
    }>(joined(ctx, n), [
      ...stages,
      { $match: { reach: { $in: UNREACHED } } },
      { $sort: { roomLabel: 1, _id: 1 } },
      { $skip: offset },
      { $limit: page.limit },
    ]),
  ]);
  const total =
    counts.sms + counts.printed + counts.smsQueued + counts.callList + counts.unreachable;
  return {
    counts,
    unreached: rows.map((r) => ({
      roomId: r.roomId,
      roomLabel: r.roomLabel,
      outcome: r.outcome,
      read: r.read,
      channel: channelText(r.sms, r.printed),
    })),
    nextCursor: nextCursor(offset, rows.length, total),
    total,
  };
}

/** A room the push did not reach by WeChat (as recorded) that still owes for the period. */
export interface OwingRoom {
  roomId: string;
  roomLabel: string;
  outcome: DeliveryOutcome;
  owedFen: number;
}

/**
 * One page (1,000, by delivery) of the rooms the push recorded as not reached by WeChat that
 * still owe for the notice's period, with what they owe (`outstandingFen` summed, in the database).
 */
export function owingUnreached(ctx: WithDb, n: NoticeDoc, offset: number): Promise<OwingRoom[]> {
  const owed = {
    $max: [
      0,
      {
        $subtract: [
          { $add: ['$$b.amountDueFen', { $ifNull: ['$$b.lateFeeFen', 0] }] },
          { $ifNull: ['$$b.paidFen', 0] },
        ],
      },
    ],
  };
  const unreached = ctx.db
    .collection('notice_deliveries')
    .aggregate()
    .match({ noticeId: n._id, outcome: ctx.db.command.in(['not-bound', 'no-subscription']) });
  return run<OwingRoom>(withBills(unreached), [
    {
      $project: {
        roomId: 1,
        roomLabel: 1,
        outcome: 1,
        owedFen: { $sum: { $map: { input: openBills(n), as: 'b', in: owed } } },
      },
    },
    { $match: { owedFen: { $gt: 0 } } },
    { $sort: { _id: 1 } },
    { $skip: offset },
    { $limit: READ_PAGE },
  ]);
}
