/**
 * `npm run cloud -- <command>`: the local cloud's dev endpoints from the shell.
 *
 *   call <function> '<event json>' [--openid o_x]   invoke a function as a WeChat user
 *   clock [<ISO time> | +<days>d]                   show or set the dev clock (fires due timers)
 *   timer <function>                                fire a function's timer now
 *   outbox                                          subscribe messages sent so far
 *   reset [demo|empty]                              wipe and reseed
 *   env                                             environment for pointing wx-server-sdk here
 *   health
 *
 * Talks to http://127.0.0.1:${PORT:-8787} (override with --url).
 */
interface Parsed {
  positional: string[];
  flags: Record<string, string>;
}

function parseArgs(argv: string[]): Parsed {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2);
      flags[k!] = v ?? argv[++i] ?? '';
    } else positional.push(a);
  }
  return { positional, flags };
}

const USAGE = `usage: npm run cloud -- <call|clock|timer|outbox|reset|env|health> ...
  call <function> '<event json>' [--openid o_x]
  clock [<ISO time> | +<n>d]
  timer <function>
  outbox
  reset [demo|empty]
  env
  health`;

async function request(base: string, method: string, p: string, body?: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(base + p, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new Error(`no local cloud answers at ${base}; start it with "npm start" (or pass --url)`);
  }
  const text = await res.text();
  const value: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) throw new Error(`${res.status}: ${JSON.stringify(value)}`);
  return value;
}

async function main(): Promise<void> {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  const base = flags.url ?? `http://127.0.0.1:${process.env.PORT ?? 8787}`;
  const [cmd, ...args] = positional;
  let out: unknown;
  switch (cmd) {
    case 'call': {
      const [fn, json] = args;
      if (!fn) throw new Error('call needs a function name');
      let event: unknown = {};
      if (json) {
        try {
          event = JSON.parse(json);
        } catch {
          throw new Error(`the event must be JSON, got: ${json}`);
        }
      }
      out = await request(base, 'POST', `/dev/call/${fn}`, { event, openid: flags.openid });
      break;
    }
    case 'clock': {
      const [at] = args;
      if (!at) out = await request(base, 'GET', '/dev/clock');
      else if (/^\+\d+d$/.test(at)) {
        out = await request(base, 'POST', '/dev/clock', {
          advanceMs: Number(at.slice(1, -1)) * 86_400_000,
        });
      } else out = await request(base, 'POST', '/dev/clock', { now: at });
      break;
    }
    case 'timer':
      if (!args[0]) throw new Error('timer needs a function name');
      out = await request(base, 'POST', `/dev/timers/${args[0]}`, {});
      break;
    case 'outbox':
      out = await request(base, 'GET', '/dev/outbox');
      break;
    case 'reset':
      out = await request(base, 'POST', '/dev/reset', { seed: args[0] ?? 'demo' });
      break;
    case 'env':
      out = await request(base, 'GET', '/dev/env');
      break;
    case 'health':
      out = await request(base, 'GET', '/healthz');
      break;
    default:
      console.error(USAGE);
      process.exit(2);
  }
  console.log(JSON.stringify(out, null, 2));
}

main().catch((e: unknown) => {
  console.error(`cloud: ${(e as Error).message}`);
  process.exit(1);
});
