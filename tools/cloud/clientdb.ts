/**
 * `POST /gateway/db`: the mini-program's own database access (`wx.cloud.database()`), answered as
 * the client SDK answers it under `database.rules.json`. The app itself never reads the database
 * from the client (everything goes through functions); this route exists so tests can prove what
 * a client that tries gets: every collection × owner/stranger/anonymous × read/write.
 *
 * Body: `{ openid?, collection, action: 'get'|'count'|'add'|'update'|'remove', where?, data?,
 * limit?, skip?, orderBy?: [[field, 'asc'|'desc']], field? }`. As in the client SDK: `get`
 * returns at most 20 documents (the default and the ceiling), `add` stamps `_openid` with the
 * caller, the string `'{openid}'` in a condition stands for the caller, and `where().update()` /
 * `where().remove()` act on every match. A request the rules do not allow for everything it could
 * touch fails as a whole with -502003 ("rules are not filters").
 */
import type { AnyObject } from 'mingo/types';
import { clientError, type Answer } from './answer';
import { LAZY_DEEPER, lazy, UNKNOWN, type Value } from './rules-expr';
import type { DatabaseRuleSet } from './rules';
import { StoreError, type Store } from './store';

/** The client SDK's page size: the default and the most one `get()` returns. */
export const CLIENT_GET_LIMIT = 20;

const ERR_PARAM = -501007;
const ERR_PERMISSION = -502003;
const ERR_NO_COLLECTION = -502005;
const ERR_REQUEST = -502001;

const QUERY_OPS = new Set([
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$and',
  '$or',
  '$nor',
  '$not',
  '$exists',
  '$size',
  '$all',
  '$elemMatch',
  '$regex',
  '$options',
]);
const UPDATE_OPS = new Set([
  '$set',
  '$inc',
  '$mul',
  '$unset',
  '$push',
  '$pull',
  '$addToSet',
  '$pop',
]);
const ACTIONS = ['get', 'count', 'add', 'update', 'remove'] as const;
type Action = (typeof ACTIONS)[number];

class BadRequest extends Error {}

function isPlain(v: unknown): v is AnyObject {
  return (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !(v instanceof RegExp)
  );
}

/** Copies a condition, refusing operators the client SDK cannot send, and fills in `{openid}`. */
function cleanWhere(v: unknown, openid: string | null, depth = 0): unknown {
  if (depth > 20) throw new BadRequest('condition nested too deeply');
  if (typeof v === 'string') return v === '{openid}' && openid ? openid : v;
  if (Array.isArray(v)) return v.map((x) => cleanWhere(x, openid, depth + 1));
  if (!isPlain(v)) return v;
  const out: AnyObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('$') && !QUERY_OPS.has(k)) throw new BadRequest(`unsupported operator ${k}`);
    out[k] = cleanWhere(x, openid, depth + 1);
  }
  return out;
}

/**
 * The fields a condition pins to one value (`{ status: 'published' }`, `{ a: { $eq: 1 } }`,
 * `$and` of such), by dotted path: all that a rule's `doc.*` may rely on for a query.
 */
export function pinnedFields(where: AnyObject, prefix = '', pins = new Map<string, unknown>()) {
  for (const [k, v] of Object.entries(where)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const sub of v) if (isPlain(sub)) pinnedFields(sub, prefix, pins);
      continue;
    }
    if (k.startsWith('$')) continue; // $or, $nor: no single value is certain
    const key = `${prefix}${k}`;
    if (isPlain(v)) {
      const keys = Object.keys(v);
      if (keys.length && keys.every((x) => x.startsWith('$'))) {
        if ('$eq' in v) pins.set(key, v.$eq);
        else if (Array.isArray(v.$in) && v.$in.length === 1) pins.set(key, v.$in[0]);
      } else pinnedFields(v, `${key}.`, pins);
    } else pins.set(key, v);
  }
  return pins;
}

function queryDoc(pins: Map<string, unknown>): Value {
  return lazy({
    lookup(path) {
      const key = path.join('.');
      if (pins.has(key)) return pins.get(key);
      for (const k of pins.keys()) if (k.startsWith(`${key}.`)) return LAZY_DEEPER;
      return UNKNOWN;
    },
  });
}

function cleanData(action: 'add' | 'update', data: unknown): AnyObject {
  if (!isPlain(data)) throw new BadRequest('data must be an object');
  const ops = Object.keys(data).filter((k) => k.startsWith('$'));
  if (action === 'add' && ops.length) throw new BadRequest('add data cannot hold operators');
  for (const op of ops) {
    if (!UPDATE_OPS.has(op)) throw new BadRequest(`unsupported update operator ${op}`);
  }
  if (ops.length && ops.length !== Object.keys(data).length)
    throw new BadRequest('mix of fields and update operators');
  const touched = ops.length
    ? Object.values(data).flatMap((v) => (isPlain(v) ? Object.keys(v) : []))
    : Object.keys(data);
  if (action === 'update' && touched.some((k) => k === '_id' || k === '_openid'))
    throw new BadRequest('_id and _openid cannot be changed');
  return data;
}

export interface ClientDbContext {
  store: Store;
  rules: () => DatabaseRuleSet;
  now: () => number;
}

export function clientDb(ctx: ClientDbContext, body: Record<string, unknown>): Answer {
  const action = body.action as Action;
  const api = `collection.${ACTIONS.includes(action) ? action : 'request'}`;
  const openid = body.openid;
  if (
    openid !== undefined &&
    openid !== '' &&
    (typeof openid !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(openid))
  )
    return clientError(400, api, ERR_PARAM, 'invalid parameter: openid');
  const auth = typeof openid === 'string' && openid ? { openid } : null;
  const collection = body.collection;
  if (!ACTIONS.includes(action))
    return clientError(
      400,
      api,
      ERR_PARAM,
      `invalid parameter: action must be ${ACTIONS.join('|')}`,
    );
  if (typeof collection !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(collection))
    return clientError(400, api, ERR_PARAM, 'invalid parameter: collection');
  if (!ctx.store.hasCollection(collection))
    return clientError(404, api, ERR_NO_COLLECTION, `collection not exists: ${collection}`);
  const rules = ctx.rules();
  const now = ctx.now();
  const denied = () =>
    clientError(403, api, ERR_PERMISSION, 'database permission denied | errMsg: Permission denied');

  try {
    if (action === 'add') {
      const doc: AnyObject = { ...cleanData('add', body.data) };
      // The client SDK stamps the creator; a client cannot claim to be someone else.
      if (auth) doc._openid = auth.openid;
      else delete doc._openid;
      if (!rules.decide(collection, 'create', { auth, doc, request: { data: doc }, now }))
        return denied();
      const [id] = ctx.store.insert(collection, [doc]);
      return { status: 200, json: { _id: id, errMsg: `${api}:ok` } };
    }

    if (body.where !== undefined && !isPlain(body.where))
      return clientError(400, api, ERR_PARAM, 'invalid parameter: where must be an object');
    const where = cleanWhere(body.where ?? {}, auth?.openid ?? null) as AnyObject;
    const op =
      action === 'get' || action === 'count' ? 'read' : action === 'update' ? 'update' : 'delete';
    const data = action === 'update' ? cleanData('update', body.data) : undefined;
    const request = { data };
    if (!rules.decide(collection, op, { auth, doc: queryDoc(pinnedFields(where)), request, now }))
      return denied();
    // Rules are checked against the query; every document it reaches must pass as well (a
    // condition on an array field matches arrays that contain the value, for instance).
    const reached = ctx.store.find(collection, where);
    if (!reached.every((doc) => rules.decide(collection, op, { auth, doc, request, now })))
      return denied();

    if (action === 'count')
      return { status: 200, json: { total: reached.length, errMsg: `${api}:ok` } };
    if (action === 'get') {
      const limit = body.limit === undefined ? CLIENT_GET_LIMIT : Number(body.limit);
      const skip = body.skip === undefined ? 0 : Number(body.skip);
      if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(skip) || skip < 0)
        return clientError(400, api, ERR_PARAM, 'invalid parameter: limit/skip');
      const sort: AnyObject = {};
      if (body.orderBy !== undefined) {
        if (!Array.isArray(body.orderBy)) throw new BadRequest('orderBy must be [[field, dir]]');
        for (const o of body.orderBy as unknown[]) {
          const [f, dir] = Array.isArray(o) ? o : [];
          if (typeof f !== 'string' || (dir !== 'asc' && dir !== 'desc'))
            throw new BadRequest('orderBy must be [[field, "asc"|"desc"]]');
          sort[f] = dir === 'asc' ? 1 : -1;
        }
      }
      const projection = isPlain(body.field) ? (body.field as AnyObject) : undefined;
      const docs = ctx.store.find(collection, where, {
        sort,
        skip,
        limit: Math.min(limit, CLIENT_GET_LIMIT),
        projection,
      });
      return { status: 200, json: { data: docs, errMsg: `${api}:ok` } };
    }
    if (action === 'update') {
      const modifier = Object.keys(data!).some((k) => k.startsWith('$')) ? data! : { $set: data };
      const r = ctx.store.update(collection, where, modifier, {
        multi: true,
        replace: false,
        upsert: false,
      });
      return { status: 200, json: { stats: { updated: r.updated }, errMsg: `${api}:ok` } };
    }
    const removed = ctx.store.remove(collection, where, { multi: true });
    return { status: 200, json: { stats: { removed }, errMsg: `${api}:ok` } };
  } catch (e) {
    if (e instanceof BadRequest)
      return clientError(400, api, ERR_PARAM, `invalid parameter: ${e.message}`);
    if (e instanceof StoreError) return clientError(400, api, ERR_REQUEST, e.message);
    throw e;
  }
}
