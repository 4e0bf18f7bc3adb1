/**
 * Applying money to bills, exactly once. Every payment — a WeChat Pay notification, an order
 * confirmed by queryOrder, or a payment the cashier records — goes through `applyPayment`, one
 * database transaction that writes the payment with its allocations, raises the bills' paid
 * amounts, credits any remainder to the room's prepaid balance (预存), marks the WeChat order paid
 * and ends its claim on the bills; right after the commit the payment gets its gap-free receipt
 * number (`numberPayment`). The transaction writes every bill it pays, so it can never commit
 * beside an order that claimed one of them (`hold.ts`). A payment's id is deterministic,
 * so a repeat (duplicate notification, retried call) finds it and changes nothing.
 */
import { type PaymentChannel } from '../../../miniprogram/domain/payment/channels';
import { isConflict, isMissing, withConflictRetry, type Database } from '../db';
import { outstandingFen } from '../../../miniprogram/domain/fee/bill';
import { allocateOldestFirst, sortOldestFirst } from '../../../miniprogram/domain/kernel/money';
import { roomLabel } from '../../../miniprogram/domain/community/vocabulary';
import { shanghaiDate } from '../../../miniprogram/domain/kernel/time';
import type { AllocationView } from '../../../miniprogram/domain/payment/contract';
import { AppError } from '../router';
import { pendingReceiptNo } from '../../../miniprogram/domain/payment/receipt';
import { lateFeeViewOf, type LateFeeView } from './as-of';
import { readBill, writeBill, type LedgerBill } from './bills';
import { refuseHeld } from './hold';
import { mismatchKind, recordPayException } from './exceptions';
import { isClosedDay, noteCorrection, numberPayment } from './receipts';
import type { PaymentDoc, PayOrderDoc } from './types';
import { inCurrentShift, joinShift, type ShiftRef } from './shift';
import { movePrepaid, readPrepaid } from './prepaid';

export interface ApplyInput {
  paymentId: string;
  communityId: string;
  channel: PaymentChannel;
  amountFen: number;
  /** Candidate bills, allocated oldest first up to their outstanding amounts. */
  billIds: string[];
  /** Room whose prepaid balance takes any remainder. */
  prepaidRoomId: string;
  recordedBy: string;
  paidAt: Date;
  payerName?: string;
  reference?: string;
  note?: string;
  outTradeNo?: string;
  transactionId?: string;
  /** Offline payments refuse rather than turn a stale bill choice into prepaid money. */
  requireFullAllocation?: boolean;
  /** The room the bills must belong to (the desk: a bill of another room is refused). */
  roomId?: string;
  /** Room labels the caller already has (rooms not listed are read in the transaction). */
  roomLabels?: Readonly<Record<string, string>>;
  /**
   * Refuse when a live WeChat order of an owner claims one of the bills (the cashier, a bank line:
   * never collect twice). WeChat money for an order is applied whatever holds the bills.
   */
  respectLocks?: boolean;
  /**
   * Why this entry lands on a day already closed by reconciliation. Without it a closed day gets a
   * default reason for the channel (a late WeChat notification is still applied: money is never
   * refused), and the day's record lists the entry.
   */
  correctionReason?: string;
  /** A desk payment: it joins this cashier's open shift (交班, `shift.ts`). */
  shiftOf?: string;
}

export interface ApplyResult {
  payment: PaymentDoc;
  /** False when the payment already existed (a repeat). */
  created: boolean;
}

export async function applyPayment(db: Database, input: ApplyInput): Promise<ApplyResult> {
  // The bills' late fees as of today are settled with the payment (read before the transaction:
  // rules and holds are not money).
  const view = await lateFeeViewOf(db, input.billIds);
  const cashier = input.shiftOf;
  const result = cashier
    ? await inCurrentShift(db, input.communityId, cashier, (shift) =>
        withConflictRetry(() => applyOnce(db, input, view, shift)),
      )
    : await withConflictRetry(() => applyOnce(db, input, view));
  return { ...result, payment: await numberPayment(db, result.payment) };
}

/**
 * One attempt. A repeat finds the payment and changes nothing: WeChat notifications (which repeat
 * often) look first; other payments (a double tap, a retried call) are repeats when the
 * transaction fails for any reason but a conflict and the payment is there.
 */
async function applyOnce(
  db: Database,
  input: ApplyInput,
  view: LateFeeView,
  shift?: ShiftRef,
): Promise<ApplyResult> {
  try {
    return await applyInTransaction(db, input, view, shift);
  } catch (e) {
    if (isConflict(e)) throw e;
    const existing = await paymentIfAny(db, input.paymentId);
    if (existing) return { payment: existing, created: false };
    throw e;
  }
}

async function paymentIfAny(db: Database, paymentId: string): Promise<PaymentDoc | null> {
  const res = await db.collection('payments').where({ _id: paymentId }).limit(1).get();
  return (res.data[0] as PaymentDoc | undefined) ?? null;
}

async function applyInTransaction(
  db: Database,
  input: ApplyInput,
  view: LateFeeView,
  shift?: ShiftRef,
): Promise<ApplyResult> {
  const rooms = new Map<string, string>(Object.entries(input.roomLabels ?? {}));
  const now = new Date();
  return (await db.runTransaction(async (t) => {
    if (input.outTradeNo) {
      try {
        const existing = await t.collection('payments').doc(input.paymentId).get();
        if (existing.data) return { payment: existing.data as PaymentDoc, created: false };
      } catch (e) {
        if (!isMissing(e)) throw e;
      }
    }
    const bills: LedgerBill[] = [];
    for (const billId of input.billIds) {
      const bill = await readBill(t, billId, view);
      if (bill.communityId !== input.communityId || (input.roomId && bill.roomId !== input.roomId))
        throw new AppError('INVALID_INPUT', `billIds: 账单 ${billId} 不属于该房屋`);
      if (input.roomId && outstandingFen(bill) === 0)
        throw new AppError('CONFLICT', `账单 ${bill.period} 刚刚已缴清，请刷新后重新确认`);
      bills.push(bill);
    }
    if (input.respectLocks) for (const bill of bills) refuseHeld(bill, input.outTradeNo, now);
    const ordered = sortOldestFirst(bills.map((b) => ({ ...b, id: b._id })));
    const plan = allocateOldestFirst(
      input.amountFen,
      ordered.map((b) => ({ id: b._id, outstandingFen: outstandingFen(b) })),
    );
    if (input.requireFullAllocation && plan.remainderFen > 0 && bills.length > 0) {
      throw new AppError(
        'CONFLICT',
        '所选账单的未缴金额已少于收款金额（可能刚被缴清），请刷新后重新确认',
      );
    }
    for (const bill of bills) {
      if (!rooms.has(bill.roomId)) {
        const room = (await t.collection('rooms').doc(bill.roomId).get()).data as {
          building: string;
          unit: string;
          number: string;
        };
        rooms.set(bill.roomId, roomLabel(room));
      }
    }
    const allocations: AllocationView[] = plan.allocations.map((a) => {
      const bill = bills.find((b) => b._id === a.id)!;
      return {
        billId: bill._id,
        roomId: bill.roomId,
        roomLabel: rooms.get(bill.roomId) ?? '',
        period: bill.period,
        title: bill.title,
        amountFen: a.amountFen,
      };
    });
    // Every bill checked is written (its share, and the end of this order's claim), so a
    // concurrent claim or payment on any of them conflicts with this transaction.
    for (const bill of bills) {
      const share = allocations.find((a) => a.billId === bill._id)?.amountFen ?? 0;
      await writeBill(t, bill, share, { endHoldOf: input.outTradeNo });
    }
    const number = pendingReceiptNo(input.paymentId);
    if (plan.remainderFen > 0) {
      // the balance with the billing run's pending entries, folded in (`prepaid.ts`)
      const hold = await readPrepaid(t, db, input.communityId, input.prepaidRoomId);
      const after = await movePrepaid(t, hold, plan.remainderFen, now);
      await t.collection('prepaid_entries').add({
        data: {
          _id: `${input.paymentId}:prepaid`,
          communityId: input.communityId,
          roomId: input.prepaidRoomId,
          amountFen: plan.remainderFen,
          balanceAfterFen: after,
          reason: bills.length ? '缴费金额多于应缴，转入预存' : '预存物业费',
          paymentId: input.paymentId,
          at: input.paidAt,
        },
      });
    }
    if (input.reference) {
      // The reference document's _id makes a second use of the same slip fail inside this transaction.
      await t.collection('payment_refs').add({
        data: {
          _id: `${input.communityId}:${input.channel}:${input.reference}`,
          paymentId: input.paymentId,
        },
      });
    }
    const roomIds = [
      ...new Set([
        ...allocations.map((a) => a.roomId),
        ...(plan.remainderFen > 0 ? [input.prepaidRoomId] : []),
      ]),
    ];
    const paidDate = shanghaiDate(input.paidAt);
    // Only a day before today can be closed (reconcile.closeDay), so money dated today (the
    // desk's) never lands on a closed day; a late notification or a bank line may.
    const closedDay =
      paidDate < shanghaiDate(now) && (await isClosedDay(t, input.communityId, paidDate));
    const correctionReason = closedDay
      ? (input.correctionReason ??
        (input.channel === 'wechat'
          ? '关账后到达的微信支付（支付通知延迟，已按微信支付结果入账）'
          : '关账后补记的收款'))
      : undefined;
    if (closedDay) {
      await noteCorrection(t, input.communityId, paidDate, {
        at: new Date(),
        kind: 'payment',
        paymentId: input.paymentId,
        receiptNo: number,
        amountFen: input.amountFen,
        reason: correctionReason!,
        by: input.recordedBy,
      });
    }
    if (shift) await joinShift(t, shift, input.paidAt);
    const payment: PaymentDoc = {
      _id: input.paymentId,
      communityId: input.communityId,
      roomIds,
      channel: input.channel,
      amountFen: input.amountFen,
      allocations,
      prepaidFen: plan.remainderFen,
      ...(plan.remainderFen > 0 ? { prepaidRoomId: input.prepaidRoomId } : {}),
      receiptNo: number,
      receiptPending: true,
      paidAt: input.paidAt,
      recordedBy: input.recordedBy,
      ...(input.payerName ? { payerName: input.payerName } : {}),
      ...(input.reference ? { reference: input.reference } : {}),
      ...(input.note ? { note: input.note } : {}),
      ...(input.outTradeNo ? { outTradeNo: input.outTradeNo } : {}),
      ...(input.transactionId ? { transactionId: input.transactionId } : {}),
      ...(closedDay ? { closedDayCorrection: { date: paidDate, reason: correctionReason! } } : {}),
      ...(shift ? { shiftId: shift.id } : {}),
    };
    await t.collection('payments').add({ data: payment });
    if (input.outTradeNo) {
      await t
        .collection('pay_orders')
        .doc(input.outTradeNo)
        .update({ data: { status: 'paid', paymentId: input.paymentId } });
    }
    return { payment, created: true };
  }, 1)) as ApplyResult;
}

export interface WechatPaid {
  outTradeNo: string;
  transactionId: string;
  totalFee: number;
  subMchId: string;
  timeEnd: string;
}

export type WechatApplyOutcome =
  | { kind: 'applied' | 'repeat'; payment: PaymentDoc }
  | { kind: 'unknown-order' }
  | { kind: 'exception'; reason: string };

/** yyyyMMddHHmmss (UTC+8) → Date. */
export function parseTimeEnd(s: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`) : null;
}

/**
 * Applies a WeChat Pay success (from the notification or from queryOrder) after checking it
 * against our own order: it must exist, and amount and sub-merchant must match. A mismatch is
 * recorded for finance and never marks a bill paid.
 */
export async function applyWechatPayment(
  db: Database,
  paid: WechatPaid,
  now: Date,
): Promise<WechatApplyOutcome> {
  let order: PayOrderDoc;
  try {
    order = (await db.collection('pay_orders').doc(paid.outTradeNo).get()).data as PayOrderDoc;
  } catch (e) {
    if (isMissing(e)) return { kind: 'unknown-order' };
    throw e;
  }
  const problems: string[] = [];
  if (paid.totalFee !== order.amountFen)
    problems.push(`金额不符：通知 ${paid.totalFee} 分，订单 ${order.amountFen} 分`);
  if (paid.subMchId !== order.subMchId)
    problems.push(`子商户号不符：通知 ${paid.subMchId}，订单 ${order.subMchId}`);
  if (problems.length) {
    const reason = problems.join('；');
    await recordPayException(db, paid, {
      communityId: order.communityId,
      kind: mismatchKind(paid.totalFee, order.amountFen),
      orderFen: order.amountFen,
      reason,
      at: now,
    });
    if (order.status !== 'paid') {
      await db
        .collection('pay_orders')
        .doc(order._id)
        .update({ data: { status: 'exception' } });
    }
    return { kind: 'exception', reason };
  }
  const result = await applyToOrder(db, order, paid, { recordedBy: 'wechat', now });
  return { kind: result.created ? 'applied' : 'repeat', payment: result.payment };
}

/**
 * Applies what WeChat Pay collected for one of our orders to the order's bills (oldest first;
 * anything beyond them becomes the room's prepaid balance), as payment `wx_<outTradeNo>`. The
 * notification path checks the amount first; reconciliation calls it directly when finance
 * accepts WeChat's amount, with a note and the reason.
 */
export async function applyToOrder(
  db: Database,
  order: PayOrderDoc,
  paid: Omit<WechatPaid, 'outTradeNo' | 'subMchId'>,
  by: { recordedBy: string; now: Date; note?: string; correctionReason?: string },
): Promise<ApplyResult> {
  return applyPayment(db, {
    paymentId: `wx_${order._id}`,
    communityId: order.communityId,
    channel: 'wechat',
    amountFen: paid.totalFee,
    billIds: order.billIds,
    prepaidRoomId: order.roomIds[0]!,
    recordedBy: by.recordedBy,
    paidAt: parseTimeEnd(paid.timeEnd) ?? by.now,
    outTradeNo: order._id,
    transactionId: paid.transactionId,
    ...(by.note ? { note: by.note } : {}),
    ...(by.correctionReason ? { correctionReason: by.correctionReason } : {}),
  });
}
