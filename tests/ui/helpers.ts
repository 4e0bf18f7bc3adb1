/**
 * Loading mini-program pages and components in jsdom with miniprogram-simulate, and a stubbed
 * `wx` whose cloud replies a test chooses. vant comes from miniprogram/miniprogram_npm (built by
 * jest's globalSetup); components are referenced as `/miniprogram_npm/...` and resolved against
 * the mini-program root.
 */
import * as path from 'node:path';
import * as simulate from 'miniprogram-simulate';
import type { ErrReply, OkReply } from '../../miniprogram/domain/kernel/reply';
import { fieldsOfMessage } from '../../miniprogram/domain/kernel/check';

export const MP_ROOT = path.resolve(__dirname, '..', '..', 'miniprogram');

export type Rendered = ReturnType<typeof simulate.render>;
type Handler = (input: Record<string, unknown>) => unknown;

export const ok = <T>(data: T): OkReply<T> => ({ ok: true, data });
/**
 * An error reply as the functions' router sends it: the fields a message names come as `fields`
 * too — every `field: sentence` of an INVALID_INPUT line (the contract's problems), or the one a
 * function's own refusal (AppError) starts with.
 */
export const fail = (code: ErrReply['code'], message = 'technical detail'): ErrReply => {
  const parts = code === 'INVALID_INPUT' ? message.split('; ') : [message];
  const fields = parts.flatMap((p) => fieldsOfMessage(p));
  return fields.length > 0 ? { ok: false, code, message, fields } : { ok: false, code, message };
};

export interface WxStub {
  /** every callFunction: `{ name, data }` */
  calls: { name: string; data: Record<string, unknown> }[];
  storage: Map<string, unknown>;
  wx: Record<string, jest.Mock | unknown>;
}

/**
 * Replace the parts of `wx` the app uses. `replies` maps 'fn.action' to a reply (or a function
 * of the input, or an Error to make the call itself fail as on a network error).
 */
export function stubWx(replies: Record<string, unknown | Handler>): WxStub {
  const calls: WxStub['calls'] = [];
  const storage = new Map<string, unknown>();
  const g = globalThis as unknown as {
    wx: Record<string, unknown>;
    __pristineWx?: Record<string, unknown>;
  };
  // simulate's own wx, not the previous test's stub (overrides must not leak between tests)
  g.__pristineWx ??= g.wx;
  const callFunction = jest.fn(
    async ({ name, data }: { name: string; data: Record<string, unknown> }) => {
      calls.push({ name, data });
      const key = `${name}.${String(data.action)}`;
      const reply = replies[key];
      if (reply === undefined)
        throw { errCode: -404011, errMsg: `cloud.callFunction:fail no stub for ${key}` };
      // a handler may answer later (a promise): the page meanwhile shows what it shows while waiting
      const value = typeof reply === 'function' ? await (reply as Handler)(data) : reply;
      if (value instanceof Error)
        throw { errCode: -1, errMsg: `cloud.callFunction:fail ${value.message}` };
      return { errMsg: 'cloud.callFunction:ok', result: value };
    },
  );
  const wx: Record<string, unknown> = {
    ...g.__pristineWx,
    cloud: { init: jest.fn(), callFunction },
    showToast: jest.fn(),
    showLoading: jest.fn(),
    hideLoading: jest.fn(),
    showModal: jest.fn(),
    navigateTo: jest.fn(),
    redirectTo: jest.fn(),
    switchTab: jest.fn(),
    reLaunch: jest.fn(),
    navigateBack: jest.fn(),
    makePhoneCall: jest.fn(),
    stopPullDownRefresh: jest.fn(),
    requestSubscribeMessage: jest.fn(),
    requestPayment: jest.fn(),
    openSetting: jest.fn(),
    pageScrollTo: jest.fn(),
    getStorageSync: jest.fn((k: string) => (storage.has(k) ? storage.get(k) : '')),
    setStorageSync: jest.fn((k: string, v: unknown) => void storage.set(k, v)),
    removeStorageSync: jest.fn((k: string) => void storage.delete(k)),
    clearStorageSync: jest.fn(() => storage.clear()),
  };
  g.wx = wx;
  return { calls, storage, wx };
}

/**
 * Load a page or component (path relative to miniprogram/, no extension), render it and attach
 * it to the document. Modules are reset first so each test gets fresh module state (the session
 * cache, settings listeners) and the same path can be loaded again.
 */
export function mount(relPath: string, props?: Record<string, unknown>): Rendered {
  jest.resetModules();
  // wcc compiles every page at once; its output outgrew the compiler's 1 MB default buffer.
  const id = simulate.load(path.join(MP_ROOT, relPath), {
    rootPath: MP_ROOT,
    compilerOptions: { maxBuffer: 32 * 1024 * 1024 },
  });
  const comp = simulate.render(id, props);
  const parent = document.createElement('div');
  document.body.appendChild(parent);
  comp.attach(parent);
  return comp;
}

/** Open a page as WeChat does: onLoad(query), then onShow. */
export function openPage(route: string, query: Record<string, string> = {}): Rendered {
  const page = mount(route);
  const inst = page.instance as unknown as Record<string, (...a: unknown[]) => unknown>;
  inst.onLoad?.call(inst, query);
  inst.onShow?.call(inst);
  return page;
}

/** Opens a page (onLoad, onShow) and lets its first calls and updates settle. */
export async function loadPage(
  route: string,
  query: Record<string, string> = {},
): Promise<Rendered> {
  const page = openPage(route, query);
  await settle();
  return page;
}

/** Let pending promises, timers and simulate's async updates settle. */
export async function settle(ms = 0): Promise<void> {
  for (let i = 0; i < 3; i++) await simulate.sleep(ms);
}

/**
 * Wait until `ready()` holds (the page reached a state), checking as simulate's updates land;
 * fails with `what` after `ms`. For a busy machine: no fixed sleeps to guess.
 */
export async function waitFor(what: string, ready: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await simulate.sleep(5);
  }
}

/** A reply the test lets go of when it chooses (to see a page while it waits). */
export function later<T>(): { reply: Promise<T>; answer: (value: T) => void } {
  let answer!: (value: T) => void;
  const reply = new Promise<T>((resolve) => (answer = resolve));
  return { reply, answer };
}

/** Rendered text with whitespace collapsed. */
export function textOf(comp: Rendered): string {
  return (comp.dom?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Tap the first node matching `selector` inside `comp` (selectors see un-prefixed classes). */
export async function tap(comp: Rendered, selector: string): Promise<void> {
  const node = comp.querySelector(selector);
  if (!node) throw new Error(`nothing matches ${selector}`);
  node.dispatchEvent('tap');
  await settle();
}

/** Every node matching `selector` inside `comp` (one level of shadow tree). */
export function queryAll(comp: Rendered, selector: string): Rendered[] {
  return comp.querySelectorAll(selector);
}

/** Tap the n-th (0-based) node matching `selector`. */
export async function tapNth(comp: Rendered, selector: string, n: number): Promise<void> {
  const node = queryAll(comp, selector)[n];
  if (!node) throw new Error(`no ${selector} #${n}`);
  node.dispatchEvent('tap');
  await settle();
}

/**
 * Type into a vant field (van-field, or van-search's inner field) found by `path`: the native
 * <input> inside fires `input` as WeChat does, with `detail.value`.
 */
export async function typeInto(comp: Rendered, path: string[], value: string): Promise<void> {
  const field = query(comp, ...path);
  const input = queryAll(field, '.van-field__control').find((n) => n.dom?.tagName === 'WX-INPUT');
  if (!input) throw new Error(`no <input> in ${path.join(' › ')}`);
  input.dispatchEvent('input', { detail: { value, cursor: value.length, keyCode: 0 } });
  await settle(10);
}

/** Tap a vant button: `path` leads to the <van-button> node, whose inner button takes the tap. */
export async function tapButton(comp: Rendered, ...path: string[]): Promise<void> {
  query(comp, ...path, '.van-button').dispatchEvent('tap');
  await settle();
}

/** Find a nested component by selector path: `query(page, 'van-search', 'van-field', '.van-field__control')`. */
export function query(comp: Rendered, ...selectors: string[]): Rendered {
  let cur: Rendered | undefined = comp;
  for (const s of selectors) {
    cur = cur?.querySelector(s);
    if (!cur) throw new Error(`nothing matches ${selectors.join(' › ')} (at ${s})`);
  }
  return cur!;
}

export { simulate };

/** Every modal is answered 确定, as if the person confirmed. */
export function confirmAll(stub: WxStub): void {
  stub.wx.showModal = jest.fn((o: { success?: (r: object) => void }) =>
    o.success?.({ confirm: true, cancel: false }),
  );
}

/** The calls of one action, oldest first. */
export function callsOf(stub: WxStub, action: string): WxStub['calls'] {
  return stub.calls.filter((c) => c.data.action === action);
}
