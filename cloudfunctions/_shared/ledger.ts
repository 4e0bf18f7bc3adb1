/**
 * Applying money to bills, exactly once. Every payment — a WeChat Pay notification, an order
 * confirmed by queryOrder, or a payment the cashier records — goes through `applyPayment`, one
 * database transaction that writes the payment with its allocations, raises the bills' paid
 * amounts, credits any remainder to the room's prepaid balance (预存), takes the next gap-free
 * receipt number and marks the WeChat order paid. A payment's id is deterministic, so a repeat
 * (duplicate notification, retried call) finds it and changes nothing.
 */
import { isDuplicate, isMissing } from './db';
import type { DB } from 'wx-server-sdk';
import { outstandingFen, type BillDoc } from '../../miniprogram/domain/fee/bill';
import { allocateOldestFirst, sortOldestFirst } from '../../miniprogram/domain/kernel/money';
import {
  receiptCounterId,
  receiptNo,
  type PaymentChannel,
  type ReceiptKind,
} from '../../miniprogram/domain/payment/receipt';
import { shanghaiDate } from '../../miniprogram/domain/kernel/time';
import { AppError } from './router';
import type { AllocationView } from '../../miniprogram/domain/payment/contract';

export interface PaymentDoc {
  _id: string;
  communityId: string;
  roomIds: string[];
  channel: PaymentChannel;
  amountFen: number;
  allocations: AllocationView[];
  prepaidFen: number;
  /** Room credited with the remainder, when there is one. */
  prepaidRoomId?: string;
  receiptNo: string;
  paidAt: Date;
  recordedBy: string;
  payerName?: string;
  reference?: string;
  outTradeNo?: string;
  transactionId?: string;
  note?: string;
  /** Set on a red reversal entry: the payment it (partly) reverses. */
  reverses?: string;
  /**
   * Set when the entry reached a day finance had already closed (对账关账): the day and the reason.
   * The day's `recon_days` record lists it too, so a closed day never changes silently.
   */
  closedDayCorrection?: { date: string; reason: string };
}

/** `recon_days/<communityId>:<YYYY-MM-DD>`: a day's reconciliation state (docs/reconciliation.md). */
export function reconDayId(communityId: string, date: string): string {
  return `${communityId}:${date}`;
}

export interface ReconDayCorrection {
  at: Date;
  kind: 'payment' | 'reversal';
  paymentId: string;
  receiptNo: string;
  amountFen: number;
  reason: string;
  by: string;
}

type Txn = Parameters<Parameters<DB.Database['runTransaction']>[0]>[0];

/** Inside a transaction: whether `date` is a closed day of the community. */
async function isClosedDay(t: Txn, communityId: string, date: string): Promise<boolean> {
  try {
    const day = (await t.collection('recon_days').doc(reconDayId(communityId, date)).get())
      .data as { status?: string } | null;
    return day?.status === 'closed';
  } catch (e) {
    if (isMissing(e)) return false;
    throw e;
  }
}

/** Inside a transaction: lists an entry on a closed day's record (read-modify-write, isolated). */
async function noteCorrection(
  t: Txn,
  communityId: string,
  date: string,
  entry: ReconDayCorrection,
): Promise<void> {
  const ref = t.collection('recon_days').doc(reconDayId(communityId, date));
  const day = (await ref.get()).data as { corrections?: ReconDayCorrection[] };
  await ref.update({ data: { corrections: [...(day.corrections ?? []), entry] } });
}

export interface PayOrderDoc {
  _id: string;
  communityId: string;
  openid: string;
  baseKey: string;
  attempt: number;
  billIds: string[];
  roomIds: string[];
  amountFen: number;
  subMchId: string;
  status: 'creating' | 'pending' | 'paid' | 'closed' | 'failed' | 'exception';
  createdAt: Date;
  expireAt: Date;
  payment?: Record<string, unknown>;
  paymentId?: string;
  receiptNo?: string;
  closedAt?: Date;
}

export interface RoomLabelDoc {
  _id: string;
  building: string;
  unit: string;
  number: string;
}

export function roomLabel(room: Pick<RoomLabelDoc, 'building' | 'unit' | 'number'>): string {
  return `${room.building}栋${room.unit}单元${room.number}`;
}

/** Makes sure the receipt counter for the year exists (outside the transaction: idempotent). */
export async function ensureReceiptCounter(
  db: DB.Database,
  communityId: string,
  year: number,
  kind: ReceiptKind = 'SJ',
): Promise<void> {
  const counterId = receiptCounterId(communityId, year, kind);
  try {
    await db.collection('counters').add({ data: { _id: counterId, next: 1, communityId, year } });
  } catch (e) {
    if (!isDuplicate(e)) throw e;
  }
}

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
  /** Refuse when a bill is held by a live WeChat order (the cashier must not double-collect). */
  respectLocks?: boolean;
  /**
   * Why this entry lands on a day already closed by reconciliation. Without it a closed day gets a
   * default reason for the channel (a late WeChat notification is still applied: money is never
   * refused), and the day's record lists the entry.
   */
  correctionReason?: string;
}

export interface ApplyResult {
  payment: PaymentDoc;
  /** False when the payment already existed (a repeat). */
  created: boolean;
}

/** A write conflict between transactions (both the platform code and the message forms). */
export function isConflict(e: unknown): boolean {
  const text = String(
    (e as { errMsg?: string }).errMsg ?? (e as { message?: string }).message ?? e,
  );
  return (
    (e as { code?: string }).code === 'DATABASE_TRANSACTION_CONFLICT' ||
    /WriteConflict|TRANSACTION_CONFLICT/i.test(text)
  );
}

/**
 * Runs a transaction, retrying write conflicts with a jittered backoff. The SDK's own retry only
 * recognises a conflict at commit; one met at a write inside the transaction reaches us wrapped,
 * and busy documents (the receipt counter) need a pause between attempts.
 */
export async function withConflictRetry<T>(work: () => Promise<T>, attempts = 12): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      if (!isConflict(e) || attempt >= attempts) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 40 * attempt));
    }
  }
}

export async function applyPayment(db: DB.Database, input: ApplyInput): Promise<ApplyResult> {
  const year = Number(shanghaiDate(input.paidAt).slice(0, 4));
  await ensureReceiptCounter(db, input.communityId, year);
  return withConflictRetry(() => applyOnce(db, input, year));
}

async function applyOnce(db: DB.Database, input: ApplyInput, year: number): Promise<ApplyResult> {
  const rooms = new Map<string, string>();
  return (await db.runTransaction(async (t) => {
    // A repeat finds the payment and changes nothing.
    try {
      const existing = await t.collection('payments').doc(input.paymentId).get();
      if (existing.data) return { payment: existing.data as PaymentDoc, created: false };
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
    const bills: BillDoc[] = [];
    for (const billId of input.billIds) {
      const res = await t.collection('bills').doc(billId).get();
      const bill = res.data as BillDoc;
      if (bill.communityId !== input.communityId)
        throw new AppError('INVALID_INPUT', `billIds: 账单 ${billId} 不属于该小区`);
      bills.push(bill);
    }
    if (input.respectLocks) {
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
        const room = (await t.collection('rooms').doc(bill.roomId).get()).data as RoomLabelDoc;
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
    for (const a of allocations) {
      const bill = bills.find((b) => b._id === a.billId)!;
      const paidFen = bill.paidFen + a.amountFen;
      const status = paidFen >= bill.amountDueFen + bill.lateFeeFen ? 'paid' : 'partial';
      await t.collection('bills').doc(bill._id).update({ data: { paidFen, status } });
    }
    const counterId = receiptCounterId(input.communityId, year);
    const counter = (await t.collection('counters').doc(counterId).get()).data as { next: number };
    await t
      .collection('counters')
      .doc(counterId)
      .update({ data: { next: counter.next + 1 } });
    const number = receiptNo(year, counter.next);
    if (plan.remainderFen > 0) {
      let balance = 0;
      try {
        balance = (
          (await t.collection('prepaid_accounts').doc(input.prepaidRoomId).get()).data as {
            balanceFen: number;
          }
        ).balanceFen;
        await t
          .collection('prepaid_accounts')
          .doc(input.prepaidRoomId)
          .update({ data: { balanceFen: balance + plan.remainderFen } });
      } catch (e) {
        if (!isMissing(e)) throw e;
        await t.collection('prepaid_accounts').add({
          data: {
            _id: input.prepaidRoomId,
            communityId: input.communityId,
            balanceFen: plan.remainderFen,
          },
        });
      }
      await t.collection('prepaid_entries').add({
        data: {
          _id: `${input.paymentId}:prepaid`,
          communityId: input.communityId,
          roomId: input.prepaidRoomId,
          amountFen: plan.remainderFen,
          balanceAfterFen: balance + plan.remainderFen,
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
    const closedDay = await isClosedDay(t, input.communityId, paidDate);
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
      paidAt: input.paidAt,
      recordedBy: input.recordedBy,
      ...(input.payerName ? { payerName: input.payerName } : {}),
      ...(input.reference ? { reference: input.reference } : {}),
      ...(input.note ? { note: input.note } : {}),
      ...(input.outTradeNo ? { outTradeNo: input.outTradeNo } : {}),
      ...(input.transactionId ? { transactionId: input.transactionId } : {}),
      ...(closedDay ? { closedDayCorrection: { date: paidDate, reason: correctionReason! } } : {}),
    };
    await t.collection('payments').add({ data: payment });
    if (input.outTradeNo) {
      await t
        .collection('pay_orders')
        .doc(input.outTradeNo)
        .update({
          data: { status: 'paid', paymentId: input.paymentId, receiptNo: number },
        });
      for (const billId of input.billIds) {
        try {
          const lock = await t.collection('bill_locks').doc(billId).get();
          if ((lock.data as { outTradeNo?: string }).outTradeNo === input.outTradeNo) {
            await t.collection('bill_locks').doc(billId).remove();
          }
        } catch (e) {
          if (!isMissing(e)) throw e;
        }
      }
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
  db: DB.Database,
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
    try {
      await db.collection('pay_exceptions').add({
        data: {
          _id: `${paid.outTradeNo}:${paid.transactionId}`,
          communityId: order.communityId,
          outTradeNo: paid.outTradeNo,
          transactionId: paid.transactionId,
          notifiedFen: paid.totalFee,
          orderFen: order.amountFen,
          reason,
          status: 'open',
          at: now,
        },
      });
    } catch (e) {
      if (!isDuplicate(e)) throw e;
    }
    if (order.status !== 'paid') {
      await db
        .collection('pay_orders')
        .doc(order._id)
        .update({ data: { status: 'exception' } });
    }
    return { kind: 'exception', reason };
  }
  const result = await applyPayment(db, {
    paymentId: `wx_${paid.outTradeNo}`,
    communityId: order.communityId,
    channel: 'wechat',
    amountFen: paid.totalFee,
    billIds: order.billIds,
    prepaidRoomId: order.roomIds[0]!,
    recordedBy: 'wechat',
    paidAt: parseTimeEnd(paid.timeEnd) ?? now,
    outTradeNo: paid.outTradeNo,
    transactionId: paid.transactionId,
  });
  return { kind: result.created ? 'applied' : 'repeat', payment: result.payment };
}

/**
 * Reverses part or all of a payment (冲红) with new entries, never editing the original: a red
 * reversal payment with negative allocations (and a negative prepaid entry), taken first from
 * what the payment put into prepaid balance (while the balance still holds it), then from its
 * bills newest first; those bills reopen. Idempotent by the reversal id.
 */
export async function reversePayment(
  db: DB.Database,
  input: {
    reversalId: string;
    paymentId: string;
    amountFen: number;
    at: Date;
    by: string;
    reason: string;
  },
): Promise<PaymentDoc> {
  const original = (await db.collection('payments').doc(input.paymentId).get()).data as PaymentDoc;
  const year = Number(shanghaiDate(input.at).slice(0, 4));
  await ensureReceiptCounter(db, original.communityId, year, 'HZ');
  return withConflictRetry(
    async () =>
      (await db.runTransaction(async (t) => {
        try {
          const existing = await t.collection('payments').doc(input.reversalId).get();
          if (existing.data) return existing.data as PaymentDoc;
        } catch (e) {
          if (!isMissing(e)) throw e;
        }
        let left = input.amountFen;
        let fromPrepaid = 0;
        if (original.prepaidFen > 0 && original.prepaidRoomId) {
          try {
            const acct = (await t.collection('prepaid_accounts').doc(original.prepaidRoomId).get())
              .data as { balanceFen: number };
            fromPrepaid = Math.min(left, original.prepaidFen, acct.balanceFen);
            if (fromPrepaid > 0) {
              await t
                .collection('prepaid_accounts')
                .doc(original.prepaidRoomId)
                .update({ data: { balanceFen: acct.balanceFen - fromPrepaid } });
              await t.collection('prepaid_entries').add({
                data: {
                  _id: `${input.reversalId}:prepaid`,
                  communityId: original.communityId,
                  roomId: original.prepaidRoomId,
                  amountFen: -fromPrepaid,
                  balanceAfterFen: acct.balanceFen - fromPrepaid,
                  reason: `退款冲红：${input.reason}`,
                  paymentId: input.reversalId,
                  at: input.at,
                },
              });
              left -= fromPrepaid;
            }
          } catch (e) {
            if (!isMissing(e)) throw e;
          }
        }
        const allocations: AllocationView[] = [];
        for (const a of [...original.allocations].reverse()) {
          if (left <= 0) break;
          const bill = (await t.collection('bills').doc(a.billId).get()).data as BillDoc;
          const take = Math.min(left, a.amountFen, bill.paidFen);
          if (take <= 0) continue;
          const paidFen = bill.paidFen - take;
          await t
            .collection('bills')
            .doc(a.billId)
            .update({ data: { paidFen, status: paidFen === 0 ? 'unpaid' : 'partial' } });
          allocations.push({ ...a, amountFen: -take });
          left -= take;
        }
        if (left > 0) {
          throw new AppError(
            'CONFLICT',
            '该笔收款已转入预存的部分已被使用，无法全部冲红，请减少退款金额或先调整预存',
          );
        }
        const counterId = receiptCounterId(original.communityId, year, 'HZ');
        const counter = (await t.collection('counters').doc(counterId).get()).data as {
          next: number;
        };
        await t
          .collection('counters')
          .doc(counterId)
          .update({ data: { next: counter.next + 1 } });
        // A reversal of money from a closed day is itself dated today, but it changes what that
        // day's entries mean: list it on the day's record with its reason.
        const originalDate = shanghaiDate(new Date(original.paidAt));
        const closedDay = await isClosedDay(t, original.communityId, originalDate);
        if (closedDay) {
          await noteCorrection(t, original.communityId, originalDate, {
            at: input.at,
            kind: 'reversal',
            paymentId: input.reversalId,
            receiptNo: receiptNo(year, counter.next, 'HZ'),
            amountFen: -input.amountFen,
            reason: input.reason,
            by: input.by,
          });
        }
        const reversal: PaymentDoc = {
          _id: input.reversalId,
          communityId: original.communityId,
          roomIds: original.roomIds,
          channel: original.channel,
          amountFen: -input.amountFen,
          allocations,
          prepaidFen: -fromPrepaid,
          ...(fromPrepaid > 0 && original.prepaidRoomId
            ? { prepaidRoomId: original.prepaidRoomId }
            : {}),
          receiptNo: receiptNo(year, counter.next, 'HZ'),
          paidAt: input.at,
          recordedBy: input.by,
          reverses: original._id,
          note: input.reason,
          ...(closedDay
            ? { closedDayCorrection: { date: originalDate, reason: input.reason } }
            : {}),
        };
        await t.collection('payments').add({ data: reversal });
        return reversal;
      }, 1)) as PaymentDoc,
  );
}
