/**
 * Test helpers: start a local cloud (memory-only or on a temp data dir) and get the real
 * wx-server-sdk pointed at it, exactly as a deployed function would be.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCloud, type LocalCloud, type StartCloudOptions } from '../../tools/cloud/server';
import { ensureSchema, seedDemo } from '../../tools/seed/demo';
import { useStarted } from './live';

export type WxCloud = typeof import('wx-server-sdk');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/**
 * The instant every test cloud starts at. The demo is seeded relative to the dev clock's today
 * (quarters, due dates, arrears), so tests that expect its periods would drift with the calendar;
 * pinning the clock makes the suite pass on any day of any year. A test that needs another day
 * moves the clock itself.
 */
export const DEMO_NOW = '2026-11-26T10:00:00+08:00';

export async function startTestCloud(opts: StartCloudOptions = {}): Promise<LocalCloud> {
  return startCloud({
    port: 0,
    quiet: true,
    timers: false,
    seeder: seedDemo,
    clockAt: DEMO_NOW,
    ...opts,
  });
}

/**
 * The cloud a test file works against, started with `opts` as startTestCloud is (`seed: 'demo'`
 * for the demo community) before each test (`per: 'test'`, the default) or once for the file (`per: 'file'`), and closed
 * after. The object returned stands for whichever cloud is running, so a test uses it as it would
 * the cloud itself (`cloud.call`, `cloud.store`, passing it to helpers).
 */
export function useTestCloud(opts: StartCloudOptions & { per?: 'test' | 'file' } = {}): LocalCloud {
  const { per = 'test', ...start } = opts;
  return useStarted(() => startTestCloud(start), per);
}

/**
 * Points this process's wx-server-sdk at the cloud (the variables `GET /dev/env` gives) and
 * returns it. Each jest test file runs in its own worker process, so the environment is ours.
 */
export function sdkFor(cloud: LocalCloud, openid = ''): WxCloud {
  Object.assign(process.env, cloud.env(), { WX_OPENID: openid });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('wx-server-sdk') as WxCloud;
  sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV });
  return sdk;
}

export { ensureSchema };
