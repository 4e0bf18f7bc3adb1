/**
 * Late fees on bills (滞纳金): the overdue run's daily accrual and finance's waiver. Both are
 * conditional writes on what was read, so a payment (or another change) landing in between makes
 * the write miss instead of clobbering it; the accrual then waits for the next run, the waiver
 * asks finance to retry.
 */
import { OPEN_BILL_STATUSES, type BillDoc } from '../../../miniprogram/domain/fee/bill';
import { accrueLateFee, lateFeeBasis } from '../../../miniprogram/domain/fee/late-fee';
import type { LateFeeRule } from '../../../miniprogram/domain/fee/types';
import { formatYuan } from '../../../miniprogram/domain/kernel/money';
import type { Database } from '../db';
import { getInCommunity } from '../records';
import { pausesForBill, type HoldDoc } from '../holds';
import { AppError } from '../router';
import { holdsOn } from './hold';
import { afterAccrual, afterWaiver } from './state';

/**
 * Accrues today's late fee on each bill that owes one: the rule from its fee standard, never
 * compounding, never above the cap, never twice for a day (the accrued-through date), paused by
 * the room's holds. Bills held by a live WeChat order wait a day, so the order's amount and the
 * bill agree. One write per bill that accrues, only if no payment landed since it was read.
 * Updates `lateFeeFen` of the bills given and returns how many accrued.
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
  const candidates = input.bills.filter((b) => lateFeeBasis(b, rules));
  const held = new Set(
    (
      await holdsOn(
        db,
        candidates.map((b) => b._id),
      )
    ).map((h) => h._id),
  );
  let accrued = 0;
  const writes: (() => Promise<void>)[] = [];
  for (const b of candidates) {
    if (held.has(b._id)) continue;
    const basis = lateFeeBasis(b, rules)!;
    const principal = Math.min(basis.capBaseFen, Math.max(0, b.amountDueFen - b.paidFen));
    const acc = accrueLateFee({
      rule: basis.rule,
      principalFen: principal,
      capBaseFen: basis.capBaseFen,
      dueDate: b.dueDate,
      state: {
        accruedFen: b.lateFee?.accruedFen ?? 0,
        accruedThrough: b.lateFee?.accruedThrough ?? null,
      },
      asOf: day,
      pauses: pausesForBill(holds.get(b.roomId) ?? [], b._id),
    });
    if (acc.addFen <= 0) continue;
    const next = afterAccrual(b, acc.addFen, acc.state);
    writes.push(async () => {
      // Only if no payment landed since we read it (a payment sets the status from the totals).
      const res = await db
        .collection('bills')
        .where({ _id: b._id, paidFen: b.paidFen, status: _.in([...OPEN_BILL_STATUSES]) })
        .update({ data: { lateFeeFen: _.inc(acc.addFen), lateFee: _.set(next.lateFee) } });
      if (Number(res.stats.updated) === 1) {
        accrued++;
        b.lateFeeFen += acc.addFen;
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
  const bill = await getInCommunity<BillDoc>(
    { db },
    'bills',
    input.communityId,
    input.billId,
    'billId: 账单不存在',
  );
  if (!OPEN_BILL_STATUSES.includes(bill.status))
    throw new AppError('PRECONDITION_FAILED', 'billId: 账单已结清，无需减免');
  if (input.amountFen > bill.lateFeeFen)
    throw new AppError(
      'INVALID_INPUT',
      `amountFen: 减免金额不能超过当前滞纳金 ${formatYuan(bill.lateFeeFen)}`,
    );
  const _ = db.command;
  const next = afterWaiver(bill, input.amountFen);
  // Conditional on what we read: a concurrent payment or accrual makes the caller retry.
  const upd = await db
    .collection('bills')
    .where({ _id: bill._id, lateFeeFen: bill.lateFeeFen, paidFen: bill.paidFen })
    .update({
      data: { lateFeeFen: next.lateFeeFen, lateFee: _.set(next.lateFee), status: next.status },
    });
  if (Number(upd.stats.updated) !== 1)
    throw new AppError('CONFLICT', '账单刚刚有变动，请刷新后再试');
  return { bill, lateFeeFen: next.lateFeeFen, waivedFen: next.lateFee.waivedFen };
}
