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
 * The balances of rooms whose `_id` lies in [`from`, `to`] (a contiguous range: a billing run's
 * chunk, or one room), pending entries included: two requests whatever the number of rooms.
 * Rooms without an account are absent. `accounts`: the range's accounts when the caller already
 * read them. `runId`: the entries of that billing run come back too, pending or not (a repeat of
 * the run reuses them).
 */
export async function prepaidBalances(
  db: Database,
  range: { from: string; to: string },
  opts: {
    accounts?: readonly Pick<PrepaidAccountDoc, '_id' | 'balanceFen'>[];
    runId?: string;
  } = {},
): Promise<{ balances: Map<string, number>; entries: PrepaidEntryDoc[] }> {
  const _ = db.command;
  // Room ids are unique across communities, so the range needs no community condition.
  const ids = _.gte(range.from).and(_.lte(range.to));
  const stored =
    opts.accounts ??
    (await fetchWhere<PrepaidAccountDoc>(
      { db },
      'prepaid_accounts',
      { _id: ids },
      {
        _id: true,
        balanceFen: true,
      },
    ));
  const balances = new Map(stored.map((a) => [a._id, a.balanceFen]));
  if (balances.size === 0) return { balances, entries: [] };
  const which = opts.runId ? _.or([{ pending: true }, { runId: opts.runId }]) : null;
  const entries = await fetchWhere<PrepaidEntryDoc>(
    { db },
    'prepaid_entries',
    (which ? _.and([{ roomId: ids }, which]) : { roomId: ids, pending: true }) as Record<
      string,
      unknown
    >,
  );
  const pending = entries.filter((e) => e.pending === true && balances.has(e.roomId));
  return { balances: withPending(balances, pending), entries };
}

/** One room's balance, pending entries included (0 without an account). */
export async function prepaidBalance(db: Database, roomId: string): Promise<number> {
  const { balances } = await prepaidBalances(db, { from: roomId, to: roomId });
  return balances.get(roomId) ?? 0;
}

/**
 * A room's pending entries, read before a transaction that moves its balance (a transaction reads
 * documents only by id). An entry a concurrent run adds after this read stays pending, counted
 * beside the stored balance as before: nothing is lost or counted twice.
 */
export async function pendingPrepaid(db: Database, roomId: string): Promise<string[]> {
  const res = await db
    .collection('prepaid_entries')
    .where({ roomId, pending: true })
    .field({ _id: true })
    .limit(1000)
    .get();
  return (res.data as { _id: string }[]).map((e) => e._id);
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

/** Reads a room's account and its pending entries (`pendingIds`, from `pendingPrepaid`) in `t`. */
export async function readPrepaid(
  t: Transaction,
  communityId: string,
  roomId: string,
  pendingIds: readonly string[],
): Promise<PrepaidHold> {
  let stored: number | null = null;
  try {
    stored = ((await t.collection('prepaid_accounts').doc(roomId).get()).data as PrepaidAccountDoc)
      .balanceFen;
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
  let pending = 0;
  const folding: string[] = [];
  for (const id of pendingIds) {
    const entry = (await t.collection('prepaid_entries').doc(id).get()).data as PrepaidEntryDoc;
    // Folded meanwhile by another transaction: already in the stored balance.
    if (entry.pending !== true) continue;
    pending += entry.amountFen;
    folding.push(id);
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
