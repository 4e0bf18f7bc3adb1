/**
 * What a screenshot is (a user, a page, how to reach it and drive it) and the helpers shots share:
 * the demo records they name, looked up in the seeded store rather than by month, and the ways
 * they drive a page in the preview.
 */
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { Store } from '../cloud/store';

export interface Shot {
  /** folder under screenshots/ */
  who: string;
  user: string;
  path: string;
  via?: 'navigate' | 'relaunch';
  /** the page's query string */
  query?: string;
  /**
   * Work done against the cloud before the shot (e.g. a payment); returns the query. Runs once:
   * a retry of the shot reuses its query.
   */
  prepare?: (cloudUrl: string) => Promise<string>;
  /** after the page settles, e.g. switch to a tab */
  then?: string;
  /** after `then`: drive the page into the state to show (fill a form, choose a file) */
  act?: (page: Page) => Promise<void>;
  name?: string;
}

export function fileOf(s: Shot): string {
  return path.join(s.who, `${s.name ?? s.path.replace(/\//g, '-')}.png`);
}

/** The seeded demo the shots are taken of: its store and the records they name. */
export interface Demo {
  store: Store;
  ids: DemoIds;
}

/** A room's unpaid bills, oldest first (the demo seed dates its bills from today). */
export function unpaid(store: Store, roomId: string): string[] {
  return store
    .find('bills', { roomId, status: 'unpaid' }, { sort: { period: 1 } })
    .map((b) => String(b._id));
}

/** A seeded payment of the room by that channel (any channel if it has none), newest first. */
function seededPayment(store: Store, roomId: string, channel: string): string {
  const find = (q: Record<string, unknown>) =>
    store.find('payments', { roomIds: roomId, ...q }, { sort: { paidAt: -1 } })[0];
  const p = find({ channel }) ?? find({});
  if (!p) throw new Error(`the demo seed has no payment for ${roomId}`);
  return String(p._id);
}

/** Records the shots name, looked up in the seeded demo instead of naming a month. */
export interface DemoIds {
  ownerOldest1501: string;
  ownerOldest302: string;
  elderNewest: string;
  ownerWechatPayment: string;
  paidCashPayment: string;
  elderCashPayment: string;
}

export function demoIds(store: Store): DemoIds {
  const first = (list: string[], what: string) => {
    if (!list[0]) throw new Error(`the demo seed has no ${what}`);
    return list[0];
  };
  return {
    ownerOldest1501: first(unpaid(store, 'r_1_1_1501'), 'unpaid bill for r_1_1_1501'),
    ownerOldest302: first(unpaid(store, 'r_2_1_302'), 'unpaid bill for r_2_1_302'),
    elderNewest: first(unpaid(store, 'r_1_2_201').reverse(), 'unpaid bill for r_1_2_201'),
    ownerWechatPayment: seededPayment(store, 'r_1_1_1501', 'wechat'),
    paidCashPayment: seededPayment(store, 'r_3_2_801', 'cash'),
    elderCashPayment: seededPayment(store, 'r_1_2_201', 'cash'),
  };
}

export async function post<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}

/** The page on screen (the preview keeps the pages below it in the DOM, hidden). */
export function onScreen(page: Page): Locator {
  return page.locator('wx-page.wx-page-host:visible');
}

export async function tapText(page: Page, text: string): Promise<void> {
  await onScreen(page).getByText(text, { exact: true }).first().tap();
}

/**
 * Taps until `shows` is visible (at most three taps): in the preview, the first tap after typing
 * may only end the input's focus.
 */
export async function tapUntil(target: Locator, shows: Locator): Promise<void> {
  for (let i = 0; ; i++) {
    await target.tap();
    try {
      await shows.first().waitFor({ state: 'visible', timeout: 5_000 });
      return;
    } catch (e) {
      if (i === 2) throw e;
    }
  }
}
