/**
 * `npm run screenshots`: a PNG of every page of the mini-program, for an owner and for staff,
 * at 375×667 @2x, into screenshots/ (ignored by git). Starts its own local cloud (demo seed, temp
 * data dir, free port) with the preview mounted and drives the Chromium tools/chromium.ts finds
 * (CHROMIUM_PATH, else the one npm installed, else Debian's). Prints the paths it wrote.
 * `npm run screenshots -- bill fees` takes only the shots whose page path or name contains one of
 * the words (and keeps the other files).
 *
 * Made to survive a slow, loaded machine: each shot waits for the page's own data (the preview
 * counts cloud calls in flight; no loading state, no running transition) rather than a fixed
 * time, a shot whose page failed (a call that crashed or timed out, the page's error state, a
 * step that timed out) is taken once more in a fresh context, a browser that died is started
 * again, and the run ends with a summary of the pages it retried and the ones it could not take
 * (their last attempt is kept under screenshots/_failed/). Exit code 1 only if some failed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium';
import { startCloud } from './cloud/server';
import { createPreviewHandler } from './preview';
import { plan } from './shots/plan';
import { demoIds, fileOf } from './shots/shot';
import { attempt, firstLine, type Outcome } from './shots/take';
import { seedDemoWithReconciliation } from './seed/reconcile';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'screenshots');

async function main(): Promise<void> {
  const started = Date.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'screenshots-cloud-'));
  const cloud = await startCloud({
    port: 0,
    dataDir,
    seed: 'demo',
    seeder: seedDemoWithReconciliation,
    quiet: true,
    timers: false,
    handler: createPreviewHandler({ rootDir: ROOT }),
  });
  let browser: Browser | undefined;
  const outcomes: Outcome[] = [];
  try {
    const demo = { store: cloud.store, ids: demoIds(cloud.store) };
    const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
    const shots = plan(demo).filter(
      (s) => only.length === 0 || only.some((w) => `${s.path} ${s.name ?? ''}`.includes(w)),
    );
    if (only.length === 0) fs.rmSync(OUT, { recursive: true, force: true });
    const liveBrowser = async () => {
      if (browser?.isConnected()) return browser;
      if (browser) console.warn('[screenshots] the browser went away; starting it again');
      browser = await launchChromium();
      return browser;
    };
    for (const s of shots) {
      const file = path.join(OUT, fileOf(s));
      const outcome: Outcome = { shot: s, file };
      let query: string | undefined = s.prepare ? undefined : (s.query ?? '');
      for (let attemptNo = 1; attemptNo <= 2; attemptNo++) {
        try {
          query ??= await s.prepare!(cloud.url);
          await attempt(await liveBrowser(), cloud.url, OUT, s, query, file);
          outcome.failed = undefined;
          break;
        } catch (e) {
          outcome.failed = firstLine(e);
          if (attemptNo === 1) {
            outcome.retried = outcome.failed;
            console.warn(`[screenshots] retrying ${fileOf(s)}: ${outcome.failed}`);
          }
        }
      }
      outcomes.push(outcome);
      if (outcome.failed) console.error(`[screenshots] FAILED ${fileOf(s)}: ${outcome.failed}`);
      else console.log(path.relative(process.cwd(), file));
    }
  } finally {
    await browser?.close().catch(() => undefined);
    await cloud.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const retried = outcomes.filter((o) => o.retried && !o.failed);
  const failed = outcomes.filter((o) => o.failed);
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(
    `\n[screenshots] ${outcomes.length - failed.length} of ${outcomes.length} pages taken in ${seconds} s; ` +
      `${retried.length} taken on the second try, ${failed.length} failed twice`,
  );
  for (const o of retried) console.log(`  retried  ${fileOf(o.shot)}  (first try: ${o.retried})`);
  for (const o of failed) console.log(`  FAILED   ${fileOf(o.shot)}  (${o.failed})`);
  if (failed.length) {
    console.log(
      `  what the failed pages showed: ${path.relative(process.cwd(), path.join(OUT, '_failed'))}/`,
    );
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  console.error(`[screenshots] ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});
