/**
 * The bill writes inside the ledger's payment transactions: read a bill, and move its paid
 * amount (and with it the status) by an allocation or a reversal. A bill's money fields are
 * written in this folder and nowhere else (tests/unit/ledger-writers.test.ts checks the tree).
 */
import type { BillDoc } from '../../../miniprogram/domain/fee/bill';
import type { Transaction } from '../db';
import { derivedLateFee, type LateFeeView } from './as-of';
import { afterPayment } from './state';

/** A bill as a ledger transaction sees it; `settles`: its late fee as of today, not yet stored. */
export type LedgerBill = BillDoc & { settles?: true };

/**
 * A bill read inside the transaction (its amounts are what the transaction sees). With a late-fee
 * view the bill comes as of the view's day: the late fee accrued since it was stored is added
 * (and written with the bill's next money write, `writeBill`).
 */
export async function readBill(
  t: Transaction,
  billId: string,
  view?: LateFeeView,
): Promise<LedgerBill> {
  const bill = (await t.collection('bills').doc(billId).get()).data as BillDoc;
  const next = view ? derivedLateFee(bill, view) : null;
  return next ? { ...bill, ...next, settles: true } : bill;
}

/** Adds `amountFen` (negative: takes it back) to what the bill has been paid. */
export async function allocate(t: Transaction, bill: LedgerBill, amountFen: number): Promise<void> {
  await writeBill(t, bill, amountFen, {});
}

/**
 * A payment's write of one bill: its share of the payment (0: none) and, when the payment is the
 * WeChat order that claimed the bill (`endHoldOf`), the end of that claim. Writes nothing when
 * neither applies. Money moving settles the late fee as of today first (the days before accrue
 * on the principal as it was), in the same write.
 */
export async function writeBill(
  t: Transaction,
  bill: LedgerBill,
  amountFen: number,
  opts: { endHoldOf?: string },
): Promise<void> {
  const data: Record<string, unknown> = amountFen !== 0 ? { ...afterPayment(bill, amountFen) } : {};
  if (amountFen !== 0 && bill.settles) Object.assign(data, settledFields(bill));
  if (opts.endHoldOf && bill.payHold?.outTradeNo === opts.endHoldOf) data.payHold = null;
  if (Object.keys(data).length === 0) return;
  await t.collection('bills').doc(bill._id).update({ data });
}

/** The late-fee fields a settling write stores (all of `lateFee`, so merge and replace agree). */
export function settledFields(bill: BillDoc): Record<string, unknown> {
  return {
    lateFeeFen: bill.lateFeeFen,
    lateFee: {
      accruedFen: bill.lateFee?.accruedFen ?? bill.lateFeeFen,
      accruedThrough: bill.lateFee?.accruedThrough ?? null,
      waivedFen: bill.lateFee?.waivedFen ?? 0,
    },
  };
}
