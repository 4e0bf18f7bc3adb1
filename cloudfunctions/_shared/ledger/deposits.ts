/**
 * Deposits (押金): the only code that moves a deposit's state and writes its ledger entries
 * (docs/charges.md). A deposit is a liability: collected money is held, never a bill, a payment
 * or income, and leaves only by its release (refunded plus deducted) with a red receipt.
 *
 * Exactly-once by construction, as with bills:
 * - a deposit has at most one collection entry (`dc_<id>`) and one release entry (`dr_<id>`),
 *   each written in the transaction that re-reads the deposit and moves its status, so two
 *   collections (desk and desk, desk and WeChat) or two refunds cannot both commit;
 * - an owner's live WeChat order claims the deposit (`payHold`, written in the transaction that
 *   checks it is still requested): the desk waits for it to be paid or lapse;
 * - a refund is claimed first (held → awaiting-ack / refunding, one conditional write wins); the
 *   WeChat refund number is the deposit's own (`dr…`), so a retry never refunds twice.
 * Receipt numbers (YJ: 押金收据, YH: 红字收据) are given right after the commit as for payments.
 * Money taken or paid back at the desk joins the cashier's shift (交班日结) inside the same
 * transaction, as desk payments do (`shift.ts`).
 */
import type { Deduction } from '../../../miniprogram/domain/charge/rules';
import { refundPlan } from '../../../miniprogram/domain/charge/rules';
import type { PaymentChannel } from '../../../miniprogram/domain/payment/channels';
import { pendingReceiptNo } from '../../../miniprogram/domain/payment/receipt';
import { shanghaiDate } from '../../../miniprogram/domain/kernel/time';
import { fetchAll, isMissing, withConflictRetry, type Database } from '../db';
import { AppError } from '../router';
import { parseTimeEnd, type WechatPaid } from './apply';
import { mismatchKind, recordPayException } from './exceptions';
import { numberIn, type Sequence } from './receipts';
import { inCurrentShift, joinShift, type ShiftRef } from './shift';
import type { DepositDoc, DepositEntryDoc, DepositOrderDoc, DepositRefund } from './types';

/** Deposit orders' numbers start with this (`payNotify` routes them here). */
export const DEPOSIT_ORDER_PREFIX = 'DP';

export const collectEntryId = (depositId: string): string => `dc_${depositId}`;
export const releaseEntryId = (depositId: string): string => `dr_${depositId}`;

function sequenceOfEntry(entry: Pick<DepositEntryDoc, 'communityId' | 'kind' | 'at'>): Sequence {
  return {
    communityId: entry.communityId,
    kind: entry.kind === 'collect' ? 'YJ' : 'YH',
    year: Number(shanghaiDate(new Date(entry.at)).slice(0, 4)),
  };
}

/** Gives an entry its receipt number (if it has none yet); returns the entry as numbered. */
export async function numberDepositEntry(
  db: Database,
  entry: DepositEntryDoc,
): Promise<DepositEntryDoc> {
  const receiptNo = await numberIn(db, 'deposit_entries', entry, sequenceOfEntry(entry));
  const { receiptPending: _pending, ...numbered } = entry;
  return { ...numbered, receiptNo };
}

/** Numbers every entry an instance left without its number (the payment timer runs it). */
export async function numberPendingDepositEntries(db: Database): Promise<number> {
  const pending = await fetchAll<DepositEntryDoc>(
    db.collection('deposit_entries').where({ receiptPending: true }),
    1000,
  );
  pending.sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
  for (const e of pending) await numberDepositEntry(db, e);
  return pending.length;
}

export interface DepositCollection {
  depositId: string;
  channel: PaymentChannel;
  at: Date;
  by: string;
  reference?: string;
  payerName?: string;
  /** WeChat: the deposit order paid and WeChat's transaction. */
  outTradeNo?: string;
  transactionId?: string;
  /** Taken at the desk by a cashier: it joins this cashier's open shift (交班日结). */
  shiftOf?: { communityId: string; cashier: string };
}

/**
 * Collects a requested deposit: the `dc_` entry and the deposit's move to held in one
 * transaction (which also joins the cashier's shift, for the desk). A repeat of the same WeChat
 * order returns the entry; anything else meeting a deposit no longer requested is CONFLICT, as is
 * the desk meeting an owner's live order.
 */
export async function collectDeposit(
  db: Database,
  c: DepositCollection,
): Promise<{ entry: DepositEntryDoc; created: boolean }> {
  const entryId = collectEntryId(c.depositId);
  const desk = c.shiftOf;
  const created = desk
    ? await inCurrentShift(db, desk.communityId, desk.cashier, (shift) => collectOnce(db, c, shift))
    : await collectOnce(db, c);
  const entry = (await db.collection('deposit_entries').doc(entryId).get()).data as DepositEntryDoc;
  return { entry: await numberDepositEntry(db, entry), created };
}

async function collectOnce(db: Database, c: DepositCollection, shift?: ShiftRef) {
  const entryId = collectEntryId(c.depositId);
  return withConflictRetry(() =>
    db.runTransaction(async (t) => {
      const dep = (await t.collection('deposits').doc(c.depositId).get()).data as DepositDoc;
      if (dep.status !== 'requested') {
        if (c.outTradeNo && dep.collected?.outTradeNo === c.outTradeNo) return false;
        throw new AppError('CONFLICT', '该押金已经收取过，不能重复收取，请刷新后查看');
      }
      const hold = dep.payHold;
      if (hold && hold.outTradeNo !== c.outTradeNo && new Date(hold.expireAt) > c.at)
        throw new AppError(
          'CONFLICT',
          '业主正在通过微信支付缴纳该押金，请等待其完成（订单 30 分钟内有效）后再刷新查看',
        );
      const entry: DepositEntryDoc = {
        _id: entryId,
        communityId: dep.communityId,
        depositId: dep._id,
        roomId: dep.roomId,
        kind: 'collect',
        amountFen: dep.amountFen,
        channel: c.channel,
        ...(c.reference ? { reference: c.reference } : {}),
        ...(c.payerName ? { payerName: c.payerName } : {}),
        ...(c.outTradeNo ? { outTradeNo: c.outTradeNo } : {}),
        ...(c.transactionId ? { transactionId: c.transactionId } : {}),
        receiptNo: pendingReceiptNo(entryId),
        receiptPending: true,
        at: c.at,
        by: c.by,
        ...(shift ? { shiftId: shift.id } : {}),
      };
      if (shift) await joinShift(t, shift, c.at);
      await t.collection('deposit_entries').add({ data: entry });
      await t
        .collection('deposits')
        .doc(dep._id)
        .update({
          data: {
            status: 'held',
            heldFen: dep.amountFen,
            payHold: null,
            collected: {
              entryId,
              channel: c.channel,
              at: c.at,
              ...(c.outTradeNo ? { outTradeNo: c.outTradeNo } : {}),
            },
          },
        });
      return true;
    }),
  );
}

/**
 * Claims a requested deposit for an owner's WeChat order and writes the order, in one
 * transaction (before WeChat Pay hears of it, so a notification always finds the order).
 * Refuses when the deposit was collected meanwhile or another order of it is live.
 */
export async function claimDepositForOrder(db: Database, order: DepositOrderDoc): Promise<void> {
  await withConflictRetry(() =>
    db.runTransaction(async (t) => {
      const dep = (await t.collection('deposits').doc(order.depositId).get()).data as DepositDoc;
      if (dep.status !== 'requested')
        throw new AppError('CONFLICT', '该押金已经缴纳，无需再付，请刷新后查看');
      if (dep.payHold && new Date(dep.payHold.expireAt) > order.createdAt)
        throw new AppError('CONFLICT', '该押金有一笔待支付的订单，请完成该笔支付或稍后再试');
      await t.collection('deposit_orders').add({ data: order });
      await t
        .collection('deposits')
        .doc(dep._id)
        .update({
          data: {
            payHold: { outTradeNo: order._id, expireAt: order.expireAt },
            orderAttempts: (dep.orderAttempts ?? 0) + 1,
          },
        });
    }),
  );
}

/**
 * Ends an order's claim — unifiedOrder failed, or the desk closed the order at WeChat Pay — and
 * marks the order so; a claim of another order is left alone.
 */
export async function releaseDepositHold(
  db: Database,
  depositId: string,
  outTradeNo: string,
  status: 'failed' | 'closed' = 'failed',
): Promise<void> {
  await db
    .collection('deposits')
    .where({ _id: depositId, 'payHold.outTradeNo': outTradeNo })
    .update({ data: { payHold: null } });
  await db.collection('deposit_orders').doc(outTradeNo).update({ data: { status } });
}

export type DepositPaidOutcome =
  | { kind: 'applied' | 'repeat'; entry: DepositEntryDoc }
  | { kind: 'unknown-order' }
  | { kind: 'exception'; reason: string };

/**
 * A WeChat Pay notification for a deposit order: checked against the order, then collected once.
 * Money that does not match the order, or arrives for a deposit the desk already took, goes to
 * finance's exceptions desk (kind `deposit`) to be refunded.
 */
export async function applyDepositWechat(
  db: Database,
  paid: WechatPaid,
  now: Date,
): Promise<DepositPaidOutcome> {
  let order: DepositOrderDoc;
  try {
    order = (await db.collection('deposit_orders').doc(paid.outTradeNo).get())
      .data as DepositOrderDoc;
  } catch (e) {
    if (isMissing(e)) return { kind: 'unknown-order' };
    throw e;
  }
  const exception = async (reason: string): Promise<DepositPaidOutcome> => {
    await recordPayException(db, paid, {
      communityId: order.communityId,
      kind: 'deposit',
      orderFen: order.amountFen,
      reason,
      at: now,
    });
    return { kind: 'exception', reason };
  };
  if (paid.totalFee !== order.amountFen || paid.subMchId !== order.subMchId)
    return exception(
      `押金订单${mismatchKind(paid.totalFee, order.amountFen) === 'merchant-mismatch' ? '子商户号' : '金额'}不符：通知 ${paid.totalFee} 分，订单 ${order.amountFen} 分`,
    );
  try {
    const { entry, created } = await collectDeposit(db, {
      depositId: order.depositId,
      channel: 'wechat',
      at: parseTimeEnd(paid.timeEnd) ?? now,
      by: order.openid,
      outTradeNo: order._id,
      transactionId: paid.transactionId,
    });
    await db
      .collection('deposit_orders')
      .doc(order._id)
      .update({ data: { status: 'paid' } });
    return { kind: created ? 'applied' : 'repeat', entry };
  } catch (e) {
    if (e instanceof AppError && e.code === 'CONFLICT')
      return exception(`押金已在前台收取，微信支付又收到 ${paid.totalFee} 分，请原路退款`);
    throw e;
  }
}

/**
 * Claims a held deposit's refund: finance's plan (deductions, channel) is written as the deposit
 * leaves `held` — to `awaiting-ack` when there are deductions (the owner agrees first), else to
 * `refunding`. One conditional write: of two refunds of one deposit only one is claimed.
 */
export async function claimDepositRefund(
  db: Database,
  dep: DepositDoc,
  plan: { deductions: Deduction[]; channel: PaymentChannel; reference?: string; by: string },
  at: Date,
): Promise<DepositDoc> {
  const split = refundPlan(dep.heldFen, plan.deductions);
  if (!split)
    throw new AppError('INVALID_INPUT', `deductions: 扣款合计不能超过押金 ${dep.heldFen} 分`);
  const refund: DepositRefund = {
    deductions: plan.deductions,
    ...split,
    channel: plan.channel,
    ...(plan.reference ? { reference: plan.reference } : {}),
    requestedBy: plan.by,
    requestedAt: at,
    ...(plan.channel === 'wechat' ? { outRefundNo: releaseEntryId(dep._id) } : {}),
  };
  const status = split.deductedFen > 0 ? 'awaiting-ack' : 'refunding';
  const res = await db
    .collection('deposits')
    .where({ _id: dep._id, status: 'held' })
    .update({ data: { status, refund } });
  if (Number(res.stats.updated) !== 1)
    throw new AppError('CONFLICT', '该押金已在退还中或已退还，不能重复退还，请刷新后查看');
  return { ...dep, status, refund };
}

/** The owner agrees to the deductions: `awaiting-ack` → `refunding`, once. */
export async function acknowledgeDeduction(
  db: Database,
  dep: DepositDoc,
  by: string,
  at: Date,
): Promise<DepositDoc> {
  const res = await db
    .collection('deposits')
    .where({ _id: dep._id, status: 'awaiting-ack' })
    .update({
      data: { status: 'refunding', 'refund.acknowledgedAt': at, 'refund.acknowledgedBy': by },
    });
  if (Number(res.stats.updated) !== 1)
    throw new AppError('CONFLICT', '该押金的扣款已确认过或已退还，请刷新后查看');
  return {
    ...dep,
    status: 'refunding',
    refund: { ...dep.refund!, acknowledgedAt: at, acknowledgedBy: by },
  };
}

/** Notes why WeChat Pay refused the refund; the deposit stays `refunding` for a retry. */
export async function noteDepositRefundFailure(
  db: Database,
  depositId: string,
  failure: string,
): Promise<void> {
  await db
    .collection('deposits')
    .where({ _id: depositId, status: 'refunding' })
    .update({ data: { 'refund.failure': failure } });
}

/**
 * Releases a refunding deposit once the money is back with the owner (or recorded as handed
 * back): the `dr_` entry (−held: refunded + deducted; the red receipt) and the deposit's move to
 * refunded, in one transaction. A repeat returns the entry. A deposit taken at the desk and paid
 * back by a desk channel (not WeChat) joins the collecting cashier's current shift — its own
 * while open, else the one after, marked as a correction of the closed one (as a red reversal
 * of a desk payment does): the money leaves that cashier's drawer.
 */
export async function releaseDeposit(
  db: Database,
  depositId: string,
  by: string,
  at: Date,
): Promise<DepositEntryDoc> {
  const entryId = releaseEntryId(depositId);
  const collection = await deskCollection(db, depositId);
  if (collection?.shiftId)
    await inCurrentShift(db, collection.communityId, collection.by, (shift) =>
      releaseOnce(db, depositId, by, at, shift, collection.shiftId),
    );
  else await releaseOnce(db, depositId, by, at);
  const entry = (await db.collection('deposit_entries').doc(entryId).get()).data as DepositEntryDoc;
  return numberDepositEntry(db, entry);
}

/** The collection entry of a deposit taken at the desk and refunded by a desk channel. */
async function deskCollection(db: Database, depositId: string): Promise<DepositEntryDoc | null> {
  const dep = (await db.collection('deposits').doc(depositId).get()).data as DepositDoc;
  if (dep.status !== 'refunding' || !dep.collected || dep.refund?.channel === 'wechat') return null;
  const res = await db.collection('deposit_entries').doc(dep.collected.entryId).get();
  return (res.data as DepositEntryDoc | null) ?? null;
}

async function releaseOnce(
  db: Database,
  depositId: string,
  by: string,
  at: Date,
  shift?: ShiftRef,
  collectedIn?: string,
): Promise<void> {
  const entryId = releaseEntryId(depositId);
  await withConflictRetry(() =>
    db.runTransaction(async (t) => {
      const dep = (await t.collection('deposits').doc(depositId).get()).data as DepositDoc;
      if (dep.status === 'refunded') return;
      if (dep.status !== 'refunding' || !dep.refund)
        throw new AppError('PRECONDITION_FAILED', '该押金不在退还中');
      const r = dep.refund;
      const entry: DepositEntryDoc = {
        _id: entryId,
        communityId: dep.communityId,
        depositId: dep._id,
        roomId: dep.roomId,
        kind: 'release',
        amountFen: -dep.heldFen,
        refundFen: r.refundFen,
        deductedFen: r.deductedFen,
        deductions: r.deductions,
        channel: r.channel,
        ...(r.reference ? { reference: r.reference } : {}),
        ...(r.outRefundNo ? { outRefundNo: r.outRefundNo } : {}),
        receiptNo: pendingReceiptNo(entryId),
        receiptPending: true,
        at,
        by,
        ...(shift ? { shiftId: shift.id } : {}),
        ...(shift && collectedIn && shift.id !== collectedIn
          ? { shiftCorrectionOf: collectedIn }
          : {}),
      };
      if (shift) await joinShift(t, shift, at);
      await t.collection('deposit_entries').add({ data: entry });
      await t
        .collection('deposits')
        .doc(depositId)
        .update({
          data: { status: 'refunded', heldFen: 0, released: { entryId, at }, 'refund.failure': '' },
        });
    }),
  );
}
