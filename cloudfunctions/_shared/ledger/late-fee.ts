/**
 * Late fees on bills (滞纳金): the overdue run's month-end settlement and finance's waiver. Both are
 * conditional writes on what was read, so a payment (or another change) landing in between makes
 * the write miss instead of clobbering it; the accrual then waits for the next run, the waiver
 * asks finance to retry. The rule itself (what a bill owes as of a day) is `lateFeeAsOf` in
 * `state.ts`, pure, so any way of running it (a daily pass, a fee derived when it is read) gives
 * the same amount.
 */
import { OPEN_BILL_STATUSES, type BillDoc } from '../../../miniprogram/domain/fee/bill';
import type { LateFeeRule } from '../../../miniprogram/domain/fee/types';
import { formatYuan } from '../../../miniprogram/domain/kernel/money';
import type { Database } from '../db';
import { getInCommunity } from '../records';
import { pausesForBill, type HoldDoc } from '../holds';
import { AppError } from '../router';
import { billsAsOf } from './as-of';
import { afterWaiver, lateFeeAsOf } from './state';

/**
 * Settles (writes) the late fee due through `day` on each bill that owes one — the overdue run
 * does it for every open bill at month end; between, readers derive it (`./as-of.ts`) (`lateFeeAsOf`: the rule
 * from its fee standard, never compounding, never above the cap, paused by the room's holds).
 * Bills claimed by a live WeChat order wait a day, so the order's amount and the bill agree.
 *
 * Idempotent per bill and day under any number of overlapping runs: each write sets the new
 * amounts (never an increment) and only where the bill still has the accrued-through date, late
 * fee, paid amount and status it was read with, and no order's claim. Of several runs that read
 * the same state exactly one write lands; the others find the date moved on and change nothing.
 * Updates `lateFeeFen` and `lateFee` of the bills given and returns how many accrued.
 */
export async function accrueLateFees(
  db: Database,
  input: {
    bills: BillDoc[];
    rules: ReadonlyMap<string, LateFeeRule>;
    holds: ReadonlyMap<string, readonly HoldDoc[]>;
    day: string;
  },
): Promise<number> {
  const { rules, holds, day } = input;
  if (rules.size === 0) return 0;
  const _ = db.command;
  let accrued = 0;
  const writes: (() => Promise<void>)[] = [];
  for (const b of input.bills) {
    if (b.payHold) continue;
    const next = lateFeeAsOf(b, rules, pausesForBill(holds.get(b.roomId) ?? [], b._id), day);
    if (!next) continue;
    writes.push(async () => {
      const res = await db
        .collection('bills')
        .where({
          _id: b._id,
          paidFen: b.paidFen,
          lateFeeFen: b.lateFeeFen,
          'lateFee.accruedThrough': b.lateFee?.accruedThrough ?? null,
          status: _.in([...OPEN_BILL_STATUSES]),
          payHold: null,
        })
        .update({ data: { lateFeeFen: next.lateFeeFen, lateFee: _.set(next.lateFee) } });
      if (Number(res.stats.updated) === 1) {
        accrued++;
        b.lateFeeFen = next.lateFeeFen;
        b.lateFee = next.lateFee;
      }
    });
  }
  for (let i = 0; i < writes.length; i += 10)
    await Promise.all(writes.slice(i, i + 10).map((w) => w()));
  return accrued;
}

export interface Waiver {
  /** The bill as it was before the waiver. */
  bill: BillDoc;
  lateFeeFen: number;
  waivedFen: number;
}

/**
 * Waives `amountFen` of a bill's late fee (finance, with a reason recorded by the caller). One
 * write, conditional on the amounts read, sets the late fee, the waived total and the status:
 * a bill whose remaining balance was only the late fee is paid by it.
 */
export async function waiveLateFee(
  db: Database,
  input: { communityId: string; billId: string; amountFen: number },
): Promise<Waiver> {
  const stored = await getInCommunity<BillDoc>(
    { db },
    'bills',
    input.communityId,
    input.billId,
    'billId: 账单不存在',
  );
  // Waived from the late fee as of today (settled in the same write).
  const bill = (await billsAsOf(db, [stored]))[0]!;
  if (!OPEN_BILL_STATUSES.includes(bill.status))
    throw new AppError('PRECONDITION_FAILED', 'billId: 账单已结清，无需减免');
  if (input.amountFen > bill.lateFeeFen)
    throw new AppError(
      'INVALID_INPUT',
      `amountFen: 减免金额不能超过当前滞纳金 ${formatYuan(bill.lateFeeFen)}`,
    );
  const _ = db.command;
  const next = afterWaiver(bill, input.amountFen);
  // Conditional on what we read: a concurrent payment or settlement makes the caller retry.
  const upd = await db
    .collection('bills')
    .where({
      _id: stored._id,
      lateFeeFen: stored.lateFeeFen,
      paidFen: stored.paidFen,
      'lateFee.accruedThrough': stored.lateFee?.accruedThrough ?? null,
    })
    .update({
      data: { lateFeeFen: next.lateFeeFen, lateFee: _.set(next.lateFee), status: next.status },
    });
  if (Number(upd.stats.updated) !== 1)
    throw new AppError('CONFLICT', '账单刚刚有变动，请刷新后再试');
  return { bill, lateFeeFen: next.lateFeeFen, waivedFen: next.lateFee.waivedFen };
}
