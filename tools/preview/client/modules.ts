/**
 * CommonJS modules of the mini-program, from the file map, with one shared cache (WeChat's
 * app-service runs each module once; miniprogram-simulate's own loader would re-run them).
 * Component scripts themselves are still run by miniprogram-simulate, once per page load.
 */

const cache = new Map<string, { exports: unknown }>();

export function normalize(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

function source(p: string): { key: string; code: string } | undefined {
  const map = window.__FILE_MAP__;
  const base = p.replace(/\.js$/, '');
  // `${p}/index.js` first covers packages whose name ends in .js (big.js → big.js/index.js).
  for (const key of [`${base}.js`, `${p}/index.js`, `${base}/index.js`]) {
    const code = map[key];
    if (typeof code === 'string') return { key: key.replace(/\.js$/, ''), code };
  }
  return undefined;
}

export function requireModule(spec: string, from = ''): unknown {
  let p: string;
  if (spec.startsWith('/')) p = normalize(spec);
  else if (spec.startsWith('.')) p = normalize(`${dirname(from)}/${spec}`);
  else if (source(normalize(spec)))
    p = normalize(spec); // already a resolved path (simulate)
  else p = normalize(`miniprogram_npm/${spec}`);
  const found = source(p);
  if (!found) throw new Error(`module not found: ${spec} (from ${from || '/'})`);
  const hit = cache.get(found.key);
  if (hit) return hit.exports;
  const mod = { exports: {} as unknown };
  cache.set(found.key, mod);
  const fn = new Function('require', 'module', 'exports', found.code) as (
    r: (s: string) => unknown,
    m: { exports: unknown },
    e: unknown,
  ) => void;
  try {
    fn((s) => requireModule(s, found.key), mod, mod.exports);
  } catch (e) {
    cache.delete(found.key);
    throw e;
  }
  return mod.exports;
}

/** Turn the compiled WXML into render functions and route simulate's requires through the cache. */
export function installModules(): void {
  for (const file of window.__WXML_FILES__) {
    window.__FILE_MAP__[file] = window.__GWX__(file);
  }
  // miniprogram-simulate's browser loader resolves a component's requires through window.require
  (window as unknown as { require: (p: string) => unknown }).require = (p: string) =>
    requireModule(p);
}
