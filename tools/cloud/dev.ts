/**
 * `/dev/*`, the loopback-only endpoints that development, tests and the preview drive the local
 * cloud with: the SDK environment, the clock, calls as any openid, timers, the outbox and
 * subscription credits, injected faults, the pay sandbox, uploads, request counts and reset.
 * README "The local cloud" lists them.
 */
import type http from 'node:http';
import { sendAnswer } from './answer';
import type { CloudContext } from './context';
import type { FunctionError } from './functions';
import { callAs } from './gateway';
import { HttpError, jsonBody, parseMultipart, sendJson } from './http';
import type { PayFaults } from './pay';
import { handleReachDev } from './reach-dev';

type Req = http.IncomingMessage;
type Res = http.ServerResponse;

async function clockEndpoint(ctx: CloudContext, req: Req, res: Res): Promise<void> {
  const { clock, scheduler } = ctx;
  if (req.method === 'GET') {
    const walkingTo = scheduler.walkingTo;
    return sendJson(res, 200, {
      now: new Date(clock.now()).toISOString(),
      offsetMs: clock.offset,
      ...(walkingTo !== null ? { walkingTo: new Date(walkingTo).toISOString() } : {}),
    });
  }
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
  if (!Number.isFinite(at)) throw new HttpError(400, `cannot parse time: ${String(body.now)}`);
  const moved = await scheduler.moveClock(at, { fireTimers: body.fireTimers !== false });
  return sendJson(res, 200, {
    now: new Date(moved.now).toISOString(),
    offsetMs: clock.offset,
    ...(moved.cancelled ? { cancelled: true } : {}),
  });
}

async function fireTimerEndpoint(ctx: CloudContext, res: Res, fn: string): Promise<void> {
  const t = ctx.scheduler.timerOf(fn);
  if (!t) throw new HttpError(404, `function ${fn} has no timer trigger`);
  try {
    return sendJson(res, 200, {
      fired: `${t.fn}/${t.name}`,
      result: await ctx.scheduler.fire(t.fn, t.name),
    });
  } catch (e) {
    return sendJson(res, 500, {
      errCode: (e as FunctionError).errCode,
      errMsg: (e as Error).message,
    });
  }
}

/** What wx.requestSubscribeMessage reported to the client: accept adds one credit. */
async function recordConsent(ctx: CloudContext, req: Req, res: Res): Promise<void> {
  const body = await jsonBody(req);
  const openid = body.openid;
  const results = body.results;
  if (typeof openid !== 'string' || !openid || results === null || typeof results !== 'object') {
    throw new HttpError(
      400,
      'give { "openid": "o_x", "results": { "<templateId>": "accept" | "reject" | "ban" } }',
    );
  }
  return sendJson(res, 200, ctx.openApi.recordConsent(openid, results as Record<string, unknown>));
}

async function instanceFaults(ctx: CloudContext, req: Req, res: Res): Promise<void> {
  const { faults } = ctx;
  const body = await jsonBody(req);
  const name = /^[A-Za-z0-9_-]+$/;
  const after = body.crashAfterWriteTo as { function?: unknown; collection?: unknown } | undefined;
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
    faults.crashAfterWriteTo.set(after.function, after.collection);
    return sendJson(res, 200, {
      crashAfterWriteTo: Object.fromEntries(faults.crashAfterWriteTo),
    });
  }
  const fn = body.crashBeforeCommit;
  if (typeof fn !== 'string' || !name.test(fn)) {
    throw new HttpError(
      400,
      'give { "crashBeforeCommit": "<function>" } or { "crashAfterWriteTo": { "function", "collection" } }',
    );
  }
  faults.crashBeforeCommit.add(fn);
  return sendJson(res, 200, { crashBeforeCommit: [...faults.crashBeforeCommit] });
}

/** The pay sandbox's fault switches from a `/dev/pay/faults` body (unknown switches: 400). */
function parsePayFaults(body: Record<string, unknown>): PayFaults {
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

async function payOrder(ctx: CloudContext, req: Req, res: Res, outTradeNo: string) {
  const body = await jsonBody(req);
  const result = body.result ?? 'success';
  if (result !== 'success' && result !== 'cancel' && result !== 'fail') {
    throw new HttpError(400, 'result must be "success", "cancel" or "fail"');
  }
  const outcome = await ctx.pay.pay(outTradeNo, result);
  await ctx.pay.deliverDue();
  return sendJson(res, 200, outcome);
}

export async function handleDev(ctx: CloudContext, req: Req, res: Res, url: URL): Promise<void> {
  const { store, scheduler, openApi, pay, stats } = ctx;
  const p = url.pathname;
  const method = req.method ?? 'GET';
  if (p === '/dev/env' && method === 'GET') return sendJson(res, 200, ctx.cloudEnv());
  if (p === '/dev/clock' && (method === 'GET' || method === 'POST'))
    return clockEndpoint(ctx, req, res);
  const call = /^\/dev\/call\/([A-Za-z0-9_-]+)$/.exec(p);
  if (call && method === 'POST') return callAs(ctx, req, res, call[1]!, 'wx_client', true);
  const timer = /^\/dev\/timers\/([A-Za-z0-9_-]+)$/.exec(p);
  if (timer && method === 'POST') return fireTimerEndpoint(ctx, res, timer[1]!);
  if (p === '/dev/timers' && method === 'GET') {
    return sendJson(
      res,
      200,
      scheduler.list().map((t) => ({
        fn: t.fn,
        name: t.name,
        nextAt: t.nextAt && new Date(t.nextAt).toISOString(),
      })),
    );
  }
  if (p === '/dev/outbox' && method === 'GET') return sendJson(res, 200, openApi.outbox);
  if (await handleReachDev(ctx, req, res, p)) return;
  if (p === '/dev/subscriptions' && method === 'GET')
    return sendJson(res, 200, openApi.subscriptionCredits());
  if (p === '/dev/subscriptions' && method === 'POST') return recordConsent(ctx, req, res);
  if (p === '/dev/faults' && method === 'POST') return instanceFaults(ctx, req, res);
  if (p === '/dev/pay' && method === 'GET') {
    return sendJson(res, 200, {
      orders: pay.orders(),
      notifications: pay.notifications(),
      faults: pay.faults,
    });
  }
  if (p === '/dev/pay/faults' && method === 'POST') {
    pay.faults = parsePayFaults(await jsonBody(req));
    return sendJson(res, 200, pay.faults);
  }
  const order = /^\/dev\/pay\/([0-9A-Za-z_\-|*@]{1,32})$/.exec(p);
  if (order && method === 'POST') return payOrder(ctx, req, res, order[1]!);
  if (p === '/dev/upload' && method === 'POST') {
    // The console writing a file (no rules); seeds use it for demo uploads.
    const { fields, files: parts } = await parseMultipart(req);
    const data = parts.file?.data ?? Buffer.alloc(0);
    return sendAnswer(
      res,
      ctx.files.adminUpload(fields.cloudPath ?? '', data, fields.openid ?? ''),
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
    await ctx.reset(seed);
    return sendJson(res, 200, { ok: true, seed });
  }
  throw new HttpError(404, `no dev endpoint ${method} ${p}`);
}
