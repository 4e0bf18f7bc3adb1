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
