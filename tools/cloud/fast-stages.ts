/**
 * `$project` and `$group` stages of the common shapes as plain JavaScript (issue 16): mingo
 * evaluates an expression like a bill's outstanding amount at ~30 µs a document, so a report
 * grouping 20,000 rooms spent most of its time there. Here the expressions the functions use
 * (field paths, arithmetic, comparisons, `$cond`, `$switch`, `$and`/`$or`, `$in`, `$ifNull`,
 * `$max`/`$min` of a list) are compiled once into closures, and `$group` accumulates `$sum`, `$min`, `$max`,
 * `$first`, `$last`, `$push` and `$addToSet` directly.
 *
 * Anything else — another operator, a date in arithmetic, values of mixed types compared, an
 * array met along a path — is not guessed at: the stage returns null (or throws `Fallback` while
 * running) and mingo runs it. tests/conformance/field-index.test.ts compares the two.
 */
import type { AnyObject } from 'mingo/types';

/** Thrown while running a compiled stage that meets something only mingo should decide. */
export class Fallback extends Error {}

type Fn = (doc: AnyObject) => unknown;

const isPlain = (v: unknown) =>
  v === null || v === undefined || ['string', 'number', 'boolean'].includes(typeof v);

function path(p: string): Fn {
  const parts = p.split('.');
  return (doc) => {
    let cur: unknown = doc;
    for (const part of parts) {
      if (cur === null || cur === undefined) return undefined;
      if (Array.isArray(cur) || typeof cur !== 'object' || cur instanceof Date)
        throw new Fallback();
      cur = (cur as AnyObject)[part];
    }
    return cur;
  };
}

function num(v: unknown): number {
  if (typeof v !== 'number') throw new Fallback();
  return v;
}

/** Mongo's truthiness in expressions: false, 0, null and missing are false. */
const truthy = (v: unknown) => !(v === false || v === 0 || v === null || v === undefined);

function compare(a: unknown, b: unknown): number {
  const na = a === undefined ? null : a;
  const nb = b === undefined ? null : b;
  if (na === null || nb === null) {
    if (na === nb) return 0;
    throw new Fallback();
  }
  if (typeof na !== typeof nb || !['string', 'number', 'boolean'].includes(typeof na))
    throw new Fallback();
  return na < nb ? -1 : na > nb ? 1 : 0;
}

const COMPARE: Record<string, (c: number) => boolean> = {
  $gt: (c) => c > 0,
  $gte: (c) => c >= 0,
  $lt: (c) => c < 0,
  $lte: (c) => c <= 0,
  $eq: (c) => c === 0,
  $ne: (c) => c !== 0,
};

/** A closure for the expression, or null when mingo should evaluate it. */
export function compile(expr: unknown): Fn | null {
  if (typeof expr === 'string') {
    if (expr.startsWith('$$')) return null;
    if (expr.startsWith('$')) return path(expr.slice(1));
    return () => expr;
  }
  if (typeof expr === 'number' || typeof expr === 'boolean' || expr === null) return () => expr;
  if (!expr || typeof expr !== 'object' || Array.isArray(expr)) return null;
  const keys = Object.keys(expr);
  if (keys.length !== 1 || !keys[0]!.startsWith('$')) return null;
  const op = keys[0]!;
  const arg = (expr as AnyObject)[op];
  const list = (n?: number): Fn[] | null => {
    if (!Array.isArray(arg) || (n !== undefined && arg.length !== n)) return null;
    const fns = arg.map(compile);
    return fns.every((f) => f) ? (fns as Fn[]) : null;
  };
  if (op === '$add' || op === '$multiply') {
    const fns = list();
    if (!fns) return null;
    return op === '$add'
      ? (d) => fns.reduce((s, f) => s + num(f(d)), 0)
      : (d) => fns.reduce((s, f) => s * num(f(d)), 1);
  }
  if (op === '$subtract') {
    const fns = list(2);
    return fns && ((d) => num(fns[0]!(d)) - num(fns[1]!(d)));
  }
  if (op in COMPARE) {
    const fns = list(2);
    const test = COMPARE[op]!;
    return fns && ((d) => test(compare(fns[0]!(d), fns[1]!(d))));
  }
  if (op === '$and' || op === '$or') {
    const fns = list();
    if (!fns) return null;
    return op === '$and'
      ? (d) => fns.every((f) => truthy(f(d)))
      : (d) => fns.some((f) => truthy(f(d)));
  }
  if (op === '$cond') {
    const o = arg as AnyObject | unknown[] | null;
    const parts: unknown[] | null = Array.isArray(o) ? o : o ? [o.if, o.then, o.else] : null;
    if (!parts || parts.length !== 3) return null;
    const [c, t, e] = parts.map(compile);
    return c && t && e ? (d) => (truthy(c(d)) ? t(d) : e(d)) : null;
  }
  if (op === '$switch') {
    const o = arg as { branches?: { case: unknown; then: unknown }[]; default?: unknown } | null;
    if (!o || !Array.isArray(o.branches) || !('default' in o)) return null;
    const branches = o.branches.map((b) => [compile(b.case), compile(b.then)] as const);
    const other = compile(o.default);
    if (!other || branches.some(([c, t]) => !c || !t)) return null;
    return (d) => {
      for (const [c, t] of branches) if (truthy(c!(d))) return t!(d);
      return other(d);
    };
  }
  if (op === '$ifNull') {
    const fns = list(2);
    return fns && ((d) => fns[0]!(d) ?? fns[1]!(d));
  }
  if (op === '$in') {
    const fns = list(2);
    if (!fns) return null;
    return (d) => {
      const hay = fns[1]!(d);
      const needle = fns[0]!(d);
      if (!Array.isArray(hay) || !isPlain(needle) || !hay.every(isPlain)) throw new Fallback();
      return hay.includes(needle ?? null);
    };
  }
  if ((op === '$max' || op === '$min') && Array.isArray(arg)) {
    const fns = list();
    if (!fns) return null;
    return (d) => {
      const vs = fns.map((f) => f(d)).filter((v) => v !== null && v !== undefined);
      if (vs.length === 0) return null;
      return vs.map(num).reduce((a, b) => (op === '$max' ? Math.max(a, b) : Math.min(a, b)));
    };
  }
  return null;
}

/** `$project` of included plain fields and computed expressions; null: leave it to mingo. */
export function fastProject(spec: AnyObject): ((docs: AnyObject[]) => AnyObject[]) | null {
  const include: string[] = [];
  const computed: [string, Fn][] = [];
  let withId = true;
  for (const [field, v] of Object.entries(spec)) {
    if (field.includes('.') || field.startsWith('$')) return null;
    if (v === 0 || v === false) {
      if (field !== '_id') return null; // exclusion projections: mingo
      withId = false;
    } else if (v === 1 || v === true) {
      include.push(field);
    } else {
      const fn = compile(v);
      if (!fn) return null;
      computed.push([field, fn]);
    }
  }
  if (include.length === 0 && computed.length === 0) return null;
  return (docs) =>
    docs.map((doc) => {
      const out: AnyObject = {};
      if (withId && doc._id !== undefined) out._id = doc._id;
      for (const f of include) if (doc[f] !== undefined && f !== '_id') out[f] = doc[f];
      for (const [f, fn] of computed) {
        const v = fn(doc);
        if (v !== undefined) out[f] = v;
      }
      return out;
    });
}

type Acc = { init: () => unknown; add: (acc: unknown, v: unknown) => unknown };

const ACCUMULATORS: Record<string, Acc> = {
  $sum: { init: () => 0, add: (a, v) => (typeof v === 'number' ? (a as number) + v : a) },
  $min: {
    init: () => null,
    add: (a, v) => (v === null || v === undefined ? a : a === null || compare(v, a) < 0 ? v : a),
  },
  $max: {
    init: () => null,
    add: (a, v) => (v === null || v === undefined ? a : a === null || compare(v, a) > 0 ? v : a),
  },
  $push: { init: () => [], add: (a, v) => ((a as unknown[]).push(v), a) },
  $addToSet: {
    init: () => [],
    add: (a, v) => {
      if (!isPlain(v)) throw new Fallback();
      const list = a as unknown[];
      if (v !== undefined && !list.includes(v)) list.push(v);
      return a;
    },
  },
};

/** `$group` by plain values with the usual accumulators; null: leave it to mingo. */
export function fastGroup(spec: AnyObject): ((docs: AnyObject[]) => AnyObject[]) | null {
  const idSpec = spec._id;
  let idFn: Fn | null;
  if (idSpec && typeof idSpec === 'object' && !Array.isArray(idSpec)) {
    const parts = Object.entries(idSpec as AnyObject).map(([k, e]) => [k, compile(e)] as const);
    if (parts.some(([k, f]) => !f || k.startsWith('$'))) return null;
    idFn = (d) =>
      Object.fromEntries(
        parts.map(([k, f]) => {
          const v = f!(d);
          if (v === undefined) throw new Fallback(); // a missing part: mingo decides
          return [k, v];
        }),
      );
  } else {
    idFn = compile(idSpec ?? null);
  }
  if (!idFn) return null;
  const fields: [string, string, Fn][] = [];
  for (const [field, acc] of Object.entries(spec)) {
    if (field === '_id') continue;
    if (!acc || typeof acc !== 'object' || Object.keys(acc).length !== 1) return null;
    const op = Object.keys(acc)[0]!;
    const fn = compile((acc as AnyObject)[op]);
    if (!fn || !(op in ACCUMULATORS || op === '$first' || op === '$last')) return null;
    fields.push([field, op, fn]);
  }
  const getId = idFn;
  return (docs) => {
    const groups = new Map<string, AnyObject>();
    for (const doc of docs) {
      const id = getId(doc) ?? null;
      if (typeof id === 'object' && id !== null && !Object.values(id).every(isPlain))
        throw new Fallback();
      if (!isPlain(id) && (typeof id !== 'object' || id === null)) throw new Fallback();
      const key = JSON.stringify(id);
      let g = groups.get(key);
      if (!g) {
        g = { _id: id };
        for (const [f, op] of fields) g[f] = op === '$first' ? undefined : ACCUMULATORS[op]?.init();
        (g as { __first?: Set<string> }).__first = new Set();
        groups.set(key, g);
      }
      const seen = (g as { __first: Set<string> }).__first;
      for (const [f, op, fn] of fields) {
        const v = fn(doc);
        if (v === undefined && op !== '$sum' && op !== '$min' && op !== '$max')
          throw new Fallback();
        if (op === '$first') {
          if (!seen.has(f)) g[f] = v;
          seen.add(f);
        } else if (op === '$last') g[f] = v;
        else g[f] = ACCUMULATORS[op]!.add(g[f], v);
      }
    }
    return [...groups.values()].map((g) => {
      delete (g as { __first?: unknown }).__first;
      return g;
    });
  };
}
