/**
 * A function instance: one child process per warm instance, running one invocation at a time
 * (as CloudBase instances do). The parent sends the per-invocation context, which becomes the
 * environment that `cloud.getWXContext()` reads, and the dev clock offset, which this process
 * applies to `Date` so function code sees the dev time without any change.
 */
import path from 'node:path';

interface InvokeMessage {
  type: 'invoke';
  id: string;
  event: unknown;
  env: Record<string, string>;
  context: Record<string, unknown>;
  clockOffsetMs: number;
}

const RealDate = Date;
let clockOffsetMs = Number(process.env.LOCAL_CLOUD_CLOCK_OFFSET_MS ?? 0) || 0;

class DevDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(RealDate.now() + clockOffsetMs);
    else super(...(args as [string]));
  }
  static override now(): number {
    return RealDate.now() + clockOffsetMs;
  }
}
globalThis.Date = DevDate as DateConstructor;

const fnDir = process.argv[2];
if (!fnDir) {
  console.error('usage: worker <function dir>');
  process.exit(2);
}

// Without a handler, an SDK call that fails raises an unhandled rejection that kills Node 20.
process.on('unhandledRejection', (err) => {
  console.error(`[${path.basename(fnDir)}] unhandled rejection:`, err);
});

type Main = (event: unknown, context: unknown) => unknown;
let main: Main | null = null;

function loadMain(): Main {
  if (!main) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(fnDir!, 'index.js')) as { main?: Main };
    if (typeof mod.main !== 'function') {
      throw new Error(`${fnDir}/index.js does not export main(event, context)`);
    }
    main = mod.main;
  }
  return main;
}

function serialiseError(err: unknown): { message: string; stack?: string } {
  if (err instanceof Error) return { message: err.message, stack: err.stack };
  try {
    return { message: typeof err === 'string' ? err : JSON.stringify(err) };
  } catch {
    return { message: String(err) };
  }
}

process.on('message', (raw) => {
  const msg = raw as InvokeMessage;
  if (msg.type !== 'invoke') return;
  clockOffsetMs = msg.clockOffsetMs;
  for (const [k, v] of Object.entries(msg.env)) process.env[k] = v;
  void (async () => {
    try {
      const result = await loadMain()(msg.event, msg.context);
      // Like CloudBase, the return value crosses as JSON.
      const json = result === undefined ? null : JSON.parse(JSON.stringify(result));
      process.send!({ type: 'result', id: msg.id, ok: true, result: json });
    } catch (err) {
      process.send!({ type: 'result', id: msg.id, ok: false, error: serialiseError(err) });
    }
  })();
});

// By default the function's code loads while the instance starts (outside any invocation's
// timeout), as a warm CloudBase instance has it loaded. With LOCAL_CLOUD_LOAD_ON_INVOKE=1 it loads
// inside the first invocation, whose timeout then covers it, as on a cold CloudBase instance.
// A bundle that fails to load fails each invocation.
if (process.env.LOCAL_CLOUD_LOAD_ON_INVOKE !== '1') {
  try {
    loadMain();
  } catch {
    // reported by the invocation
  }
}
process.send!({ type: 'ready' });
