/**
 * The preview's phone: boots the real mini-program in the browser with miniprogram-simulate.
 * Loaded after miniprogram-simulate's browser build and the generated bundle (file map).
 */
import { installBuiltins } from './builtins';
import { installDevClock } from './clock';
import { installModules, requireModule } from './modules';
import { Router } from './router';
import { installMouseAsTouch } from './touch';
import { makeStorage, installWx, noteTap } from './wx';
import type { PageInstance } from './types';

const APP_NAME = '物业缴费';

function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return el;
}

function templateTitles(): (id: string) => string {
  try {
    const config = requireModule('config') as {
      SUBSCRIBE_TEMPLATES?: { id: string; title: string }[];
    };
    const map = new Map((config.SUBSCRIBE_TEMPLATES ?? []).map((t) => [t.id, t.title]));
    return (id) => map.get(id) ?? id;
  } catch {
    return (id) => id;
  }
}

function boot(): void {
  const cfg = window.__PREVIEW__;
  const app = window.__APP_JSON__;
  installDevClock(cfg.gateway);
  installModules();
  installBuiltins();

  // The elderly demo owner starts in 长辈模式 (the app's own setting, in its own storage).
  const storage = makeStorage(cfg);
  if (cfg.user.elder && !storage.has('settings.elderMode')) storage.set('settings.elderMode', true);

  const router = new Router(app, $('wx-pages'));
  const title = $('wx-nav-title');
  const nav = $('wx-nav');
  const back = $('wx-nav-back');
  const home = $('wx-nav-home');
  const setTitle = (t: string) => (title.textContent = t);
  const setNavColor = (bg: string, text: 'white' | 'black') => {
    nav.style.background = bg;
    document.documentElement.style.setProperty('--wx-nav-bg', bg);
    nav.dataset.text = text;
    document.body.dataset.navText = text;
  };
  router.onChange = (r) => {
    const top = r.current;
    if (!top) return;
    const n = r.navigationOf(top);
    setTitle(n.title);
    setNavColor(n.background, n.text);
    back.hidden = r.stack.length <= 1;
    home.hidden = !(r.stack.length === 1 && !r.isTab(top.route) && top.route !== app.pages[0]);
    document.body.dataset.route = top.route;
    window.parent?.postMessage(
      {
        type: 'mp-route',
        route: top.route,
        query: top.query,
        stack: r.stack.map((e) => e.route),
        user: cfg.user.openid,
      },
      '*',
    );
  };

  const wx = installWx({
    cfg,
    router,
    appName: APP_NAME,
    templateTitle: templateTitles(),
    setTitle,
    setNavColor,
    setNavLoading: (on) => nav.classList.toggle('loading', on),
    pageScroller: () => router.current?.host,
  });
  window.wx = wx;
  (globalThis as { wx?: unknown }).wx = wx;

  installMouseAsTouch(noteTap);
  const press = (el: HTMLElement, fn: () => void) => {
    el.addEventListener('click', fn);
    el.addEventListener('touchend', (e) => {
      e.preventDefault();
      fn();
    });
  };
  press(back, () => (wx.navigateBack as (o: object) => void)({ delta: 1, fail: () => undefined }));
  press(home, () =>
    (wx.reLaunch as (o: object) => void)({ url: `/${app.pages[0]}`, fail: () => undefined }),
  );

  // App() and the globals WeChat provides
  let appInstance: Record<string, unknown> = {};
  window.App = (options) => {
    appInstance = options;
  };
  window.getApp = () => appInstance;
  window.getCurrentPages = () => router.stack.map((e) => e.instance as PageInstance);
  try {
    requireModule('app');
    const launch = { path: cfg.path, query: {}, scene: 1001 };
    (appInstance.onLaunch as ((o: unknown) => void) | undefined)?.call(appInstance, launch);
    (appInstance.onShow as ((o: unknown) => void) | undefined)?.call(appInstance, launch);
  } catch (e) {
    console.error('[app] launch failed', e);
  }

  // open the start page
  const url = `/${cfg.path}${cfg.query ? `?${cfg.query}` : ''}`;
  const first = app.tabBar?.list[0]?.pagePath ?? app.pages[0]!;
  if (router.isTab(cfg.path)) {
    if (cfg.path !== first) router.switchTab(`/${cfg.path}`);
    else router.switchTab(`/${first}`);
  } else if (cfg.via === 'relaunch') {
    router.reLaunch(url);
  } else {
    router.switchTab(`/${first}`);
    router.navigateTo(url);
  }
  document.body.dataset.ready = '1';
}

try {
  boot();
} catch (e) {
  console.error(e);
  document.body.dataset.bootError = String((e as Error)?.stack ?? e);
  const pre = document.createElement('pre');
  pre.className = 'wx-boot-error';
  pre.textContent = `预览启动失败：\n${(e as Error)?.stack ?? String(e)}`;
  document.body.appendChild(pre);
}
