/**
 * The money state of a bill and how each ledger operation changes it, as pure functions: the
 * ledger's writers (issue, apply, reverse, late fee) store exactly what these return, and the
 * status always comes from `billStatus`. No I/O here, so the rules are tested on their own.
 */
import {
  billStatus,
  type BillDoc,
  type BillLateFeeState,
  type BillStatus,
} from '../../../miniprogram/domain/fee/bill';
import {
  accrueLateFee,
  lateFeeBasis,
  type LateFeePause,
} from '../../../miniprogram/domain/fee/late-fee';
import type { LateFeeRule } from '../../../miniprogram/domain/fee/types';

export { billStatus };

/** The stored fields that make up a bill's money state (the guard test names the same ones). */
export const BILL_MONEY_FIELDS = [
  'amountDueFen',
  'lateFeeFen',
  'paidFen',
  'prepaidAppliedFen',
  'status',
  'lateFee',
] as const;

export type BillMoney = Pick<BillDoc, 'amountDueFen' | 'lateFeeFen' | 'paidFen' | 'status'> & {
  lateFee?: BillLateFeeState;
};

/** What finance has waived and the overdue run accrued so far (bills before any accrual: none). */
export function lateFeeStateOf(bill: BillMoney): BillLateFeeState {
  return {
    accruedFen: bill.lateFee?.accruedFen ?? bill.lateFeeFen,
    accruedThrough: bill.lateFee?.accruedThrough ?? null,
    waivedFen: bill.lateFee?.waivedFen ?? 0,
  };
}

/**
 * A new bill as issued: no late fee, and paid as far as the room's prepaid balance reached
 * (never above the amount due).
 */
export interface IssuedMoney {
  lateFeeFen: number;
  paidFen: number;
  prepaidAppliedFen: number;
  status: BillStatus;
}

export function issuedBill<T extends { amountDueFen: number }>(
  draft: T,
  prepaidFen = 0,
): T & IssuedMoney {
  const paid = Math.min(Math.max(0, prepaidFen), draft.amountDueFen);
  const money = { amountDueFen: draft.amountDueFen, lateFeeFen: 0, paidFen: paid };
  return { ...draft, ...money, prepaidAppliedFen: paid, status: billStatus(money) };
}

/** A bill after `amountFen` more of a payment is allocated to it (negative: a reversal). */
export function afterPayment(
  bill: BillMoney,
  amountFen: number,
): { paidFen: number; status: BillStatus } {
  const paidFen = bill.paidFen + amountFen;
  return { paidFen, status: billStatus({ ...bill, paidFen }) };
}

/**
 * The late-fee fields after the overdue run accrues `addFen` through `accrued.accruedThrough`.
 * The status is left alone: a late fee on an open bill leaves it owing, so it stays open.
 */
export function afterAccrual(
  bill: BillMoney,
  addFen: number,
  accrued: { accruedFen: number; accruedThrough: string | null },
): { lateFeeFen: number; lateFee: BillLateFeeState } {
  return {
    lateFeeFen: bill.lateFeeFen + addFen,
    lateFee: { ...accrued, waivedFen: lateFeeStateOf(bill).waivedFen },
  };
}

/**
 * The late fee a bill owes as of `day` under its fee standard's rule (`rules` by fee item):
 * simple interest on the outstanding principal from the day after due + grace, paused on the
 * `pauses`, never above the cap (measured on what has accrued, so a waiver does not make room),
 * each day counted once (`lateFee.accruedThrough`). Null when nothing more is owed as of `day`
 * (no rule, already counted, capped, no principal). The one rule every late-fee writer stores.
 */
export function lateFeeAsOf(
  bill: Pick<BillDoc, 'items' | 'amountDueFen' | 'paidFen' | 'dueDate'> & BillMoney,
  rules: ReadonlyMap<string, LateFeeRule>,
  pauses: readonly LateFeePause[],
  day: string,
): { lateFeeFen: number; lateFee: BillLateFeeState } | null {
  const basis = lateFeeBasis(bill, rules);
  if (!basis) return null;
  const state = lateFeeStateOf(bill);
  const principal = Math.min(basis.capBaseFen, Math.max(0, bill.amountDueFen - bill.paidFen));
  const acc = accrueLateFee({
    rule: basis.rule,
    principalFen: principal,
    capBaseFen: basis.capBaseFen,
    dueDate: bill.dueDate,
    state: { accruedFen: state.accruedFen, accruedThrough: state.accruedThrough },
    asOf: day,
    pauses,
  });
  if (acc.addFen <= 0) return null;
  return afterAccrual(bill, acc.addFen, acc.state);
}

/** A bill after finance waives `amountFen` of its late fee (a bill left owing nothing is paid). */
export function afterWaiver(
  bill: BillMoney,
  amountFen: number,
): { lateFeeFen: number; lateFee: BillLateFeeState; status: BillStatus } {
  const state = lateFeeStateOf(bill);
  const lateFeeFen = bill.lateFeeFen - amountFen;
  return {
    lateFeeFen,
    lateFee: { ...state, waivedFen: state.waivedFen + amountFen },
    status: billStatus({ ...bill, lateFeeFen }),
  };
}
