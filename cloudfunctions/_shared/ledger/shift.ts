/**
 * The cashier's shift (交班日结) on the ledger's side: every desk payment, and the red reversal of
 * one, joins its cashier's open shift inside the transaction that writes it. Joining writes the
 * shift document (its entry count), so it conflicts with a close of the same shift: an entry
 * either lands before the close and is counted, or finds the shift closed and goes to the
 * cashier's next one. A closed shift never changes; a reversal of one of its receipts lands in
 * the current shift marked as a correction of it (as a closed reconciliation day lists them).
 */
import { isDuplicate, isMissing, type Database, type Transaction } from '../db';

export interface ShiftDoc {
  _id: string;
  communityId: string;
  cashier: string;
  no: number;
  status: 'open' | 'closed' | 'confirmed';
  openedAt: Date;
  /** Entries joined so far (the close checks it did count them all). */
  entries: number;
  lastEntryAt?: Date;
  closedAt?: Date;
  declaredCashFen?: number;
  expectedCashFen?: number;
  differenceFen?: number;
  note?: string;
  confirmedBy?: string;
  confirmedAt?: Date;
  confirmNote?: string;
}

export interface ShiftRef {
  id: string;
  communityId: string;
  cashier: string;
  no: number;
}

/** `cashier_shifts/<communityId>:<cashier openid>:<n>`: the cashier's n-th shift there. */
export function shiftId(communityId: string, cashier: string, no: number): string {
  return `${communityId}:${cashier}:${no}`;
}

/** The cashier's latest shift document, if any. */
export async function latestShift(
  db: Database,
  communityId: string,
  cashier: string,
): Promise<ShiftDoc | null> {
  const res = await db
    .collection('cashier_shifts')
    .where({ communityId, cashier })
    .orderBy('no', 'desc')
    .limit(1)
    .get();
  return (res.data[0] as ShiftDoc | undefined) ?? null;
}

/** The shift the cashier's next entry joins: the open one, else the one after the last. */
export async function currentShift(
  db: Database,
  communityId: string,
  cashier: string,
): Promise<ShiftRef> {
  const last = await latestShift(db, communityId, cashier);
  const no = !last ? 1 : last.status === 'open' ? last.no : last.no + 1;
  return { id: shiftId(communityId, cashier, no), communityId, cashier, no };
}

/** The shift was closed between choosing it and the transaction: choose again. */
export class ShiftMovedError extends Error {
  constructor(readonly shift: string) {
    super(`shift ${shift} closed meanwhile`);
  }
}

/** Inside the entry's transaction: the shift is open (or is opened now) and counts the entry. */
export async function joinShift(t: Transaction, ref: ShiftRef, at: Date): Promise<void> {
  const doc = t.collection('cashier_shifts').doc(ref.id);
  let shift: ShiftDoc | null = null;
  try {
    shift = (await doc.get()).data as ShiftDoc | null;
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
  if (!shift) {
    const opened: ShiftDoc = {
      _id: ref.id,
      communityId: ref.communityId,
      cashier: ref.cashier,
      no: ref.no,
      status: 'open',
      openedAt: at,
      entries: 1,
      lastEntryAt: at,
    };
    try {
      await t.collection('cashier_shifts').add({ data: opened });
    } catch (e) {
      // Another entry opened it first: choose again (it is open now).
      if (isDuplicate(e)) throw new ShiftMovedError(ref.id);
      throw e;
    }
    return;
  }
  if (shift.status !== 'open') throw new ShiftMovedError(ref.id);
  await doc.update({ data: { entries: shift.entries + 1, lastEntryAt: at } });
}

/** Runs `work` with the cashier's current shift, choosing again if it closed meanwhile. */
export async function inCurrentShift<T>(
  db: Database,
  communityId: string,
  cashier: string,
  work: (shift: ShiftRef) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const shift = await currentShift(db, communityId, cashier);
    try {
      return await work(shift);
    } catch (e) {
      if (!(e instanceof ShiftMovedError) || attempt >= 5) throw e;
    }
  }
}
