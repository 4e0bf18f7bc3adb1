/**
 * Reading bills, as the functions share it (writing them is the ledger's alone, `./ledger/`):
 * the open bills of rooms, and the bills a caller chose among them.
 */
import {
  OPEN_BILL_STATUSES,
  coverOf,
  outstandingFen,
  type BillDoc,
} from '../../miniprogram/domain/fee/bill';
import { sortOldestFirst } from '../../miniprogram/domain/kernel/money';
import { fetchByIds, fetchIn } from './paging';
import type { WithDb } from './paging';
import { billsAsOf } from './ledger/as-of';
import { AppError, type ActionContext } from './router';

/**
 * The open (unpaid or partly paid) bills of these rooms, with any `extra` conditions, as of today
 * (late fees derived: what the owner is shown and charged).
 */
export async function openBillsOf(
  ctx: WithDb,
  roomIds: readonly string[],
  extra: Record<string, unknown> = {},
): Promise<BillDoc[]> {
  const _ = ctx.db.command;
  const bills = await fetchIn<BillDoc>(
    ctx,
    'bills',
    'roomId',
    roomIds,
    { ...extra, status: _.in([...OPEN_BILL_STATUSES]) },
    undefined,
    500,
  );
  return billsAsOf(ctx.db, bills);
}

/** The open bills of these rooms that still owe something. */
export async function owingBillsOf(ctx: WithDb, roomIds: readonly string[]): Promise<BillDoc[]> {
  return (await openBillsOf(ctx, roomIds)).filter((b) => outstandingFen(b) > 0);
}

/**
 * The bills the caller chose among `owing` (all of them when `billIds` is not given); a chosen
 * bill that is not among them (paid meanwhile, another room's) is INVALID_INPUT with `message`.
 */
export function chosenBills(
  owing: readonly BillDoc[],
  billIds: readonly string[] | undefined,
  message: string,
): BillDoc[] {
  if (!billIds) return [...owing];
  const wanted = new Set(billIds);
  const chosen = owing.filter((b) => wanted.has(b._id));
  if (chosen.length !== wanted.size) throw new AppError('INVALID_INPUT', `billIds: ${message}`);
  return chosen;
}

/** Bill ids oldest first (the order money is allocated in). */
export function oldestFirst(bills: readonly BillDoc[]): BillDoc[] {
  return sortOldestFirst(bills.map((b) => ({ ...b, id: b._id })));
}

/**
 * Outstanding of one bill as an aggregation expression: max(0, due + late fee − paid), the
 * database's twin of `outstandingFen`, for reports and lists that sum it instead of fetching bills.
 */
export function outstandingExpr(ctx: Pick<ActionContext, 'db'>) {
  const $ = ctx.db.command.aggregate;
  const left = $.subtract([$.add(['$amountDueFen', '$lateFeeFen']), '$paidFen']);
  return $.cond([$.gt([left, 0]), left, 0]);
}

/**
 * Allocations (a receipt's lines) with the months each bill covers, read from the bills: a
 * payment stores a bill's period, and a quarterly bill covers three months. A bill that cannot be
 * read any more covers its period.
 */
export async function withCover<A extends { billId: string; period: string }>(
  ctx: WithDb,
  allocations: readonly A[],
): Promise<(A & { coverFrom: string; coverTo: string })[]> {
  const bills = await fetchByIds<BillDoc>(
    ctx,
    'bills',
    allocations.map((a) => a.billId),
    {},
    { _id: true, period: true, items: true },
  );
  const byId = new Map(bills.map((b) => [b._id, coverOf(b)]));
  return allocations.map((a) => ({
    ...a,
    ...(byId.get(a.billId) ?? { coverFrom: a.period, coverTo: a.period }),
  }));
}
