/**
 * The overdue marks on open bills past their due date (`overdue`, `overdueDays`, `agingBucket`,
 * `overdueAsOf`): a cached view of age for lists and reports, not money. Written here with the
 * rest of the bill writes so a bill document has one writer.
 */
import { agingBucket, overdueDaysOn } from '../../../miniprogram/domain/ledger/aging';
import { OPEN_BILL_STATUSES } from '../../../miniprogram/domain/fee/bill';
import type { Database } from '../db';

/**
 * Marks the community's open bills due on or before `lastDue` as of `day`: one multi-document
 * update per distinct due date, not one write per bill. Returns how many bills were updated.
 */
export async function markOverdue(
  db: Database,
  input: { communityId: string; day: string; lastDue: string; graceDays: number },
): Promise<number> {
  const _ = db.command;
  const open = _.in([...OPEN_BILL_STATUSES]);
  const groups = await db
    .collection('bills')
    .aggregate()
    .match({ communityId: input.communityId, status: open, dueDate: _.lte(input.lastDue) })
    .group({ _id: '$dueDate', n: { $sum: 1 } })
    .limit(10_000)
    .end();
  let marked = 0;
  for (const g of groups.list as { _id: string; n: number }[]) {
    const days = overdueDaysOn(g._id, input.day, input.graceDays);
    const res = await db
      .collection('bills')
      .where({ communityId: input.communityId, status: open, dueDate: g._id })
      .update({
        data: {
          overdue: true,
          overdueDays: days,
          agingBucket: agingBucket(days),
          overdueAsOf: input.day,
        },
      });
    marked += Number(res.stats.updated);
  }
  return marked;
}
