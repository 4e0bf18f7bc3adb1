/**
 * Issuing bills: the billing run's bills (paid from the room's prepaid balance first, 预存抵扣)
 * and the opening arrears imported when the system is set up (期初欠费). A bill's `_id` is
 * deterministic, so a repeat (a crash half-way, a second invocation) finds it and writes nothing.
 *
 * Prepaid money is applied through a ledger entry with a deterministic id (`pa_<billId>`), pending
 * until a transaction on the room's prepaid money folds it into the stored balance (`prepaid.ts`),
 * so it is never counted twice.
 */
import {
  prepaidApplicationId,
  type BillDraft,
  type IssuedBill,
} from '../../../miniprogram/domain/fee/billing';
import type { BillDoc } from '../../../miniprogram/domain/fee/bill';
import type { Database } from '../db';
import { fetchByIds, insertNew } from '../paging';
import { prepaidBalances, type PrepaidEntryDoc } from './prepaid';
import { issuedBill } from './state';

export interface RunIssue {
  communityId: string;
  runId: string;
  at: Date;
  /**
   * False when the caller's read of the rooms found no prepaid account among them: nothing to
   * apply, no request (an account opened since waits for the next run). The balances themselves
   * are read here, after the pending entries.
   */
  hasPrepaid?: boolean;
}

/**
 * Pays new bills from their rooms' prepaid balances (pending entries included, `prepaid.ts`):
 * one entry per bill (`pa_<billId>`, negative amount, `pending: true`), inserted in batches; the
 * accounts are not written (the next transaction on a room's prepaid money folds its entries in).
 * Returns what each bill receives. A repeat finds the run's entries and reuses their amounts.
 * Three requests a chunk whatever the number of prepaid rooms (none when the chunk has no
 * account): entries, accounts, the insert.
 */
async function applyPrepaid(
  db: Database,
  run: RunIssue,
  bills: readonly BillDraft[],
): Promise<Map<string, number>> {
  const applied = new Map<string, number>();
  if (bills.length === 0 || run.hasPrepaid === false) return applied;
  const range = {
    communityId: run.communityId,
    from: bills.reduce((m, b) => (b.roomId < m ? b.roomId : m), bills[0]!.roomId),
    to: bills.reduce((m, b) => (b.roomId > m ? b.roomId : m), bills[0]!.roomId),
  };
  const { balances, entries: found } = await prepaidBalances(db, range, { runId: run.runId });
  const candidates = bills.filter((b) => balances.has(b.roomId));
  if (candidates.length === 0) return applied;
  let entries = new Map(found.map((e) => [e._id, e]));
  // A room may have several bills in one run (its own and its parking spaces', docs/spaces.md):
  // each takes what the ones before it left. The run's entries of an earlier attempt are already
  // in the balance (pending, or folded into the stored balance since).
  const left = new Map(balances);
  const fresh: PrepaidEntryDoc[] = [];
  for (const b of candidates) {
    const id = prepaidApplicationId(b._id);
    if (entries.has(id)) continue;
    const balance = left.get(b.roomId)!;
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
      pending: true,
    });
  }
  const inserted = await insertNew({ db }, 'prepaid_entries', fresh);
  if (inserted.length < fresh.length) {
    // Another invocation wrote some of them first: its amounts are the ones that count.
    const ids = candidates.map((b) => prepaidApplicationId(b._id));
    entries = new Map(
      (await fetchByIds<PrepaidEntryDoc>({ db }, 'prepaid_entries', ids)).map((e) => [e._id, e]),
    );
  } else {
    for (const e of inserted) entries.set(e._id, e);
  }
  for (const b of candidates) {
    const entry = entries.get(prepaidApplicationId(b._id));
    if (entry) applied.set(b._id, -entry.amountFen);
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
