/**
 * Taking one shot in a fresh browser context: open the page in the preview as its user, wait for
 * the page's own data (never a fixed time), drive it, and fail the shot if any of its data did
 * not come; what a failed page showed is kept under screenshots/_failed/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fileOf, tapText, type Shot } from './shot';

/**
 * Runs in the page: true once the visible page has had no cloud call in flight, no loading state
 * and no finite animation or transition running for 200 ms (a page may chain calls).
 */
const SETTLED = `(() => {
  const host = [...document.querySelectorAll('wx-page.wx-page-host')].find((e) => e.checkVisibility());
  const loading = !!host && [...host.querySelectorAll('[class*="--state-loading"]')].some((e) => e.checkVisibility());
  const moving = document.getAnimations().some(
    (a) => a.playState === 'running' && a.effect && a.effect.getTiming().iterations !== Infinity,
  );
  const quiet = document.body.dataset.ready === '1' &&
    (document.body.dataset.callsPending ?? '0') === '0' && !loading && !moving;
  if (!quiet) { window.__quietSince = undefined; return false; }
  window.__quietSince ??= performance.now();
  return performance.now() - window.__quietSince >= 200;
})()`;

/** What went wrong on the page: failed cloud calls and the page's own error state. */
const PROBLEMS = `(() => {
  const out = (document.body.dataset.callsFailed ?? '').split('\\n').filter(Boolean);
  const host = [...document.querySelectorAll('wx-page.wx-page-host')].find((e) => e.checkVisibility());
  for (const e of host ? host.querySelectorAll('[class*="--state-error"]') : []) {
    if (e.checkVisibility()) out.push('the page shows its error state: ' + e.innerText.replace(/\\s+/g, ' ').trim());
  }
  if (document.body.dataset.bootError) out.push('preview failed to boot: ' + document.body.dataset.bootError);
  return out;
})()`;

const STEP_TIMEOUT_MS = 45_000;

/** Waits for the page's data, then fails the shot if any of it did not come. */
async function settle(page: Page, step: string): Promise<void> {
  await page.waitForFunction(SETTLED, undefined, { polling: 50, timeout: STEP_TIMEOUT_MS });
  const problems = (await page.evaluate(PROBLEMS)) as string[];
  if (problems.length) throw new Error(`${step}: ${problems.join('; ')}`);
}

export async function attempt(
  browser: Browser,
  base: string,
  out: string,
  s: Shot,
  query: string,
  file: string,
): Promise<void> {
  let ctx: BrowserContext | undefined;
  let page: Page | undefined;
  try {
    ctx = await browser.newContext({
      viewport: { width: 375, height: 667 },
      deviceScaleFactor: 2,
      hasTouch: true,
    });
    ctx.setDefaultTimeout(STEP_TIMEOUT_MS);
    await ctx.route('**/*', (r) =>
      /^https?:\/\/127\.0\.0\.1[:/]/.test(r.request().url()) ? r.continue() : r.abort(),
    );
    page = await ctx.newPage();
    const q = new URLSearchParams({ user: s.user, path: s.path, via: s.via ?? 'navigate', query });
    await page.goto(`${base}/__preview__/app?${q}`);
    await page.waitForFunction(
      () => document.body.dataset.ready === '1' || !!document.body.dataset.bootError,
    );
    await page.evaluate(() => document.fonts.ready);
    await settle(page, 'loading the page');
    if (s.then) {
      await tapText(page, s.then);
      await settle(page, `after tapping ${s.then}`);
    }
    if (s.act) {
      await s.act(page);
      await settle(page, 'after driving the page');
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file });
  } catch (e) {
    // Keep what the page looked like, for the report.
    if (page && !page.isClosed()) {
      const failed = path.join(out, '_failed', fileOf(s));
      fs.mkdirSync(path.dirname(failed), { recursive: true });
      await page.screenshot({ path: failed }).catch(() => undefined);
    }
    throw e;
  } finally {
    // Closing must never end the run, whatever state the browser is in.
    await ctx?.close().catch(() => undefined);
  }
}

export interface Outcome {
  shot: Shot;
  file: string;
  /** why the first attempt failed, when it was retried */
  retried?: string;
  /** why the last attempt failed */
  failed?: string;
}

export function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!;
}
