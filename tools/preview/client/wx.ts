/**
 * The `wx` object of the preview: miniprogram-simulate's mocks, with the APIs a page of this app
 * really exercises implemented for the browser. Results and error messages follow WeChat's
 * (`errMsg: 'name:ok'` / `'name:fail …'`), callbacks and promises both work.
 */
import { followDevClock } from './clock';
import { addTempFile, resolveTempUrl, tempFile } from './files';
import { RouteError, type Router } from './router';
import type { PreviewConfig } from './types';
import * as ui from './ui';

type Opts = Record<string, unknown> & {
  success?: (r: unknown) => void;
  fail?: (e: unknown) => void;
  complete?: (r: unknown) => void;
};

class WxError extends Error {
  constructor(
    readonly errMsg: string,
    readonly errCode?: number,
  ) {
    super(errMsg);
  }
}

/** A storage refusal as WeChat reports it (e.g. -503002 when the rules do not allow it). */
function cloudFileError(res: Response, body: { errCode?: number; errMsg?: string }): WxError {
  const msg = body.errMsg?.replace(/^[\w.]+:fail /, '') ?? `HTTP ${res.status}`;
  return new WxError(msg, body.errCode ?? -1);
}

/** WeChat's dual style: callbacks when given (returns undefined), else a promise. */
function api(name: string, impl: (o: Opts) => unknown | Promise<unknown>) {
  return (o: Opts = {}): Promise<unknown> | undefined => {
    const p = Promise.resolve()
      .then(() => impl(o))
      .then(
        (res) => {
          const out = { errMsg: `${name}:ok`, ...(res as object) };
          o.success?.(out);
          o.complete?.(out);
          return out;
        },
        (err: unknown) => {
          const e =
            err instanceof WxError
              ? {
                  errMsg: `${name}:fail ${err.errMsg}`,
                  ...(err.errCode !== undefined ? { errCode: err.errCode } : {}),
                }
              : err instanceof RouteError
                ? { errMsg: `${name}:fail ${err.message}` }
                : { errMsg: `${name}:fail ${(err as Error)?.message ?? String(err)}` };
          o.fail?.(e);
          o.complete?.(e);
          throw e;
        },
      );
    if (o.success || o.fail || o.complete) {
      p.catch(() => {});
      return undefined;
    }
    return p;
  };
}

// ------------------------------------------------------------------ storage (per demo user)
function storageKey(cfg: PreviewConfig, key: string): string {
  return `mp:${cfg.user.openid}:${key}`;
}

export function makeStorage(cfg: PreviewConfig) {
  const prefix = storageKey(cfg, '');
  const get = (key: string): unknown => {
    const raw = localStorage.getItem(prefix + key);
    if (raw === null) return '';
    try {
      return (JSON.parse(raw) as { v: unknown }).v;
    } catch {
      return '';
    }
  };
  const set = (key: string, value: unknown) =>
    localStorage.setItem(prefix + key, JSON.stringify({ v: value }));
  const keys = () =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith(prefix))
      .map((k) => k.slice(prefix.length));
  return {
    get,
    set,
    keys,
    has: (key: string) => localStorage.getItem(prefix + key) !== null,
    remove: (key: string) => localStorage.removeItem(prefix + key),
    clear: () => keys().forEach((k) => localStorage.removeItem(prefix + k)),
  };
}

/** Preview-internal state (not visible to the mini-program's storage APIs). */
function sysStore(cfg: PreviewConfig) {
  const key = `mpsys:${cfg.user.openid}`;
  return {
    read: (): Record<string, unknown> =>
      JSON.parse(localStorage.getItem(key) || '{}') as Record<string, unknown>,
    write: (v: Record<string, unknown>) => localStorage.setItem(key, JSON.stringify(v)),
  };
}

// ------------------------------------------------------------------ tap tracking
let lastTapAt = -Infinity;

export function noteTap(): void {
  lastTapAt = performance.now();
}

export interface ShimDeps {
  cfg: PreviewConfig;
  router: Router;
  appName: string;
  /** template id → title, from the app's config */
  templateTitle: (id: string) => string;
  setTitle: (title: string) => void;
  setNavColor: (background: string, text: 'white' | 'black') => void;
  setNavLoading: (on: boolean) => void;
  pageScroller: () => HTMLElement | undefined;
}

export function installWx(deps: ShimDeps): Record<string, unknown> {
  const { cfg, router } = deps;
  const storage = makeStorage(cfg);
  const sys = sysStore(cfg);
  const gateway = cfg.gateway;
  const base = window.wx;

  const route = (fn: (url: string) => void) => (o: Opts) => {
    fn(String(o.url ?? ''));
    return {};
  };

  const windowInfo = () => {
    const w = window.innerWidth;
    const h = window.innerHeight;
    return {
      pixelRatio: window.devicePixelRatio || 2,
      screenWidth: w,
      screenHeight: h,
      windowWidth: w,
      windowHeight: h - 64,
      statusBarHeight: 20,
      safeArea: { left: 0, right: w, top: 20, bottom: h, width: w, height: h - 20 },
      screenTop: 64,
    };
  };
  const systemInfo = () => ({
    ...windowInfo(),
    brand: 'devtools',
    model: 'Preview',
    system: 'iOS 17.0',
    platform: 'devtools',
    version: '8.0.50',
    SDKVersion: '3.5.0',
    language: 'zh_CN',
    fontSizeSetting: 16,
    theme: 'light',
    benchmarkLevel: 1,
  });

  let navigating = Promise.resolve();
  /** Navigation runs one at a time, after the current event handler (as in WeChat). */
  const nav = (name: string, fn: (o: Opts) => void) =>
    api(name, (o) => {
      const run = navigating.then(
        () =>
          new Promise<object>((resolve, reject) => {
            setTimeout(() => {
              try {
                fn(o);
                resolve({});
              } catch (e) {
                reject(e);
              }
            }, 0);
          }),
      );
      navigating = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    });

  /**
   * Cloud calls in flight and the ones that failed (HTTP error: a crash or timeout, or an
   * INTERNAL reply), on `document.body.dataset` (`callsPending`, `callsFailed`) so tools such as
   * `npm run screenshots` can wait for a page's data and notice when it did not come.
   */
  const calls = { pending: 0, failed: [] as string[] };
  const showCalls = () => {
    document.body.dataset.callsPending = String(calls.pending);
    document.body.dataset.callsFailed = calls.failed.join('\n');
  };
  const callFunctionApi = api('cloud.callFunction', async (o) => {
    try {
      const out = await callFunctionNow(o);
      const reply = out.result as { ok?: unknown; code?: unknown } | undefined;
      if (reply?.ok === false && reply.code === 'INTERNAL') {
        calls.failed.push(`${String(o.name)}: INTERNAL`);
      }
      return out;
    } catch (e) {
      calls.failed.push(`${String(o.name)}: ${(e as WxError).errMsg ?? String(e)}`);
      throw e;
    } finally {
      calls.pending--;
      showCalls();
    }
  });
  /** Counted from the moment the page calls, so a wait for 0 cannot slip in before the call. */
  const callFunction = (o: Opts = {}) => {
    calls.pending++;
    showCalls();
    return callFunctionApi(o);
  };
  const callFunctionNow = async (o: Opts) => {
    const name = String(o.name ?? '');
    let res: Response;
    try {
      res = await fetch(`${gateway}/gateway/call/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ event: o.data ?? {}, openid: cfg.user.openid }),
      });
    } catch {
      throw new WxError('network error: the local cloud is not reachable', -1);
    }
    followDevClock(res.headers.get('x-dev-clock-offset'));
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      throw new WxError(`invalid response (${res.status})`, -1);
    }
    if (!res.ok) {
      const b = body as { errCode?: number; errMsg?: string; error?: string } | undefined;
      throw new WxError(b?.errMsg ?? b?.error ?? `HTTP ${res.status}`, b?.errCode ?? -1);
    }
    return { result: body, requestID: `local-${Date.now().toString(36)}` };
  };

  const uploadToCloud = api('cloud.uploadFile', async (o) => {
    const file = tempFile(String(o.filePath ?? ''));
    if (!file) throw new WxError('file not found');
    const form = new FormData();
    form.append('cloudPath', String(o.cloudPath ?? ''));
    // Who uploads: the storage rules decide where this user may write.
    form.append('openid', cfg.user.openid);
    form.append('file', file.blob, file.name);
    const res = await fetch(`${gateway}/gateway/upload`, { method: 'POST', body: form });
    const body = (await res.json()) as { fileID?: string; errCode?: number; errMsg?: string };
    if (!res.ok || !body.fileID) throw cloudFileError(res, body);
    return { fileID: body.fileID, statusCode: 200 };
  });

  const chooseImage = (name: string) =>
    api(name, async (o) => {
      if (performance.now() - lastTapAt > 5000)
        throw new WxError('can only be invoked by user TAP gesture.');
      const count = Number(o.count ?? 9);
      const files = (await ui.pickFiles('image/*', count > 1)).slice(0, count);
      if (files.length === 0) throw new WxError('cancel');
      const paths = files.map((f) => addTempFile(f, f.name));
      const tempFiles = files.map((f, i) => ({
        path: paths[i],
        tempFilePath: paths[i],
        size: f.size,
        fileType: 'image',
      }));
      return name === 'chooseMedia'
        ? { tempFiles, type: 'image' }
        : { tempFilePaths: paths, tempFiles };
    });

  /**
   * Files "from a chat": a browser file picker filtered by the extensions asked for. WeChat's
   * result shape (`tempFiles[{ path, size, name, type, time }]`).
   */
  const chooseMessageFile = api('chooseMessageFile', async (o) => {
    if (performance.now() - lastTapAt > 5000)
      throw new WxError('can only be invoked by user TAP gesture.');
    const count = Number(o.count ?? 1);
    const exts = Array.isArray(o.extension) ? (o.extension as unknown[]).map(String) : [];
    const accept =
      o.type === 'image'
        ? 'image/*'
        : o.type === 'video'
          ? 'video/*'
          : exts.map((e) => `.${e.replace(/^\./, '')}`).join(',');
    const files = (await ui.pickFiles(accept, count > 1)).slice(0, count);
    if (files.length === 0) throw new WxError('cancel');
    return {
      tempFiles: files.map((f) => ({
        path: addTempFile(f, f.name),
        size: f.size,
        name: f.name,
        type: f.type.startsWith('image/')
          ? 'image'
          : f.type.startsWith('video/')
            ? 'video'
            : 'file',
        time: Math.floor(f.lastModified / 1000),
      })),
    };
  });

  /** A document "opened" in the preview is downloaded by the browser. */
  const openDocument = api('openDocument', (o) => {
    const file = tempFile(String(o.filePath ?? ''));
    if (!file) throw new WxError('file not found');
    const a = document.createElement('a');
    a.href = URL.createObjectURL(file.blob);
    a.download = file.name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    return {};
  });

  const requestSubscribeMessage = api('requestSubscribeMessage', async (o) => {
    const ids = Array.isArray(o.tmplIds) ? (o.tmplIds as unknown[]).map(String) : [];
    if (ids.length === 0) throw new WxError('TmplIds can not be empty', 10001);
    if (ids.length > 3) throw new WxError('Templates count out of max bounds', 20003);
    if (performance.now() - lastTapAt > 1000)
      throw new WxError('can only be invoked by user TAP gesture.', 10005);
    const remembered = (sys.read().subscribe ?? {}) as Record<string, 'accept' | 'reject'>;
    if (ids.every((id) => remembered[id])) {
      return Object.fromEntries(ids.map((id) => [id, remembered[id]]));
    }
    const { results, remember } = await ui.showSubscribeSheet(
      deps.appName,
      ids.map((id) => ({ id, title: deps.templateTitle(id) })),
    );
    if (remember) sys.write({ ...sys.read(), subscribe: { ...remembered, ...results } });
    // the local cloud counts one-time subscriptions per owner and template
    void fetch(`${gateway}/dev/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid: cfg.user.openid, results }),
    }).catch(() => undefined);
    return results;
  });

  /**
   * The sandbox pay sheet. The order's amount and description come from the local cloud
   * (`GET /dev/pay`); the owner's choice goes to `POST /gateway/pay`, which completes the order
   * and notifies the payment callback function, as WeChat Pay would.
   */
  const requestPayment = api('requestPayment', async (o) => {
    const pkg = String(o.package ?? '');
    if (!pkg.startsWith('prepay_id=')) throw new WxError('package must be prepay_id=…');
    let order: { totalFee?: number; body?: string } | undefined;
    try {
      const r = await fetch(`${gateway}/dev/pay`);
      if (r.ok) {
        const all = (await r.json()) as {
          orders?: { prepayId: string; totalFee: number; body: string }[];
        };
        order = all.orders?.find((x) => `prepay_id=${x.prepayId}` === pkg);
      }
    } catch {
      // no order details: the sheet shows the payment without an amount
    }
    const fen = order?.totalFee;
    const amountText =
      typeof fen === 'number'
        ? `¥${Math.floor(fen / 100).toLocaleString('en-US')}.${String(fen % 100).padStart(2, '0')}`
        : '¥ —';
    const outcome = await ui.showPaySheet({
      merchant: `${deps.appName}（沙箱）`,
      amountText,
      body: order?.body ?? '',
    });
    const result = outcome === 'pay' ? 'success' : outcome;
    let reply: { ok?: boolean; errMsg?: string } = {};
    try {
      const r = await fetch(`${gateway}/gateway/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ package: pkg, result, openid: cfg.user.openid }),
      });
      reply = (await r.json()) as typeof reply;
    } catch {
      reply = { ok: false, errMsg: 'requestPayment:fail 网络连接失败' };
    }
    if (outcome === 'cancel') throw new WxError('cancel');
    if (!reply.ok) {
      throw new WxError((reply.errMsg ?? '支付失败').replace(/^requestPayment:fail\s*/, ''));
    }
    return {};
  });

  /**
   * Canvas to picture: an offscreen 2d canvas is a real <canvas>, its picture a temp file, and
   * "saving to the album" downloads the PNG (a browser has no photo album).
   */
  const createOffscreenCanvas = (o: { type?: string; width?: number; height?: number } = {}) => {
    if (o.type !== '2d') throw new Error('the preview supports 2d offscreen canvases only');
    const canvas = document.createElement('canvas');
    canvas.width = Number(o.width ?? 300);
    canvas.height = Number(o.height ?? 150);
    return Object.assign(canvas, { createImage: () => new Image() });
  };
  const canvasToTempFilePath = api('canvasToTempFilePath', async (o) => {
    const canvas = o.canvas;
    if (!(canvas instanceof HTMLCanvasElement))
      throw new WxError('the preview needs `canvas` (a 2d canvas node or offscreen canvas)');
    const type = o.fileType === 'jpg' ? 'image/jpeg' : 'image/png';
    const blob = await new Promise<Blob | null>((resolve) =>
      canvas.toBlob(resolve, type, Number(o.quality ?? 1)),
    );
    if (!blob) throw new WxError('canvas is empty');
    return { tempFilePath: addTempFile(blob, type === 'image/png' ? 'image.png' : 'image.jpg') };
  });
  const saveImageToPhotosAlbum = api('saveImageToPhotosAlbum', (o) => {
    const file = tempFile(String(o.filePath ?? ''));
    if (!file) throw new WxError('file not found');
    const a = document.createElement('a');
    a.href = URL.createObjectURL(file.blob);
    a.download = `${deps.appName}-${new Date().toISOString().slice(0, 10)}${file.name.slice(file.name.lastIndexOf('.'))}`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    return {};
  });

  const shim: Record<string, unknown> = {
    ...base,
    cloud: {
      init: () => undefined,
      callFunction,
      uploadFile: uploadToCloud,
      getTempFileURL: api('cloud.getTempFileURL', async (o) => {
        const res = await fetch(`${gateway}/gateway/tempurl`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ openid: cfg.user.openid, fileList: o.fileList ?? [] }),
        });
        const body = (await res.json()) as {
          fileList?: unknown[];
          errCode?: number;
          errMsg?: string;
        };
        if (!res.ok || !body.fileList) throw cloudFileError(res, body);
        return { fileList: body.fileList };
      }),
      downloadFile: api('cloud.downloadFile', async (o) => {
        const res = await fetch(resolveTempUrl(String(o.fileID ?? '')));
        if (!res.ok) throw cloudFileError(res, await res.json().catch(() => ({})));
        return {
          tempFilePath: addTempFile(await res.blob(), String(o.fileID).split('/').pop() ?? 'file'),
          statusCode: 200,
        };
      }),
    },

    // navigation
    navigateTo: nav('navigateTo', (o) => route((u) => router.navigateTo(u))(o)),
    redirectTo: nav('redirectTo', (o) => route((u) => router.redirectTo(u))(o)),
    switchTab: nav('switchTab', (o) => route((u) => router.switchTab(u))(o)),
    reLaunch: nav('reLaunch', (o) => route((u) => router.reLaunch(u))(o)),
    navigateBack: nav('navigateBack', (o) => router.navigateBack(Number(o.delta ?? 1))),

    // interaction
    showToast: api('showToast', (o) => {
      ui.showToast({
        title: String(o.title ?? ''),
        icon: (o.icon as ui.ToastOptions['icon']) ?? 'success',
        duration: o.duration as number | undefined,
        mask: Boolean(o.mask),
      });
      return {};
    }),
    hideToast: api('hideToast', () => (ui.hideToast(), {})),
    showLoading: api('showLoading', (o) => {
      ui.showToast({ title: String(o.title ?? ''), icon: 'loading', mask: Boolean(o.mask) });
      return {};
    }),
    hideLoading: api('hideLoading', () => (ui.hideToast(), {})),
    showModal: api('showModal', async (o) => ({
      ...(await ui.showModal(o as ui.ModalOptions)),
      content: null,
    })),
    showActionSheet: api('showActionSheet', async (o) => {
      const i = await ui.showActionSheet(
        ((o.itemList as string[]) ?? []).map(String),
        o.alertText as string | undefined,
        o.itemColor as string | undefined,
      );
      if (i === null) throw new WxError('cancel');
      return { tapIndex: i };
    }),
    makePhoneCall: api('makePhoneCall', async (o) => {
      const phone = String(o.phoneNumber ?? '');
      const i = await ui.showActionSheet([`呼叫 ${phone}`]);
      if (i === null) throw new WxError('cancel');
      ui.showToast({ title: '预览中不会真的拨打电话', icon: 'none' });
      return {};
    }),
    setClipboardData: api('setClipboardData', async (o) => {
      await navigator.clipboard?.writeText(String(o.data ?? '')).catch(() => undefined);
      ui.showToast({ title: '内容已复制', icon: 'none' });
      return {};
    }),
    previewImage: api('previewImage', (o) => {
      ui.previewImage(resolveTempUrl(String(o.current ?? (o.urls as string[])?.[0] ?? '')));
      return {};
    }),
    vibrateShort: api('vibrateShort', () => ({})),

    // navigation bar & page
    setNavigationBarTitle: api('setNavigationBarTitle', (o) => {
      if (router.current) router.current.instance.__title__ = String(o.title ?? '');
      deps.setTitle(String(o.title ?? ''));
      return {};
    }),
    setNavigationBarColor: api('setNavigationBarColor', (o) => {
      deps.setNavColor(
        String(o.backgroundColor ?? '#000000'),
        o.frontColor === '#000000' ? 'black' : 'white',
      );
      return {};
    }),
    showNavigationBarLoading: api('showNavigationBarLoading', () => (deps.setNavLoading(true), {})),
    hideNavigationBarLoading: api(
      'hideNavigationBarLoading',
      () => (deps.setNavLoading(false), {}),
    ),
    startPullDownRefresh: api('startPullDownRefresh', () => {
      const top = router.current;
      const fn = top?.instance.onPullDownRefresh;
      if (typeof fn === 'function') (fn as () => unknown).call(top!.instance);
      return {};
    }),
    stopPullDownRefresh: api('stopPullDownRefresh', () => ({})),
    pageScrollTo: api('pageScrollTo', (o) => {
      deps.pageScroller()?.scrollTo({
        top: Number(o.scrollTop ?? 0),
        behavior: o.duration === 0 ? 'auto' : 'smooth',
      });
      return {};
    }),

    // storage
    setStorageSync: (key: string, data: unknown) => storage.set(String(key), data),
    getStorageSync: (key: string) => storage.get(String(key)),
    removeStorageSync: (key: string) => storage.remove(String(key)),
    clearStorageSync: () => storage.clear(),
    getStorageInfoSync: () => ({ keys: storage.keys(), currentSize: 0, limitSize: 10240 }),
    setStorage: api('setStorage', (o) => (storage.set(String(o.key), o.data), {})),
    getStorage: api('getStorage', (o) => {
      if (!storage.has(String(o.key))) throw new WxError('data not found');
      return { data: storage.get(String(o.key)) };
    }),
    removeStorage: api('removeStorage', (o) => (storage.remove(String(o.key)), {})),
    clearStorage: api('clearStorage', () => (storage.clear(), {})),

    // media & files
    chooseImage: chooseImage('chooseImage'),
    chooseMedia: chooseImage('chooseMedia'),
    chooseMessageFile,
    openDocument,
    /** Any URL the page may fetch (in WeChat: a configured download domain). Like WeChat, an HTTP
     * error status still succeeds and is reported in statusCode; only a network error fails. */
    downloadFile: api('downloadFile', async (o) => {
      const url = String(o.url ?? '');
      if (!url) throw new WxError('parameter error: url is required');
      const res = await fetch(url, { headers: (o.header as Record<string, string>) ?? {} });
      const name = decodeURIComponent(url.split('?')[0]!.split('/').pop() || 'file');
      return {
        tempFilePath: addTempFile(await res.blob(), name),
        statusCode: res.status,
      };
    }),
    uploadFile: api('uploadFile', async (o) => {
      const file = tempFile(String(o.filePath ?? ''));
      if (!file) throw new WxError('file not found');
      const form = new FormData();
      for (const [k, v] of Object.entries((o.formData as Record<string, string>) ?? {}))
        form.append(k, String(v));
      form.append(String(o.name ?? 'file'), file.blob, file.name);
      const res = await fetch(String(o.url ?? ''), { method: 'POST', body: form });
      return { data: await res.text(), statusCode: res.status };
    }),

    // canvas & album
    createOffscreenCanvas,
    canvasToTempFilePath,
    saveImageToPhotosAlbum,
    openSetting: api('openSetting', () => ({ authSetting: { 'scope.writePhotosAlbum': true } })),

    // subscriptions & payment
    requestSubscribeMessage,
    requestPayment,

    // account & system
    login: api('login', () => ({ code: `local_code_${cfg.user.openid}` })),
    checkSession: api('checkSession', () => ({})),
    getAccountInfoSync: () => ({
      miniProgram: { appId: 'wxlocaldevappid', envVersion: 'develop', version: '' },
    }),
    getSystemInfoSync: systemInfo,
    getSystemInfo: api('getSystemInfo', systemInfo),
    getWindowInfo: windowInfo,
    getDeviceInfo: () => ({
      brand: 'devtools',
      model: 'Preview',
      system: 'iOS 17.0',
      platform: 'devtools',
      pixelRatio: window.devicePixelRatio || 2,
    }),
    getAppBaseInfo: () => ({
      SDKVersion: '3.5.0',
      language: 'zh_CN',
      version: '8.0.50',
      theme: 'light',
      fontSizeSetting: 16,
    }),
    canIUse: () => true,
    nextTick: (fn: () => void) => setTimeout(fn, 0),
    onAppRoute: () => undefined,
  };
  return shim;
}
