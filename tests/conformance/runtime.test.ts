/**
 * Conformance of the function runtime: context in getWXContext(), SOURCE, timeouts, calls
 * between functions, the dev clock, timers (7-field cron in UTC+8), storage, subscribe-message
 * outbox and the cloudPay placeholder answer — all through the real wx-server-sdk.
 */
import path from 'node:path';
import { sdkFor, useTestCloud } from '../helpers/cloud';
import { getJson, postJson } from '../helpers/process';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'functions');

const cloud = useTestCloud({ functionsDir: FIXTURES, seed: 'empty', per: 'file' });
beforeAll(async () => {
  cloud.store.createCollection('ticks');
});

interface CtxResult {
  wx: Record<string, string>;
  event: Record<string, unknown>;
  now: number;
  newDate: string;
  tz: string;
  requestId: string;
  pid: number;
}

test('a client call carries OPENID, APPID and SOURCE=wx_client; the event cannot forge them', async () => {
  const res = await postJson<CtxResult>(`${cloud.url}/dev/call/ctx`, {
    event: { OPENID: 'forged', hello: 1 },
    openid: 'o_alice',
  });
  expect(res.status).toBe(200);
  expect(res.body.wx).toMatchObject({
    OPENID: 'o_alice',
    APPID: 'wxlocaldevappid',
    SOURCE: 'wx_client',
    ENV: 'local-dev',
  });
  expect(res.body.event).toEqual({ OPENID: 'forged', hello: 1 });
  // Functions run in UTC as on CloudBase unless TZ is configured.
  expect(res.body.tz).toBe('UTC');
});

test('one invocation at a time per instance: concurrent calls use separate instances', async () => {
  const results = await Promise.all(
    [1, 2, 3].map((i) => cloud.call('slow', { ms: 300 }, `o_${i}`)),
  );
  expect(results).toEqual([{ slept: 300 }, { slept: 300 }, { slept: 300 }]);
});

test('the configured timeout is enforced', async () => {
  const res = await postJson<{ errCode: number; errMsg: string }>(`${cloud.url}/dev/call/slow`, {
    event: { ms: 2500 },
  });
  expect(res.status).toBe(500);
  expect(res.body.errCode).toBe(-504003);
  expect(res.body.errMsg).toMatch(/timed out after 1 seconds/);
  // The instance was recycled; the function still answers.
  expect(await cloud.call('slow', { ms: 10 })).toEqual({ slept: 10 });
});

test('cloud.callFunction inside a function runs the other function with the caller identity', async () => {
  const res = (await cloud.call('caller', { x: 42 }, 'o_bob')) as { inner: CtxResult };
  expect(res.inner.event).toMatchObject({ from: 'caller', x: 42 });
  expect(res.inner.wx.OPENID).toBe('o_bob');
  // SOURCE follows the call chain: the client called `caller`, which called `ctx`.
  expect(res.inner.wx.SOURCE).toBe('wx_client,scf');
});

test('the dev clock moves what functions see, without any change to function code', async () => {
  const at = Date.parse('2027-03-01T10:00:00.000Z');
  await postJson(`${cloud.url}/dev/clock`, { now: new Date(at).toISOString(), fireTimers: false });
  try {
    const res = (await cloud.call('ctx', {})) as CtxResult;
    expect(Math.abs(res.now - at)).toBeLessThan(5_000);
    expect(res.newDate.slice(0, 13)).toBe('2027-03-01T10');
    const clock = await getJson<{ now: string }>(`${cloud.url}/dev/clock`);
    expect(clock.now.slice(0, 13)).toBe('2027-03-01T10');
  } finally {
    cloud.clock.reset();
  }
});

test('timers fire on their 7-field cron in UTC+8 as the clock advances, and on demand', async () => {
  // 2027-05-01 00:00 UTC+8 = 2027-04-30T16:00Z; the ticker fires daily at 02:00 UTC+8 (18:00Z).
  await cloud.setClock(Date.parse('2027-04-30T16:00:00.000Z'), { fireTimers: false });
  try {
    const timers = await getJson<{ fn: string; nextAt: string }[]>(`${cloud.url}/dev/timers`);
    expect(timers).toEqual([{ fn: 'ticker', name: 'daily', nextAt: '2027-04-30T18:00:00.000Z' }]);
    await postJson(`${cloud.url}/dev/clock`, { now: '2027-05-03T16:00:00.000Z' });
    const ticks = cloud.store.find('ticks', {}, { sort: { at: 1 } });
    // The dev clock keeps running from each occurrence, and a cold function instance on a loaded
    // machine takes seconds to start: each tick comes within a minute after its occurrence.
    const occurrences = ['2027-04-30T18:00:00Z', '2027-05-01T18:00:00Z', '2027-05-02T18:00:00Z'];
    expect(ticks).toHaveLength(occurrences.length);
    ticks.forEach((t, i) => {
      const lateMs = (t.at as Date).getTime() - Date.parse(occurrences[i]!);
      expect({ tick: i, late: lateMs >= 0 && lateMs < 60_000 }).toEqual({ tick: i, late: true });
    });
    expect(ticks.every((t) => t.source === 'wx_trigger' && t.trigger === 'daily')).toBe(true);
    const fired = await postJson<{ fired: string }>(`${cloud.url}/dev/timers/ticker`, {});
    expect(fired.body.fired).toBe('ticker/daily');
    expect(cloud.store.count('ticks', {})).toBe(4);
  } finally {
    cloud.clock.reset();
  }
});

test('storage: upload, temp URL, download, delete', async () => {
  const res = (await cloud.call('files', {})) as {
    fileID: string;
    url: string;
    content: string;
    deleted: { status: number };
    afterDelete: number;
  };
  expect(res.fileID).toMatch(/^cloud:\/\/local-dev\..+\/receipts\/test\.txt$/);
  expect(res.url).toMatch(new RegExp(`^${cloud.url}/files/get/`));
  expect(res.content).toBe('收据 ¥630.76');
  expect(res.deleted.status).toBe(0);
  expect(res.afterDelete).toBe(-503003); // STORAGE_FILE_NONEXIST
});

test('subscribeMessage.send needs a one-time credit (43101 without), then arrives in the outbox', async () => {
  await expect(cloud.call('notify', { touser: 'o_carol' })).rejects.toMatchObject({
    message: expect.stringContaining('43101') as unknown,
  });
  await postJson(`${cloud.url}/dev/subscriptions`, {
    openid: 'o_carol',
    results: { tmpl_bill: 'accept', other: 'reject' },
  });
  const res = (await cloud.call('notify', { touser: 'o_carol' })) as { errCode: number };
  expect(res.errCode).toBe(0);
  // The credit is used up: a second message is refused again.
  await expect(cloud.call('notify', { touser: 'o_carol' })).rejects.toMatchObject({
    message: expect.stringContaining('43101') as unknown,
  });
  const outbox = await getJson<
    { touser: string; templateId: string; data: unknown; page: string }[]
  >(`${cloud.url}/dev/outbox`);
  expect(outbox).toHaveLength(1);
  expect(outbox[0]).toMatchObject({
    touser: 'o_carol',
    templateId: 'tmpl_bill',
    page: 'pages/bills/index',
    data: { thing1: { value: '物业费' }, amount2: { value: '¥630.76' } },
  });
});

test('dev endpoints: health, env, unknown function, bad input', async () => {
  expect(await getJson(`${cloud.url}/healthz`)).toMatchObject({ ok: true, env: 'local-dev' });
  const env = await getJson<Record<string, string>>(`${cloud.url}/dev/env`);
  expect(JSON.parse(env.TCB_CONTEXT_CNFG!)).toEqual({ URL: `${cloud.url}/admin` });
  expect(env.TENCENTCLOUD).toBe('true');
  const missing = await postJson<{ errCode: number }>(`${cloud.url}/dev/call/nosuch`, {
    event: {},
  });
  expect(missing.status).toBe(404);
  const bad = await fetch(`${cloud.url}/dev/call/ctx`, { method: 'POST', body: 'not json' });
  expect(bad.status).toBe(400);
  const badOpenid = await postJson(`${cloud.url}/dev/call/ctx`, { openid: 'has space' });
  expect(badOpenid.status).toBe(400);
});

test('subscribeMessage.send refuses data WeChat would refuse (47003) and keeps the credit', async () => {
  await postJson(`${cloud.url}/dev/subscriptions`, {
    openid: 'o_dave',
    results: { tmpl_bill: 'accept' },
  });
  const before = cloud.outbox.length;
  for (const data of [
    { thing1: { value: '一二三四五六七八九十一二三四五六七八九十一' } }, // 21 characters
    { amount2: { value: '630.76' } }, // no currency symbol
    { phrase3: { value: '请尽快缴费吧' } }, // more than 5 characters
  ]) {
    await expect(cloud.call('notify', { touser: 'o_dave', data })).rejects.toMatchObject({
      message: expect.stringContaining('47003') as unknown,
    });
  }
  expect(cloud.outbox.length).toBe(before);
  const ok = (await cloud.call('notify', { touser: 'o_dave' })) as { errCode: number };
  expect(ok.errCode).toBe(0);
});

test('/dev/stats counts database requests per function; a reset zeroes them', async () => {
  await postJson(`${cloud.url}/dev/stats/reset`, {});
  // ticker makes exactly one database request (an add); two firings → two.
  await cloud.fireTimer('ticker');
  await cloud.fireTimer('ticker');
  // A request from outside any function (a script, a test) is counted apart.
  cloud.store.createCollection('stats_probe');
  const sdk = sdkFor(cloud);
  await sdk.database().collection('stats_probe').count();
  const stats = await getJson<{ db: { requests: number; byFunction: Record<string, number> } }>(
    `${cloud.url}/dev/stats`,
  );
  expect(stats.db).toEqual({ requests: 3, byFunction: { ticker: 2, '(outside)': 1 } });
  const zero = await postJson<{ db: { requests: number } }>(`${cloud.url}/dev/stats/reset`, {});
  expect(zero.body.db).toEqual({ requests: 0, byFunction: {} });
});
