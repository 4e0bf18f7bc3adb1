/**
 * End-to-end harness: the local cloud with the demo seed and the browser preview mounted (as
 * `npm start` runs it) on a free loopback port, and a real Chromium driven by playwright-core
 * (the one `tools/chromium.ts` finds: CHROMIUM_PATH, else the one `npm install` brought, else
 * Debian's). Every request the browser makes is checked: nothing may leave 127.0.0.1.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium } from '../../tools/chromium';
import { startCloud, type LocalCloud } from '../../tools/cloud/server';
import { createPreviewHandler } from '../../tools/preview';
import { seedDemo } from '../../tools/seed/demo';
import { DEMO_NOW } from '../helpers/cloud';
import { addMonths } from '../../miniprogram/domain/fee/period';
import { formatMonths } from '../../miniprogram/domain/kernel/time';
import { useStarted } from '../helpers/live';
import { postJson } from '../helpers/process';

// A real browser and a real cloud: give each test room (jest's per-project testTimeout is not applied).
jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '..', '..');

export interface Harness {
  cloud: LocalCloud;
  browser: Browser;
  /** requests that tried to leave the machine */
  external: string[];
  open(user: string, pagePath?: string, via?: 'navigate' | 'relaunch'): Promise<Page>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-cloud-'));
  const cloud = await startCloud({
    port: 0,
    dataDir,
    seed: 'demo',
    seeder: seedDemo,
    quiet: true,
    timers: false,
    clockAt: DEMO_NOW,
    handler: createPreviewHandler({ rootDir: ROOT }),
  });
  const browser = await launchChromium().catch(async (e: unknown) => {
    await cloud.close();
    throw e;
  });
  const external: string[] = [];
  const contexts: BrowserContext[] = [];
  return {
    cloud,
    browser,
    external,
    async open(user, pagePath = 'pages/home/index', via = 'navigate') {
      const ctx = await browser.newContext({
        viewport: { width: 375, height: 667 },
        deviceScaleFactor: 2,
        hasTouch: true,
      });
      contexts.push(ctx);
      await ctx.route('**/*', (route) => {
        const url = route.request().url();
        if (/^https?:\/\/127\.0\.0\.1[:/]/.test(url)) return route.continue();
        external.push(url);
        return route.abort();
      });
      // When the page last scrolled (any element): taps right after a scroll are cancelled.
      await ctx.addInitScript(() => {
        window.addEventListener(
          'scroll',
          () => ((window as { lastScrollAt?: number }).lastScrollAt = performance.now()),
          { capture: true, passive: true },
        );
      });
      const page = await ctx.newPage();
      page.on('pageerror', (e) => console.error(`[browser ${user}] ${e.stack ?? e.message}`));
      const q = new URLSearchParams({ user, path: pagePath, via });
      await page.goto(`${cloud.url}/__preview__/app?${q}`);
      await page.waitForFunction(
        () => document.body.dataset.ready === '1' || !!document.body.dataset.bootError,
      );
      const bootError = await page.evaluate(() => document.body.dataset.bootError);
      if (bootError) throw new Error(`preview failed to boot: ${bootError}`);
      return page;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await cloud.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The page on top of the stack (hidden tab pages stay in the DOM). */
/** The harness of a test file: started once before its tests (up to 60 s), closed after. */
export function useHarness(): Harness {
  return useStarted(startHarness, 'file', 60_000);
}

/** Text without white space, to compare what a page shows across line breaks. */
export const compact = (s: string) => s.replace(/\s+/g, '');

/** POSTs JSON to the harness's cloud (a /dev or /gateway route) and answers the reply's body. */
export async function post<T>(h: Harness, path: string, body: unknown): Promise<T> {
  return (await postJson<T>(`${h.cloud.url}${path}`, body)).body;
}

/**
 * An owner's WeChat order made through the payment function (`event` adds to createOrder) and
 * paid in the preview's pay sheet, as the owner would; `beforePaying` runs in between.
 */
export async function payOrder(
  h: Harness,
  openid: string,
  event: Record<string, unknown> = {},
  beforePaying?: () => void,
): Promise<{ outTradeNo: string; billIds: string[]; payment: { package: string } }> {
  const order = await post<{
    ok: boolean;
    data: { outTradeNo: string; billIds: string[]; payment: { package: string } };
  }>(h, '/dev/call/payment', { event: { action: 'createOrder', ...event }, openid });
  expect(order.ok).toBe(true);
  beforePaying?.();
  await post(h, '/gateway/pay', { package: order.data.payment.package, openid, result: 'success' });
  return order.data;
}

export function current(page: Page) {
  return page.locator('wx-page.wx-page-host:visible');
}

export async function routeOf(page: Page): Promise<string> {
  return page.evaluate(() => document.body.dataset.route ?? '');
}

export async function waitForRoute(page: Page, route: string): Promise<void> {
  await page.waitForFunction((r) => document.body.dataset.route === r, route);
}

/** Tap a tab of the custom tab bar on the current page. */
export async function tapTab(page: Page, label: string): Promise<void> {
  await current(page)
    .locator('custom-tab-bar, app-tab-bar')
    .getByText(label, { exact: true })
    .tap();
}

/**
 * Waits until the phone has no cloud request in flight (the preview mirrors the count on
 * `body[data-calls-pending]`), i.e. the page has its data and its buttons have stopped loading.
 */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => (document.body.dataset.callsPending ?? '0') === '0');
}

/**
 * Taps once the page is still: a focused input is blurred first (its blur handler re-renders the
 * page, and a tap whose node is replaced between touchstart and touchend is lost, as on a phone
 * where the first touch only closes the keyboard), the re-render has painted, and no cloud
 * request is in flight (a tap on a loading button would be ignored).
 */
export async function tapWhenSettled(page: Page, target: Locator): Promise<void> {
  await page.evaluate(async () => {
    const active = document.activeElement as HTMLElement | null;
    if (active && active !== document.body) active.blur();
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
  await target.scrollIntoViewIfNeeded();
  // j-component (like WeChat) cancels a tap that lands within 150 ms of a scroll; focusing an
  // input or scrolling the target into view scrolls, so wait until the page has stopped scrolling.
  await page.waitForFunction(
    () => performance.now() - ((window as { lastScrollAt?: number }).lastScrollAt ?? -1e9) > 200,
  );
  await settled(page);
  await target.tap();
}

/**
 * Poll `read` until `ok` holds (the page updates asynchronously after input). It returns as soon
 * as it holds; the deadline is generous because a loaded machine can take seconds per call.
 */
export async function until<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 30_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A room's unpaid bills, oldest first. The demo seed dates its bills from today (the quarters
 * start two months before it), so tests look their ids up instead of naming a month.
 */
export function unpaidBills(cloud: LocalCloud, roomId: string): { _id: string; period: string }[] {
  return cloud.store
    .find('bills', { roomId, status: 'unpaid' }, { sort: { period: 1 } })
    .map((b) => ({ _id: String(b._id), period: String(b.period) }));
}

/**
 * A demo bill's 账期 as the pages show it: the demo bills are quarterly, so the months they cover,
 * `2026-06` → `2026年6月–8月` (the kernel's one format).
 */
export function periodLabel(period: string): string {
  return formatMonths(period, addMonths(period, 2));
}
