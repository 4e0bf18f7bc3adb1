/**
 * Who prepared, reviewed and published a document that owners read: payment notices and
 * income/expense disclosures. Those collections are the two any client may read once published
 * (database.rules.json), so their documents never name a staff member — no openid, no name; the
 * sign-offs live here, in `staff_signoffs` (closed to clients), one document per public document,
 * read only by staff views and the four-eyes check of a disclosure's review. The audit log records
 * the same acts.
 */
import type { DB } from 'wx-server-sdk';
import type { StaffCaller } from './roles';

export type PublicCollection = 'notices' | 'disclosures';

export const SIGNOFFS = 'staff_signoffs';

/** One act: who (openid and shown name), when, and what they said. */
export interface Signoff {
  by: string;
  byName: string;
  at: Date;
  comment?: string;
}

export interface SignoffDoc {
  /** `<collection>:<docId>` */
  _id: string;
  communityId: string;
  collection: PublicCollection;
  docId: string;
  prepared: Signoff | null;
  /** The latest review: an approval, or a return to the preparer (`returned: true`). */
  reviewed: (Signoff & { returned?: boolean }) | null;
  published: Signoff | null;
}

export function signoffId(collection: PublicCollection, docId: string): string {
  return `${collection}:${docId}`;
}

export function signoff(caller: StaffCaller, at: Date, comment?: string): Signoff {
  return { by: caller.openid, byName: caller.name, at, ...(comment ? { comment } : {}) };
}

/** A new sign-off document (what `doc(id).set` writes; the id goes in `doc()`). */
export function signoffData(
  collection: PublicCollection,
  communityId: string,
  docId: string,
  acts: Partial<Pick<SignoffDoc, 'prepared' | 'reviewed' | 'published'>>,
): Omit<SignoffDoc, '_id'> {
  return {
    communityId,
    collection,
    docId,
    prepared: acts.prepared ?? null,
    reviewed: acts.reviewed ?? null,
    published: acts.published ?? null,
  };
}

/** The sign-offs of some documents of one collection, by document id (staff views). */
export async function signoffsOf(
  db: DB.Database,
  collection: PublicCollection,
  docIds: readonly string[],
): Promise<Map<string, SignoffDoc>> {
  const out = new Map<string, SignoffDoc>();
  const ids = [...new Set(docIds)].map((id) => signoffId(collection, id));
  const _ = db.command;
  for (let i = 0; i < ids.length; i += 100) {
    const res = await db
      .collection(SIGNOFFS)
      .where({ _id: _.in(ids.slice(i, i + 100)) })
      .limit(100)
      .get();
    for (const d of res.data as SignoffDoc[]) out.set(d.docId, d);
  }
  return out;
}
