/**
 * The bill writes inside the ledger's payment transactions: read a bill, and move its paid
 * amount (and with it the status) by an allocation or a reversal. A bill's money fields are
 * written in this folder and nowhere else (tests/unit/ledger-writers.test.ts checks the tree).
 */
import type { BillDoc } from '../../../miniprogram/domain/fee/bill';
import type { Transaction } from '../db';
import { afterPayment } from './state';

/** A bill read inside the transaction (its amounts are what the transaction sees). */
export async function readBill(t: Transaction, billId: string): Promise<BillDoc> {
  return (await t.collection('bills').doc(billId).get()).data as BillDoc;
}

/** Adds `amountFen` (negative: takes it back) to what the bill has been paid. */
export async function allocate(t: Transaction, bill: BillDoc, amountFen: number): Promise<void> {
  await writeBill(t, bill, amountFen, {});
}

/**
 * A payment's write of one bill: its share of the payment (0: none) and, when the payment is the
 * WeChat order that claimed the bill (`endHoldOf`), the end of that claim. Writes nothing when
 * neither applies.
 */
export async function writeBill(
  t: Transaction,
  bill: BillDoc,
  amountFen: number,
  opts: { endHoldOf?: string },
): Promise<void> {
  const data: Record<string, unknown> = amountFen !== 0 ? { ...afterPayment(bill, amountFen) } : {};
  if (opts.endHoldOf && bill.payHold?.outTradeNo === opts.endHoldOf) data.payHold = null;
  if (Object.keys(data).length === 0) return;
  await t.collection('bills').doc(bill._id).update({ data });
}
