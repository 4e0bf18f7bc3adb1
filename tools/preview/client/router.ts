/**
 * The page stack, as WeChat keeps it: navigateTo pushes (at most 10), redirectTo replaces,
 * navigateBack pops, switchTab closes every non-tab page and shows a tab page (tab pages stay
 * alive once opened), reLaunch closes everything. Each page is a real page of the mini-program,
 * loaded and rendered by miniprogram-simulate; tab pages get their own custom tab bar instance,
 * as `this.getTabBar()` returns in WeChat.
 */
import type { AppJson, JComponent, PageInstance } from './types';

export class RouteError extends Error {}

export interface PageEntry {
  route: string;
  query: Record<string, string>;
  comp: JComponent;
  instance: PageInstance;
  host: HTMLElement;
  tabBar?: JComponent;
  styleIds: string[];
  json: Record<string, unknown>;
}

const MAX_STACK = 10;

function readJson(file: string): Record<string, unknown> {
  const text = window.__FILE_MAP__[file];
  if (typeof text !== 'string') return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function parseUrl(
  url: string,
  fromRoute: string,
): { route: string; query: Record<string, string> } {
  const [pathPart = '', queryPart = ''] = url.split('?');
  let route: string;
  if (pathPart.startsWith('/')) route = pathPart.slice(1);
  else {
    const base = fromRoute.split('/').slice(0, -1);
    for (const seg of pathPart.split('/')) {
      if (seg === '..') base.pop();
      else if (seg !== '.' && seg !== '') base.push(seg);
    }
    route = base.join('/');
  }
  const query: Record<string, string> = {};
  for (const pair of queryPart.split('&')) {
    if (!pair) continue;
    const [k = '', v = ''] = pair.split('=');
    query[decodeURIComponent(k)] = decodeURIComponent(v);
  }
  return { route: route.replace(/\.(wxml|js|ts)$/, ''), query };
}

export class Router {
  readonly app: AppJson;
  readonly stack: PageEntry[] = [];
  private readonly tabs = new Map<string, PageEntry>();
  private readonly container: HTMLElement;
  private counter = 0;
  onChange: (router: Router) => void = () => {};

  constructor(app: AppJson, container: HTMLElement) {
    this.app = app;
    this.container = container;
  }

  get current(): PageEntry | undefined {
    return this.stack[this.stack.length - 1];
  }

  allPages(): string[] {
    const subs = this.app.subPackages ?? this.app.subpackages ?? [];
    return [
      ...this.app.pages,
      ...subs.flatMap((s) => s.pages.map((p) => `${s.root.replace(/\/$/, '')}/${p}`)),
    ];
  }

  isTab(route: string): boolean {
    return (this.app.tabBar?.list ?? []).some((t) => t.pagePath === route);
  }

  private assertPage(route: string): void {
    if (!this.allPages().includes(route)) throw new RouteError(`page "${route}" is not found`);
  }

  private create(route: string, query: Record<string, string>): PageEntry {
    const n = ++this.counter;
    const tag = `page-${route.replace(/[^a-z0-9]+/gi, '-')}`;
    const before = new Set(
      Array.from(document.head.querySelectorAll('style[id]')).map((s) => s.id),
    );
    const id = window.simulate.load(`/${route}`, tag, { rootPath: '/', compiler: 'official' });
    const comp = window.simulate.render(id);
    const host = document.createElement('wx-page');
    host.className = 'wx-page-host';
    host.dataset.route = route;
    host.dataset.n = String(n);
    this.container.appendChild(host);
    comp.attach(host);
    const instance = comp.instance;
    const entry: PageEntry = {
      route,
      query,
      comp,
      instance,
      host,
      styleIds: [],
      json: readJson(`${route}.json`),
    };
    instance.route = route;
    instance.options = query;
    instance.__route__ = route;
    if (this.isTab(route) && this.app.tabBar?.custom) {
      const barId = window.simulate.load('/custom-tab-bar/index', 'custom-tab-bar', {
        rootPath: '/',
        compiler: 'official',
      });
      const bar = window.simulate.render(barId);
      bar.attach(host);
      entry.tabBar = bar;
      instance.getTabBar = () => bar.instance;
    } else {
      instance.getTabBar = () => undefined;
    }
    entry.styleIds = Array.from(document.head.querySelectorAll('style[id]'))
      .map((s) => s.id)
      .filter((sid) => !before.has(sid));
    return entry;
  }

  private call(entry: PageEntry, hook: string, ...args: unknown[]): void {
    const fn = entry.instance[hook];
    if (typeof fn !== 'function') return;
    try {
      const r = (fn as (...a: unknown[]) => unknown).apply(entry.instance, args);
      if (r && typeof (r as Promise<unknown>).catch === 'function') {
        (r as Promise<unknown>).catch((e: unknown) =>
          console.error(`[${entry.route}] ${hook}:`, e),
        );
      }
    } catch (e) {
      console.error(`[${entry.route}] ${hook}:`, e);
    }
  }

  private open(route: string, query: Record<string, string>): PageEntry {
    const entry = this.create(route, query);
    this.call(entry, 'onLoad', query);
    this.call(entry, 'onShow');
    entry.comp.triggerPageLifeTime('show');
    setTimeout(() => this.call(entry, 'onReady'), 0);
    if (this.isTab(route)) this.tabs.set(route, entry);
    return entry;
  }

  private hide(entry: PageEntry): void {
    entry.host.style.display = 'none';
    this.call(entry, 'onHide');
    entry.comp.triggerPageLifeTime('hide');
  }

  private show(entry: PageEntry): void {
    entry.host.style.display = '';
    this.call(entry, 'onShow');
    entry.comp.triggerPageLifeTime('show');
  }

  private unload(entry: PageEntry): void {
    this.call(entry, 'onUnload');
    entry.tabBar?.detach();
    entry.comp.detach();
    entry.host.remove();
    for (const sid of entry.styleIds) document.getElementById(sid)?.remove();
    if (this.tabs.get(entry.route) === entry) this.tabs.delete(entry.route);
  }

  private changed(): void {
    this.onChange(this);
  }

  navigateTo(url: string): void {
    const { route, query } = parseUrl(url, this.current?.route ?? '');
    this.assertPage(route);
    if (this.isTab(route)) throw new RouteError('can not navigateTo a tabbar page');
    if (this.stack.length >= MAX_STACK) throw new RouteError('webview count limit exceed');
    if (this.current) this.hide(this.current);
    this.stack.push(this.open(route, query));
    this.changed();
  }

  redirectTo(url: string): void {
    const { route, query } = parseUrl(url, this.current?.route ?? '');
    this.assertPage(route);
    if (this.isTab(route)) throw new RouteError('can not redirectTo a tabbar page');
    const top = this.stack.pop();
    if (top) this.unload(top);
    this.stack.push(this.open(route, query));
    this.changed();
  }

  switchTab(url: string): void {
    const { route } = parseUrl(url, this.current?.route ?? '');
    this.assertPage(route);
    if (!this.isTab(route)) throw new RouteError('can not switch to no-tabBar page');
    const top = this.current;
    if (top?.route === route && this.stack.length === 1) return;
    while (this.stack.length > 0) {
      const e = this.stack.pop()!;
      if (this.isTab(e.route) && this.tabs.get(e.route) === e) {
        if (e.route !== route) this.hide(e);
      } else this.unload(e);
    }
    const existing = this.tabs.get(route);
    if (existing) {
      this.stack.push(existing);
      if (existing.host.style.display === 'none' || top !== existing) this.show(existing);
    } else {
      this.stack.push(this.open(route, {}));
    }
    this.changed();
  }

  reLaunch(url: string): void {
    const { route, query } = parseUrl(url, this.current?.route ?? '');
    this.assertPage(route);
    while (this.stack.length > 0) this.unload(this.stack.pop()!);
    for (const e of [...this.tabs.values()]) this.unload(e);
    this.stack.push(this.open(route, query));
    this.changed();
  }

  navigateBack(delta = 1): void {
    if (this.stack.length <= 1) throw new RouteError('cannot navigate back at first page');
    const n = Math.min(Math.max(1, delta), this.stack.length - 1);
    for (let i = 0; i < n; i++) this.unload(this.stack.pop()!);
    this.show(this.current!);
    this.changed();
  }

  /** Title and colours for the navigation bar of the current page. */
  navigationOf(entry: PageEntry): { title: string; background: string; text: 'white' | 'black' } {
    const win = this.app.window ?? {};
    const json = entry.json as Record<string, string | undefined>;
    return {
      title: String(
        entry.instance.__title__ ?? json.navigationBarTitleText ?? win.navigationBarTitleText ?? '',
      ),
      background:
        json.navigationBarBackgroundColor ?? win.navigationBarBackgroundColor ?? '#000000',
      text:
        (json.navigationBarTextStyle ?? win.navigationBarTextStyle ?? 'white') === 'black'
          ? 'black'
          : 'white',
    };
  }
}
