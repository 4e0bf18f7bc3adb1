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

/** A fee standard whose late fee is on (`lateFee.enabled`), as far as deriving needs it. */
export interface LateFeeStandard {
  communityId: string;
  itemId: string;
  lateFee: LateFeeRule;
}

/**
 * The view from standards and holds already read (e.g. joined onto an owner's bindings, so the
 * owner's pages derive their bills' late fees without a request of their own).
 */
export function lateFeeViewFrom(
  day: string,
  standards: readonly LateFeeStandard[],
  holds: readonly HoldDoc[],
): LateFeeView & { rules: Map<string, Map<string, LateFeeRule>>; holds: Map<string, HoldDoc[]> } {
  const rules = new Map<string, Map<string, LateFeeRule>>();
  for (const s of standards) {
    const byItem = rules.get(s.communityId) ?? new Map<string, LateFeeRule>();
    byItem.set(s.itemId, s.lateFee);
    rules.set(s.communityId, byItem);
  }
  const byRoom = new Map<string, HoldDoc[]>();
  for (const h of holds) byRoom.set(h.roomId, [...(byRoom.get(h.roomId) ?? []), h]);
  return { day, rules, holds: byRoom };
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
  const open = bills.filter((b) => mayAccrue(b, day));
  if (open.length === 0) return lateFeeViewFrom(day, [], []);
  const _ = db.command;
  const communities = [...new Set(open.map((b) => b.communityId))];
  const standards = await fetchAll<LateFeeStandard>(
    db
      .collection('fee_standards')
      .where({ communityId: _.in(communities), 'lateFee.enabled': true })
      .field({ communityId: true, itemId: true, lateFee: true }),
  );
  const view = lateFeeViewFrom(day, standards, []);
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

/** How much a bill's late fee has grown since it was stored, as of a day (`lateFeeGrowth`). */
export interface LateFeeGrowth {
  billId: string;
  roomId: string;
  dueDate: string;
  period: string;
  spaceKind: string | null;
  /** The room's building, when asked for (`building: true`); null when the room is missing. */
  building?: string | null;
  /** Derived late fee as of the day − stored late fee (> 0). */
  growthFen: number;
}

/** What `lateFeeGrowth` reads of a bill: exactly what the derivation needs, and the grouping keys. */
const GROWTH_FIELDS = {
  _id: true,
  communityId: true,
  roomId: true,
  period: true,
  dueDate: true,
  status: true,
  payHold: true,
  spaceKind: true,
  amountDueFen: true,
  lateFeeFen: true,
  paidFen: true,
  lateFee: true,
  'items.itemId': true,
  'items.amountFen': true,
};

/**
 * Candidate bills an aggregation returns at once: a `get()` stops at 1,000, an aggregation's
 * `limit` goes to 10,000 (the aging report and the overdue marks group with it too). A candidate
 * is a few hundred bytes with the fields above, so a page stays a few megabytes.
 */
const GROWTH_PAGE = 10_000;

type GrowthCandidate = BillDoc & { room?: { building?: unknown }[]; holds?: HoldDoc[] };

/**
 * The community's bills whose late fee as of `day` is more than is stored — open, past due,
 * unclaimed (no WeChat order's `payHold`) and charging an item whose fee standard has a late fee
 * on — each with the growth (derived − stored, by `derivedLateFee`: the very rule owners, staff
 * and payments see). The sums (reports, the overdue list) add these to the stored amounts they
 * aggregate, so they show today's amounts. Options narrow the bills as the caller's sum does:
 * one `period`, or due before `dueBefore`; `building` joins each bill's room for its building.
 *
 * Cost: one request for the community's late-fee rules, and nothing more when none is on; else
 * one aggregate per 10,000 candidate bills (in `_id` order), each bill with only the fields the
 * derivation needs, its room's holds (the pauses; `$lookup` through `bill_holds.community_room`)
 * and, with `building`, its room's building joined in the same request: 1 + ⌈candidates ÷ 10,000⌉
 * requests, and no per-room read.
 */
export async function lateFeeGrowth(
  db: Database,
  communityId: string,
  day: string,
  opts: { period?: string; dueBefore?: string; building?: boolean } = {},
): Promise<LateFeeGrowth[]> {
  const _ = db.command;
  const standards = await fetchAll<LateFeeStandard>(
    db
      .collection('fee_standards')
      .where({ communityId, 'lateFee.enabled': true })
      .field({ communityId: true, itemId: true, lateFee: true }),
  );
  if (standards.length === 0) return [];
  const view = lateFeeViewFrom(day, standards, []);
  const before = opts.dueBefore && opts.dueBefore < day ? opts.dueBefore : day;
  const where: Record<string, unknown> = {
    communityId,
    status: _.in([...OPEN_BILL_STATUSES]),
    dueDate: _.lt(before),
    payHold: null,
    'items.itemId': _.in([...new Set(standards.map((s) => s.itemId))]),
  };
  if (opts.period) where.period = opts.period;
  const out: LateFeeGrowth[] = [];
  for await (const page of candidatePages(db, where, opts.building === true)) {
    for (const b of page) {
      view.holds.set(b.roomId, b.holds ?? []);
      const next = derivedLateFee(b, view);
      if (!next || next.lateFeeFen <= b.lateFeeFen) continue;
      out.push({
        billId: b._id,
        roomId: b.roomId,
        dueDate: b.dueDate,
        period: b.period,
        spaceKind: b.spaceKind ?? null,
        ...(opts.building ? { building: b.room?.[0] ? String(b.room[0].building) : null } : {}),
        growthFen: next.lateFeeFen - b.lateFeeFen,
      });
    }
  }
  return out;
}

/** Growth added up by `key` (a room, a building, a kind of bill …). */
export function growthBy<K>(
  growth: readonly LateFeeGrowth[],
  key: (g: LateFeeGrowth) => K,
): Map<K, number> {
  const out = new Map<K, number>();
  for (const g of growth) out.set(key(g), (out.get(key(g)) ?? 0) + g.growthFen);
  return out;
}

/**
 * The candidate bills 10,000 a request in `_id` order, each with its room's holds and, with
 * `building`, its room.
 */
async function* candidatePages(
  db: Database,
  where: Record<string, unknown>,
  building: boolean,
): AsyncGenerator<GrowthCandidate[]> {
  const _ = db.command;
  const $ = _.aggregate;
  let last: string | null = null;
  for (;;) {
    let agg = db
      .collection('bills')
      .aggregate()
      .match(last === null ? where : { ...where, _id: _.gt(last) })
      .sort({ _id: 1 })
      .limit(GROWTH_PAGE)
      // the room's holds, through bill_holds' community_room index
      .lookup({
        from: 'bill_holds',
        let: { communityId: '$communityId', roomId: '$roomId' },
        pipeline: $.pipeline()
          .match(
            _.expr($.and([$.eq(['$communityId', '$$communityId']), $.eq(['$roomId', '$$roomId'])])),
          )
          .done(),
        as: 'holds',
      });
    if (building)
      agg = agg.lookup({ from: 'rooms', localField: 'roomId', foreignField: '_id', as: 'room' });
    const res = await agg
      .project({ ...GROWTH_FIELDS, holds: true, ...(building ? { 'room.building': true } : {}) })
      .end();
    const docs = res.list as GrowthCandidate[];
    if (docs.length > 0) yield docs;
    if (docs.length < GROWTH_PAGE) return;
    last = docs[docs.length - 1]!._id;
  }
}
