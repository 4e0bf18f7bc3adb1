/**
 * The dev clock and the timer walk: moving the clock forward fires every timer in between, in
 * order; moving it backward fires nothing; and any clock change cancels a walk in flight, so no
 * timer from the old walk fires afterwards. The `gated` fixture (an hourly timer) records each
 * firing and then waits for the test to open its gate, which holds a walk at a known point: every
 * wait here is on state, never on a sleep.
 */
import path from 'node:path';
import { useTestCloud } from '../helpers/cloud';
import { getJson, postJson } from '../helpers/process';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'clock-functions');
const HOUR = 3_600_000;
/** 2027-06-01 00:00 UTC+8, on the hour, so the hourly timer is due at T0 + n hours. */
const T0 = Date.parse('2027-05-31T16:00:00.000Z');

const cloud = useTestCloud({ functionsDir: FIXTURES, seed: 'empty', per: 'file' });
beforeAll(async () => {
  cloud.store.createCollection('walk_ticks');
  cloud.store.createCollection('gates');
});
beforeEach(async () => {
  await cloud.setClock(T0, { fireTimers: false });
  cloud.store.remove('walk_ticks', {}, { multi: true });
  openGate();
});

function openGate() {
  if (!cloud.store.count('gates', { _id: 'open' })) cloud.store.insert('gates', [{ _id: 'open' }]);
}

/** The hours (relative to T0) at which the timer fired, as the function saw the clock. */
function ticks(): number[] {
  return cloud.store
    .find('walk_ticks', {}, { sort: { at: 1 } })
    .map((t) => Math.floor(((t.at as Date).getTime() - T0) / HOUR));
}

async function waitFor(what: string, ok: () => boolean | Promise<boolean>): Promise<void> {
  const end = Date.now() + 30_000;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface ClockReply {
  now: string;
  cancelled?: boolean;
  walkingTo?: string;
}
const moveClock = (body: Record<string, unknown>) =>
  postJson<ClockReply>(`${cloud.url}/dev/clock`, body);
const nextAt = async () =>
  Date.parse((await getJson<{ nextAt: string }[]>(`${cloud.url}/dev/timers`))[0]!.nextAt);

test('moving forward fires each hour in between; moving backward fires nothing', async () => {
  const forward = await moveClock({ now: new Date(T0 + 3 * HOUR + HOUR / 2).toISOString() });
  expect(forward.body.cancelled).toBeUndefined();
  expect(ticks()).toEqual([1, 2, 3]);

  const back = await moveClock({ now: new Date(T0 - 10 * HOUR - HOUR / 2).toISOString() });
  expect(back.status).toBe(200);
  expect(Date.parse(back.body.now)).toBeLessThan(T0 - 10 * HOUR);
  expect(ticks()).toEqual([1, 2, 3]);
  // The timer's next occurrence is the next hour after the new time, not the old one.
  expect(await nextAt()).toBe(T0 - 10 * HOUR);
});

test('moving the clock back during a walk cancels the walk: nothing fires after the one in flight', async () => {
  cloud.store.remove('gates', {}, { multi: true });
  const walk = moveClock({ now: new Date(T0 + 48 * HOUR).toISOString() });
  // The walk is held inside its first timer (T0 + 1 h).
  await waitFor('the first timer of the walk', () => ticks().length === 1);

  const back = await moveClock({ now: new Date(T0 - 24 * HOUR).toISOString() });
  expect(back.body.cancelled).toBeUndefined();
  expect(Date.parse(back.body.now)).toBeLessThan(T0 - 23 * HOUR);
  openGate();

  const walked = await walk;
  expect(walked.status).toBe(200);
  expect(walked.body.cancelled).toBe(true);
  // The walk's reply comes after it stopped: only the timer that was in flight ever fired.
  expect(ticks()).toEqual([1]);
  const clock = await getJson<ClockReply>(`${cloud.url}/dev/clock`);
  expect(Date.parse(clock.now)).toBeLessThan(T0 - 23 * HOUR);
  expect(clock.walkingTo).toBeUndefined();
  expect(await nextAt()).toBe(T0 - 23 * HOUR);

  // From the new time the clock walks as usual, and only over the new span.
  await moveClock({ now: new Date(T0 - 21 * HOUR - HOUR / 2).toISOString() });
  expect(ticks()).toEqual([-23, -22, 1]);
});

test('moving forward during a walk cancels it and walks on from where the clock is', async () => {
  cloud.store.remove('gates', {}, { multi: true });
  const first = moveClock({ now: new Date(T0 + 48 * HOUR).toISOString() });
  await waitFor('the first timer of the walk', () => ticks().length === 1);

  const target = new Date(T0 + 3 * HOUR + HOUR / 2).toISOString();
  const second = moveClock({ now: target });
  // The second change has arrived (and cancelled the first walk) before the gate opens.
  await waitFor(
    'the second clock change',
    async () => (await getJson<ClockReply>(`${cloud.url}/dev/clock`)).walkingTo === target,
  );
  openGate();

  const [a, b] = await Promise.all([first, second]);
  expect(a.body.cancelled).toBe(true);
  expect(b.body.cancelled).toBeUndefined();
  expect(ticks()).toEqual([1, 2, 3]);
  expect(Date.parse(b.body.now)).toBeGreaterThanOrEqual(Date.parse(target));
  expect(await nextAt()).toBe(T0 + 4 * HOUR);
});

test('a reset cancels a walk in flight', async () => {
  cloud.store.remove('gates', {}, { multi: true });
  const walk = moveClock({ now: new Date(T0 + 48 * HOUR).toISOString() });
  await waitFor('the first timer of the walk', () => ticks().length === 1);
  const reset = await postJson<{ ok: boolean }>(`${cloud.url}/dev/reset`, { seed: 'empty' });
  expect(reset.body.ok).toBe(true);
  // The reset wiped the fixture's collections; the walk's function is still held at its gate.
  cloud.store.createCollection('walk_ticks');
  cloud.store.createCollection('gates');
  openGate();
  expect((await walk).body.cancelled).toBe(true);
  expect(ticks()).toEqual([]);
});
