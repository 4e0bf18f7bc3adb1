/**
 * Prepaid balances (预存). A room's balance is its account's stored `balanceFen` plus its pending
 * entries.
 *
 * Why pending entries: the billing run pays bills from thousands of balances at once, each by a
 * different amount, and CloudBase cannot move different amounts on many documents in one request.
 * So the run writes only the entries (`pa_<billId>`, negative, inserted 500 a request) marked
 * `pending: true`, and leaves the accounts as they were (issue 16: the run's requests no longer
 * grow with the number of prepaid rooms). The next transaction that moves the room's prepaid money
 * (a payment's remainder credited, a reversal taking it back) folds them in: the stored balance
 * takes their sum and each becomes `pending: false`, so the pending entries of a room stay few.
 *
 * Everyone who shows or uses a balance asks here (`prepaidBalances`, `readPrepaid`); the ledger
 * checker holds the stored balance to the entries that are not pending.
 */
import { isMissing, type Database } from '../db';
import { fetchWhere } from '../paging';

type Transaction = Parameters<Parameters<Database['runTransaction']>[0]>[0];

export interface PrepaidAccountDoc {
  _id: string;
  communityId: string;
  /** The balance without the pending entries. */
  balanceFen: number;
}

export interface PrepaidEntryDoc {
  _id: string;
  communityId: string;
  roomId: string;
  amountFen: number;
  /** The room's whole balance (pending entries included) after this entry. */
  balanceAfterFen: number;
  reason: string;
  at: Date;
  /** A billing run's payment of a bill from the balance. */
  billId?: string;
  runId?: string;
  /** Money a payment put in (its remainder) or a reversal took back. */
  paymentId?: string;
  /** Not yet in the account's stored balance (a billing run's entry, until a transaction folds it). */
  pending?: boolean;
}

/** Adds each pending entry's amount to its room's stored balance. */
function withPending(
  stored: ReadonlyMap<string, number>,
  pending: readonly Pick<PrepaidEntryDoc, 'roomId' | 'amountFen'>[],
): Map<string, number> {
  const out = new Map(stored);
  for (const e of pending) out.set(e.roomId, (out.get(e.roomId) ?? 0) + e.amountFen);
  return out;
}

/**
 * The balances of the community's rooms whose `_id` lies in [`from`, `to`] (a billing run's
 * chunk, or one room), pending entries included: two requests whatever the number of rooms.
 * Rooms without an account are absent. `runId`: that billing run's entries come back too, pending
 * or not (a repeat of the run reuses them).
 *
 * The entries are read before the accounts: a transaction folding entries in between makes the
 * balance read too low (its entries counted twice), never too high, so a run never pays from
 * money that is not there. (Room ids are hashes: a range interleaves communities, hence the
 * community condition on both reads.)
 */
export async function prepaidBalances(
  db: Database,
  range: { communityId: string; from: string; to: string },
  opts: { runId?: string } = {},
): Promise<{ balances: Map<string, number>; entries: PrepaidEntryDoc[] }> {
  const _ = db.command;
  const ids = _.gte(range.from).and(_.lte(range.to));
  const where = { communityId: range.communityId, roomId: ids };
  const entries = await fetchWhere<PrepaidEntryDoc>(
    { db },
    'prepaid_entries',
    (opts.runId
      ? _.and([where, _.or([{ pending: true }, { runId: opts.runId }])])
      : { ...where, pending: true }) as Record<string, unknown>,
  );
  const stored = await fetchWhere<PrepaidAccountDoc>(
    { db },
    'prepaid_accounts',
    { communityId: range.communityId, _id: ids },
    { _id: true, balanceFen: true },
  );
  const balances = new Map(stored.map((a) => [a._id, a.balanceFen]));
  const pending = entries.filter((e) => e.pending === true && balances.has(e.roomId));
  return { balances: withPending(balances, pending), entries };
}

/** One room's balance, pending entries included (0 without an account). */
export async function prepaidBalance(
  db: Database,
  communityId: string,
  roomId: string,
): Promise<number> {
  const { balances } = await prepaidBalances(db, { communityId, from: roomId, to: roomId });
  return balances.get(roomId) ?? 0;
}

/** A room's account as a transaction sees it, with the pending entries it will fold in. */
export interface PrepaidHold {
  roomId: string;
  communityId: string;
  exists: boolean;
  /** The whole balance: stored plus the pending entries still pending in this transaction. */
  balanceFen: number;
  folding: string[];
}

/**
 * Reads a room's account in `t`, then its pending entries. A transaction reads documents only by
 * id, so the entries are found by a query made after the transaction's first read (its snapshot),
 * then each is read in `t`: an entry a billing run inserted before the snapshot is found by both
 * and folded in; one inserted after it is not in the snapshot and stays pending, counted beside
 * the stored balance. Either way nothing is missed or counted twice, and no lock is needed.
 */
export async function readPrepaid(
  t: Transaction,
  db: Database,
  communityId: string,
  roomId: string,
): Promise<PrepaidHold> {
  let stored: number | null = null;
  try {
    stored = ((await t.collection('prepaid_accounts').doc(roomId).get()).data as PrepaidAccountDoc)
      .balanceFen;
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
  const found = await db
    .collection('prepaid_entries')
    .where({ communityId, roomId, pending: true })
    .field({ _id: true })
    .limit(1000)
    .get();
  let pending = 0;
  const folding: string[] = [];
  for (const { _id } of found.data as { _id: string }[]) {
    let entry: PrepaidEntryDoc;
    try {
      entry = (await t.collection('prepaid_entries').doc(_id).get()).data as PrepaidEntryDoc;
    } catch (e) {
      // inserted after this transaction's snapshot: it stays pending
      if (isMissing(e)) continue;
      throw e;
    }
    // Folded meanwhile by another transaction: already in the stored balance.
    if (entry.pending !== true) continue;
    pending += entry.amountFen;
    folding.push(_id);
  }
  return {
    roomId,
    communityId,
    exists: stored !== null,
    balanceFen: (stored ?? 0) + pending,
    folding,
  };
}

/**
 * Moves the balance by `deltaFen` in `t` and folds the pending entries read with it; returns the
 * balance after. The caller writes the entry that says why.
 */
export async function movePrepaid(
  t: Transaction,
  hold: PrepaidHold,
  deltaFen: number,
  at: Date,
): Promise<number> {
  const after = hold.balanceFen + deltaFen;
  for (const id of hold.folding) {
    await t
      .collection('prepaid_entries')
      .doc(id)
      .update({ data: { pending: false } });
  }
  if (hold.exists) {
    await t
      .collection('prepaid_accounts')
      .doc(hold.roomId)
      .update({ data: { balanceFen: after, updatedAt: at } });
  } else {
    await t.collection('prepaid_accounts').add({
      data: { _id: hold.roomId, communityId: hold.communityId, balanceFen: after, updatedAt: at },
    });
  }
  return after;
}
