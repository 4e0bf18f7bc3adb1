/**
 * Receipt numbers, given right after a payment commits, and the note a closed reconciliation day
 * gets when an entry reaches it afterwards.
 *
 * Numbering (docs/payments.md, "Receipt numbers"): a payment is written in its transaction with
 * a placeholder (`pendingReceiptNo`, unique per payment); right after the commit it takes the
 * next number of its sequence (community, SJ/HZ, year) — the highest number the sequence's
 * payments carry + 1 — by writing it on itself, conditional on still carrying the placeholder.
 * The payments' unique index on (community, receipt number) is the arbiter: of two payments
 * that pick the same number one write lands, the other is refused and moves past the new
 * highest. No transaction and no shared counter document is involved, so the payments of a
 * community never wait for each other's transactions; a number is only ever written on a payment
 * that exists (none is skipped) and the index lets only one payment hold it (none is repeated).
 */
import {
  isPendingReceipt,
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

export type Sequence = { communityId: string; kind: ReceiptKind; year: number };

/** The receipt sequence a payment is numbered in: its community, kind and year (Beijing). */
export function sequenceOf(
  payment: Pick<PaymentDoc, 'communityId' | 'reverses' | 'paidAt'>,
): Sequence {
  return {
    communityId: payment.communityId,
    kind: payment.reverses ? 'HZ' : 'SJ',
    year: Number(shanghaiDate(new Date(payment.paidAt)).slice(0, 4)),
  };
}

/** The sequence's highest number given + 1 (numbers are zero-padded, so they sort as text). */
async function nextFree(db: Database, collection: string, seq: Sequence): Promise<number> {
  const top = await db
    .collection(collection)
    .where({
      communityId: seq.communityId,
      receiptNo: db.RegExp({ regexp: `^${seq.kind}${seq.year}-` }),
    })
    .orderBy('receiptNo', 'desc')
    .limit(1)
    .field({ receiptNo: true })
    .get();
  const highest = (top.data[0] as { receiptNo?: string } | undefined)?.receiptNo;
  return highest ? Number(highest.slice(7)) + 1 : 1;
}

/**
 * Gives a document of `collection` (payments, deposit entries) its receipt number in `seq` if it
 * has none yet, and returns the number. Safe to run concurrently for the same document (a
 * repeat): only the first number written stays, and every caller returns it. The collection's
 * unique index on (community, receipt number) decides who holds a number.
 */
export async function numberIn(
  db: Database,
  collection: string,
  doc: { _id: string; receiptNo: string },
  seq: Sequence,
): Promise<string> {
  if (!isPendingReceipt(doc.receiptNo)) return doc.receiptNo;
  const _ = db.command;
  let next = await nextFree(db, collection, seq);
  for (let collisions = 1; ; collisions++) {
    const candidate = receiptNo(seq.year, next, seq.kind);
    try {
      const res = await db
        .collection(collection)
        .where({ _id: doc._id, receiptNo: doc.receiptNo })
        .update({ data: { receiptNo: candidate, receiptPending: _.remove() } });
      if (Number(res.stats.updated) === 1) return candidate;
      // Numbered meanwhile by a concurrent repeat: that number is the document's.
      const now = await db.collection(collection).doc(doc._id).get();
      return (now.data as { receiptNo: string }).receiptNo;
    } catch (e) {
      if (!isDuplicate(e)) throw e;
      // Another document took that number first. Those numbered at the same moment took the
      // ones just after it: try the next, and after a few misses look where the sequence is.
      next =
        collisions % 4 === 0 ? Math.max(next + 1, await nextFree(db, collection, seq)) : next + 1;
    }
  }
}

/**
 * Gives a payment its receipt number (if it has none yet) and returns the payment as numbered.
 * Safe to run concurrently for the same payment (a repeat): only the first number written
 * stays, and every caller returns it.
 */
export async function numberPayment(db: Database, payment: PaymentDoc): Promise<PaymentDoc> {
  if (!isPendingReceipt(payment.receiptNo)) return payment;
  const no = await numberIn(db, 'payments', payment, sequenceOf(payment));
  if (payment.closedDayCorrection)
    await numberCorrection(
      db,
      payment.communityId,
      payment.closedDayCorrection.date,
      payment._id,
      no,
    );
  const { receiptPending: _pending, ...numbered } = payment as PaymentDoc & {
    receiptPending?: boolean;
  };
  return { ...numbered, receiptNo: no };
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
