/**
 * Loading mini-program pages and components in jsdom with miniprogram-simulate, and driving them
 * as a person would: tap, type, read the text. vant comes from miniprogram/miniprogram_npm (built
 * by jest's globalSetup); components are referenced as `/miniprogram_npm/...` and resolved against
 * the mini-program root. The `wx` they call is stubbed by wx-stub.ts.
 */
import * as path from 'node:path';
import * as simulate from 'miniprogram-simulate';

export const MP_ROOT = path.resolve(__dirname, '..', '..', 'miniprogram');

export type Rendered = ReturnType<typeof simulate.render>;

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
