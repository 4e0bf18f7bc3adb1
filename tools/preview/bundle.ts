/**
 * What the browser needs to run the real mini-program with miniprogram-simulate: every reached
 * file of miniprogram/ in a file map (the shape miniprogram-simulate's browser build reads, as its
 * karma file-map preprocessor produces), with
 * - WXML compiled by the WeChat compiler miniprogram-simulate ships (miniprogram-compiler's wcc),
 *   turned into render functions in the browser;
 * - TypeScript transpiled to CommonJS (esbuild), as the WeChat TS compiler plugin does;
 * - WXSS with rpx converted at 750 rpx = device width (vw inside the phone-sized frame) and the
 *   `page` selector mapped to the preview's <wx-page> element; remote font faces removed (the
 *   vant icon font is served locally).
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { collectMiniprogramFiles, transpileScript, type AppJson } from '../miniprogram-files';

const nodeRequire = createRequire(__filename);
const compiler = nodeRequire('miniprogram-compiler') as {
  wxmlToJs(
    root: string,
    options: { wxmlList?: string[]; wxsList?: string[]; maxBuffer?: number },
  ): string;
};

export interface PreviewBundle {
  /** JavaScript that defines window.__FILE_MAP__, window.__APP_JSON__, window.__GWX__ */
  code: string;
  app: AppJson;
  files: string[];
  problems: string[];
}

/** 32rpx → 4.2667vw: 750 rpx is the device width, and the preview's frame is the device. */
export function rpxToVw(css: string): string {
  return css.replace(
    /(-?\d*\.?\d+)rpx/g,
    (_, n: string) => `${Number((Number(n) / 7.5).toFixed(4))}vw`,
  );
}

/** `page { ... }` (the page root in WeChat) → `wx-page { ... }`. */
export function mapPageSelector(css: string): string {
  return css.replace(/(^|[}\s,;/])page(?=\s*[{,])/g, '$1wx-page');
}

/** Drop @font-face rules that load from the network (vant's icon font is served locally). */
export function stripRemoteFonts(css: string): string {
  return css.replace(/@font-face\s*\{[^}]*\}/g, (rule) =>
    /url\(\s*['"]?(https?:)?\/\//.test(rule) ? '' : rule,
  );
}

/**
 * `:host` (a component's own node) → the tag names the component is used under: simulate renders
 * a component's host as an element named after its usingComponents key.
 */
export function mapHost(css: string, tags: readonly string[]): string {
  if (!css.includes(':host')) return css;
  const sel = tags.length > 0 ? `:is(${tags.join(', ')})` : 'wx-no-host';
  return css.replace(/:host\b/g, sel);
}

/** `100vh` in a page means the window below the navigation bar. */
export function mapVh(css: string): string {
  return css.replace(
    /(\d*\.?\d+)vh\b/g,
    (_, n: string) => `calc(var(--wx-window-height, 100vh) * ${n} / 100)`,
  );
}

export function browserWxss(css: string, hostTags: readonly string[] = []): string {
  return rpxToVw(mapVh(mapHost(mapPageSelector(stripRemoteFonts(css)), hostTags)));
}

/** The tag a page is rendered under in the preview (tools/preview/client/router.ts). */
export function pageTag(route: string): string {
  return `page-${route.replace(/[^a-z0-9]+/gi, '-')}`;
}

/** Preamble: simulate runs component scripts as `new Function('require', 'module', code)`. */
const PREAMBLE = 'var exports = module.exports;\n';

export function buildBundle(rootDir: string): PreviewBundle {
  const mpRoot = path.join(rootDir, 'miniprogram');
  const reached = collectMiniprogramFiles(mpRoot);
  const map: Record<string, string> = {};
  const wxml: string[] = [];
  const wxs: string[] = [];
  for (const file of [...reached.files].sort()) {
    const abs = path.join(mpRoot, file);
    const text = fs.readFileSync(abs, 'utf8');
    if (file.endsWith('.ts') || file.endsWith('.js')) {
      const js = file.replace(/\.ts$/, '.js');
      map[js] = `${PREAMBLE}${transpileScript(abs, text)}\n//# sourceURL=mp:///${js}`;
    } else if (file.endsWith('.wxss')) {
      const component = file.slice(0, -'.wxss'.length);
      const tags = [...(reached.tags.get(component) ?? [])];
      if (reached.pages.includes(component)) tags.push(pageTag(component));
      map[file] = browserWxss(text, tags);
    } else if (file.endsWith('.json')) {
      map[file] = text;
    } else if (file.endsWith('.wxml')) {
      wxml.push(file);
    } else if (file.endsWith('.wxs')) {
      wxs.push(file);
      map[file] = text;
    }
  }
  // wcc reads each component's .json through require(): drop cached copies so edits show.
  for (const key of Object.keys(nodeRequire.cache)) {
    if (key.startsWith(mpRoot) && key.endsWith('.json')) delete nodeRequire.cache[key];
  }
  const gwx = compiler.wxmlToJs(mpRoot, {
    wxmlList: wxml,
    wxsList: wxs,
    maxBuffer: 16 * 1024 * 1024,
  });
  const code = [
    `window.__FILE_MAP__ = ${JSON.stringify(map)};`,
    `window.__APP_JSON__ = ${JSON.stringify(reached.app)};`,
    `window.__WXML_FILES__ = ${JSON.stringify(wxml)};`,
    `window.__webview_engine_version__ = 0.02;`,
    `window.__GWX__ = (function () {\n${gwx}\n})();`,
  ].join('\n');
  return { code, app: reached.app, files: [...reached.files], problems: reached.problems };
}

/** Newest mtime under a directory (for cache invalidation while developing). */
export function newestMtime(dir: string): number {
  let newest = 0;
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
    newest = Math.max(newest, fs.statSync(d).mtimeMs);
  };
  walk(dir);
  return newest;
}
