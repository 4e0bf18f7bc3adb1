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
import { STAFF_ROLES } from '../../../../miniprogram/domain/community/vocabulary';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { outstandingExpr } from '../../../_shared/bills';
import type { StaffRoleDoc } from '../../../_shared/roles';
import { requireOpenid, type ActionContext, type Handlers } from '../../../_shared/router';
import { myRooms } from '../repo/my-rooms';
import { meterReadingOf } from '../repo/my-meters';

type Due = Pick<
  OwnerHome,
  'billCount' | 'dueNowFen' | 'nextDueDate' | 'overdueCount' | 'overdueFen'
>;

/**
 * What is owed over the rooms, summed by the database in one aggregation over their bills (any
 * status but void): how many, outstanding, the next due date still ahead, and what is overdue.
 */
async function amountsDue(ctx: ActionContext, roomIds: string[]): Promise<Due> {
  const none: Due = {
    billCount: 0,
    dueNowFen: 0,
    nextDueDate: null,
    overdueCount: 0,
    overdueFen: 0,
  };
  if (roomIds.length === 0) return none;
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const today = shanghaiDate(ctx.now());
  const owing = $.gt(['$out', 0]);
  const late = $.and([owing, $.lt(['$dueDate', today])]);
  const res = await ctx.db
    .collection('bills')
    .aggregate()
    .match({ roomId: _.in(roomIds), status: _.neq('void') })
    .project({ dueDate: true, out: outstandingExpr(ctx) })
    .group({
      _id: null,
      bills: $.sum(1),
      due: $.sum('$out'),
      // the next due date still ahead: a date already past is shown as 已逾期, never as "next"
      next: $.min($.cond([$.and([owing, $.gte(['$dueDate', today])]), '$dueDate', null])),
      overdue: $.sum($.cond([late, 1, 0])),
      overdueFen: $.sum($.cond([late, '$out', 0])),
    })
    .end();
  const sums = res.list[0] as
    | { bills: number; due: number; next: string | null; overdue: number; overdueFen: number }
    | undefined;
  return sums
    ? {
        billCount: sums.bills,
        dueNowFen: sums.due,
        nextDueDate: sums.next ?? null,
        overdueCount: sums.overdue,
        overdueFen: sums.overdueFen,
      }
    : none;
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
