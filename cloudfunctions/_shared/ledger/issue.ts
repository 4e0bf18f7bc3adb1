/**
 * Issuing bills: the billing run's bills (paid from the room's prepaid balance first, 预存抵扣)
 * and the opening arrears imported when the system is set up (期初欠费). A bill's `_id` is
 * deterministic, so a repeat (a crash half-way, a second invocation) finds it and writes nothing.
 *
 * Prepaid money is applied through a ledger entry with a deterministic id (`pa_<billId>`) written
 * before the balance moves, and the balance moves once per bill (the account remembers the bills
 * it paid), so neither is ever counted twice.
 */
import {
  prepaidApplicationId,
  type BillDraft,
  type IssuedBill,
} from '../../../miniprogram/domain/fee/billing';
import type { BillDoc } from '../../../miniprogram/domain/fee/bill';
import type { Database } from '../db';
import { fetchWhere, insertNew } from '../paging';
import { issuedBill } from './state';

/** Identifies a bill among the room's bills (its `_id` is `b_<roomId>_<period>_<key>`). */
function appliedMarker(bill: Pick<BillDraft, 'period' | 'key'>): string {
  return `${bill.period}:${bill.key}`;
}

interface PrepaidAccountDoc {
  _id: string;
  balanceFen: number;
  /** Bills of the room already paid from the balance, as `<period>:<key>`. */
  appliedBills?: string[];
}

interface PrepaidEntryDoc {
  _id: string;
  communityId: string;
  roomId: string;
  amountFen: number;
  balanceAfterFen: number;
  reason: string;
  billId: string;
  runId: string;
  at: Date;
}

export interface RunIssue {
  communityId: string;
  runId: string;
  at: Date;
}

/**
 * Pays new bills from their rooms' prepaid balances: an entry (`pa_<billId>`, negative amount)
 * first, then the balance moves once per bill. Returns what each bill receives. A repeat finds
 * the entry and reuses its amount; a balance already moved for the bill is not moved again.
 */
async function applyPrepaid(
  db: Database,
  run: RunIssue,
  bills: readonly BillDraft[],
): Promise<Map<string, number>> {
  const applied = new Map<string, number>();
  if (bills.length === 0) return applied;
  const ctx = { db };
  const _ = db.command;
  const accounts = new Map(
    (
      await fetchWhere<PrepaidAccountDoc>(
        ctx,
        'prepaid_accounts',
        // A range over the chunk's rooms (filtered below): no id list in the request.
        {
          _id: _.gte(bills.reduce((m, b) => (b.roomId < m ? b.roomId : m), bills[0]!.roomId)).and(
            _.lte(bills.reduce((m, b) => (b.roomId > m ? b.roomId : m), bills[0]!.roomId)),
          ),
        },
        { _id: true, balanceFen: true, appliedBills: true },
      )
    ).map((a) => [a._id, a]),
  );
  const candidates = bills.filter((b) => accounts.has(b.roomId));
  if (candidates.length === 0) return applied;
  const readEntries = async (ids: string[]) =>
    new Map(
      (await fetchWhere<PrepaidEntryDoc>(ctx, 'prepaid_entries', { _id: _.in(ids) })).map((e) => [
        e._id,
        e,
      ]),
    );
  let entries = await readEntries(candidates.map((b) => prepaidApplicationId(b._id)));
  // A room may have several bills in one run (its own and its parking spaces', docs/spaces.md):
  // each takes what the ones before it left. Entries of an earlier attempt whose balance has not
  // moved yet are spoken for.
  const left = new Map<string, number>();
  for (const b of candidates) {
    const acc = accounts.get(b.roomId)!;
    const e = entries.get(prepaidApplicationId(b._id));
    if (e && !(acc.appliedBills ?? []).includes(appliedMarker(b))) {
      left.set(b.roomId, (left.get(b.roomId) ?? acc.balanceFen) + e.amountFen);
    }
  }
  const fresh: PrepaidEntryDoc[] = [];
  for (const b of candidates) {
    const acc = accounts.get(b.roomId)!;
    const id = prepaidApplicationId(b._id);
    if (entries.has(id) || (acc.appliedBills ?? []).includes(appliedMarker(b))) continue;
    const balance = left.get(b.roomId) ?? acc.balanceFen;
    if (!(balance > 0)) continue;
    const amount = Math.min(balance, b.amountDueFen);
    left.set(b.roomId, balance - amount);
    fresh.push({
      _id: id,
      communityId: run.communityId,
      roomId: b.roomId,
      amountFen: -amount,
      balanceAfterFen: balance - amount,
      reason: `预存抵扣：${b.title}`,
      billId: b._id,
      runId: run.runId,
      at: run.at,
    });
  }
  const inserted = await insertNew(ctx, 'prepaid_entries', fresh);
  if (inserted.length < fresh.length) {
    // Another invocation wrote some of them first: its amounts are the ones that count.
    entries = await readEntries(candidates.map((b) => prepaidApplicationId(b._id)));
  } else {
    for (const e of inserted) entries.set(e._id, e);
  }
  // Move each balance once per bill, in one update per room for all its bills of the chunk (rooms
  // moving by the same amount for the same bills share it); `appliedBills` remembers
  // `<period>:<key>`, so a repeat never moves a balance twice for a bill.
  const perRoom = new Map<string, { markers: string[]; amount: number }>();
  for (const b of candidates) {
    const entry = entries.get(prepaidApplicationId(b._id));
    if (!entry) continue;
    const amount = -entry.amountFen;
    applied.set(b._id, amount);
    const marker = appliedMarker(b);
    if ((accounts.get(b.roomId)!.appliedBills ?? []).includes(marker)) continue;
    const room = perRoom.get(b.roomId) ?? { markers: [], amount: 0 };
    room.markers.push(marker);
    room.amount += amount;
    perRoom.set(b.roomId, room);
  }
  const groups = new Map<string, { markers: string[]; amount: number; roomIds: string[] }>();
  for (const [roomId, r] of perRoom) {
    const key = `${[...r.markers].sort().join(',')}|${r.amount}`;
    const group = groups.get(key) ?? { ...r, roomIds: [] };
    group.roomIds.push(roomId);
    groups.set(key, group);
  }
  for (const g of groups.values()) {
    await db
      .collection('prepaid_accounts')
      .where({ _id: _.in(g.roomIds), appliedBills: _.nin(g.markers) })
      .update({
        data: {
          balanceFen: _.inc(-g.amount),
          appliedBills: _.push(g.markers),
          updatedAt: run.at,
        },
      });
  }
  return applied;
}

/**
 * Issues a billing run's bills, each paid from its room's prepaid balance as far as it reaches.
 * Returns every bill as issued (in the order given) and the ids this call inserted; the others
 * already existed (a repeat).
 */
export async function issueRunBills(
  db: Database,
  run: RunIssue,
  drafts: readonly BillDraft[],
): Promise<{ bills: IssuedBill[]; inserted: Set<string> }> {
  const prepaid = await applyPrepaid(db, run, drafts);
  const bills = drafts.map((d) => issuedBill(d, prepaid.get(d._id) ?? 0));
  const inserted = new Set((await insertNew({ db }, 'bills', bills)).map((d) => d._id));
  return { bills, inserted };
}

type UnpaidDraft = Omit<
  BillDoc,
  'lateFeeFen' | 'paidFen' | 'prepaidAppliedFen' | 'status' | 'lateFee'
>;

/** Issues opening-arrears bills (nothing paid); returns the ids this call inserted. */
export async function issueOpeningBills<T extends UnpaidDraft>(
  db: Database,
  drafts: readonly T[],
): Promise<Set<string>> {
  const bills = drafts.map((d) => issuedBill(d));
  return new Set((await insertNew({ db }, 'bills', bills)).map((d) => d._id));
}

/**
 * Issues an approved one-off charge's bill (临时收费), unpaid: it is paid, receipted and chased
 * as any bill. Its id comes from the charge, so a repeat inserts nothing; true when this call did.
 */
export async function issueChargeBill<T extends UnpaidDraft>(
  db: Database,
  draft: T,
): Promise<boolean> {
  return (await issueOpeningBills(db, [draft])).size === 1;
}
