/** Reading whole collections slices and paging lists. */
import type { DB } from 'wx-server-sdk';
import type { ActionContext } from './router';

const PAGE = 1000;

/**
 * Every document matching `where`, 1000 per round trip (the server maximum), walking `_id` in
 * order rather than `skip`, so a large community costs n/1000 cheap reads.
 */
export async function fetchAllById<T extends { _id: string }>(
  ctx: ActionContext,
  collection: string,
  where: Record<string, unknown>,
  projection?: Record<string, boolean>,
): Promise<T[]> {
  const _ = ctx.db.command;
  const out: T[] = [];
  let last: string | null = null;
  for (;;) {
    const cond: Record<string, unknown> =
      last === null ? { ...where } : { ...where, _id: _.gt(last) };
    let q = ctx.db
      .collection(collection)
      .where(cond as DB.QueryCondition)
      .orderBy('_id', 'asc');
    if (projection) q = q.field(projection);
    const res = await q.limit(PAGE).get();
    const docs = res.data as T[];
    out.push(...docs);
    if (docs.length < PAGE) return out;
    last = docs[docs.length - 1]!._id;
  }
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

/** Runs `fn` over `items` in slices of `size` (e.g. batched `add` calls). */
export async function inChunks<T>(
  items: T[],
  size: number,
  fn: (chunk: T[]) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) await fn(items.slice(i, i + size));
}
