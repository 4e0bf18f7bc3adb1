/**
 * Bills claimed by a live WeChat Pay order (`bill.payHold`). The claim is written on the bill
 * itself, in the transaction that writes the order and re-checks the bill; every other payment
 * path (cashier channels, bank lines, reconciliation) checks it in the transaction that writes
 * the bill's paid amount. Two transactions that write one document cannot both commit (snapshot
 * isolation refuses the second, which retries and sees the first), so for any bill exactly one of
 * "an owner's order" and "another payment" wins. While an order holds a bill no second order is
 * made for it, the cashier does not collect it, and the overdue run leaves its late fee alone,
 * so the order's amount and the bill agree. The claim ends when the order is paid (in the
 * payment's transaction), closed or failed.
 */
import {
  OPEN_BILL_STATUSES,
  outstandingFen,
  type BillDoc,
  type BillPayHold,
} from '../../../miniprogram/domain/fee/bill';
import { heldByOrderMessage, settledByMessage } from '../../../miniprogram/domain/payment/holds';
import { isPendingReceipt } from '../../../miniprogram/domain/payment/receipt';
import { fetchAll, isConflict, isDuplicate, withConflictRetry, type Database } from '../db';
import { AppError } from '../router';
import { lateFeeViewOf } from './as-of';
import { readBill, settledFields } from './bills';
import type { PaymentDoc, PayOrderDoc } from './types';

/**
 * Writes the order and claims its bills in one transaction. Refuses (CONFLICT, in words naming
 * who is paying or who paid) when a bill is held by another order, was settled meanwhile, or owes
 * a different amount than the order was priced on (`expectedOutstandingFen`).
 */
export async function claimBillsForOrder(
  db: Database,
  order: PayOrderDoc,
  input: { expectedOutstandingFen: number; payer: string },
): Promise<void> {
  const hold: BillPayHold = {
    outTradeNo: order._id,
    payer: input.payer,
    at: order.createdAt,
    expireAt: order.expireAt,
  };
  const refused: { settled?: BillDoc } = {};
  // The claim settles each bill's late fee as of today: while claimed it stays what the order
  // was priced on.
  const view = await lateFeeViewOf(db, order.billIds);
  try {
    await withConflictRetry(() =>
      db.runTransaction(async (t) => {
        delete refused.settled;
        let owing = 0;
        for (const billId of order.billIds) {
          const bill = await readBill(t, billId, view);
          if (bill.payHold && bill.payHold.outTradeNo !== order._id)
            throw new AppError(
              'CONFLICT',
              heldByOrderMessage(bill.period, bill.payHold, order.createdAt),
            );
          if (!OPEN_BILL_STATUSES.includes(bill.status) || outstandingFen(bill) === 0) {
            refused.settled = bill;
            throw new AppError('CONFLICT', settledByMessage(bill.period, null));
          }
          owing += outstandingFen(bill);
          await t
            .collection('bills')
            .doc(billId)
            .update({ data: { payHold: hold, ...(bill.settles ? settledFields(bill) : {}) } });
        }
        if (owing !== input.expectedOutstandingFen)
          throw new AppError('CONFLICT', '账单金额刚有变动，请刷新后确认金额再支付');
        await t.collection('pay_orders').add({ data: order });
      }, 1),
    );
  } catch (e) {
    const bill = refused.settled;
    if (bill) {
      throw new AppError(
        'CONFLICT',
        settledByMessage(bill.period, await lastPaymentOf(db, bill._id)),
      );
    }
    if (e instanceof AppError) throw e;
    if (isDuplicate(e) || isConflict(e))
      throw new AppError('CONFLICT', '该账单正在支付中，请稍候片刻再试');
    throw e;
  }
}

/** The latest payment that paid part of a bill (who settled it), if any. */
export async function lastPaymentOf(
  db: Database,
  billId: string,
): Promise<{ channel: PaymentDoc['channel']; receiptNo: string } | null> {
  const res = await db
    .collection('payments')
    .where({ 'allocations.billId': billId })
    .orderBy('paidAt', 'desc')
    .limit(1)
    .get();
  const p = res.data[0] as PaymentDoc | undefined;
  if (!p) return null;
  return { channel: p.channel, receiptNo: isPendingReceipt(p.receiptNo) ? '' : p.receiptNo };
}

/** A payment refused because an owner's order claims the bill (the claim says whose, until when). */
export class HeldError extends AppError {
  constructor(
    message: string,
    public readonly bill: BillDoc,
  ) {
    super('CONFLICT', message);
  }
}

/** Inside a payment's transaction: refuses when a live order other than `own` holds the bill. */
export function refuseHeld(bill: BillDoc, own: string | undefined, now: Date): void {
  if (bill.payHold && bill.payHold.outTradeNo !== own)
    throw new HeldError(heldByOrderMessage(bill.period, bill.payHold, now), bill);
}

/** Releases what an order holds (its claim only: a bill another order claimed since is left). */
export async function releaseOrderHolds(
  db: Database,
  outTradeNo: string,
  billIds: readonly string[],
): Promise<void> {
  if (billIds.length === 0) return;
  const _ = db.command;
  await db
    .collection('bills')
    .where({ _id: _.in([...billIds]), 'payHold.outTradeNo': outTradeNo })
    .update({ data: { payHold: null } });
}

/**
 * Releases holds whose order is no longer live (paid, closed, failed: a release that did not
 * happen, e.g. an instance that died between closing the order and releasing its bills), and
 * returns the live orders still holding any of `bills`.
 */
export async function liveHolders(db: Database, bills: readonly BillDoc[]): Promise<PayOrderDoc[]> {
  const holders = [...new Set(bills.flatMap((b) => (b.payHold ? [b.payHold.outTradeNo] : [])))];
  if (holders.length === 0) return [];
  const _ = db.command;
  const orders = await fetchAll<PayOrderDoc>(
    db.collection('pay_orders').where({ _id: _.in(holders) }),
  );
  const live: PayOrderDoc[] = [];
  for (const holder of holders) {
    const order = orders.find((o) => o._id === holder);
    if (
      order &&
      (order.status === 'pending' || order.status === 'creating' || order.status === 'exception')
    ) {
      live.push(order);
    } else {
      const held = bills.filter((b) => b.payHold?.outTradeNo === holder).map((b) => b._id);
      await releaseOrderHolds(db, holder, held);
    }
  }
  return live;
}
