/**
 * One staff list drawn from several collections in one time order (the exceptions desk: payment
 * notifications and failed refunds), a page at a time in a fixed number of requests whatever
 * their size. Each source is read after its own position — the time and `_id` of the last of its
 * documents already shown (a keyset, not an offset: an item resolved or added meanwhile neither
 * hides nor repeats another, and a deep page costs what the first does) — `limit + 1` documents
 * each, merged, and the first `limit` kept. The opaque cursor carries every source's position.
 *
 * Requests a page: two per source (the page and its count).
 */
import type { DB } from 'wx-server-sdk';
import { AppError } from './router';
import type { WithDb } from './paging';

export interface MergeSource {
  /** Its key in the cursor (short: the cursor is at most 200 characters). */
  key: string;
  collection: string;
  where: Record<string, unknown>;
  /** The date field the list is ordered by (indexed after the `where` fields). */
  timeField: string;
}

export interface MergedPage<T> {
  /** The page's documents in list order, each with the key of its source. */
  docs: { source: string; doc: T }[];
  nextCursor: string | null;
  /** Matching documents of every source. */
  total: number;
}

type Position = [number, string];
type Positions = Record<string, Position>;

const BAD_CURSOR = 'cursor: 翻页位置无效，请刷新列表';

/** The positions a cursor carries (none: the first page). A cursor that is not one is refused. */
export function decodeMergedCursor(cursor: string | undefined, keys: string[]): Positions {
  if (!cursor) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(cursor);
  } catch {
    throw new AppError('INVALID_INPUT', BAD_CURSOR);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new AppError('INVALID_INPUT', BAD_CURSOR);
  const out: Positions = {};
  for (const [key, pos] of Object.entries(parsed as Record<string, unknown>)) {
    const ok =
      keys.includes(key) &&
      Array.isArray(pos) &&
      pos.length === 2 &&
      Number.isSafeInteger(pos[0]) &&
      typeof pos[1] === 'string' &&
      pos[1].length > 0;
    if (!ok) throw new AppError('INVALID_INPUT', BAD_CURSOR);
    out[key] = pos as Position;
  }
  return out;
}

// Plain JSON: two positions with 60-character ids stay well under a cursor's 200 characters.
const encodeCursor = (positions: Positions): string => JSON.stringify(positions);

const timeOf = (doc: Record<string, unknown>, field: string): number =>
  new Date(doc[field] as Date | string).getTime();

/**
 * The page after `page.cursor` of the sources merged by their time field (`dir`), ties by
 * source order then `_id` in the same direction.
 */
export async function mergedPage<T extends { _id: string }>(
  ctx: WithDb,
  sources: readonly MergeSource[],
  dir: 'asc' | 'desc',
  page: { limit: number; cursor?: string },
): Promise<MergedPage<T>> {
  const _ = ctx.db.command;
  const positions = decodeMergedCursor(
    page.cursor,
    sources.map((s) => s.key),
  );
  const after = dir === 'asc' ? _.gt : _.lt;
  const reads = sources.map(async (s) => {
    const pos = positions[s.key];
    const coll = ctx.db.collection(s.collection);
    // After the position: a later time, or the same time and a later `_id` (no Date equality).
    const cond = pos
      ? _.and([
          s.where,
          { [s.timeField]: dir === 'asc' ? _.gte(new Date(pos[0])) : _.lte(new Date(pos[0])) },
          _.or([{ [s.timeField]: after(new Date(pos[0])) }, { _id: after(pos[1]) }]),
        ])
      : s.where;
    const [count, res] = await Promise.all([
      coll.where(s.where as DB.QueryCondition).count(),
      coll
        .where(cond as DB.QueryCondition)
        .orderBy(s.timeField, dir)
        .orderBy('_id', dir)
        .limit(page.limit + 1)
        .get(),
    ]);
    return { count: count.total, docs: res.data as T[] };
  });
  const read = await Promise.all(reads);
  const sign = dir === 'asc' ? 1 : -1;
  const merged = read
    .flatMap((r, i) => r.docs.map((doc) => ({ i, doc })))
    .sort((a, b) => {
      const byTime =
        timeOf(a.doc, sources[a.i]!.timeField) - timeOf(b.doc, sources[b.i]!.timeField);
      if (byTime !== 0) return sign * byTime;
      if (a.i !== b.i) return a.i - b.i;
      return sign * (a.doc._id < b.doc._id ? -1 : a.doc._id > b.doc._id ? 1 : 0);
    });
  const shown = merged.slice(0, page.limit);
  const next: Positions = { ...positions };
  for (const { i, doc } of shown)
    next[sources[i]!.key] = [timeOf(doc, sources[i]!.timeField), doc._id];
  return {
    docs: shown.map(({ i, doc }) => ({ source: sources[i]!.key, doc })),
    nextCursor: merged.length > page.limit ? encodeCursor(next) : null,
    total: read.reduce((s, r) => s + r.count, 0),
  };
}
