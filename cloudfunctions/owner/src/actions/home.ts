/**
 * The owner's home: their rooms, what is due now, the next due date, overdue bills, the latest
 * notices, how to reach the property office, whether they have meters to report (自助抄表), and
 * the caller's staff roles (so the tab bar needs no `account.whoami`).
 *
 * Three database requests whatever the number of rooms (issue 16): the bindings with their rooms,
 * communities, notices, metered standards, late-fee rules and holds (one aggregation), the rooms'
 * bills (summed here as of today, exactly as the bills page and payment show them), and the
 * caller's staff grants.
 */
import type { NoticeSummary, OwnerHome } from '../../../../miniprogram/domain/owner/contract';
import { type ownerContracts } from '../../../../miniprogram/domain/owner/contract';
import { STAFF_ROLES } from '../../../../miniprogram/domain/community/vocabulary';
import type { BillSummary } from '../../../../miniprogram/domain/fee/bill';
import type { StaffRoleDoc } from '../../../_shared/roles';
import { requireOpenid, type ActionContext, type Handlers } from '../../../_shared/router';
import { billsOf, myRooms } from '../repo/my-rooms';
import { meterReadingOf } from '../repo/my-meters';

type Due = Pick<
  OwnerHome,
  'billCount' | 'dueNowFen' | 'nextDueDate' | 'overdueCount' | 'overdueFen'
>;

/**
 * What is owed over the rooms, from their bills as the bills page shows them (late fees as of
 * today): how many, outstanding, the next due date still ahead, and what is overdue.
 */
function amountsDue(bills: readonly BillSummary[]): Due {
  const open = bills.filter((b) => b.outstandingFen > 0);
  const overdue = open.filter((b) => b.overdueDays > 0);
  return {
    billCount: bills.length,
    dueNowFen: open.reduce((sum, b) => sum + b.outstandingFen, 0),
    // the next due date still ahead: a date already past is shown as 已逾期, never as "next"
    nextDueDate:
      open
        .filter((b) => b.overdueDays === 0)
        .map((b) => b.dueDate)
        .sort()[0] ?? null,
    overdueCount: overdue.length,
    overdueFen: overdue.reduce((sum, b) => sum + b.outstandingFen, 0),
  };
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
  const labels = new Map(rooms.map((r) => [r.roomId, r.label]));
  const due = amountsDue(
    await billsOf(
      ctx,
      mine,
      rooms.map((r) => r.roomId),
      labels,
    ),
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
