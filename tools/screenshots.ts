/**
 * `npm run screenshots`: a PNG of every page of the mini-program, for an owner and for staff,
 * at 375×667 @2x, into screenshots/ (ignored by git). Starts its own local cloud (demo seed, temp
 * data dir, free port) with the preview mounted and drives Debian's Chromium (CHROMIUM_PATH to
 * override). Prints the paths it wrote.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startCloud } from './cloud/server';
import { readAppJson, subpackagesOf } from './miniprogram-files';
import { createPreviewHandler } from './preview';
import { seedDemo } from './seed/demo';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Shot {
  /** folder under screenshots/ */
  who: string;
  user: string;
  path: string;
  via?: 'navigate' | 'relaunch';
  /** after the page settles, e.g. switch to a tab */
  then?: string;
  name?: string;
}

function allPages(): string[] {
  const app = readAppJson(path.join(ROOT, 'miniprogram'));
  return [
    ...app.pages,
    ...subpackagesOf(app).flatMap((s) => s.pages.map((p) => `${s.root.replace(/\/$/, '')}/${p}`)),
  ];
}

function plan(): Shot[] {
  const pages = allPages();
  const shots: Shot[] = [];
  for (const [who, user] of [
    ['owner', 'o_demo_owner'],
    ['staff', 'o_demo_admin'],
  ] as const) {
    for (const p of pages)
      shots.push({ who, user, path: p, via: p.startsWith('admin/') ? 'relaunch' : 'navigate' });
  }
  // the states that matter to owners: paid up, 长辈模式, paid bills
  shots.push({ who: 'owner-paid', user: 'o_demo_paid', path: 'pages/home/index' });
  shots.push({ who: 'owner-paid', user: 'o_demo_paid', path: 'pages/bills/index' });
  shots.push({ who: 'elder', user: 'o_demo_elder', path: 'pages/home/index' });
  shots.push({ who: 'elder', user: 'o_demo_elder', path: 'pages/bills/index' });
  shots.push({ who: 'elder', user: 'o_demo_elder', path: 'pages/me/index' });
  shots.push({
    who: 'owner',
    user: 'o_demo_owner',
    path: 'pages/bills/index',
    then: '已缴费',
    name: 'pages-bills-index-paid',
  });
  shots.push({
    who: 'staff-cashier',
    user: 'o_demo_cashier',
    path: 'admin/index/index',
    via: 'relaunch',
  });
  return shots;
}

async function shoot(browser: Browser, base: string, s: Shot): Promise<string> {
  const ctx = await browser.newContext({
    viewport: { width: 375, height: 667 },
    deviceScaleFactor: 2,
    hasTouch: true,
  });
  try {
    await ctx.route('**/*', (r) =>
      /^https?:\/\/127\.0\.0\.1[:/]/.test(r.request().url()) ? r.continue() : r.abort(),
    );
    const page = await ctx.newPage();
    const q = new URLSearchParams({ user: s.user, path: s.path, via: s.via ?? 'navigate' });
    await page.goto(`${base}/__preview__/app?${q}`);
    await page.waitForFunction(
      () => document.body.dataset.ready === '1' || !!document.body.dataset.bootError,
    );
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => document.fonts.ready);
    if (s.then) {
      await page
        .locator('wx-page.wx-page-host:visible')
        .getByText(s.then, { exact: true })
        .first()
        .tap();
      await page.waitForLoadState('networkidle');
    }
    await page.waitForTimeout(400); // toasts and transitions
    const file = path.join(OUT, s.who, `${s.name ?? s.path.replace(/\//g, '-')}.png`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file });
    return file;
  } finally {
    await ctx.close();
  }
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'screenshots-cloud-'));
  const cloud = await startCloud({
    port: 0,
    dataDir,
    seed: 'demo',
    seeder: seedDemo,
    quiet: true,
    timers: false,
    handler: createPreviewHandler({ rootDir: ROOT }),
  });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    fs.rmSync(OUT, { recursive: true, force: true });
    for (const s of plan())
      console.log(path.relative(process.cwd(), await shoot(browser, cloud.url, s)));
  } finally {
    await browser?.close();
    await cloud.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`[screenshots] ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});
