/** Small data-access helpers over wx-server-sdk's query API. */
import type cloud from 'wx-server-sdk';

export type Database = ReturnType<typeof cloud.database>;
export type Query = ReturnType<ReturnType<Database['collection']>['where']>;

const PAGE = 1000;

/**
 * Reads every document a query matches, 1000 (the server maximum) per round trip.
 * For lists bounded by what one owner or one screen holds; large scans use aggregation.
 */
export async function fetchAll<T>(query: Query, max = 20_000): Promise<T[]> {
  const out: T[] = [];
  for (let skip = 0; skip < max; skip += PAGE) {
    const res = await query.skip(skip).limit(PAGE).get();
    out.push(...(res.data as T[]));
    if (res.data.length < PAGE) break;
  }
  return out;
}

/**
 * User text as a literal inside a database regular expression (`db.RegExp`): every character that
 * means something to a regex is escaped, so a search for `a.*(` looks for exactly that and can
 * never be a pattern the database refuses or one that matches everything.
 */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The text of an SDK error (errMsg), an Error's message, or the value itself. */
export function errText(e: unknown): string {
  return String((e as { errMsg?: string }).errMsg ?? (e as { message?: string }).message ?? e);
}

/** `doc(id).get()` of a document that is not there. */
export function isMissing(e: unknown): boolean {
  return /does not exist|not exist/.test(errText(e));
}

/** A unique-index or _id collision (the platform's E11000). */
export function isDuplicate(e: unknown): boolean {
  return /duplicate key|E11000/.test(errText(e));
}

/** The handle a transaction body receives (`db.runTransaction(async (t) => …)`). */
export type Transaction = Parameters<Parameters<Database['runTransaction']>[0]>[0];

/** A write conflict between transactions (both the platform code and the message forms). */
export function isConflict(e: unknown): boolean {
  return (
    (e as { code?: string }).code === 'DATABASE_TRANSACTION_CONFLICT' ||
    /WriteConflict|TRANSACTION_CONFLICT/i.test(errText(e))
  );
}

/**
 * Runs a transaction, retrying write conflicts with a jittered backoff. The SDK's own retry only
 * recognises a conflict at commit; one met at a write inside the transaction reaches us wrapped,
 * and busy documents (the receipt counter) need a pause between attempts.
 */
export async function withConflictRetry<T>(work: () => Promise<T>, attempts = 12): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      if (!isConflict(e) || attempt >= attempts) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 40 * attempt));
    }
  }
}
