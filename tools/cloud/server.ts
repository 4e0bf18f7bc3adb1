/**
 * The local cloud: an HTTP server on 127.0.0.1 that speaks the CloudBase server API the
 * unmodified `wx-server-sdk` uses (pointed here by `TCB_CONTEXT_CNFG`), runs the cloud functions
 * in worker processes, fires their timers on a dev clock, keeps files, records subscribe
 * messages, and offers loopback-only dev endpoints. See README "The local cloud".
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { EJSON } from 'bson';
import Busboy from 'busboy';
import type { AnyObject } from 'mingo/types';
import { sendAnswer } from './answer';
import { clientDb } from './clientdb';
import { DevClock } from './clock';
import { CloudFiles } from './files';
import { RequestStats } from './stats';
import { WxHttpApi } from './httpapi';
import { parseCron7, type ParsedCron } from './cron';
import { FunctionError, FunctionRunner, FN_ERR, type CallerContext } from './functions';
import { decodeOpenApiRequest, encodeOpenApiResponse } from './openapi';
import { PaySandbox, type PayFaults } from './pay';
import { initialRules, type DatabaseRules, type LiveRules, type StorageRule } from './rules';
import { TcbManagementApi } from './tcbapi';
import { newId, Store, StoreError, toNative, type IndexSpec } from './store';
import {
  fitKeyword,
  KEYWORD_TYPES,
  type KeywordType,
} from '../../miniprogram/domain/notice/subscribe';

export const LOCAL_ENV_ID = 'local-dev';
export const LOCAL_APPID = 'wxlocaldevappid';
export const LOCAL_BUCKET = 'local-bucket';

export interface CollectionDecl {
  name: string;
  indexes?: IndexSpec[];
}

export interface SeedContext {
  url: string;
  call: (fn: string, event: unknown, openid?: string) => Promise<unknown>;
  store: Store;
  clock: DevClock;
}

export type Seeder = (kind: 'demo' | 'empty', ctx: SeedContext) => Promise<void>;

export type RequestHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
) => boolean | Promise<boolean>;

export interface StartCloudOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Where the journal and files live; omit for a memory-only cloud. */
  dataDir?: string;
  functionsDir?: string;
  /** Seed when the data directory is empty. */
  seed?: 'demo' | 'empty';
  seeder?: Seeder;
  quiet?: boolean;
  /** Fire timers on schedule (default true). */
  timers?: boolean;
  /** Extra request handler (the preview), tried for paths the cloud does not own. */
  handler?: RequestHandler;
  /**
   * Start the dev clock at this instant (ISO string or epoch ms) instead of real time; a reset
   * returns to it. Tests pin it so a demo seeded "relative to today" is the same on any day.
   */
  clockAt?: string | number;
  /** Delay every database request by this many ms (default: CLOUD_DB_LATENCY_MS, else 0). */
  dbLatencyMs?: number;
  /**
   * A cold instance loads its function's code inside the first invocation's timeout, as on
   * CloudBase (default: CLOUD_COLD_LOAD_IN_TIMEOUT=1, else off; see tools/cloud/functions.ts).
   */
  coldLoadInTimeout?: boolean;
  /** Security rules for client access (default: database.rules.json and storage.rules.json). */
  rules?: { database?: DatabaseRules; storage?: StorageRule };
  /**
   * Called once the server listens, before the seed runs (startCloud resolves after it); until
   * then `GET /healthz` answers `"ready": false`.
   */
  onListening?: (url: string) => void;
}

export interface OutboxMessage {
  id: string;
  api: string;
  at: string;
  touser?: string;
  templateId?: string;
  page?: string;
  data?: unknown;
  miniprogramState?: string;
  request: Record<string, unknown>;
}

export interface LocalCloud {
  url: string;
  port: number;
  store: Store;
  clock: DevClock;
  functions: FunctionRunner;
  outbox: OutboxMessage[];
  pay: PaySandbox;
  /** Requests the SDK has sent: by action, and database requests by function (budgets). */
  stats: RequestStats;
  /** The security rules in force for client requests (tools/cloud/rules.ts). */
  rules: LiveRules;
  files: CloudFiles;
  /** The environment that points any wx-server-sdk process at this cloud. */
  env(): Record<string, string>;
  call(
    fn: string,
    event: unknown,
    openid?: string,
    source?: CallerContext['source'],
  ): Promise<unknown>;
  setClock(at: number, opts?: { fireTimers?: boolean }): Promise<number>;
  fireTimer(fn: string): Promise<unknown>;
  reset(seed: 'demo' | 'empty'): Promise<void>;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    public readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: http.IncomingMessage, limit = 50 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new HttpError(413, 'request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseMultipart(req: http.IncomingMessage): Promise<{
  fields: Record<string, string>;
  files: Record<string, { data: Buffer; filename: string }>;
}> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files: Record<string, { data: Buffer; filename: string }> = {};
    const bb = Busboy({ headers: req.headers, limits: { fileSize: 50 * 1024 * 1024 } });
    bb.on('field', (name, val) => (fields[name] = val));
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on(
        'end',
        () => (files[name] = { data: Buffer.concat(chunks), filename: info.filename ?? '' }),
      );
    });
    bb.on('close', () => resolve({ fields, files }));
    bb.on('error', reject);
    req.pipe(bb);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function isLoopback(req: http.IncomingMessage): boolean {
  const a = req.socket.remoteAddress ?? '';
  return a === '127.0.0.1' || a === '::1' || a === '::ffff:127.0.0.1' || a.startsWith('127.');
}

/** Decodes an EJSON string from the SDK, resolving `serverDate` against the dev clock. */
function decodeEjson(text: unknown, clock: DevClock): AnyObject {
  if (text === undefined || text === null || text === '') return {};
  if (typeof text !== 'string') throw new StoreError('INVALID_PARAM', 'expected an EJSON string');
  const value = toNative(EJSON.parse(text, { relaxed: true }));
  return resolveServerDates(value, clock) as AnyObject;
}

function resolveServerDates(v: unknown, clock: DevClock): unknown {
  if (v === null || typeof v !== 'object' || v instanceof Date || v instanceof RegExp) return v;
  if (Array.isArray(v)) return v.map((x) => resolveServerDates(x, clock));
  const obj = v as AnyObject;
  if ('$tcb_server_date' in obj) {
    const spec = obj.$tcb_server_date as { offset?: number } | undefined;
    return new Date(clock.now() + Number(spec?.offset ?? 0));
  }
  const out: AnyObject = {};
  for (const [k, val] of Object.entries(obj)) out[k] = resolveServerDates(val, clock);
  return out;
}

function encodeDoc(doc: unknown): string {
  return EJSON.stringify(doc, { relaxed: false });
}

function hasOperators(obj: AnyObject): boolean {
  return Object.keys(obj).some((k) => k.startsWith('$'));
}

/** Maps a store error to CloudBase's reply shape. */
function storeErrorReply(err: StoreError): { code: string; message: string } {
  return { code: err.code, message: err.message };
}

export async function startCloud(opts: StartCloudOptions = {}): Promise<LocalCloud> {
  const host = opts.host ?? '127.0.0.1';
  const functionsDir = opts.functionsDir ?? path.resolve(__dirname, '..', '..', 'cloudfunctions');
  const log = opts.quiet ? () => {} : (m: string) => console.log(m);
  const warn = (m: string) => console.warn(m);
  const dataDir = opts.dataDir ? path.resolve(opts.dataDir) : undefined;
  const filesDir = dataDir
    ? path.join(dataDir, 'files')
    : fs.mkdtempSync('/tmp/local-cloud-files-');
  fs.mkdirSync(filesDir, { recursive: true });
  const rules = initialRules(opts.rules);

  const freshData =
    !dataDir ||
    !fs.existsSync(path.join(dataDir, 'journal.ndjson')) ||
    fs.statSync(path.join(dataDir, 'journal.ndjson')).size === 0;
  const clock = new DevClock();
  const homeTime = (): void => {
    if (opts.clockAt === undefined) clock.reset();
    else clock.set(typeof opts.clockAt === 'number' ? opts.clockAt : Date.parse(opts.clockAt));
  };
  homeTime();
  const store = new Store({ dataDir, log: warn, now: () => clock.now() });
  const outbox: OutboxMessage[] = [];
  /** Functions whose next transaction commit kills their instance instead (fault injection). */
  const crashBeforeCommit = new Set<string>();
  /** Function → collection: its first write there is applied, then its instance dies. */
  const crashAfterWriteTo = new Map<string, string>();
  /** Fault injection: true when this write kills the invoking instance (after it was applied). */
  const crashesAfterWrite = (fn: string | undefined, coll: string): boolean => {
    if (!fn || crashAfterWriteTo.get(fn) !== coll) return false;
    crashAfterWriteTo.delete(fn);
    functions.recycle(fn);
    return true;
  };
  /** One-time subscription credits: openid → template id → unused accepts. */
  const subscriptions = new Map<string, Map<string, number>>();
  const stats = new RequestStats();
  const dbLatencyMs = opts.dbLatencyMs ?? Number(process.env.CLOUD_DB_LATENCY_MS ?? 0);
  let port = 0;
  let baseUrl = '';
  /** False while the data is being seeded (start-up or /dev/reset): /healthz says so. */
  let ready = false;

  const cloudEnv = (): Record<string, string> => ({
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${baseUrl}/admin` }),
    TENCENTCLOUD_SECRETID: 'local-dev-secret-id',
    TENCENTCLOUD_SECRETKEY: 'local-dev-secret-key',
    TENCENTCLOUD_SESSIONTOKEN: '',
    TENCENTCLOUD: 'true',
    TCB_ENV: LOCAL_ENV_ID,
    SCF_NAMESPACE: LOCAL_ENV_ID,
    TCB_SEQID: '',
    WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID',
    WX_OPENID: '',
    WX_APPID: LOCAL_APPID,
    WX_UNIONID: '',
  });

  const functions = new FunctionRunner({
    functionsDir,
    cloudEnv,
    clockOffset: () => clock.offset,
    appid: LOCAL_APPID,
    log,
    coldLoadInTimeout: opts.coldLoadInTimeout ?? process.env.CLOUD_COLD_LOAD_IN_TIMEOUT === '1',
  });

  const call = (
    fn: string,
    event: unknown,
    openid?: string,
    source: CallerContext['source'] = 'wx_client',
  ) => functions.invoke(fn, event, { openid, appid: LOCAL_APPID, source });

  const pay = new PaySandbox({ store, clock, functions, appid: LOCAL_APPID, log });
  const cloudFiles = new CloudFiles({
    dir: filesDir,
    envId: LOCAL_ENV_ID,
    bucket: LOCAL_BUCKET,
    baseUrl: () => baseUrl,
    now: () => clock.now(),
    rules: () => rules.storage(),
  });
  const tcbApi = new TcbManagementApi({ env: LOCAL_ENV_ID, bucket: LOCAL_BUCKET, store, rules });
  const httpApi = new WxHttpApi({
    store,
    appid: LOCAL_APPID,
    env: LOCAL_ENV_ID,
    now: () => clock.now(),
  });

  // ------------------------------------------------------------------ timers
  interface TimerState {
    fn: string;
    name: string;
    cron: ParsedCron;
    nextAt: number | null;
  }
  let timers: TimerState[] = [];
  let dueRun: Promise<void> | null = null;
  /**
   * Bumped by every clock change (set, advance, reset): a timer walk or periodic run started under
   * an older generation stops before its next timer, so a clock moved back (or forward again, or
   * reset) mid-walk never has the old walk fire timers in the background.
   */
  let clockGeneration = 0;
  /** The time the clock is walking to (the latest change still firing timers), for GET /dev/clock. */
  let walkingTo: { at: number; generation: number } | null = null;
  const loadTimers = () => {
    timers = [];
    for (const fn of functions.list()) {
      const triggers = (functions.config(fn).triggers ?? []).filter((t) => t.type === 'timer');
      if (triggers.length > 1) {
        warn(
          `[local-cloud] ${fn}: CloudBase allows one timer trigger per function; using the first`,
        );
      }
      const t = triggers[0];
      if (!t) continue;
      try {
        const cron = parseCron7(t.config);
        timers.push({ fn, name: t.name, cron, nextAt: cron.next(clock.now()) });
      } catch (e) {
        warn(`[local-cloud] ${fn}: ${(e as Error).message}`);
      }
    }
  };
  const fireTimerNow = (fn: string, name: string) =>
    functions.invoke(
      fn,
      { Type: 'Timer', TriggerName: name, Time: new Date(clock.now()).toISOString(), Message: '' },
      { source: 'wx_trigger', trigger: true },
    );
  /**
   * Fires every timer occurrence and delivers every payment notification due up to `until`, in
   * time order; when walking, the dev clock is set to each occurrence first. Gives up (false) as
   * soon as the clock has been changed since `generation` was taken.
   */
  const runDue = async (
    until: number,
    walk: boolean,
    includeTimers: boolean,
    generation: number,
  ): Promise<boolean> => {
    // One run at a time: a clock move waits for the periodic tick in flight, then walks.
    while (dueRun) await dueRun;
    if (generation !== clockGeneration) return false;
    let completed = false;
    dueRun = walkDue(until, walk, includeTimers, generation).then((done) => {
      completed = done;
    });
    try {
      await dueRun;
    } finally {
      dueRun = null;
    }
    return completed;
  };
  const walkDue = async (
    until: number,
    walk: boolean,
    includeTimers: boolean,
    generation: number,
  ): Promise<boolean> => {
    for (let step = 0; step < 5000; step++) {
      if (generation !== clockGeneration) return false;
      const timer = includeTimers
        ? timers
            .filter((t) => t.nextAt !== null && t.nextAt <= until)
            .sort((a, b) => a.nextAt! - b.nextAt!)[0]
        : undefined;
      const payAt = pay.nextDueAt();
      const payDue = payAt !== null && payAt <= until;
      if (!timer && !payDue) break;
      if (payDue && (!timer || payAt <= timer.nextAt!)) {
        if (walk && payAt > clock.now()) clock.set(payAt);
        await pay.deliverDue();
        continue;
      }
      const at = timer!.nextAt!;
      if (walk) clock.set(at);
      timer!.nextAt = timer!.cron.next(at);
      try {
        await fireTimerNow(timer!.fn, timer!.name);
        log(
          `[local-cloud] timer ${timer!.fn}/${timer!.name} fired for ${new Date(at).toISOString()}`,
        );
      } catch (e) {
        warn(`[local-cloud] timer ${timer!.fn}/${timer!.name} failed: ${(e as Error).message}`);
      }
    }
    return true;
  };
  loadTimers();
  // Timers tick once a second (unless disabled, as tests do); payment notifications always flow.
  const tick = setInterval(
    () => void runDue(clock.now(), false, opts.timers !== false, clockGeneration),
    250,
  );
  tick.unref();

  /**
   * Moves the dev clock. Any walk in flight is cancelled (it finishes the timer it is running and
   * fires nothing more). Moving forward fires, in order, every timer and payment notification due
   * between where the clock is and `at`; moving backward (or `fireTimers: false`) fires nothing.
   * `cancelled`: a later clock change took over while this one was walking; the clock is then
   * where that change put it.
   */
  const moveClock = async (
    at: number,
    o: { fireTimers?: boolean } = {},
  ): Promise<{ now: number; cancelled: boolean }> => {
    const generation = ++clockGeneration;
    walkingTo = null;
    if ((o.fireTimers ?? true) && at > clock.now()) {
      walkingTo = { at, generation };
      const done = await runDue(at, true, true, generation).finally(() => {
        if (walkingTo?.generation === generation) walkingTo = null;
      });
      if (!done || generation !== clockGeneration) return { now: clock.now(), cancelled: true };
    }
    clock.set(at);
    for (const t of timers) t.nextAt = t.cron.next(clock.now());
    return { now: clock.now(), cancelled: false };
  };
  const setClock = async (at: number, o: { fireTimers?: boolean } = {}) =>
    (await moveClock(at, o)).now;

  // ------------------------------------------------------------------ the SDK endpoint
  async function handleAdmin(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const ctype = req.headers['content-type'] ?? '';
    let params: Record<string, unknown>;
    let files: Record<string, { data: Buffer; filename: string }> = {};
    if (ctype.startsWith('multipart/form-data')) {
      const parsed = await parseMultipart(req);
      params = parsed.fields;
      files = parsed.files;
    } else {
      const body = await readBody(req);
      params = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
    }
    const action = String(params.action ?? '');
    const token = typeof params.wxCloudApiToken === 'string' ? params.wxCloudApiToken : '';
    const invocation = token ? functions.invocations.get(token) : undefined;
    if (invocation) invocation.requests++;
    stats.record(action, invocation?.fn);
    // What production would feel: CloudBase answers a database request in ~20–50 ms.
    if (dbLatencyMs > 0 && action.startsWith('database.'))
      await new Promise((r) => setTimeout(r, dbLatencyMs));
    const requestId = newId();
    const reply = (data: unknown) => sendJson(res, 200, { requestId, data });
    const fail = (code: string, message: string) =>
      sendJson(res, 200, { requestId, code, message });

    try {
      switch (action) {
        case 'database.addCollection':
          store.createCollection(String(params.collectionName));
          return reply({});
        case 'database.insertDocument': {
          const raw = params.data as string[];
          const docs = raw.map((d) => decodeEjson(d, clock));
          const ids = store.insert(String(params.collectionName), docs, txnOf(params));
          if (crashesAfterWrite(invocation?.fn, String(params.collectionName)))
            return fail('SYS_ERR', 'instance crashed after a write (injected fault)');
          return reply({ insertedIds: ids });
        }
        case 'database.getDocument': {
          const coll = String(params.collectionName);
          const query = decodeEjson(params.query, clock);
          const txnId = txnOf(params);
          if (txnId) {
            const id = query._id;
            if (typeof id !== 'string')
              return fail('INVALID_PARAM', '事务中只支持按 _id 读取单个文档');
            const doc = store.readInTxn(txnId, coll, id);
            return reply({ list: doc ? [encodeDoc(doc)] : [] });
          }
          const limit = params.limit === undefined ? 100 : Math.min(Number(params.limit), 1000);
          if (!Number.isInteger(limit) || limit < 0)
            return fail('INVALID_PARAM', 'limit 必须为 0 到 1000 的整数');
          const docs = store.find(coll, query, {
            sort: params.order ? decodeEjson(params.order, clock) : undefined,
            skip: params.offset === undefined ? 0 : Number(params.offset),
            limit: params.queryType === 'DOC' ? 1 : limit,
            projection: params.projection ? decodeEjson(params.projection, clock) : undefined,
          });
          return reply({ list: docs.map(encodeDoc), offset: Number(params.offset ?? 0), limit });
        }
        case 'database.calculateDocument': {
          const total = store.count(
            String(params.collectionName),
            decodeEjson(params.query, clock),
          );
          return reply({ total });
        }
        case 'database.modifyDocument': {
          const coll = String(params.collectionName);
          const query = decodeEjson(params.query, clock);
          const data = decodeEjson(params.data, clock);
          const merge = params.merge !== false;
          const replace = !merge || !hasOperators(data);
          const result = store.update(coll, query, replace && merge ? { $set: data } : data, {
            multi: params.multi === true,
            replace: replace && !merge,
            upsert: params.upsert === true,
            txnId: txnOf(params),
          });
          return reply({ updated: result.updated, upsert_id: result.upsertedId });
        }
        case 'database.updateAndReturn': {
          const doc = store.findOneAndUpdate(
            String(params.collectionName),
            decodeEjson(params.query, clock),
            decodeEjson(params.data, clock),
          );
          return reply({ updated: doc ? 1 : 0, doc: doc ? encodeDoc(doc) : undefined });
        }
        case 'database.removeDocument': {
          const deleted = store.remove(
            String(params.collectionName),
            decodeEjson(params.query, clock),
            {
              multi: params.multi === true,
              txnId: txnOf(params),
            },
          );
          return reply({ deleted });
        }
        case 'database.aggregateDocuments': {
          const stages = (params.stages as { stageKey: string; stageValue: string }[]).map((s) => ({
            [s.stageKey]: decodeEjson(s.stageValue, clock),
          }));
          const list = store.aggregate(String(params.collectionName), stages);
          return reply({ list: list.map(encodeDoc) });
        }
        case 'database.startTransaction':
          return sendJson(res, 200, { requestId, transactionId: store.startTransaction() });
        case 'database.commitTransaction':
          if (invocation && crashBeforeCommit.has(invocation.fn)) {
            // Fault injection: the instance dies after its writes, before the commit arrives.
            crashBeforeCommit.delete(invocation.fn);
            functions.recycle(invocation.fn);
            return fail('SYS_ERR', 'instance crashed (injected fault)');
          }
          store.commitTransaction(String(params.transactionId));
          return sendJson(res, 200, { requestId });
        case 'database.abortTransaction':
          store.abortTransaction(String(params.transactionId));
          return sendJson(res, 200, { requestId });
        case 'functions.invokeFunction': {
          const name = String(params.function_name);
          const event = params.request_data ? JSON.parse(String(params.request_data)) : {};
          const caller = invocation?.context;
          try {
            const result = await functions.invoke(name, event, {
              openid: caller?.openid,
              appid: caller?.appid,
              unionid: caller?.unionid,
              source: caller ? `${caller.source},scf` : 'wx_function',
            });
            return reply({ response_data: JSON.stringify(result) });
          } catch (e) {
            const err = e as FunctionError;
            return fail(
              err.errCode === FN_ERR.NOT_FOUND ? 'FUNCTIONS_NOT_EXIST' : 'FUNCTIONS_EXECUTE_FAIL',
              err.message,
            );
          }
        }
        case 'storage.getUploadMetadata': {
          const meta = cloudFiles.uploadMetadata(String(params.path ?? ''));
          return 'data' in meta ? reply(meta.data) : fail(meta.code, meta.message);
        }
        case 'storage.batchGetDownloadUrl':
          return reply({ download_list: cloudFiles.downloadUrls(params.file_list) });
        case 'storage.batchDeleteFile':
          return reply({ delete_list: cloudFiles.deleteFiles(params.fileid_list) });
        case 'wx.openApi': {
          const api = String(params.apiName);
          const request = files.requestData ? decodeOpenApiRequest(files.requestData.data) : {};
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          res.end(encodeOpenApiResponse(handleOpenApi(api, request)));
          return;
        }
        case 'wx.wxPayApi': {
          const api = String(params.apiName);
          let request: Record<string, unknown> = {};
          try {
            request = files.requestData
              ? (JSON.parse(files.requestData.data.toString('utf8')) as Record<string, unknown>)
              : {};
          } catch {
            return fail('INVALID_PARAM', `cloudPay.${api}: requestData is not JSON`);
          }
          const answer = await pay.handle(api, request, { openid: invocation?.context.openid });
          // The SDK reads this reply raw (a Buffer) and parses JSON itself; a JSON content type
          // would make the HTTP layer parse it first, which the SDK does not expect.
          res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
          res.end(typeof answer === 'string' ? answer : JSON.stringify(answer));
          return;
        }
        default:
          return fail('INVALID_ACTION', `the local cloud does not implement action "${action}"`);
      }
    } catch (e) {
      if (e instanceof StoreError) {
        const { code, message } = storeErrorReply(e);
        return fail(code, message);
      }
      if (e instanceof SyntaxError) return fail('INVALID_PARAM', e.message);
      warn(`[local-cloud] ${action} failed: ${(e as Error).stack}`);
      return fail('SYS_ERR', (e as Error).message);
    }
  }

  function txnOf(params: Record<string, unknown>): string | undefined {
    return typeof params.transactionId === 'string' && params.transactionId
      ? params.transactionId
      : undefined;
  }

  function handleOpenApi(api: string, request: Record<string, unknown>): Record<string, unknown> {
    if (api === 'subscribeMessage.send') {
      const touser = typeof request.touser === 'string' ? request.touser : '';
      const templateId = typeof request.template_id === 'string' ? request.template_id : '';
      if (!touser || !templateId)
        return { errcode: 40003, errmsg: 'invalid openid or template_id' };
      // One-time subscriptions: each accepted consent allows exactly one message.
      const credits = subscriptions.get(touser)?.get(templateId) ?? 0;
      if (credits <= 0) return { errcode: 43101, errmsg: 'user refuse to accept the msg' };
      // WeChat checks each value against its keyword type (the prefix of the key) before it
      // spends the subscription: a value that does not fit is 47003 and the credit stays.
      const bad = invalidKeywordData(request.data);
      if (bad) return { errcode: 47003, errmsg: `argument invalid! data.${bad}` };
      subscriptions.get(touser)!.set(templateId, credits - 1);
      outbox.push({
        id: newId(),
        api,
        at: new Date(clock.now()).toISOString(),
        touser: request.touser as string | undefined,
        templateId: request.template_id as string | undefined,
        page: request.page as string | undefined,
        data: request.data,
        miniprogramState: request.miniprogram_state as string | undefined,
        request,
      });
      return { errcode: 0, errmsg: 'ok', msgid: Date.now() };
    }
    return { errcode: -604101, errmsg: `the local cloud does not implement openapi.${api}` };
  }

  // ------------------------------------------------------------------ files (tools/cloud/files.ts)
  async function handleFiles(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
  ): Promise<void> {
    const m = /^\/files\/(put|get)\/(.+)$/.exec(url.pathname);
    if (!m) throw new HttpError(404, 'no such file route');
    const cloudPath = decodeURIComponent(m[2]!);
    if (m[1] === 'put') {
      if (req.method !== 'PUT' && req.method !== 'POST') throw new HttpError(405, 'use PUT');
      const auth = String(req.headers.authorization ?? '');
      return sendAnswer(res, cloudFiles.cosPut(cloudPath, auth, await readBody(req)));
    }
    sendAnswer(res, cloudFiles.cosGet(cloudPath, url.searchParams));
  }

  /** Client-side upload (the mini-program's wx.cloud.uploadFile through the gateway). */
  async function handleGatewayUpload(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const { fields, files: parts } = await parseMultipart(req);
    sendAnswer(
      res,
      cloudFiles.clientUpload(fields.openid, fields.cloudPath ?? '', parts.file?.data),
    );
  }

  /**
   * The preview's pay sheet (wx.requestPayment): the payer completes, cancels or fails the
   * payment for a `package` they were given; only the order's own payer can pay it.
   */
  async function handleGatewayPay(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const body = await jsonBody(req);
    const pkg = typeof body.package === 'string' ? body.package : '';
    const result = body.result ?? 'success';
    if (result !== 'success' && result !== 'cancel' && result !== 'fail') {
      throw new HttpError(400, 'result must be "success", "cancel" or "fail"');
    }
    const order = pay.orderByPackage(pkg);
    if (!order)
      return sendJson(res, 200, { ok: false, errMsg: 'requestPayment:fail 无效的支付参数' });
    if (order.openid && body.openid !== order.openid) {
      return sendJson(res, 200, { ok: false, errMsg: 'requestPayment:fail 该订单不属于当前用户' });
    }
    const outcome = await pay.pay(order.outTradeNo, result);
    // WeChat notifies the merchant within seconds; the sandbox does it before answering the sheet.
    await pay.deliverDue();
    sendJson(res, 200, outcome);
  }

  // ------------------------------------------------------------------ dev endpoints
  async function jsonBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
    const body = await readBody(req);
    if (!body.length) return {};
    try {
      const v = JSON.parse(body.toString('utf8')) as unknown;
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
      return v as Record<string, unknown>;
    } catch {
      throw new HttpError(400, 'request body must be a JSON object');
    }
  }

  async function callAs(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    fn: string,
    source: CallerContext['source'],
    devSourceAllowed = false,
  ) {
    const body = await jsonBody(req);
    const openid = body.openid;
    if (
      openid !== undefined &&
      (typeof openid !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(openid))
    ) {
      throw new HttpError(400, 'openid must be 1–64 characters of [A-Za-z0-9_-]');
    }
    try {
      // DevTools and the console's 云端测试 invoke with SOURCE=wx_devtools; /dev/call may say so.
      const asSource = devSourceAllowed && body.source === 'wx_devtools' ? 'wx_devtools' : source;
      const result = await functions.invoke(fn, body.event ?? {}, {
        openid: openid as string | undefined,
        appid: LOCAL_APPID,
        source: asSource,
      });
      sendJson(res, 200, result);
    } catch (e) {
      if (e instanceof FunctionError) {
        sendJson(res, e.errCode === FN_ERR.NOT_FOUND ? 404 : 500, {
          errCode: e.errCode,
          errMsg: `cloud.callFunction:fail ${e.message}`,
        });
        return;
      }
      throw e;
    }
  }

  const reset = async (seed: 'demo' | 'empty') => {
    clockGeneration++; // a walk in flight stops: its timers belong to the data being wiped
    walkingTo = null;
    ready = false;
    store.clear();
    pay.ensureCollections();
    pay.faults = {};
    outbox.length = 0;
    subscriptions.clear();
    homeTime();
    for (const t of timers) t.nextAt = t.cron.next(clock.now());
    cloudFiles.clear();
    rules.reset();
    try {
      if (opts.seeder)
        await opts.seeder(seed, { url: baseUrl, call: (f, e, o) => call(f, e, o), store, clock });
    } finally {
      ready = true;
    }
  };

  async function handleDev(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
  ): Promise<void> {
    const p = url.pathname;
    const method = req.method ?? 'GET';
    if (p === '/dev/env' && method === 'GET') return sendJson(res, 200, cloudEnv());
    if (p === '/dev/clock') {
      if (method === 'GET')
        return sendJson(res, 200, {
          now: new Date(clock.now()).toISOString(),
          offsetMs: clock.offset,
          ...(walkingTo ? { walkingTo: new Date(walkingTo.at).toISOString() } : {}),
        });
      if (method === 'POST') {
        const body = await jsonBody(req);
        let at: number;
        if (typeof body.now === 'string') at = Date.parse(body.now);
        else if (typeof body.advanceMs === 'number') at = clock.now() + body.advanceMs;
        else if (body.reset === true) at = Date.now();
        else
          throw new HttpError(
            400,
            'give { "now": "<ISO time>" }, { "advanceMs": n } or { "reset": true }',
          );
        if (!Number.isFinite(at))
          throw new HttpError(400, `cannot parse time: ${String(body.now)}`);
        const moved = await moveClock(at, { fireTimers: body.fireTimers !== false });
        return sendJson(res, 200, {
          now: new Date(moved.now).toISOString(),
          offsetMs: clock.offset,
          ...(moved.cancelled ? { cancelled: true } : {}),
        });
      }
    }
    const call = /^\/dev\/call\/([A-Za-z0-9_-]+)$/.exec(p);
    if (call && method === 'POST') return callAs(req, res, call[1]!, 'wx_client', true);
    const timer = /^\/dev\/timers\/([A-Za-z0-9_-]+)$/.exec(p);
    if (timer && method === 'POST') {
      const t = timers.find((x) => x.fn === timer[1]);
      if (!t) throw new HttpError(404, `function ${timer[1]} has no timer trigger`);
      try {
        return sendJson(res, 200, {
          fired: `${t.fn}/${t.name}`,
          result: await fireTimerNow(t.fn, t.name),
        });
      } catch (e) {
        return sendJson(res, 500, {
          errCode: (e as FunctionError).errCode,
          errMsg: (e as Error).message,
        });
      }
    }
    if (p === '/dev/timers' && method === 'GET') {
      return sendJson(
        res,
        200,
        timers.map((t) => ({
          fn: t.fn,
          name: t.name,
          nextAt: t.nextAt && new Date(t.nextAt).toISOString(),
        })),
      );
    }
    if (p === '/dev/outbox' && method === 'GET') return sendJson(res, 200, outbox);
    if (p === '/dev/subscriptions') {
      if (method === 'GET') {
        return sendJson(
          res,
          200,
          Object.fromEntries([...subscriptions].map(([o, m]) => [o, Object.fromEntries(m)])),
        );
      }
      if (method === 'POST') {
        // What wx.requestSubscribeMessage reported to the client: accept adds one credit.
        const body = await jsonBody(req);
        const openid = body.openid;
        const results = body.results;
        if (
          typeof openid !== 'string' ||
          !openid ||
          results === null ||
          typeof results !== 'object'
        ) {
          throw new HttpError(
            400,
            'give { "openid": "o_x", "results": { "<templateId>": "accept" | "reject" | "ban" } }',
          );
        }
        const mine = subscriptions.get(openid) ?? new Map<string, number>();
        for (const [tmpl, result] of Object.entries(results as Record<string, unknown>)) {
          if (result === 'accept') mine.set(tmpl, (mine.get(tmpl) ?? 0) + 1);
        }
        subscriptions.set(openid, mine);
        return sendJson(res, 200, Object.fromEntries(mine));
      }
    }
    if (p === '/dev/faults' && method === 'POST') {
      const body = await jsonBody(req);
      const name = /^[A-Za-z0-9_-]+$/;
      const after = body.crashAfterWriteTo as
        { function?: unknown; collection?: unknown } | undefined;
      if (after !== undefined) {
        if (
          typeof after.function !== 'string' ||
          !name.test(after.function) ||
          typeof after.collection !== 'string' ||
          !name.test(after.collection)
        )
          throw new HttpError(
            400,
            'give { "crashAfterWriteTo": { "function": "<function>", "collection": "<collection>" } }',
          );
        crashAfterWriteTo.set(after.function, after.collection);
        return sendJson(res, 200, { crashAfterWriteTo: Object.fromEntries(crashAfterWriteTo) });
      }
      const fn = body.crashBeforeCommit;
      if (typeof fn !== 'string' || !name.test(fn)) {
        throw new HttpError(
          400,
          'give { "crashBeforeCommit": "<function>" } or { "crashAfterWriteTo": { "function", "collection" } }',
        );
      }
      crashBeforeCommit.add(fn);
      return sendJson(res, 200, { crashBeforeCommit: [...crashBeforeCommit] });
    }
    if (p === '/dev/pay' && method === 'GET') {
      return sendJson(res, 200, {
        orders: pay.orders(),
        notifications: pay.notifications(),
        faults: pay.faults,
      });
    }
    if (p === '/dev/pay/faults' && method === 'POST') {
      pay.faults = parseFaults(await jsonBody(req));
      return sendJson(res, 200, pay.faults);
    }
    const payOrder = /^\/dev\/pay\/([0-9A-Za-z_\-|*@]{1,32})$/.exec(p);
    if (payOrder && method === 'POST') {
      const body = await jsonBody(req);
      const result = body.result ?? 'success';
      if (result !== 'success' && result !== 'cancel' && result !== 'fail') {
        throw new HttpError(400, 'result must be "success", "cancel" or "fail"');
      }
      const outcome = await pay.pay(payOrder[1]!, result);
      await pay.deliverDue();
      return sendJson(res, 200, outcome);
    }
    if (p === '/dev/upload' && method === 'POST') {
      // The console writing a file (no rules); seeds use it for demo uploads.
      const { fields, files: parts } = await parseMultipart(req);
      const data = parts.file?.data ?? Buffer.alloc(0);
      return sendAnswer(
        res,
        cloudFiles.adminUpload(fields.cloudPath ?? '', data, fields.openid ?? ''),
      );
    }
    if (p === '/dev/stats' && method === 'GET') return sendJson(res, 200, stats.view());
    if (p === '/dev/stats/reset' && method === 'POST') {
      stats.reset();
      return sendJson(res, 200, stats.view());
    }
    if (p === '/dev/collections' && method === 'GET')
      return sendJson(res, 200, store.listCollections());
    if (p === '/dev/reset' && method === 'POST') {
      const body = await jsonBody(req);
      const seed = body.seed ?? 'demo';
      if (seed !== 'demo' && seed !== 'empty')
        throw new HttpError(400, 'seed must be "demo" or "empty"');
      await reset(seed);
      return sendJson(res, 200, { ok: true, seed });
    }
    throw new HttpError(404, `no dev endpoint ${method} ${p}`);
  }

  // ------------------------------------------------------------------ routing
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://local');
      try {
        if (url.pathname === '/admin' && req.method === 'POST') return await handleAdmin(req, res);
        if (url.pathname === '/healthz') {
          return sendJson(res, 200, {
            ok: true,
            ready,
            env: LOCAL_ENV_ID,
            now: new Date(clock.now()).toISOString(),
          });
        }
        if (url.pathname.startsWith('/files/')) return await handleFiles(req, res, url);
        // api.weixin.qq.com as deployment uses it (tokens, collections, indexes).
        if (/^\/(cgi-bin|tcb)\//.test(url.pathname) && req.method === 'POST') {
          if (!isLoopback(req)) throw new HttpError(403, 'the HTTP API answers loopback only');
          const text = (await readBody(req, 1024 * 1024)).toString('utf8');
          let body: Record<string, unknown>;
          try {
            body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
          } catch {
            return sendJson(res, 200, { errcode: 47001, errmsg: 'data format error' });
          }
          return sendJson(res, 200, httpApi.handle(url.pathname, url.searchParams, body));
        }
        // tcb.tencentcloudapi.com as deploy uses it for security rules (tools/cloud/tcbapi.ts).
        if (url.pathname === '/' && req.method === 'POST' && req.headers['x-tc-action']) {
          if (!isLoopback(req))
            throw new HttpError(403, 'the management API answers loopback only');
          const text = (await readBody(req, 1024 * 1024)).toString('utf8');
          return sendJson(res, 200, tcbApi.handle(req.headers, text));
        }
        if (url.pathname.startsWith('/dev/') || url.pathname.startsWith('/gateway/')) {
          if (!isLoopback(req))
            throw new HttpError(403, 'dev endpoints answer loopback callers only');
          if (url.pathname.startsWith('/dev/')) return await handleDev(req, res, url);
          // The preview's phone keeps its clock on the dev clock, as a phone follows network time.
          res.setHeader('x-dev-clock-offset', String(clock.offset));
          const gw = /^\/gateway\/call\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
          if (gw && req.method === 'POST') return await callAs(req, res, gw[1]!, 'wx_client');
          if (url.pathname === '/gateway/pay' && req.method === 'POST') {
            return await handleGatewayPay(req, res);
          }
          if (url.pathname === '/gateway/upload' && req.method === 'POST')
            return await handleGatewayUpload(req, res);
          if (url.pathname === '/gateway/file' && req.method === 'GET') {
            const q = url.searchParams;
            return sendAnswer(
              res,
              cloudFiles.clientDownload(q.get('openid'), q.get('fileID') ?? ''),
            );
          }
          if (url.pathname === '/gateway/tempurl' && req.method === 'POST') {
            const body = await jsonBody(req);
            return sendAnswer(res, cloudFiles.clientTempUrls(body.openid, body.fileList));
          }
          if (url.pathname === '/gateway/db' && req.method === 'POST') {
            const ctx = { store, rules: () => rules.database(), now: () => clock.now() };
            return sendAnswer(res, clientDb(ctx, await jsonBody(req)));
          }
          throw new HttpError(404, `no gateway route ${req.method} ${url.pathname}`);
        }
        if (opts.handler && (await opts.handler(req, res))) return;
        throw new HttpError(404, `not found: ${url.pathname}`);
      } catch (e) {
        if (res.headersSent) return void res.end();
        if (e instanceof HttpError) return sendJson(res, e.status, { error: e.message });
        warn(`[local-cloud] ${req.method} ${url.pathname}: ${(e as Error).stack}`);
        sendJson(res, 500, { error: (e as Error).message });
      }
    })();
  });
  server.keepAliveTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  port = (server.address() as { port: number }).port;
  baseUrl = `http://${host}:${port}`;

  const cloud: LocalCloud = {
    url: baseUrl,
    port,
    store,
    clock,
    functions,
    outbox,
    pay,
    stats,
    rules,
    files: cloudFiles,
    env: cloudEnv,
    call,
    setClock,
    fireTimer: async (fn) => {
      const t = timers.find((x) => x.fn === fn);
      if (!t) throw new Error(`function ${fn} has no timer trigger`);
      return fireTimerNow(t.fn, t.name);
    },
    reset,
    close: async () => {
      clearInterval(tick);
      await functions.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.close();
    },
  };

  opts.onListening?.(baseUrl);
  try {
    if (freshData && opts.seed && opts.seeder) {
      await opts.seeder(opts.seed, {
        url: baseUrl,
        call: (f, e, o) => call(f, e, o),
        store,
        clock,
      });
    }
  } catch (e) {
    await cloud.close();
    throw e;
  }
  ready = true;
  return cloud;
}

function parseFaults(body: Record<string, unknown>): PayFaults {
  const faults: PayFaults = {};
  const count = (k: 'duplicates' | 'failNext' | 'delayMs') => {
    const v = body[k];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new HttpError(400, `${k} must be a non-negative integer`);
    }
    faults[k] = v;
  };
  count('duplicates');
  count('failNext');
  count('delayMs');
  for (const k of ['outOfOrder', 'payOnUnifiedOrder'] as const) {
    if (body[k] === undefined) continue;
    if (typeof body[k] !== 'boolean') throw new HttpError(400, `${k} must be true or false`);
    faults[k] = body[k];
  }
  const known = new Set(['duplicates', 'failNext', 'delayMs', 'outOfOrder', 'payOnUnifiedOrder']);
  const unknown = Object.keys(body).filter((k) => !known.has(k));
  if (unknown.length) throw new HttpError(400, `unknown fault switch: ${unknown.join(', ')}`);
  return faults;
}

/** The first `data.<key>.value` that WeChat would refuse (47003), or null. */
export function invalidKeywordData(data: unknown): string | null {
  if (data === null || typeof data !== 'object') return 'data must be an object';
  for (const [key, v] of Object.entries(data as Record<string, unknown>)) {
    const m = /^([a-z_]+?)\d+$/.exec(key);
    const type = m?.[1] as KeywordType | undefined;
    if (!type || !(KEYWORD_TYPES as readonly string[]).includes(type))
      return `${key} unknown keyword`;
    const value = (v as { value?: unknown } | null)?.value;
    if (typeof value !== 'string') return `${key}.value must be a string`;
    const fit = fitKeyword(type, value);
    if ('problem' in fit || fit.value !== value) return `${key}.value invalid`;
  }
  return null;
}
