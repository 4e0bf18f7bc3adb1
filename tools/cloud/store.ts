/**
 * The local cloud's document store: collections of documents with MongoDB semantics (queries,
 * updates and aggregation come from mingo), unique indexes, snapshot-isolated transactions and a
 * durable journal.
 *
 * Durability: every acknowledged change is appended to `journal.ndjson` with a synchronous write
 * before the reply leaves, so it survives a restart and a `kill -9`. One journal line holds one
 * atomic batch (a single write, a multi-document update or a transaction commit), so a batch is
 * either replayed whole or not at all; a torn last line is skipped with a warning.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EJSON } from 'bson';
import { Query, find, update as applyUpdate } from 'mingo';
import type { AnyObject } from 'mingo/types';
import { runPipeline } from './aggregate-plan';
import { FieldIndexes } from './field-index';

export type Doc = AnyObject & { _id: string };

/** An error in the shape CloudBase answers with: a string code and a message. */
export class StoreError extends Error {
  constructor(
    public readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const ERR = {
  COLLECTION_NOT_EXIST: 'DATABASE_COLLECTION_NOT_EXIST',
  COLLECTION_EXISTS: 'DATABASE_COLLECTION_ALREADY_EXIST',
  // CloudBase reports a unique-index violation as a failed request carrying Mongo's E11000 text.
  DUPLICATE: 'DATABASE_REQUEST_FAILED',
  TXN_CONFLICT: 'DATABASE_TRANSACTION_CONFLICT',
  TXN_NOT_FOUND: 'DATABASE_TRANSACTION_FAIL',
  INVALID: 'INVALID_PARAM',
  DOC_NOT_EXIST: 'DATABASE_DOCUMENT_NOT_EXIST',
} as const;

export interface IndexSpec {
  name: string;
  /** Field paths (dotted) in key order. */
  keys: string[];
  unique?: boolean;
}

interface Stored {
  doc: Doc;
  /** Commit sequence number of the write that produced this version. */
  seq: number;
}

interface Version {
  seq: number;
  doc: Doc | null;
}

interface Collection {
  name: string;
  docs: Map<string, Stored>;
  indexes: IndexSpec[];
  /** Per unique index: key string -> _id. */
  uniqueMaps: Map<string, Map<string, string>>;
  /** Equality indexes that narrow queries (built lazily per field: ./field-index.ts). */
  fieldIndex: FieldIndexes;
}

type JournalOp =
  | { t: 'put'; c: string; d: Doc }
  | { t: 'del'; c: string; id: string }
  | { t: 'coll'; c: string }
  | { t: 'dropcoll'; c: string }
  | { t: 'index'; c: string; spec: IndexSpec };

interface Change {
  coll: string;
  id: string;
  /** The new document, or null for a removal. */
  doc: Doc | null;
}

interface Txn {
  id: string;
  startSeq: number;
  /** Buffered writes keyed by `coll\u0000id`. */
  writes: Map<string, Change>;
  startedAt: number;
}

const TXN_TTL_MS = 30_000;

function docKey(coll: string, id: string): string {
  return `${coll}\u0000${id}`;
}

function getPath(doc: AnyObject, dotted: string): unknown {
  let cur: unknown = doc;
  for (const part of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as AnyObject)[part];
  }
  return cur;
}

/** Deep copy that keeps Dates and RegExps (documents never hold functions or cycles). */
export function clone<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (value instanceof RegExp) return new RegExp(value.source, value.flags) as T;
  if (Array.isArray(value)) return value.map((v) => clone(v)) as T;
  const out: AnyObject = {};
  for (const [k, v] of Object.entries(value as AnyObject)) out[k] = clone(v);
  return out as T;
}

let idCounter = 0;
/** A 32-hex-char id like CloudBase's, unique within this process and across restarts. */
export function newId(): string {
  idCounter = (idCounter + 1) % 0xffffff;
  const time = Date.now().toString(16).padStart(12, '0');
  const rand = Array.from({ length: 14 }, () => Math.floor(Math.random() * 16).toString(16)).join(
    '',
  );
  return `${time}${idCounter.toString(16).padStart(6, '0')}${rand}`.slice(0, 32);
}

export interface StoreOptions {
  /** Directory for the journal; omit for a memory-only store. */
  dataDir?: string;
  log?: (msg: string) => void;
  /** Server time, for transaction timeouts (the local cloud passes its dev clock). */
  now?: () => number;
}

export class Store {
  private collections = new Map<string, Collection>();
  private seq = 0;
  private txns = new Map<string, Txn>();
  /** Older versions of documents, kept only while transactions are open (snapshot reads). */
  private history = new Map<string, Version[]>();
  /** docKey -> id of the open transaction that has written it (write lock). */
  private locks = new Map<string, string>();
  /** docKey -> seq of its last committed write or removal, kept while transactions are open. */
  private lastWriteSeq = new Map<string, number>();
  private journalFd: number | null = null;
  private journalPath: string | null = null;
  private log: (msg: string) => void;
  private now: () => number;

  constructor(opts: StoreOptions = {}) {
    this.log = opts.log ?? ((m) => console.warn(m));
    this.now = opts.now ?? (() => Date.now());
    if (opts.dataDir) this.open(opts.dataDir);
  }

  // ---------------------------------------------------------------- persistence

  private open(dataDir: string): void {
    fs.mkdirSync(dataDir, { recursive: true });
    this.journalPath = path.join(dataDir, 'journal.ndjson');
    if (fs.existsSync(this.journalPath)) this.replay(this.journalPath);
    this.journalFd = fs.openSync(this.journalPath, 'a');
  }

  private replay(file: string): void {
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split('\n');
    let goodBytes = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? '';
      const isLast = i === lines.length - 1;
      if (line.trim() === '') {
        if (!isLast) goodBytes += Buffer.byteLength(line) + 1;
        continue;
      }
      let batch: JournalOp[];
      try {
        batch = EJSON.parse(line, { relaxed: false }) as unknown as JournalOp[];
        if (!Array.isArray(batch)) throw new Error('not a batch');
      } catch {
        this.log(
          `[local-cloud] journal ${file}: skipping a torn or unreadable record at line ${i + 1} (an interrupted write); later records: ${lines.length - i - 1}`,
        );
        break;
      }
      for (const op of batch) this.applyJournalOp(op);
      goodBytes += Buffer.byteLength(line) + (isLast ? 0 : 1);
    }
    // Cut a torn tail so the next append starts on a clean line.
    if (goodBytes < Buffer.byteLength(text)) fs.truncateSync(file, goodBytes);
  }

  private applyJournalOp(op: JournalOp): void {
    this.seq++;
    switch (op.t) {
      case 'coll':
        this.ensureCollection(op.c);
        break;
      case 'dropcoll':
        this.collections.delete(op.c);
        break;
      case 'index': {
        const coll = this.ensureCollection(op.c);
        this.installIndex(coll, op.spec);
        break;
      }
      case 'put': {
        const coll = this.ensureCollection(op.c);
        this.putDoc(coll, toNative(op.d) as Doc, this.seq);
        break;
      }
      case 'del': {
        const coll = this.ensureCollection(op.c);
        this.delDoc(coll, op.id);
        break;
      }
    }
  }

  private writeJournal(batch: JournalOp[]): void {
    if (this.journalFd === null || batch.length === 0) return;
    const line = EJSON.stringify(batch, { relaxed: false }) + '\n';
    fs.writeSync(this.journalFd, line);
  }

  /** Rewrites the journal as the minimal set of records for the current state. */
  compact(): void {
    if (!this.journalPath) return;
    const tmp = `${this.journalPath}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    for (const coll of this.collections.values()) {
      const head: JournalOp[] = [{ t: 'coll', c: coll.name }];
      for (const spec of coll.indexes) head.push({ t: 'index', c: coll.name, spec });
      fs.writeSync(fd, EJSON.stringify(head, { relaxed: false }) + '\n');
      let chunk: JournalOp[] = [];
      for (const { doc } of coll.docs.values()) {
        chunk.push({ t: 'put', c: coll.name, d: doc });
        if (chunk.length === 500) {
          fs.writeSync(fd, EJSON.stringify(chunk, { relaxed: false }) + '\n');
          chunk = [];
        }
      }
      if (chunk.length) fs.writeSync(fd, EJSON.stringify(chunk, { relaxed: false }) + '\n');
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    if (this.journalFd !== null) fs.closeSync(this.journalFd);
    fs.renameSync(tmp, this.journalPath);
    this.journalFd = fs.openSync(this.journalPath, 'a');
  }

  close(): void {
    if (this.journalFd !== null) {
      fs.closeSync(this.journalFd);
      this.journalFd = null;
    }
  }

  /** Drops everything (used by /dev/reset). */
  clear(): void {
    this.collections.clear();
    this.txns.clear();
    this.history.clear();
    this.locks.clear();
    this.lastWriteSeq.clear();
    if (this.journalPath) {
      if (this.journalFd !== null) fs.closeSync(this.journalFd);
      fs.writeFileSync(this.journalPath, '');
      this.journalFd = fs.openSync(this.journalPath, 'a');
    }
  }

  // ---------------------------------------------------------------- collections & indexes

  private ensureCollection(name: string): Collection {
    let coll = this.collections.get(name);
    if (!coll) {
      const docs = new Map<string, Stored>();
      coll = {
        name,
        docs,
        indexes: [],
        uniqueMaps: new Map(),
        fieldIndex: new FieldIndexes(docs),
      };
      this.collections.set(name, coll);
    }
    return coll;
  }

  private collection(name: string): Collection {
    const coll = this.collections.get(name);
    if (!coll) {
      throw new StoreError(
        ERR.COLLECTION_NOT_EXIST,
        `[ResourceNotFound] Db or Table not exist: ${name}. 集合 ${name} 不存在，请先创建集合`,
      );
    }
    return coll;
  }

  hasCollection(name: string): boolean {
    return this.collections.has(name);
  }

  listCollections(): { name: string; count: number; indexes: IndexSpec[] }[] {
    return [...this.collections.values()].map((c) => ({
      name: c.name,
      count: c.docs.size,
      indexes: c.indexes,
    }));
  }

  createCollection(name: string): void {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
      throw new StoreError(ERR.INVALID, `invalid collection name: ${name}`);
    }
    if (this.collections.has(name)) {
      throw new StoreError(ERR.COLLECTION_EXISTS, `Table exist: ${name}`);
    }
    this.seq++;
    this.ensureCollection(name);
    this.writeJournal([{ t: 'coll', c: name }]);
  }

  /** Declares an index; a unique index fails if existing documents already collide. */
  createIndex(collName: string, spec: IndexSpec): void {
    if (!this.collections.has(collName)) this.createCollection(collName);
    const coll = this.collection(collName);
    const existing = coll.indexes.find((i) => i.name === spec.name);
    if (existing) {
      if (JSON.stringify(existing) === JSON.stringify(spec)) return;
      throw new StoreError(ERR.INVALID, `index ${spec.name} exists with a different definition`);
    }
    this.installIndex(coll, spec);
    this.seq++;
    this.writeJournal([{ t: 'index', c: collName, spec }]);
  }

  private installIndex(coll: Collection, spec: IndexSpec): void {
    if (coll.indexes.some((i) => i.name === spec.name)) return;
    if (spec.unique) {
      const map = new Map<string, string>();
      for (const { doc } of coll.docs.values()) {
        const key = uniqueKey(doc, spec);
        if (key === null) continue;
        const other = map.get(key);
        if (other !== undefined) {
          throw new StoreError(
            ERR.DUPLICATE,
            `E11000 duplicate key error collection: ${coll.name} index: ${spec.name} dup key: ${key}`,
          );
        }
        map.set(key, doc._id);
      }
      coll.uniqueMaps.set(spec.name, map);
    }
    coll.fieldIndex.declare(spec.keys);
    coll.indexes.push(spec);
  }

  private putDoc(coll: Collection, doc: Doc, seq: number): void {
    const prev = coll.docs.get(doc._id);
    for (const spec of coll.indexes) {
      if (!spec.unique) continue;
      const map = coll.uniqueMaps.get(spec.name)!;
      if (prev) {
        const oldKey = uniqueKey(prev.doc, spec);
        if (oldKey !== null && map.get(oldKey) === doc._id) map.delete(oldKey);
      }
      const key = uniqueKey(doc, spec);
      if (key !== null) map.set(key, doc._id);
    }
    coll.fieldIndex.put(doc, prev?.doc);
    coll.docs.set(doc._id, { doc, seq });
  }

  private delDoc(coll: Collection, id: string): void {
    const prev = coll.docs.get(id);
    if (!prev) return;
    for (const spec of coll.indexes) {
      if (!spec.unique) continue;
      const map = coll.uniqueMaps.get(spec.name)!;
      const oldKey = uniqueKey(prev.doc, spec);
      if (oldKey !== null && map.get(oldKey) === id) map.delete(oldKey);
    }
    coll.fieldIndex.del(prev.doc);
    coll.docs.delete(id);
  }

  // ---------------------------------------------------------------- committing

  /**
   * Validates and applies a batch of changes atomically: unique constraints are checked against
   * the state the whole batch produces, then the batch is journaled and made visible.
   */
  private commitChanges(changes: Change[]): void {
    if (changes.length === 0) return;
    // Unique-index check over the batch.
    const byColl = new Map<string, Change[]>();
    for (const ch of changes) {
      const list = byColl.get(ch.coll) ?? [];
      list.push(ch);
      byColl.set(ch.coll, list);
    }
    for (const [collName, list] of byColl) {
      const coll = this.collection(collName);
      const touched = new Set(list.map((c) => c.id));
      for (const spec of coll.indexes) {
        if (!spec.unique) continue;
        const map = coll.uniqueMaps.get(spec.name)!;
        const seen = new Map<string, string>();
        for (const ch of list) {
          if (!ch.doc) continue;
          const key = uniqueKey(ch.doc, spec);
          if (key === null) continue;
          const owner = map.get(key);
          const inBatch = seen.get(key);
          if ((owner !== undefined && !touched.has(owner)) || (inBatch && inBatch !== ch.id)) {
            throw new StoreError(
              ERR.DUPLICATE,
              `E11000 duplicate key error collection: ${collName} index: ${spec.name} dup key: ${key}`,
            );
          }
          // A touched owner that keeps the key in this batch also collides.
          if (owner !== undefined && owner !== ch.id && touched.has(owner)) {
            const ownerChange = list.find((c) => c.id === owner);
            if (ownerChange?.doc && uniqueKey(ownerChange.doc, spec) === key) {
              throw new StoreError(
                ERR.DUPLICATE,
                `E11000 duplicate key error collection: ${collName} index: ${spec.name} dup key: ${key}`,
              );
            }
          }
          seen.set(key, ch.id);
        }
      }
    }
    const batch: JournalOp[] = changes.map((ch) =>
      ch.doc ? { t: 'put', c: ch.coll, d: ch.doc } : { t: 'del', c: ch.coll, id: ch.id },
    );
    this.writeJournal(batch);
    this.seq++;
    const seq = this.seq;
    const keepHistory = this.txns.size > 0;
    for (const ch of changes) {
      const coll = this.collection(ch.coll);
      if (keepHistory) {
        const key = docKey(ch.coll, ch.id);
        this.lastWriteSeq.set(key, seq);
        const prev = coll.docs.get(ch.id);
        const list = this.history.get(key) ?? [];
        list.push(prev ? { seq: prev.seq, doc: prev.doc } : { seq: 0, doc: null });
        this.history.set(key, list);
      }
      if (ch.doc) this.putDoc(coll, ch.doc, seq);
      else this.delDoc(coll, ch.id);
    }
  }

  // ---------------------------------------------------------------- reads

  private docsOf(collName: string): Doc[] {
    return [...this.collection(collName).docs.values()].map((s) => s.doc);
  }

  /** Matching documents (not copies: callers clone before handing out). */
  private match(collName: string, query: AnyObject): Doc[] {
    const coll = this.collection(collName);
    const q = normaliseQuery(query);
    const id = q._id;
    if (typeof id === 'string') {
      const stored = coll.docs.get(id);
      return stored && new Query(q).test(stored.doc) ? [stored.doc] : [];
    }
    const mq = new Query(q);
    const out: Doc[] = [];
    const ids = coll.fieldIndex.candidates(q, coll.docs.size);
    if (ids) {
      for (const id of ids) {
        const doc = coll.docs.get(id)?.doc;
        if (doc && mq.test(doc)) out.push(doc);
      }
      return out;
    }
    for (const { doc } of coll.docs.values()) if (mq.test(doc)) out.push(doc);
    return out;
  }

  find(
    collName: string,
    query: AnyObject,
    opts: { sort?: AnyObject; skip?: number; limit?: number; projection?: AnyObject } = {},
  ): Doc[] {
    const docs = this.match(collName, query);
    let cursor = find(docs, {});
    if (opts.sort && Object.keys(opts.sort).length) cursor = cursor.sort(opts.sort as never);
    if (opts.skip) cursor = cursor.skip(opts.skip);
    if (opts.limit !== undefined) cursor = cursor.limit(opts.limit);
    let out = cursor.all() as Doc[];
    if (opts.projection && Object.keys(opts.projection).length) {
      out = find(out, {}, normaliseProjection(opts.projection)).all() as Doc[];
    }
    return out.map((d) => clone(d));
  }

  count(collName: string, query: AnyObject): number {
    return this.match(collName, query).length;
  }

  /** Runs a pipeline with mingo, reading through the indexes (./aggregate-plan.ts). */
  aggregate(collName: string, pipeline: AnyObject[]): AnyObject[] {
    return runPipeline(pipeline, {
      source: (match) => (match ? this.match(collName, match) : this.docsOf(collName)),
      foreign: (name, field, values) =>
        this.collection(name).fieldIndex.joinOn(field, values) ??
        this.match(name, { [field]: { $in: values } }),
      collection: (name) => this.docsOf(name),
    }).map((d) => clone(d));
  }

  // ---------------------------------------------------------------- writes

  insert(collName: string, docs: AnyObject[], txnId?: string): string[] {
    this.collection(collName);
    const changes: Change[] = [];
    const ids: string[] = [];
    for (const raw of docs) {
      const doc = clone(raw) as Doc;
      if (doc._id === undefined || doc._id === null || doc._id === '') doc._id = newId();
      if (typeof doc._id !== 'string') doc._id = String(doc._id);
      const exists = txnId
        ? this.readInTxn(txnId, collName, doc._id) !== null
        : this.collection(collName).docs.has(doc._id);
      if (exists || changes.some((c) => c.id === doc._id)) {
        throw new StoreError(
          ERR.DUPLICATE,
          `E11000 duplicate key error collection: ${collName} index: _id_ dup key: { _id: "${doc._id}" }`,
        );
      }
      changes.push({ coll: collName, id: doc._id, doc });
      ids.push(doc._id);
    }
    if (txnId) for (const ch of changes) this.bufferTxnWrite(txnId, ch);
    else this.commitChanges(changes);
    return ids;
  }

  /**
   * Applies an update to every matching document (or the first, when multi is false).
   * `replace` replaces whole documents (set); otherwise `modifier` holds update operators.
   * Returns the number updated and the id of an upserted document.
   */
  update(
    collName: string,
    query: AnyObject,
    modifier: AnyObject,
    opts: { multi: boolean; replace: boolean; upsert: boolean; txnId?: string },
  ): { updated: number; upsertedId?: string } {
    const targets = this.writeTargets(collName, query, opts);
    const changes: Change[] = [];
    let updated = 0;
    for (const target of targets) {
      const next = opts.replace ? { ...clone(modifier), _id: target._id } : clone(target);
      let changed: boolean;
      if (opts.replace) {
        changed = !sameDoc(next, target);
      } else {
        const fields = applyUpdate(next, modifier as never, undefined, undefined, {
          cloneMode: 'deep',
        });
        changed = fields.length > 0 && !sameDoc(next, target);
      }
      if (next._id !== target._id) {
        throw new StoreError(ERR.INVALID, '不能修改文档的 _id');
      }
      if (changed) {
        changes.push({ coll: collName, id: target._id, doc: next as Doc });
        updated++;
      }
    }
    let upsertedId: string | undefined;
    if (targets.length === 0 && opts.upsert) {
      const base: AnyObject = {};
      if (typeof query._id === 'string') base._id = query._id;
      let doc: AnyObject;
      if (opts.replace) doc = { ...clone(modifier), ...base };
      else {
        doc = base;
        applyUpdate(doc, modifier as never, undefined, undefined, { cloneMode: 'deep' });
      }
      if (doc._id === undefined) doc._id = newId();
      upsertedId = String(doc._id);
      changes.push({ coll: collName, id: upsertedId, doc: doc as Doc });
    }
    if (opts.txnId) for (const ch of changes) this.bufferTxnWrite(opts.txnId, ch);
    else this.commitChanges(changes);
    return upsertedId !== undefined ? { updated, upsertedId } : { updated };
  }

  /** Finds one document, updates it and returns the new version (updateAndReturn). */
  findOneAndUpdate(collName: string, query: AnyObject, modifier: AnyObject): Doc | null {
    const target = this.match(collName, query)[0];
    if (!target) return null;
    const next = clone(target);
    applyUpdate(next, modifier as never, undefined, undefined, { cloneMode: 'deep' });
    this.commitChanges([{ coll: collName, id: target._id, doc: next }]);
    return clone(next);
  }

  remove(collName: string, query: AnyObject, opts: { multi: boolean; txnId?: string }): number {
    const targets = this.writeTargets(collName, query, opts);
    const changes: Change[] = targets.map((t) => ({ coll: collName, id: t._id, doc: null }));
    if (opts.txnId) for (const ch of changes) this.bufferTxnWrite(opts.txnId, ch);
    else this.commitChanges(changes);
    return targets.length;
  }

  /**
   * The documents an update or remove applies to: inside a transaction the one its `_id` names
   * (as the transaction sees it), otherwise every match, or the first unless `multi`.
   */
  private writeTargets(
    collName: string,
    query: AnyObject,
    opts: { multi: boolean; txnId?: string },
  ): Doc[] {
    this.collection(collName);
    if (opts.txnId) {
      const id = query._id;
      if (typeof id !== 'string') {
        throw new StoreError(ERR.INVALID, '事务中只支持按 _id 操作单个文档');
      }
      const cur = this.readInTxn(opts.txnId, collName, id);
      return cur ? [cur] : [];
    }
    const targets = this.match(collName, query);
    return opts.multi ? targets : targets.slice(0, 1);
  }

  // ---------------------------------------------------------------- transactions

  /** Open transactions (an abandoned one holds its locks until it times out). */
  openTransactions(): number {
    this.expireTransactions();
    return this.txns.size;
  }

  startTransaction(): string {
    this.expireTransactions();
    const id = `txn_${newId()}`;
    this.txns.set(id, { id, startSeq: this.seq, writes: new Map(), startedAt: this.now() });
    return id;
  }

  private txn(id: string): Txn {
    this.expireTransactions();
    const txn = this.txns.get(id);
    if (!txn) {
      throw new StoreError(ERR.TXN_NOT_FOUND, `transaction ${id} not found, expired or finished`);
    }
    return txn;
  }

  private expireTransactions(): void {
    const now = this.now();
    for (const txn of this.txns.values()) {
      if (now - txn.startedAt > TXN_TTL_MS) this.endTxn(txn.id);
    }
  }

  private endTxn(id: string): void {
    this.txns.delete(id);
    for (const [key, owner] of this.locks) if (owner === id) this.locks.delete(key);
    if (this.txns.size === 0) {
      this.history.clear();
      this.lastWriteSeq.clear();
    }
  }

  /** The document as the transaction sees it: its own writes over its snapshot. */
  readInTxn(txnId: string, collName: string, id: string): Doc | null {
    const txn = this.txn(txnId);
    const key = docKey(collName, id);
    const own = txn.writes.get(key);
    if (own) return own.doc ? clone(own.doc) : null;
    const cur = this.collection(collName).docs.get(id);
    if (cur && cur.seq <= txn.startSeq) return clone(cur.doc);
    // Changed (or removed) after the snapshot: the history holds the version we saw.
    const versions = this.history.get(key) ?? [];
    for (let i = versions.length - 1; i >= 0; i--) {
      const v = versions[i]!;
      if (v.seq <= txn.startSeq) return v.doc ? clone(v.doc) : null;
    }
    return null;
  }

  private bufferTxnWrite(txnId: string, change: Change): void {
    const txn = this.txn(txnId);
    const key = docKey(change.coll, change.id);
    const holder = this.locks.get(key);
    const changedSince = (this.lastWriteSeq.get(key) ?? 0) > txn.startSeq;
    if ((holder && holder !== txnId) || changedSince) {
      this.endTxn(txnId);
      throw new StoreError(
        ERR.TXN_CONFLICT,
        `[WriteConflict] document ${change.coll}/${change.id} was changed by another operation; the transaction is aborted`,
      );
    }
    this.locks.set(key, txnId);
    txn.writes.set(key, change);
  }

  commitTransaction(txnId: string): void {
    const txn = this.txn(txnId);
    // Non-transactional writes do not take locks: check nothing changed under us.
    for (const [key, ch] of txn.writes) {
      if ((this.lastWriteSeq.get(key) ?? 0) > txn.startSeq) {
        this.endTxn(txnId);
        throw new StoreError(
          ERR.TXN_CONFLICT,
          `[WriteConflict] document ${ch.coll}/${ch.id} was changed by another operation; the transaction is aborted`,
        );
      }
    }
    try {
      this.commitChanges([...txn.writes.values()]);
    } finally {
      this.endTxn(txnId);
    }
  }

  abortTransaction(txnId: string): void {
    this.txn(txnId);
    this.endTxn(txnId);
  }
}

function sameDoc(a: AnyObject, b: AnyObject): boolean {
  return EJSON.stringify(a, { relaxed: false }) === EJSON.stringify(b, { relaxed: false });
}

function uniqueKey(doc: AnyObject, spec: IndexSpec): string | null {
  const parts = spec.keys.map((k) => getPath(doc, k));
  // Like a sparse unique index: documents missing every key field do not take part.
  if (parts.every((p) => p === undefined)) return null;
  return EJSON.stringify(
    parts.map((p) => (p === undefined ? null : p)),
    { relaxed: false },
  );
}

/** CloudBase accepts `{a: 1}` projections with 0/1 and booleans; mingo wants numbers. */
function normaliseProjection(p: AnyObject): AnyObject {
  const out: AnyObject = {};
  for (const [k, v] of Object.entries(p)) out[k] = v === true ? 1 : v === false ? 0 : v;
  return out;
}

/** Stored regular expressions arrive as BSONRegExp; mingo needs JS RegExp. */
export function normaliseQuery(q: AnyObject): AnyObject {
  return toNative(q) as AnyObject;
}

/** Converts bson wrapper types (BSONRegExp, Int32, Double, Long, ObjectId) to plain JS values. */
export function toNative(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Date || v instanceof RegExp) return v;
  const bsontype = (v as { _bsontype?: string })._bsontype;
  if (bsontype) {
    switch (bsontype) {
      case 'BSONRegExp': {
        const r = v as { pattern: string; options: string };
        return new RegExp(r.pattern, r.options.replace(/[^gimsuy]/g, ''));
      }
      case 'Int32':
      case 'Double':
        return (v as { valueOf(): number }).valueOf();
      case 'Long':
        return (v as { toNumber(): number }).toNumber();
      case 'ObjectId':
      case 'ObjectID':
        return (v as { toHexString(): string }).toHexString();
      case 'Decimal128':
        return Number((v as { toString(): string }).toString());
      default:
        return v;
    }
  }
  if (Array.isArray(v)) return v.map(toNative);
  const out: AnyObject = {};
  for (const [k, val] of Object.entries(v as AnyObject)) out[k] = toNative(val);
  return out;
}
