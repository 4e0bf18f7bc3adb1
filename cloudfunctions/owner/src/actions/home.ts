/**
 * The owner's home: their rooms, what is due now, the next due date, overdue bills, the latest
 * notices, how to reach the property office, and whether they have meters to report (自助抄表).
 */
import type {
  CommunityContact,
  NoticeSummary,
} from '../../../../miniprogram/domain/owner/contract';
import { type ownerContracts } from '../../../../miniprogram/domain/owner/contract';
import type { Handlers } from '../../../_shared/router';
import { type NoticeDoc, billsOf, myRooms } from '../repo/my-rooms';
import { meterReadingOf } from '../repo/my-meters';

export const home: Handlers<typeof ownerContracts>['home'] = async (_input, ctx) => {
  const { rooms, roomDocs, communities } = await myRooms(ctx);
  const labels = new Map(rooms.map((r) => [r.roomId, r.label]));
  const bills = await billsOf(
    ctx,
    rooms.map((r) => r.roomId),
    labels,
  );
  const open = bills.filter((b) => b.outstandingFen > 0);
  const dueNowFen = open.reduce((sum, b) => sum + b.outstandingFen, 0);
  const overdue = open.filter((b) => b.overdueDays > 0);
  // the next due date still ahead: a date already past is shown as 已逾期, never as "next"
  const nextDueDate =
    open
      .filter((b) => b.overdueDays === 0)
      .map((b) => b.dueDate)
      .sort()[0] ?? null;
  let notices: NoticeSummary[] = [];
  const communityIds = [...communities.keys()];
  if (communityIds.length) {
    const _ = ctx.db.command;
    const res = await ctx.db
      .collection('notices')
      .where({ communityId: _.in(communityIds), status: 'published' })
      .orderBy('publishedAt', 'desc')
      .limit(5)
      .get();
    notices = (res.data as NoticeDoc[]).map((n) => ({
      noticeId: n._id,
      title: n.title,
      summary: n.summary,
      publishedAt: new Date(n.publishedAt).toISOString(),
    }));
  }
  const contacts: CommunityContact[] = [...communities.values()].map((c) => ({
    communityId: c._id,
    name: c.name,
    servicePhone: c.servicePhone,
    serviceHours: c.serviceHours,
    frontDesk: c.frontDesk,
  }));
  const meterReading = await meterReadingOf(ctx, [...roomDocs.values()], communities);
  return {
    rooms,
    billCount: bills.length,
    dueNowFen,
    nextDueDate,
    overdueCount: overdue.length,
    overdueFen: overdue.reduce((sum, b) => sum + b.outstandingFen, 0),
    notices,
    contacts,
    meterReading,
  };
};
