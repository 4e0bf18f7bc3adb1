/**
 * The one-time tokens behind the personal mini-program codes printed on household notices
 * (`notice.householdPdf`): one per notice and room (`household_codes`, id derived from both, so
 * printing again prints the same code until it is used), a random 16-character token in the
 * code's scene (`h=<token>`), valid 90 days. `binding` reads it to fill in the room, and a
 * binding verified by it consumes it in the same transaction: one use.
 */
import { randomBytes } from 'node:crypto';
import { addDays } from '../../miniprogram/domain/kernel/time';
import { fetchAll, type Database } from './db';
import { stableId } from './ids';

export interface HouseholdCodeDoc {
  _id: string;
  token: string;
  communityId: string;
  noticeId: string;
  roomId: string;
  createdAt: Date;
  /** YYYY-MM-DD (Beijing) after which the code no longer binds. */
  validUntil: string;
  usedBy: string | null;
  usedAt: Date | null;
}

export const CODE_VALID_DAYS = 90;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** 16 letters/digits from a CSPRNG (≈95 bits): unguessable, and fits the 32-character scene. */
export function newToken(): string {
  const bytes = randomBytes(16);
  return [...bytes].map((b) => ALPHABET[b % 62]).join('');
}

/** The room's code for the notice: the existing unused one, or a fresh one. */
export async function codesFor(
  db: Database,
  communityId: string,
  noticeId: string,
  roomIds: readonly string[],
  today: string,
  now: Date,
): Promise<Map<string, HouseholdCodeDoc>> {
  const _ = db.command;
  const out = new Map<string, HouseholdCodeDoc>();
  const ids = roomIds.map((r) => stableId('hcode', noticeId, r));
  for (let i = 0; i < ids.length; i += 500) {
    const docs = await fetchAll<HouseholdCodeDoc>(
      db.collection('household_codes').where({ _id: _.in(ids.slice(i, i + 500)) }),
    );
    for (const d of docs) if (!d.usedBy && d.validUntil >= today) out.set(d.roomId, d);
  }
  for (const roomId of roomIds) {
    if (out.has(roomId)) continue;
    const doc: HouseholdCodeDoc = {
      _id: stableId('hcode', noticeId, roomId),
      token: newToken(),
      communityId,
      noticeId,
      roomId,
      createdAt: now,
      validUntil: addDays(today, CODE_VALID_DAYS),
      usedBy: null,
      usedAt: null,
    };
    // A used or lapsed code is replaced by a new token: the old page no longer binds.
    const { _id, ...data } = doc;
    await db.collection('household_codes').doc(_id).set({ data });
    out.set(roomId, doc);
  }
  return out;
}

export async function findCode(db: Database, token: string): Promise<HouseholdCodeDoc | null> {
  const res = await db.collection('household_codes').where({ token }).limit(1).get();
  return (res.data[0] as HouseholdCodeDoc | undefined) ?? null;
}

/** Whether a code can still verify a binding on `today`. */
export function codeUsable(c: HouseholdCodeDoc | null, today: string): c is HouseholdCodeDoc {
  return !!c && !c.usedBy && c.validUntil >= today;
}
