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
