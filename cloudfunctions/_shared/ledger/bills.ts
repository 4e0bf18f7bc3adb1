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
  await t
    .collection('bills')
    .doc(bill._id)
    .update({ data: afterPayment(bill, amountFen) });
}
