/**
 * Runs cloud functions the way CloudBase does: each invocation in a warm instance (a child
 * process) that handles one invocation at a time, with the caller's context in the environment,
 * the function's configured timeout enforced, and the built `cloudfunctions/<name>/index.js`
 * loaded unmodified.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { newId } from './store';

export type InvocationSource =
  'wx_client' | 'wx_trigger' | 'wx_paycallback' | 'wx_devtools' | 'wx_function';

/**
 * SOURCE as CloudBase sets it: the first caller, then `,scf` for each call from one function to
 * another (a client calls A, A calls B: B sees `wx_client,scf`).
 */
export type SourceChain = InvocationSource | `${string},scf`;

export interface CallerContext {
  openid?: string;
  appid?: string;
  unionid?: string;
  source: SourceChain;
  /** Set for timer invocations. */
  trigger?: boolean;
}

export interface FunctionConfig {
  timeout?: number;
  triggers?: { name: string; type: string; config: string }[];
  permissions?: { openapi?: string[] };
}

export class FunctionError extends Error {
  constructor(
    public readonly errCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const FN_ERR = {
  NOT_FOUND: -501000,
  EXEC_FAIL: -504002,
  TIMEOUT: -504003,
} as const;

interface Instance {
  proc: ChildProcess;
  busy: boolean;
  /** Killed (timeout, crash): never handed out again. */
  dead: boolean;
  ready: Promise<void>;
  pending?: {
    id: string;
    resolve: (v: unknown) => void;
    reject: (e: Error) => void;
    timer: NodeJS.Timeout;
  };
}

export interface InvocationRecord {
  token: string;
  fn: string;
  context: CallerContext;
  /** Requests the SDK sent to the cloud during this invocation. */
  requests: number;
}

export interface FunctionRunnerOptions {
  functionsDir: string;
  /** Environment that points the SDK at this local cloud. */
  cloudEnv: () => Record<string, string>;
  clockOffset: () => number;
  appid: string;
  log: (msg: string) => void;
  /** Warm instances kept per function at most. */
  maxInstances?: number;
  /**
   * Load the function's code inside its first invocation, so the timeout covers it, as on
   * CloudBase (the cold-start bench). Off by default: instances load their code as they start,
   * which keeps tests on a busy machine from timing out on a load that production does once.
   */
  coldLoadInTimeout?: boolean;
}

const WORKER_OUT = path.join(__dirname, '..', 'dist', 'cloud-worker.js');

function ensureWorkerBuilt(): string {
  const src = path.join(__dirname, 'worker.ts');
  const stale =
    !fs.existsSync(WORKER_OUT) ||
    (fs.existsSync(src) && fs.statSync(src).mtimeMs > fs.statSync(WORKER_OUT).mtimeMs);
  if (stale) {
    buildSync({
      entryPoints: [src],
      outfile: WORKER_OUT,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'error',
    });
  }
  return WORKER_OUT;
}

export class FunctionRunner {
  private pools = new Map<string, Instance[]>();
  private waiters = new Map<string, (() => void)[]>();
  /** Open invocations by their WX_API_TOKEN, so SDK requests can be traced to a caller. */
  readonly invocations = new Map<string, InvocationRecord>();
  private workerPath: string;
  private closed = false;

  constructor(private opts: FunctionRunnerOptions) {
    this.workerPath = ensureWorkerBuilt();
  }

  list(): string[] {
    if (!fs.existsSync(this.opts.functionsDir)) return [];
    return fs
      .readdirSync(this.opts.functionsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('_') && !d.name.startsWith('.'))
      .map((d) => d.name)
      .filter((name) => fs.existsSync(path.join(this.opts.functionsDir, name, 'index.js')));
  }

  config(name: string): FunctionConfig {
    const file = path.join(this.opts.functionsDir, name, 'config.json');
    if (!fs.existsSync(file)) return {};
    return JSON.parse(fs.readFileSync(file, 'utf8')) as FunctionConfig;
  }

  private spawn(name: string): Instance {
    const dir = path.join(this.opts.functionsDir, name);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // CloudBase runs functions in UTC unless TZ is configured for the function.
      TZ: 'UTC',
      NODE_ENV: process.env.NODE_ENV ?? 'development',
      ...this.opts.cloudEnv(),
      ...(this.opts.coldLoadInTimeout ? { LOCAL_CLOUD_LOAD_ON_INVOKE: '1' } : {}),
    };
    const proc = fork(this.workerPath, [dir], {
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: [],
    });
    const prefix = `[fn ${name}] `;
    const pipe = (s: NodeJS.ReadableStream | null) =>
      s?.on('data', (b: Buffer) => {
        for (const line of b.toString().split('\n')) if (line.trim()) this.opts.log(prefix + line);
      });
    pipe(proc.stdout);
    pipe(proc.stderr);
    let markReady!: () => void;
    const inst: Instance = {
      proc,
      busy: false,
      dead: false,
      ready: new Promise<void>((r) => (markReady = r)),
    };
    proc.on('message', (raw) => {
      const msg = raw as
        | { type: 'ready' }
        | {
            type: 'result';
            id: string;
            ok: boolean;
            result?: unknown;
            error?: { message: string };
          };
      if (msg.type === 'ready') return markReady();
      const pending = inst.pending;
      if (!pending || pending.id !== msg.id) return;
      clearTimeout(pending.timer);
      inst.pending = undefined;
      if (msg.ok) pending.resolve(msg.result);
      else pending.reject(new FunctionError(FN_ERR.EXEC_FAIL, msg.error?.message ?? 'error'));
    });
    // Write errors on the IPC channel (EPIPE after a crash) are answered by send's callback and
    // the exit handler; without a listener they would be thrown as unhandled.
    proc.on('error', () => {});
    proc.on('exit', (code, signal) => {
      this.retire(name, inst);
      if (inst.pending) {
        clearTimeout(inst.pending.timer);
        inst.pending.reject(
          new FunctionError(
            FN_ERR.EXEC_FAIL,
            `function ${name} instance exited during the invocation (code ${code}, signal ${signal})`,
          ),
        );
        inst.pending = undefined;
      }
      this.wake(name);
    });
    const pool = this.pools.get(name) ?? [];
    pool.push(inst);
    this.pools.set(name, pool);
    return inst;
  }

  private retire(name: string, inst: Instance): void {
    inst.dead = true;
    const pool = this.pools.get(name) ?? [];
    this.pools.set(
      name,
      pool.filter((i) => i !== inst),
    );
  }

  private wake(name: string): void {
    const list = this.waiters.get(name);
    const next = list?.shift();
    if (next) next();
  }

  private async acquire(name: string): Promise<Instance> {
    const max = this.opts.maxInstances ?? 8;
    for (;;) {
      const pool = this.pools.get(name) ?? [];
      const idle = pool.find((i) => !i.busy && !i.dead);
      if (idle) {
        idle.busy = true;
        return idle;
      }
      if (pool.length < max) {
        const inst = this.spawn(name);
        inst.busy = true;
        return inst;
      }
      await new Promise<void>((resolve) => {
        const list = this.waiters.get(name) ?? [];
        list.push(resolve);
        this.waiters.set(name, list);
      });
    }
  }

  /** Invokes a function and resolves with its return value (already JSON-shaped). */
  async invoke(name: string, event: unknown, ctx: CallerContext): Promise<unknown> {
    if (this.closed) throw new FunctionError(FN_ERR.EXEC_FAIL, 'local cloud is shutting down');
    if (!/^[A-Za-z0-9_-]+$/.test(name) || !this.list().includes(name)) {
      throw new FunctionError(
        FN_ERR.NOT_FOUND,
        `FunctionName parameter could not be found: ${name} (is cloudfunctions/${name}/index.js built? run npm run build)`,
      );
    }
    const config = this.config(name);
    const timeoutMs = Math.max(1, config.timeout ?? 3) * 1000;
    const inst = await this.acquire(name);
    try {
      await inst.ready;
      const token = `tok_${newId()}`;
      const requestId = newId();
      this.invocations.set(token, { token, fn: name, context: ctx, requests: 0 });
      // WX_API_TOKEN is listed so the SDK forwards it (as wxCloudApiToken) with every request,
      // which lets the local cloud trace requests to this invocation; getWXContext hides it.
      const contextKeys = [
        'WX_OPENID',
        'WX_APPID',
        'WX_UNIONID',
        'WX_CLIENTIP',
        'WX_CLIENTIPV6',
        'WX_API_TOKEN',
      ];
      const env: Record<string, string> = {
        WX_CONTEXT_KEYS: contextKeys.join(','),
        WX_OPENID: ctx.openid ?? '',
        WX_APPID: ctx.openid ? (ctx.appid ?? this.opts.appid) : '',
        WX_UNIONID: ctx.unionid ?? '',
        WX_CLIENTIP: ctx.source.startsWith('wx_client') ? '127.0.0.1' : '',
        WX_CLIENTIPV6: '',
        SOURCE: ctx.source,
        TCB_SOURCE: ctx.source,
        TRIGGER_SRC: ctx.trigger ? 'timer' : '',
        WX_API_TOKEN: token,
        WX_TRIGGER_API_TOKEN_V0: token,
        SCF_FUNCTIONNAME: name,
      };
      const context = {
        callbackWaitsForEmptyEventLoop: false,
        memory_limit_in_mb: 256,
        time_limit_in_ms: timeoutMs,
        request_id: requestId,
        function_name: name,
        function_version: '$LATEST',
        namespace: this.opts.cloudEnv().TCB_ENV,
      };
      try {
        return await new Promise<unknown>((resolve, reject) => {
          const timer = setTimeout(() => {
            inst.pending = undefined;
            this.retire(name, inst);
            inst.proc.kill('SIGKILL');
            reject(
              new FunctionError(
                FN_ERR.TIMEOUT,
                `Invoking task timed out after ${timeoutMs / 1000} seconds (function ${name}, RequestId ${requestId})`,
              ),
            );
          }, timeoutMs);
          inst.pending = { id: requestId, resolve, reject, timer };
          inst.proc.send(
            {
              type: 'invoke',
              id: requestId,
              event,
              env,
              context,
              clockOffsetMs: this.opts.clockOffset(),
            },
            (err) => {
              // The instance died between being picked and being written to (EPIPE): the
              // invocation fails like any crash, instead of an unhandled error event.
              if (!err || inst.pending?.id !== requestId) return;
              clearTimeout(timer);
              inst.pending = undefined;
              this.retire(name, inst);
              reject(
                new FunctionError(
                  FN_ERR.EXEC_FAIL,
                  `function ${name} instance was gone before the invocation (${err.message})`,
                ),
              );
            },
          );
        });
      } finally {
        this.invocations.delete(token);
      }
    } finally {
      inst.busy = false;
      this.wake(name);
    }
  }

  /**
   * Kills every instance of a function (or all), e.g. after a rebuild, to simulate a crash or to
   * make the next invocation cold. They are never handed out again, even before they have gone;
   * resolves once they have.
   */
  recycle(name?: string): Promise<void> {
    const gone: Promise<void>[] = [];
    for (const [fn, pool] of this.pools) {
      if (name && fn !== name) continue;
      for (const inst of [...pool]) {
        this.retire(fn, inst);
        gone.push(
          new Promise<void>((resolve) => {
            if (inst.proc.exitCode !== null || inst.proc.signalCode !== null) return resolve();
            inst.proc.once('exit', () => resolve());
          }),
        );
        inst.proc.kill('SIGKILL');
      }
    }
    return Promise.all(gone).then(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.pools.values()].flat();
    await Promise.all(
      all.map(
        (inst) =>
          new Promise<void>((resolve) => {
            if (inst.proc.exitCode !== null || inst.proc.signalCode !== null) return resolve();
            inst.proc.once('exit', () => resolve());
            inst.proc.kill('SIGKILL');
          }),
      ),
    );
  }
}
