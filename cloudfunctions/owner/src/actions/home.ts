/**
 * The owner's home: their rooms, what is due now, the next due date, overdue bills, the latest
 * notices, how to reach the property office, whether they have meters to report (自助抄表), and
 * the caller's staff roles (so the tab bar needs no `account.whoami`).
 *
 * Three database requests whatever the number of rooms (issue 16): the bindings with their rooms,
 * communities, notices and metered standards (one aggregation), the amounts due (one aggregation
 * over the open bills), and the caller's staff grants.
 */
import type { NoticeSummary, OwnerHome } from '../../../../miniprogram/domain/owner/contract';
import { type ownerContracts } from '../../../../miniprogram/domain/owner/contract';
import { OPEN_BILL_STATUSES } from '../../../../miniprogram/domain/fee/bill';
import { STAFF_ROLES } from '../../../../miniprogram/domain/community/vocabulary';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { outstandingExpr } from '../../../_shared/bills';
import type { StaffRoleDoc } from '../../../_shared/roles';
import { requireOpenid, type ActionContext, type Handlers } from '../../../_shared/router';
import { myRooms } from '../repo/my-rooms';
import { meterReadingOf } from '../repo/my-meters';

/** What is owed over the rooms, summed by the database: outstanding, earliest due, overdue count. */
async function amountsDue(
  ctx: ActionContext,
  roomIds: string[],
): Promise<Pick<OwnerHome, 'dueNowFen' | 'nextDueDate' | 'overdueCount'>> {
  if (roomIds.length === 0) return { dueNowFen: 0, nextDueDate: null, overdueCount: 0 };
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const today = shanghaiDate(ctx.now());
  const res = await ctx.db
    .collection('bills')
    .aggregate()
    .match({ roomId: _.in(roomIds), status: _.in([...OPEN_BILL_STATUSES]) })
    .project({ dueDate: true, out: outstandingExpr(ctx) })
    .match({ out: _.gt(0) })
    .group({
      _id: null,
      due: $.sum('$out'),
      next: $.min('$dueDate'),
      overdue: $.sum($.cond([$.lt(['$dueDate', today]), 1, 0])),
    })
    .end();
  const sums = res.list[0] as { due: number; next: string; overdue: number } | undefined;
  return sums
    ? { dueNowFen: sums.due, nextDueDate: sums.next, overdueCount: sums.overdue }
    : { dueNowFen: 0, nextDueDate: null, overdueCount: 0 };
}

/** The caller's staff roles over every community (as `account.whoami` gives them). */
async function myRoles(ctx: ActionContext): Promise<OwnerHome['me']> {
  const openid = requireOpenid(ctx);
  const res = await ctx.db
    .collection('staff_roles')
    .where({ openid })
    .field({ roles: true, revokedAt: true })
    .limit(100)
    .get();
  const held = (res.data as Pick<StaffRoleDoc, 'roles' | 'revokedAt'>[])
    .filter((g) => !g.revokedAt)
    .flatMap((g) => g.roles);
  return { roles: STAFF_ROLES.filter((r) => held.includes(r)) };
}

export const home: Handlers<typeof ownerContracts>['home'] = async (_input, ctx) => {
  const [mine, me] = await Promise.all([myRooms(ctx, { home: true }), myRoles(ctx)]);
  const { rooms, roomDocs, communities } = mine;
  const due = await amountsDue(
    ctx,
    rooms.map((r) => r.roomId),
  );
  const notices: NoticeSummary[] = mine.notices.map((n) => ({
    noticeId: n._id,
    title: n.title,
    summary: n.summary,
    publishedAt: new Date(n.publishedAt).toISOString(),
  }));
  const contacts = [...communities.values()].map((c) => ({
    communityId: c._id,
    name: c.name,
    servicePhone: c.servicePhone,
    serviceHours: c.serviceHours,
    frontDesk: c.frontDesk,
  }));
  const meterReading = meterReadingOf(ctx, [...roomDocs.values()], communities, mine.meters);
  return { rooms, ...due, notices, contacts, meterReading, me };
};
