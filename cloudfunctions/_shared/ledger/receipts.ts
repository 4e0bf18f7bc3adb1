/**
 * Receipt numbers, given right after a payment commits, and the note a closed reconciliation day
 * gets when an entry reaches it afterwards.
 *
 * Numbering: one document per number, `receipt_numbers/<community>:<SJ2026-000123>`, inserted
 * with the paying payment's id (a unique index on `paymentId`: a payment holds one number at
 * most). The next number is the sequence's highest claim + 1; two payments that pick the same
 * number collide on the `_id`, and the loser moves past the highest claim and tries again. No
 * transaction and no shared counter document is involved, so payments of one community never
 * wait for each other's transactions; a number is claimed only for a payment that exists, so
 * none is skipped, and a claimed number is never given to anyone else.
 */
import {
  isPendingReceipt,
  receiptClaimId,
  receiptNo,
  type ReceiptKind,
} from '../../../miniprogram/domain/payment/receipt';
import { shanghaiDate } from '../../../miniprogram/domain/kernel/time';
import {
  fetchAll,
  isDuplicate,
  isMissing,
  withConflictRetry,
  type Database,
  type Transaction,
} from '../db';
import { reconDayId, type PaymentDoc, type ReconDayCorrection } from './types';

interface ClaimDoc {
  _id: string;
  communityId: string;
  kind: ReceiptKind;
  year: number;
  seq: number;
  paymentId: string;
  at: Date;
}

/**
 * Gives a payment its receipt number (if it has none yet) and returns the payment as numbered.
 * `fresh`: the payment was just created by this caller, so no claim for it can exist unless a
 * concurrent repeat made one (the unique `paymentId` index tells).
 */
export async function numberPayment(
  db: Database,
  payment: PaymentDoc,
  fresh = false,
): Promise<PaymentDoc> {
  if (!isPendingReceipt(payment.receiptNo)) return payment;
  const kind: ReceiptKind = payment.reverses ? 'HZ' : 'SJ';
  const year = Number(shanghaiDate(new Date(payment.paidAt)).slice(0, 4));
  const seqOf = { communityId: payment.communityId, kind, year };
  const no =
    (fresh ? null : await claimedBy(db, payment._id)) ?? (await claimNext(db, seqOf, payment._id));
  const _ = db.command;
  if (payment.closedDayCorrection)
    await numberCorrection(
      db,
      payment.communityId,
      payment.closedDayCorrection.date,
      payment._id,
      no,
    );
  await db
    .collection('payments')
    .where({ _id: payment._id, receiptNo: payment.receiptNo })
    .update({ data: { receiptNo: no, receiptPending: _.remove() } });
  const { receiptPending: _pending, ...numbered } = payment as PaymentDoc & {
    receiptPending?: boolean;
  };
  return { ...numbered, receiptNo: no };
}

/** The number a payment already claimed, if any. */
async function claimedBy(db: Database, paymentId: string): Promise<string | null> {
  const res = await db.collection('receipt_numbers').where({ paymentId }).limit(1).get();
  const claim = res.data[0] as ClaimDoc | undefined;
  return claim ? receiptNo(claim.year, claim.seq, claim.kind) : null;
}

async function claimNext(
  db: Database,
  seqOf: { communityId: string; kind: ReceiptKind; year: number },
  paymentId: string,
): Promise<string> {
  const _ = db.command;
  const top = await db
    .collection('receipt_numbers')
    .where(seqOf)
    .orderBy('seq', 'desc')
    .limit(1)
    .get();
  let seq = ((top.data[0] as ClaimDoc | undefined)?.seq ?? 0) + 1;
  for (;;) {
    try {
      await db.collection('receipt_numbers').add({
        data: {
          _id: receiptClaimId(seqOf.communityId, seqOf.year, seq, seqOf.kind),
          ...seqOf,
          seq,
          paymentId,
          at: new Date(),
        } satisfies ClaimDoc,
      });
      return receiptNo(seqOf.year, seq, seqOf.kind);
    } catch (e) {
      if (!isDuplicate(e)) throw e;
      // Taken: by this payment (a concurrent repeat numbered it), or by another payment. Either
      // way the claims from `seq` on say where to go next.
      const since = await fetchAll<ClaimDoc>(
        db.collection('receipt_numbers').where({ ...seqOf, seq: _.gte(seq) }),
      );
      const mine = since.find((c) => c.paymentId === paymentId);
      if (mine) return receiptNo(mine.year, mine.seq, mine.kind);
      const own = await claimedBy(db, paymentId);
      if (own) return own;
      seq = Math.max(seq, ...since.map((c) => c.seq)) + 1;
    }
  }
}

/**
 * Numbers every payment still waiting for its number (an instance that died between the commit
 * and the number): the payment timer runs it, so a pending number lasts minutes at most.
 */
export async function numberPendingPayments(db: Database): Promise<number> {
  const pending = await fetchAll<PaymentDoc>(
    db.collection('payments').where({ receiptPending: true }),
    1000,
  );
  pending.sort((a, b) => new Date(a.paidAt).getTime() - new Date(b.paidAt).getTime());
  for (const p of pending) await numberPayment(db, p);
  return pending.length;
}

/** Whether `date` is a closed day of the community. */
export async function isClosedDay(
  t: Transaction,
  communityId: string,
  date: string,
): Promise<boolean> {
  try {
    const day = (await t.collection('recon_days').doc(reconDayId(communityId, date)).get())
      .data as { status?: string } | null;
    return day?.status === 'closed';
  } catch (e) {
    if (isMissing(e)) return false;
    throw e;
  }
}

/**
 * Lists an entry on a closed day's record (read-modify-write, isolated). The entry names the
 * payment; its receipt number is the payment's (readers take it from there once it is given).
 */
export async function noteCorrection(
  t: Transaction,
  communityId: string,
  date: string,
  entry: ReconDayCorrection,
): Promise<void> {
  const ref = t.collection('recon_days').doc(reconDayId(communityId, date));
  const day = (await ref.get()).data as { corrections?: ReconDayCorrection[] };
  await ref.update({ data: { corrections: [...(day.corrections ?? []), entry] } });
}

/** The closed day's entry for a payment gets the payment's receipt number once it has one. */
async function numberCorrection(
  db: Database,
  communityId: string,
  date: string,
  paymentId: string,
  no: string,
): Promise<void> {
  await withConflictRetry(() =>
    db.runTransaction(async (t) => {
      const ref = t.collection('recon_days').doc(reconDayId(communityId, date));
      const day = (await ref.get()).data as { corrections?: ReconDayCorrection[] };
      const list = day.corrections ?? [];
      if (!list.some((c) => c.paymentId === paymentId && c.receiptNo !== no)) return;
      await ref.update({
        data: {
          corrections: list.map((c) => (c.paymentId === paymentId ? { ...c, receiptNo: no } : c)),
        },
      });
    }, 1),
  );
}
