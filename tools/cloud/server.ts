/**
 * The local cloud: an HTTP server on 127.0.0.1 that speaks the CloudBase server API the
 * unmodified `wx-server-sdk` uses (pointed here by `TCB_CONTEXT_CNFG`), runs the cloud functions
 * in worker processes, fires their timers on a dev clock, keeps files, records subscribe
 * messages, and offers loopback-only dev endpoints. See README "The local cloud".
 *
 * startCloud only makes the parts and wires them; the endpoints live beside it: admin.ts (the
 * SDK's `/admin`), openapi.ts (`cloud.openapi.*`), gateway.ts (`/gateway/*` and `/files/*`),
 * dev.ts (`/dev/*`), scheduler.ts (timers and clock walks), http.ts (the plumbing).
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { handleAdmin } from './admin';
import { DevClock } from './clock';
import { LOCAL_APPID, LOCAL_BUCKET, LOCAL_ENV_ID, type CloudContext } from './context';
import { handleDev } from './dev';
import { InstanceFaults } from './faults';
import { CloudFiles } from './files';
import { FunctionRunner, type CallerContext } from './functions';
import { handleFiles, handleGateway } from './gateway';
import { HttpError, isLoopback, readBody, sendJson } from './http';
import { WxHttpApi } from './httpapi';
import { OpenApi, type OutboxMessage } from './openapi';
import { PaySandbox } from './pay';
import { initialRules, type DatabaseRules, type LiveRules, type StorageRule } from './rules';
import { Scheduler } from './scheduler';
import { RequestStats } from './stats';
import { Store, type IndexSpec } from './store';
import { TcbManagementApi } from './tcbapi';

export { LOCAL_APPID, LOCAL_BUCKET, LOCAL_ENV_ID } from './context';
export type { OutboxMessage } from './openapi';

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

/** Starts the local cloud; resolves once it listens and the seed (if any) has run. */
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
  const openApi = new OpenApi(() => clock.now());
  const stats = new RequestStats();
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
  const faults = new InstanceFaults((fn) => functions.recycle(fn));

  const call = (
    fn: string,
    event: unknown,
    openid?: string,
    source: CallerContext['source'] = 'wx_client',
  ) => functions.invoke(fn, event, { openid, appid: LOCAL_APPID, source });
  const seedContext = (): SeedContext => ({
    url: baseUrl,
    call: (f, e, o) => call(f, e, o),
    store,
    clock,
  });

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
  const scheduler = new Scheduler({
    clock,
    functions,
    pay,
    timers: opts.timers !== false,
    log,
    warn,
  });

  const reset = async (seed: 'demo' | 'empty') => {
    scheduler.cancelWalk();
    ready = false;
    store.clear();
    pay.ensureCollections();
    pay.faults = {};
    openApi.clear();
    homeTime();
    scheduler.reschedule();
    cloudFiles.clear();
    rules.reset();
    try {
      if (opts.seeder) await opts.seeder(seed, seedContext());
    } finally {
      ready = true;
    }
  };

  const ctx: CloudContext = {
    store,
    clock,
    functions,
    pay,
    files: cloudFiles,
    rules,
    stats,
    openApi,
    faults,
    scheduler,
    dbLatencyMs: opts.dbLatencyMs ?? Number(process.env.CLOUD_DB_LATENCY_MS ?? 0),
    cloudEnv,
    reset,
    warn,
  };

  /** Routes a request to its endpoint: the cloud's own paths first, then `opts.handler`. */
  const route = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
  ): Promise<void> => {
    if (url.pathname === '/admin' && req.method === 'POST') return await handleAdmin(ctx, req, res);
    if (url.pathname === '/healthz') {
      return sendJson(res, 200, {
        ok: true,
        ready,
        env: LOCAL_ENV_ID,
        now: new Date(clock.now()).toISOString(),
      });
    }
    if (url.pathname.startsWith('/files/')) return await handleFiles(ctx, req, res, url);
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
      if (!isLoopback(req)) throw new HttpError(403, 'the management API answers loopback only');
      const text = (await readBody(req, 1024 * 1024)).toString('utf8');
      return sendJson(res, 200, tcbApi.handle(req.headers, text));
    }
    if (url.pathname.startsWith('/dev/') || url.pathname.startsWith('/gateway/')) {
      if (!isLoopback(req)) throw new HttpError(403, 'dev endpoints answer loopback callers only');
      if (url.pathname.startsWith('/dev/')) return await handleDev(ctx, req, res, url);
      return await handleGateway(ctx, req, res, url);
    }
    if (opts.handler && (await opts.handler(req, res))) return;
    throw new HttpError(404, `not found: ${url.pathname}`);
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://local');
      try {
        await route(req, res, url);
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
    outbox: openApi.outbox,
    pay,
    stats,
    rules,
    files: cloudFiles,
    env: cloudEnv,
    call,
    setClock: async (at, o = {}) => (await scheduler.moveClock(at, o)).now,
    fireTimer: async (fn) => {
      const t = scheduler.timerOf(fn);
      if (!t) throw new Error(`function ${fn} has no timer trigger`);
      return scheduler.fire(t.fn, t.name);
    },
    reset,
    close: async () => {
      scheduler.stop();
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
    if (freshData && opts.seed && opts.seeder) await opts.seeder(opts.seed, seedContext());
  } catch (e) {
    await cloud.close();
    throw e;
  }
  ready = true;
  return cloud;
}
