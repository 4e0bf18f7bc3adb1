/**
 * Reading many documents and writing many at once, within the server's limits (1000 documents
 * a `get()`), and the opaque offset cursors of staff lists. Each takes anything with a `db`
 * (an action's context, or `{ db }` in a timer).
 */
import type { DB } from 'wx-server-sdk';
import { fetchAll, isDuplicate, type Database } from './db';

export interface WithDb {
  db: Database;
}

/** The server maximum per `get()`. */
export const READ_PAGE = 1000;
/** Documents per `add({ data: [...] })`: keeps a request well under the size limit. */
export const WRITE_BATCH = 500;

export function slices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** One document by `_id`, or null (a `where` read: no error for a missing document). */
export async function findById<T>(ctx: WithDb, collection: string, id: string): Promise<T | null> {
  const res = await ctx.db.collection(collection).where({ _id: id }).limit(1).get();
  return (res.data[0] as T | undefined) ?? null;
}

/**
 * Every document matching `where`, walking `_id` in order rather than `skip`, 1000 per round
 * trip, so a large community costs n/1000 cheap reads (and a query that fits one page, one trip).
 */
export async function fetchWhere<T extends { _id: string }>(
  ctx: WithDb,
  collection: string,
  where: Record<string, unknown>,
  projection?: Record<string, boolean>,
): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pagesWhere<T>(ctx, collection, where, projection)) out.push(...page);
  return out;
}

/**
 * The same walk one page at a time (for reads too large to hold at once, e.g. a backup):
 * each page is 1000 documents in `_id` order, the last one shorter (none for no documents).
 */
export async function* pagesWhere<T extends { _id: string }>(
  ctx: WithDb,
  collection: string,
  where: Record<string, unknown>,
  projection?: Record<string, boolean>,
): AsyncGenerator<T[]> {
  const _ = ctx.db.command;
  let last: string | null = null;
  for (;;) {
    const cond = last === null ? where : _.and([where, { _id: _.gt(last) }]);
    let q = ctx.db
      .collection(collection)
      .where(cond as DB.QueryCondition)
      .orderBy('_id', 'asc');
    if (projection) q = q.field(projection);
    const docs = (await q.limit(READ_PAGE).get()).data as T[];
    if (docs.length > 0) yield docs;
    if (docs.length < READ_PAGE) return;
    last = docs[docs.length - 1]!._id;
  }
}

/** Documents whose `_id` is in `ids` (any number, 1000 ids per round trip). */
export async function fetchByIds<T extends { _id: string }>(
  ctx: WithDb,
  collection: string,
  ids: readonly string[],
  extra: Record<string, unknown> = {},
  projection?: Record<string, boolean>,
): Promise<T[]> {
  return fetchIn<T>(ctx, collection, '_id', ids, extra, projection, READ_PAGE);
}

/**
 * Documents whose `field` is one of `values` (any number of values; `size` values a query keeps
 * the request bounded), with `extra` conditions.
 */
export async function fetchIn<T>(
  ctx: WithDb,
  collection: string,
  field: string,
  values: readonly string[],
  extra: Record<string, unknown> = {},
  projection?: Record<string, boolean>,
  size = 100,
): Promise<T[]> {
  const _ = ctx.db.command;
  const out: T[] = [];
  for (const part of slices([...new Set(values)], size)) {
    let q = ctx.db
      .collection(collection)
      .where({ ...extra, [field]: _.in(part) } as DB.QueryCondition);
    if (projection) q = q.field(projection);
    out.push(...(await fetchAll<T>(q)));
  }
  return out;
}

/**
 * Inserts documents in batches; a batch refused for a duplicate `_id` (a repeat after a crash,
 * or a concurrent run) is retried without the documents that already exist. Returns the
 * documents this call inserted.
 */
export async function insertNew<T extends { _id: string }>(
  ctx: WithDb,
  collection: string,
  docs: readonly T[],
): Promise<T[]> {
  const inserted: T[] = [];
  for (const batch of slices(docs, WRITE_BATCH)) {
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      try {
        await ctx.db.collection(collection).add({ data: pending as unknown as DB.DocumentData[] });
        inserted.push(...pending);
        break;
      } catch (e) {
        if (!isDuplicate(e) || attempt >= 3) throw e;
        const existing = new Set(
          (
            await fetchByIds<{ _id: string }>(
              ctx,
              collection,
              pending.map((d) => d._id),
              {},
              { _id: true },
            )
          ).map((d) => d._id),
        );
        pending = pending.filter((d) => !existing.has(d._id));
      }
    }
  }
  return inserted;
}

/** Offset cursors for staff lists (opaque to the client). */
export function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const n = Number.parseInt(cursor, 36);
  return Number.isInteger(n) && n >= 0 && n < 1_000_000 ? n : 0;
}

export function nextCursor(offset: number, got: number, total: number): string | null {
  return offset + got < total ? (offset + got).toString(36) : null;
}

/**
 * One page of a staff list: the documents of `collection` matching `where`, sorted by `order`,
 * at the offset the cursor carries, with the total and the next cursor. `view` turns the page's
 * documents into items (it may read more, a fixed number of round trips per page).
 */
export async function listPage<T, V>(
  ctx: WithDb,
  collection: string,
  where: Record<string, unknown>,
  order: readonly [string, 'asc' | 'desc'][],
  page: { limit: number; cursor?: string },
  view: (docs: T[]) => V[] | Promise<V[]>,
): Promise<{ items: V[]; nextCursor: string | null; total: number }> {
  const offset = decodeCursor(page.cursor);
  const coll = ctx.db.collection(collection);
  let q = coll.where(where as DB.QueryCondition);
  for (const [field, dir] of order) q = q.orderBy(field, dir);
  const [count, res] = await Promise.all([
    coll.where(where as DB.QueryCondition).count(),
    q.skip(offset).limit(page.limit).get(),
  ]);
  const docs = res.data as T[];
  return {
    items: await view(docs),
    nextCursor: nextCursor(offset, docs.length, count.total),
    total: count.total,
  };
}
