/**
 * Holds (暂缓催缴): while a room has an active hold, overdue escalation and late-fee accrual stop
 * for the bills it covers. Holds come from several places — an open complaint or dispute about a
 * bill, an accepted installment plan, a promise to pay by a date — so they live in one collection
 * that the complaint desk, the installment workflow and the overdue timer all share.
 *
 * A hold is identified by what caused it (`reason` + `refId`, e.g. `complaint` + the ticket id),
 * so placing it twice changes nothing and releasing it names the same cause. Released holds stay
 * as history: the late-fee computation needs the paused date ranges (`from`..`to`).
 */
import type { Database } from './db';
import { fetchAll, isMissing } from './db';
import { stableId } from './ids';

export const HOLD_REASONS = ['complaint', 'dispute', 'installment', 'promise'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export interface HoldDoc {
  _id: string;
  communityId: string;
  roomId: string;
  /** Bills the hold covers; empty means every unpaid bill of the room. */
  billIds: string[];
  reason: HoldReason;
  /** The complaint ticket, installment plan, visit record… that caused the hold. */
  refId: string;
  /** First paused day (YYYY-MM-DD, Asia/Shanghai). */
  from: string;
  /**
   * Last paused day, inclusive. Set when released; for a promise to pay it is set at once (the
   * promised date) and the hold lapses by itself after that day.
   */
  to: string | null;
  active: boolean;
  note: string;
  createdBy: string;
  createdAt: Date;
  releasedBy?: string;
  releasedAt?: Date;
}

export interface PlaceHoldInput {
  communityId: string;
  roomId: string;
  billIds?: string[];
  reason: HoldReason;
  refId: string;
  from: string;
  /** Only for holds that end by themselves (a promise-to-pay date). */
  to?: string | null;
  note?: string;
  by: string;
  at: Date;
}

/**
 * The hold cause of a complaint ticket: the ticket id, then `<id>:r<n>` after the n-th reopening,
 * so each paused period keeps its own dates. The complaint desk places and releases it; a visit
 * that links the ticket (overdue.record) places the same one.
 */
export function ticketHoldRef(ticketId: string, reopenCount: number): string {
  return reopenCount === 0 ? ticketId : `${ticketId}:r${reopenCount}`;
}

export function holdId(reason: HoldReason, refId: string, roomId: string): string {
  return stableId('hold', reason, refId, roomId);
}

/** Places the hold; placing the same cause again for the same room returns the existing id. */
export async function placeHold(db: Database, input: PlaceHoldInput): Promise<string> {
  const _id = holdId(input.reason, input.refId, input.roomId);
  const doc: Omit<HoldDoc, '_id'> = {
    communityId: input.communityId,
    roomId: input.roomId,
    billIds: input.billIds ?? [],
    reason: input.reason,
    refId: input.refId,
    from: input.from,
    to: input.to ?? null,
    active: true,
    note: input.note ?? '',
    createdBy: input.by,
    createdAt: input.at,
  };
  try {
    await db.collection('bill_holds').doc(_id).get();
    return _id;
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
  await db.collection('bill_holds').doc(_id).set({ data: doc });
  return _id;
}

/**
 * Ends every active hold with this cause (for all rooms it covered); `to` is the last paused day.
 * Returns how many holds were released; releasing again releases nothing.
 */
export async function releaseHolds(
  db: Database,
  reason: HoldReason,
  refId: string,
  release: { to: string; by: string; at: Date },
): Promise<number> {
  const _ = db.command;
  const res = await db
    .collection('bill_holds')
    .where({ reason, refId, active: true, to: _.eq(null) })
    .update({
      data: { active: false, to: release.to, releasedBy: release.by, releasedAt: release.at },
    });
  // Promise-to-pay holds already carry their end date; they just stop being active.
  const res2 = await db
    .collection('bill_holds')
    .where({ reason, refId, active: true })
    .update({ data: { active: false, releasedBy: release.by, releasedAt: release.at } });
  return Number(res.stats.updated) + Number(res2.stats.updated);
}

/** Whether a hold pauses things on `day` for `billId` (inclusive of both ends). */
export function holdCovers(hold: HoldDoc, billId: string, day: string): boolean {
  if (hold.billIds.length > 0 && !hold.billIds.includes(billId)) return false;
  if (day < hold.from) return false;
  if (hold.to !== null && day > hold.to) return false;
  return hold.active || hold.to !== null;
}

/**
 * Every hold (active or historical) of these rooms, grouped by room: the overdue timer uses the
 * active ones to skip escalation and all of them as late-fee pauses. One query per 1,000 rooms.
 */
export async function holdsForRooms(
  db: Database,
  communityId: string,
  roomIds: readonly string[],
): Promise<Map<string, HoldDoc[]>> {
  const _ = db.command;
  const out = new Map<string, HoldDoc[]>();
  for (let i = 0; i < roomIds.length; i += 1000) {
    const chunk = roomIds.slice(i, i + 1000);
    const docs = await fetchAll<HoldDoc>(
      db.collection('bill_holds').where({ communityId, roomId: _.in(chunk) }),
    );
    for (const d of docs) {
      const list = out.get(d.roomId) ?? [];
      list.push(d);
      out.set(d.roomId, list);
    }
  }
  return out;
}

/** The paused ranges of one bill, as the late-fee domain wants them. */
export function pausesForBill(
  holds: readonly HoldDoc[],
  billId: string,
): { from: string; to: string | null }[] {
  return holds
    .filter((h) => h.billIds.length === 0 || h.billIds.includes(billId))
    .filter((h) => h.active || h.to !== null)
    .map((h) => ({ from: h.from, to: h.to }));
}

/** Whether escalation for this bill is held on `day`. */
export function isHeld(holds: readonly HoldDoc[], billId: string, day: string): boolean {
  return holds.some((h) => holdCovers(h, billId, day));
}
