/**
 * Equality indexes of the local cloud's store, so a query over a large collection looks only at
 * the documents that can match (issue 16: a report over 480,000 bills must answer in ≤ 2 s, and
 * a CloudBase query or leading `$match` uses an index too). The fields of declared indexes
 * (cloudfunctions/_shared/collections.ts) are indexed from the start; any other top-level field
 * the first time a query constrains it by equality (`{period: '2026-10'}`) or `$in`; each is
 * kept up to date on every write after that.
 *
 * An index only narrows: the full query is still tested on every candidate, so results are the
 * same as a scan. Documents whose value for the field is not a plain string, number or boolean
 * (missing, null, an array, an object) are always candidates. Candidates come back in the
 * collection's natural order (first insertion), as a scan returns them.
 */
import type { AnyObject } from 'mingo/types';

type Key = string | number | boolean;

const isKey = (v: unknown): v is Key =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** A top-level field the query pins to one or a few values: `{f: v}`, `{f: {$eq: v}}`, `{f: {$in: [...]}}`. */
function pinnedValues(cond: unknown): Key[] | null {
  if (isKey(cond)) return [cond];
  if (!cond || typeof cond !== 'object' || Array.isArray(cond) || cond instanceof Date) return null;
  const c = cond as AnyObject;
  if ('$eq' in c && isKey(c.$eq)) return [c.$eq];
  if ('$in' in c && Array.isArray(c.$in) && c.$in.every(isKey)) return c.$in as Key[];
  return null;
}

/** Every field → values a query pins, including inside a top-level `$and`. */
export function pinnedFields(query: AnyObject): Map<string, Key[]> {
  const out = new Map<string, Key[]>();
  const visit = (q: AnyObject) => {
    for (const [field, cond] of Object.entries(q)) {
      if (field === '$and' && Array.isArray(cond)) {
        for (const part of cond) if (part && typeof part === 'object') visit(part as AnyObject);
        continue;
      }
      if (field.startsWith('$') || field.includes('.') || field === '_id') continue;
      const values = pinnedValues(cond);
      if (values) out.set(field, values);
    }
  };
  visit(query);
  return out;
}

interface FieldMap {
  byValue: Map<Key, Set<string>>;
  /** Documents whose value is not a plain key: always candidates. */
  other: Set<string>;
}

export class FieldIndexes {
  private readonly fields = new Map<string, FieldMap>();
  /** The order documents were first inserted in (a scan's order). */
  private readonly ordinal = new Map<string, number>();
  private nextOrdinal = 0;

  constructor(private readonly docs: ReadonlyMap<string, { doc: AnyObject & { _id: string } }>) {}

  /**
   * The fields of a declared index are kept from the start, as a database maintains its indexes
   * on every write (a query's first use then finds them ready); others are built on first use.
   */
  declare(fields: readonly string[]): void {
    for (const f of fields) if (!f.includes('.') && f !== '_id') this.field(f);
  }

  /** A document was written (`prev` is the version it replaces, if any). */
  put(doc: AnyObject & { _id: string }, prev: AnyObject | undefined): void {
    if (!prev) this.ordinal.set(doc._id, this.nextOrdinal++);
    for (const [field, map] of this.fields) {
      if (prev && sameKey(prev[field], doc[field])) continue;
      if (prev) remove(map, prev[field], doc._id);
      add(map, doc[field], doc._id);
    }
  }

  del(prev: AnyObject & { _id: string }): void {
    this.ordinal.delete(prev._id);
    for (const [field, map] of this.fields) remove(map, prev[field], prev._id);
  }

  /**
   * The ids of the documents that can match `query`, in natural order, or null when no index
   * narrows it enough to be worth it (then the caller scans).
   */
  candidates(query: AnyObject, total: number): string[] | null {
    const ids = query._id as { $in?: unknown } | undefined;
    if (ids && typeof ids === 'object' && Array.isArray(ids.$in) && ids.$in.every(isKey)) {
      // `_id` in a list: those documents (that exist), without a scan
      return this.inOrder(
        [...new Set(ids.$in as Key[])].map(String).filter((id) => this.ordinal.has(id)),
      );
    }
    let best: Set<string>[] | null = null;
    let bestSize = Math.floor(total / 2);
    for (const [field, values] of pinnedFields(query)) {
      const map = this.field(field);
      const sets = [...new Set(values)].map((v) => map.byValue.get(v)).filter((s) => !!s);
      sets.push(map.other);
      const size = sets.reduce((n, s) => n + s.size, 0);
      if (size < bestSize) {
        best = sets;
        bestSize = size;
      }
    }
    if (!best) return null;
    // a value's set is in the order documents took that value: put them back in scan order
    return this.inOrder(best.flatMap((s) => [...s]));
  }

  private inOrder(ids: string[]): string[] {
    return ids.sort((a, b) => (this.ordinal.get(a) ?? 0) - (this.ordinal.get(b) ?? 0));
  }

  /**
   * The documents a `$lookup` joins on a top-level `field` for these local values (each equal to
   * one of them, or an array holding one: mingo's hash join), or null when a value is not a plain
   * key (mingo compares those). A set test per document, not a `$in` over every value.
   */
  joinOn(field: string, values: readonly unknown[]): AnyObject[] | null {
    if (field === '_id') {
      return values.flatMap((v) => (typeof v === 'string' ? (this.docs.get(v)?.doc ?? []) : []));
    }
    if (field.includes('.') || !values.every((v) => v === null || isKey(v))) return null;
    const want = new Set<unknown>(values);
    let ids: Iterable<string>;
    if (want.has(null)) {
      ids = this.docs.keys(); // missing or null fields join too: every document
    } else {
      const map = this.field(field);
      const sets = [...want].flatMap((v) => map.byValue.get(v as Key) ?? []);
      ids = this.inOrder([...sets.flatMap((s) => [...s]), ...map.other]);
    }
    const out: AnyObject[] = [];
    for (const id of ids) {
      const doc = this.docs.get(id)?.doc;
      if (!doc) continue;
      const v = doc[field];
      const hit = Array.isArray(v) ? v.some((x) => want.has(x ?? null)) : want.has(v ?? null);
      if (hit) out.push(doc);
    }
    return out;
  }

  /** The index of a field, built from the collection the first time it is asked for. */
  private field(name: string): FieldMap {
    let map = this.fields.get(name);
    if (!map) {
      map = { byValue: new Map(), other: new Set() };
      for (const { doc } of this.docs.values()) add(map, doc[name], doc._id);
      this.fields.set(name, map);
    }
    return map;
  }
}

function sameKey(a: unknown, b: unknown): boolean {
  return isKey(a) && isKey(b) ? a === b : false;
}

function add(map: FieldMap, value: unknown, id: string): void {
  if (!isKey(value)) {
    map.other.add(id);
    return;
  }
  let set = map.byValue.get(value);
  if (!set) map.byValue.set(value, (set = new Set()));
  set.add(id);
}

function remove(map: FieldMap, value: unknown, id: string): void {
  if (!isKey(value)) {
    map.other.delete(id);
    return;
  }
  const set = map.byValue.get(value);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) map.byValue.delete(value);
}
