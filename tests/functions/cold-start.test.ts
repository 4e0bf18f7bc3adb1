/**
 * An owner's first screen on a cold instance: with the function's code loaded inside the first
 * invocation's timeout, as on CloudBase (coldLoadInTimeout), owner.home and account.whoami answer
 * within their configured timeouts, each try on a new instance. `npx tsx tools/bench/cold-start.ts`
 * runs the same with two CPU hogs, ten times.
 */
import { DEMO_USERS } from '../../tools/seed/demo';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import { useTestCloud } from '../helpers/cloud';

jest.setTimeout(120_000);

const cloud = useTestCloud({ seed: 'demo', coldLoadInTimeout: true, per: 'file' });

test.each([
  ['owner', 'home'],
  ['account', 'whoami'],
])('%s.%s answers on a cold instance within its timeout, three times', async (fn, action) => {
  const timeoutMs = (cloud.functions.config(fn).timeout ?? 3) * 1000;
  for (let i = 0; i < 3; i++) {
    await cloud.functions.recycle(fn);
    const t0 = performance.now();
    // A timeout rejects (the runner kills the instance), failing the test with its message.
    const reply = (await cloud.call(fn, { action }, DEMO_USERS.owner)) as Reply<unknown>;
    expect(reply.ok).toBe(true);
    expect(performance.now() - t0).toBeLessThan(timeoutMs);
  }
});
