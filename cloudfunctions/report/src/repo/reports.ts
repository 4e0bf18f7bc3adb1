/**
 * What the reports share: who may read them, the community's name, and the aggregation pieces
 * (a bill's outstanding amount as an expression, the open statuses, a period's first day).
 * Each report is computed by database aggregation (a fixed number of round trips whatever the
 * community's size): bills are grouped per room in the database, joined to rooms (`$lookup`) for
 * the building, and grouped again; only per-building rows come back.
 */
import { CHANNEL_LABELS } from '../../../../miniprogram/domain/payment/channels';
import { OPEN_BILL_STATUSES } from '../../../../miniprogram/domain/fee/bill';
import { getDoc } from '../../../_shared/records';
import { requireRole } from '../../../_shared/roles';
import { type ActionContext } from '../../../_shared/router';

export const REPORT_ROLES = ['finance'] as const;

/** The open bill statuses, for queries. */
export const OPEN: string[] = [...OPEN_BILL_STATUSES];

/** What the overdue function's case list says of a room nobody has reminded yet. */
export const NO_STAGE = '尚未提醒';

async function communityName(ctx: ActionContext, communityId: string): Promise<string> {
  const c = await getDoc<{ name: string }>(
    ctx,
    'communities',
    communityId,
    'communityId: 小区不存在',
  );
  return c.name;
}

export async function authorise(ctx: ActionContext, communityId: string) {
  return requireRole(ctx, communityId, REPORT_ROLES);
}

/** A report begins: the caller may read the community's reports; its name heads the report. */
export async function openReport(ctx: ActionContext, communityId: string): Promise<string> {
  await authorise(ctx, communityId);
  return communityName(ctx, communityId);
}

/** Outstanding of one bill as an aggregation expression (shared with the lists that sum it). */
export { outstandingExpr } from '../../../_shared/bills';

export function startOf(date: string): Date {
  return new Date(`${date}T00:00:00+08:00`);
}

export const channelLabel = (c: string): string =>
  (CHANNEL_LABELS as Record<string, string>)[c] ?? c;
