/**
 * Inside the ledger's transactions: the next gap-free receipt number of a sequence, and the note
 * a closed reconciliation day gets when an entry reaches it afterwards.
 */
import {
  receiptCounterId,
  receiptNo,
  type ReceiptKind,
} from '../../../miniprogram/domain/payment/receipt';
import { isDuplicate, isMissing, type Database, type Transaction } from '../db';
import { reconDayId, type ReconDayCorrection } from './types';

/** Makes sure the receipt counter for the year exists (outside the transaction: idempotent). */
export async function ensureReceiptCounter(
  db: Database,
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

/** Takes the next number of the sequence (read-modify-write, isolated by the transaction). */
export async function takeReceiptNo(
  t: Transaction,
  communityId: string,
  year: number,
  kind: ReceiptKind = 'SJ',
): Promise<string> {
  const counterId = receiptCounterId(communityId, year, kind);
  const counter = (await t.collection('counters').doc(counterId).get()).data as { next: number };
  await t
    .collection('counters')
    .doc(counterId)
    .update({ data: { next: counter.next + 1 } });
  return receiptNo(year, counter.next, kind);
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

/** Lists an entry on a closed day's record (read-modify-write, isolated). */
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
