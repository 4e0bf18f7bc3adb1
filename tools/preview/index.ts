/**
 * The browser preview of the mini-program, mounted by the local cloud's server (`npm start`):
 *
 *   GET /                      the shell: user switcher and a phone-sized frame
 *   GET /__preview__/app       the phone: ?user=<openid>&path=<page>&query=<qs>&via=navigate|relaunch
 *   GET /__preview__/*.js|css  miniprogram-simulate's browser build, the app bundle, the runtime
 *   GET /__preview__/vant-icon.woff2   vant's icon font, served locally (no request leaves the machine)
 *
 * The phone runs the real pages with miniprogram-simulate; `wx.cloud.callFunction` goes to the
 * cloud's client gateway (`/gateway/call/<fn>`, same origin) as the chosen user. With `cloudUrl`,
 * `/gateway/*` and `/dev/*` are forwarded there (tools/preview/dev-server.ts).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { buildBundle, newestMtime } from './bundle';
import { appHtml, escapeHtml, shellHtml } from './html';
import { DEFAULT_USER, PREVIEW_USERS, findUser } from './users';

export type PreviewHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
) => boolean | Promise<boolean>;

export interface PreviewOptions {
  /** repository root (holds miniprogram/ and node_modules/) */
  rootDir: string;
  /** forward /gateway/* and /dev/* to this local cloud (when the preview runs on its own server) */
  cloudUrl?: string;
}

const CLIENT_DIR = path.join(__dirname, 'client');
const nodeRequire = createRequire(__filename);

function send(
  res: http.ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  cache = 'no-cache',
): true {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': cache,
  });
  res.end(body);
  return true;
}

/** vant's icon font: @vant/icons ships it base64-encoded in a .less file. */
export function vantIconFont(rootDir: string): Buffer {
  const less = fs.readFileSync(
    nodeRequire.resolve('@vant/icons/src/encode-woff2.less', { paths: [rootDir] }),
    'utf8',
  );
  const m = /data:font\/woff2;charset=utf-8;base64,([A-Za-z0-9+/=]+)/.exec(less);
  if (!m) throw new Error('@vant/icons: embedded woff2 not found');
  return Buffer.from(m[1]!, 'base64');
}

function memo<T>(key: () => number, make: () => T): () => T {
  let at = -1;
  let value: T | undefined;
  return () => {
    const k = key();
    if (value === undefined || k !== at) {
      value = make();
      at = k;
    }
    return value;
  };
}

function bootErrorScript(err: unknown): string {
  const text = `预览构建失败：\n${(err as Error)?.message ?? String(err)}`;
  return `document.addEventListener('DOMContentLoaded', function () {
  var pre = document.createElement('pre'); pre.className = 'wx-boot-error';
  pre.textContent = ${JSON.stringify(text)}; document.body.appendChild(pre);
  document.body.dataset.bootError = ${JSON.stringify(text)};
});
throw new Error(${JSON.stringify(text)});`;
}

async function proxy(
  target: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<true> {
  const url = new URL(req.url ?? '/', target);
  await new Promise<void>((resolve) => {
    const upstream = http.request(
      url,
      { method: req.method, headers: { ...req.headers, host: url.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        up.on('end', resolve);
      },
    );
    upstream.on('error', (e) => {
      if (!res.headersSent)
        send(
          res,
          502,
          'application/json',
          JSON.stringify({ error: `local cloud unreachable: ${e.message}` }),
        );
      resolve();
    });
    req.pipe(upstream);
  });
  return true;
}

export function createPreviewHandler(opts: PreviewOptions): PreviewHandler {
  const rootDir = path.resolve(opts.rootDir);
  const mpDir = path.join(rootDir, 'miniprogram');
  const simulateJs = nodeRequire.resolve('miniprogram-simulate/build.js', { paths: [rootDir] });

  const bundle = memo(
    () => newestMtime(mpDir),
    () => {
      try {
        const b = buildBundle(rootDir);
        for (const p of b.problems) console.warn(`[preview] ${p}`);
        return b.code;
      } catch (e) {
        console.warn(`[preview] ${(e as Error).message}`);
        return bootErrorScript(e);
      }
    },
  );
  const runtime = memo(
    () => newestMtime(CLIENT_DIR),
    () =>
      buildSync({
        entryPoints: [path.join(CLIENT_DIR, 'runtime.ts')],
        bundle: true,
        write: false,
        format: 'iife',
        target: 'chrome100',
        sourcemap: 'inline',
        logLevel: 'silent',
      }).outputFiles[0]!.text,
  );
  let font: Buffer | undefined;

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://preview.local');
    const p = url.pathname;
    if (opts.cloudUrl && (p.startsWith('/gateway/') || p.startsWith('/dev/') || p === '/healthz')) {
      return proxy(opts.cloudUrl, req, res);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;

    if (p === '/' || p === '/index.html') {
      const user = findUser(url.searchParams.get('user')) ?? findUser(DEFAULT_USER)!;
      const start = url.searchParams.get('path') || 'pages/home/index';
      return send(res, 200, 'text/html; charset=utf-8', shellHtml(PREVIEW_USERS, user, start));
    }
    if (p === '/__preview__/app') {
      const user = findUser(url.searchParams.get('user'));
      if (!user) {
        return send(
          res,
          404,
          'text/html; charset=utf-8',
          `<p>未知的预览用户：${escapeHtml(url.searchParams.get('user') ?? '')}</p>`,
        );
      }
      const via = url.searchParams.get('via') === 'relaunch' ? 'relaunch' : 'navigate';
      const html = appHtml({
        user,
        path: (url.searchParams.get('path') || 'pages/home/index').replace(/^\//, ''),
        query: url.searchParams.get('query') ?? '',
        via,
        gateway: '',
      });
      return send(res, 200, 'text/html; charset=utf-8', html);
    }
    if (p === '/__preview__/users.json')
      return send(res, 200, 'application/json', JSON.stringify(PREVIEW_USERS));
    if (p === '/__preview__/simulate.js') {
      return send(
        res,
        200,
        'text/javascript; charset=utf-8',
        fs.readFileSync(simulateJs),
        'max-age=3600',
      );
    }
    if (p === '/__preview__/bundle.js')
      return send(res, 200, 'text/javascript; charset=utf-8', bundle());
    if (p === '/__preview__/runtime.js')
      return send(res, 200, 'text/javascript; charset=utf-8', runtime());
    if (p === '/__preview__/runtime.css') {
      return send(
        res,
        200,
        'text/css; charset=utf-8',
        fs.readFileSync(path.join(CLIENT_DIR, 'runtime.css')),
      );
    }
    if (p === '/__preview__/vant-icon.woff2') {
      font ??= vantIconFont(rootDir);
      return send(res, 200, 'font/woff2', font, 'max-age=86400');
    }
    if (p === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return true;
    }
    return false;
  };
}
