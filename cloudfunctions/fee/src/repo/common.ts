/** Small data-access helpers of the fee function. */
import type { DB } from 'wx-server-sdk';
import type { ActionContext } from '../../../_shared/router';

import { errText, isDuplicate, isMissing } from '../../../_shared/db';

export { errText, isDuplicate, isMissing };

/** The server maximum per `get()`. */
export const READ_PAGE = 1000;
/** Documents per `add({ data: [...] })`: keeps a request well under the size limit. */
export const WRITE_BATCH = 500;

export function iso(d: Date | string | null | undefined): string | null {
  if (!d) return null;
  return new Date(d).toISOString();
}

export function slices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** One document by `_id`, or null (a `where` read: no error for a missing document). */
export async function findById<T>(
  ctx: ActionContext,
  collection: string,
  id: string,
): Promise<T | null> {
  const res = await ctx.db.collection(collection).where({ _id: id }).limit(1).get();
  return (res.data[0] as T | undefined) ?? null;
}

/**
 * Every document matching `where`, walking `_id` in order, 1000 per round trip (so a query that
 * fits one page costs one trip).
 */
export async function fetchWhere<T extends { _id: string }>(
  ctx: ActionContext,
  collection: string,
  where: Record<string, unknown>,
  projection?: Record<string, boolean>,
): Promise<T[]> {
  const _ = ctx.db.command;
  const out: T[] = [];
  let last: string | null = null;
  for (;;) {
    const cond = last === null ? where : _.and([where, { _id: _.gt(last) }]);
    let q = ctx.db
      .collection(collection)
      .where(cond as DB.QueryCondition)
      .orderBy('_id', 'asc');
    if (projection) q = q.field(projection);
    const docs = (await q.limit(READ_PAGE).get()).data as T[];
    out.push(...docs);
    if (docs.length < READ_PAGE) return out;
    last = docs[docs.length - 1]!._id;
  }
}

/** Documents whose `_id` is in `ids` (any number, 1000 ids per round trip). */
export async function fetchByIds<T extends { _id: string }>(
  ctx: ActionContext,
  collection: string,
  ids: readonly string[],
  extra: Record<string, unknown> = {},
  projection?: Record<string, boolean>,
): Promise<T[]> {
  const _ = ctx.db.command;
  const out: T[] = [];
  for (const part of slices([...new Set(ids)], READ_PAGE)) {
    let q = ctx.db.collection(collection).where({ ...extra, _id: _.in(part) } as DB.QueryCondition);
    if (projection) q = q.field(projection);
    out.push(...((await q.limit(READ_PAGE).get()).data as T[]));
  }
  return out;
}

/**
 * Inserts documents in batches; a batch refused for a duplicate `_id` (a repeat after a crash,
 * or a concurrent run) is retried without the documents that already exist. Returns the
 * documents this call inserted.
 */
export async function insertNew<T extends { _id: string }>(
  ctx: ActionContext,
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
