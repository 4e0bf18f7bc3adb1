/**
 * Bills held by a live WeChat Pay order (`bill_locks/<billId>`): while an order for a bill is
 * live no second order is made for it, the cashier does not collect it again, and the overdue
 * run leaves its late fee until the order ends, so the order's amount and the bill agree.
 * The hold is written with the order, in the same transaction, and released when the order is
 * paid (by `applyPayment`), closed or failed.
 */
import { fetchAll, isMissing, type Database, type Transaction } from '../db';
import { AppError } from '../router';
import type { BillDoc } from '../../../miniprogram/domain/fee/bill';

export interface BillHoldDoc {
  _id: string;
  outTradeNo: string;
  createdAt: Date;
}

/** Holds the order's bills (inside the transaction that writes the order; a held bill fails it). */
export async function holdBillsForOrder(
  t: Transaction,
  billIds: readonly string[],
  outTradeNo: string,
  now: Date,
): Promise<void> {
  for (const billId of billIds) {
    await t.collection('bill_locks').add({ data: { _id: billId, outTradeNo, createdAt: now } });
  }
}

/** The holds on any of `billIds`. */
export async function holdsOn(db: Database, billIds: readonly string[]): Promise<BillHoldDoc[]> {
  const _ = db.command;
  const out: BillHoldDoc[] = [];
  for (let i = 0; i < billIds.length; i += 500) {
    out.push(
      ...(await fetchAll<BillHoldDoc>(
        db.collection('bill_locks').where({ _id: _.in(billIds.slice(i, i + 500)) }),
      )),
    );
  }
  return out;
}

/** Releases what an order holds (of `billIds` only, when given). */
export async function releaseOrderHolds(
  db: Database,
  outTradeNo: string,
  billIds?: readonly string[],
): Promise<void> {
  const _ = db.command;
  await db
    .collection('bill_locks')
    .where(billIds ? { outTradeNo, _id: _.in([...billIds]) } : { outTradeNo })
    .remove();
}

/** Refuses, inside the payment's transaction, when a live WeChat order holds one of the bills. */
export async function assertNotHeld(
  t: Transaction,
  bills: readonly Pick<BillDoc, '_id' | 'period'>[],
): Promise<void> {
  for (const bill of bills) {
    try {
      const lock = await t.collection('bill_locks').doc(bill._id).get();
      if (lock.data) {
        throw new AppError(
          'CONFLICT',
          `账单 ${bill.period} 有一笔正在进行的微信支付，请稍后再试或待该订单关闭后再收款`,
        );
      }
    } catch (e) {
      if (e instanceof AppError || !isMissing(e)) throw e;
    }
  }
}

/** Inside the payment's transaction: the paid order's holds end. */
export async function releasePaidOrderHolds(
  t: Transaction,
  billIds: readonly string[],
  outTradeNo: string,
): Promise<void> {
  for (const billId of billIds) {
    try {
      const lock = await t.collection('bill_locks').doc(billId).get();
      if ((lock.data as { outTradeNo?: string }).outTradeNo === outTradeNo) {
        await t.collection('bill_locks').doc(billId).remove();
      }
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
  }
}
