/**
 * Late fees as of a day, derived instead of written every day (issue 16). A bill stores the late
 * fee accrued through `lateFee.accruedThrough`; what it owes as of today adds the days since, by
 * the one rule (`lateFeeAsOf`: the fee standard's rule, paused by the room's holds, never above
 * the cap, never compounding). Every reader that shows or charges a bill's amount reads it
 * through here, so owners, staff and payments see exactly what a daily accrual would have
 * stored; the ledger writes the derived amount when money changes hands (a payment, a claim by a
 * WeChat order, a reversal, a waiver) and for every open bill at month end.
 *
 * A bill claimed by a live WeChat order keeps what was settled when the order claimed it, so the
 * order's amount and the bill agree (as the daily accrual skipped claimed bills).
 */
import {
  OPEN_BILL_STATUSES,
  type BillDoc,
  type BillLateFeeState,
} from '../../../miniprogram/domain/fee/bill';
import type { LateFeeRule } from '../../../miniprogram/domain/fee/types';
import { shanghaiDate } from '../../../miniprogram/domain/kernel/time';
import { fetchAll, type Database } from '../db';
import { holdsForRooms, pausesForBill, type HoldDoc } from '../holds';
import { lateFeeAsOf } from './state';

/** What deriving late fees as of `day` needs: the rules by community and item, the holds by room. */
export interface LateFeeView {
  day: string;
  rules: ReadonlyMap<string, ReadonlyMap<string, LateFeeRule>>;
  holds: ReadonlyMap<string, readonly HoldDoc[]>;
}

type BillKey = Pick<BillDoc, 'communityId' | 'roomId' | 'dueDate' | 'status' | 'payHold'>;

/** Whether a late fee can have grown on this bill since it was stored (open, unclaimed, past due). */
function mayAccrue(b: BillKey, day: string): boolean {
  return OPEN_BILL_STATUSES.includes(b.status) && !b.payHold && b.dueDate < day;
}

/** Today in Asia/Shanghai on the (dev-)clock the function sees. */
export function today(): string {
  return shanghaiDate(new Date());
}

/**
 * Loads the late-fee rules and holds deriving `bills` as of `day` needs: no request when none of
 * them can have accrued, else one for the rules and, when a rule applies, one per 1,000 rooms for
 * the holds (over 1,000 rooms: the community's holds, one request per 1,000).
 */
export async function lateFeeView(
  db: Database,
  bills: readonly BillKey[],
  day: string,
): Promise<LateFeeView> {
  const view = { day, rules: new Map<string, Map<string, LateFeeRule>>(), holds: new Map() };
  const open = bills.filter((b) => mayAccrue(b, day));
  if (open.length === 0) return view;
  const _ = db.command;
  const communities = [...new Set(open.map((b) => b.communityId))];
  const standards = await fetchAll<{ communityId: string; itemId: string; lateFee: LateFeeRule }>(
    db
      .collection('fee_standards')
      .where({ communityId: _.in(communities), 'lateFee.enabled': true })
      .field({ communityId: true, itemId: true, lateFee: true }),
  );
  for (const s of standards) {
    const byItem = view.rules.get(s.communityId) ?? new Map<string, LateFeeRule>();
    byItem.set(s.itemId, s.lateFee);
    view.rules.set(s.communityId, byItem);
  }
  for (const communityId of view.rules.keys()) {
    const rooms = [
      ...new Set(open.filter((b) => b.communityId === communityId).map((b) => b.roomId)),
    ];
    // Many rooms (a community's whole overdue list): all its holds, not a query per 1,000 rooms.
    const holds =
      rooms.length > 1000
        ? await communityHolds(db, communityId)
        : await holdsForRooms(db, communityId, rooms);
    for (const [roomId, list] of holds) view.holds.set(roomId, list);
  }
  return view;
}

/**
 * The view for the bills with these ids, read before a ledger transaction (which then reads the
 * bills again and settles their late fees with the money it moves): one read of the bills, then
 * `lateFeeView`.
 */
export async function lateFeeViewOf(
  db: Database,
  billIds: readonly string[],
  day = today(),
): Promise<LateFeeView> {
  const _ = db.command;
  const bills: BillKey[] = [];
  for (let i = 0; i < billIds.length; i += 500) {
    bills.push(
      ...(await fetchAll<BillKey>(
        db
          .collection('bills')
          .where({ _id: _.in(billIds.slice(i, i + 500)) })
          .field({ communityId: true, roomId: true, dueDate: true, status: true, payHold: true }),
      )),
    );
  }
  return lateFeeView(db, bills, day);
}

async function communityHolds(db: Database, communityId: string): Promise<Map<string, HoldDoc[]>> {
  const out = new Map<string, HoldDoc[]>();
  for (const h of await fetchAll<HoldDoc>(db.collection('bill_holds').where({ communityId })))
    out.set(h.roomId, [...(out.get(h.roomId) ?? []), h]);
  return out;
}

/** The late fee this bill owes as of the view's day, when more than is stored (else null). */
export function derivedLateFee(
  bill: BillDoc,
  view: LateFeeView,
): { lateFeeFen: number; lateFee: BillLateFeeState } | null {
  if (!mayAccrue(bill, view.day)) return null;
  const rules = view.rules.get(bill.communityId);
  if (!rules) return null;
  const pauses = pausesForBill(view.holds.get(bill.roomId) ?? [], bill._id);
  return lateFeeAsOf(bill, rules, pauses, view.day);
}

/** The bill as of the view's day (its late fee derived; nothing written). */
export function billAsOf<T extends BillDoc>(bill: T, view: LateFeeView): T {
  const next = derivedLateFee(bill, view);
  return next ? { ...bill, ...next } : bill;
}

/** The bills as of `day` (default today): what owners and staff are shown and charged. */
export async function billsAsOf<T extends BillDoc>(
  db: Database,
  bills: readonly T[],
  day = today(),
): Promise<T[]> {
  const view = await lateFeeView(db, bills, day);
  return bills.map((b) => billAsOf(b, view));
}
