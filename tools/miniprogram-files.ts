/**
 * Which files of miniprogram/ the app actually reaches, and in which package each one ships.
 *
 * WeChat's upload filter drops files nothing uses, so the package budget counts only what the
 * pages reach: starting from app.json (pages, subpackages, the custom tab bar) it follows
 * `usingComponents` transitively, each component's .json/.wxml/.wxss/script, WXSS `@import`,
 * WXML `<wxs>`/`<import>`/`<include>` and static image `src`, and the script `require` graph
 * (TypeScript is transpiled first, so type-only imports do not count). A file belongs to the
 * subpackage whose root contains it, otherwise to the main package.
 *
 * Shared by `npm run size` (tools/size.ts) and the browser preview (tools/preview), which ships
 * exactly these files to the browser.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { transformSync } from 'esbuild';

export interface AppJson {
  pages: string[];
  subPackages?: { root: string; name?: string; pages: string[]; independent?: boolean }[];
  subpackages?: AppJson['subPackages'];
  tabBar?: { custom?: boolean; list: { pagePath: string; text: string }[] };
  window?: Record<string, unknown>;
  usingComponents?: Record<string, string>;
}

export interface MiniprogramFiles {
  /** absolute path of miniprogram/ */
  root: string;
  app: AppJson;
  /** every reached file, relative to root with '/' separators */
  files: Set<string>;
  /** component paths (no extension), relative to root */
  components: Set<string>;
  /** component path → the tag names it is used under (usingComponents keys) */
  tags: Map<string, Set<string>>;
  /** page paths (no extension), relative to root, main then subpackages */
  pages: string[];
  /** subpackage roots without trailing slash */
  subpackageRoots: string[];
  /** problems found (missing files, unresolvable components) */
  problems: string[];
}

const SCRIPT_EXTS = ['.ts', '.js'];

function rel(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}

function exists(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function readAppJson(root: string): AppJson {
  return JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8')) as AppJson;
}

export function subpackagesOf(app: AppJson): NonNullable<AppJson['subPackages']> {
  return app.subPackages ?? app.subpackages ?? [];
}

/** Transpile TypeScript the way the WeChat TS compiler plugin would (CommonJS, types erased). */
export function transpileScript(file: string, source: string): string {
  if (!file.endsWith('.ts')) return source;
  return transformSync(source, {
    loader: 'ts',
    format: 'cjs',
    target: 'es2018',
    sourcefile: file,
  }).code;
}

/** `require('x')` specifiers in CommonJS code (static strings only, as WeChat's analyser). */
export function requiresOf(code: string): string[] {
  const out: string[] = [];
  const re = /\brequire\(\s*(['"])([^'"]+)\1\s*\)/g;
  for (let m = re.exec(code); m; m = re.exec(code)) out.push(m[2]!);
  return out;
}

/** Resolve a script specifier to an existing file (absolute path) or undefined. */
export function resolveScript(root: string, fromFile: string, spec: string): string | undefined {
  let base: string;
  if (spec.startsWith('/')) base = path.join(root, spec);
  else if (spec.startsWith('.')) base = path.resolve(path.dirname(fromFile), spec);
  else base = path.join(root, 'miniprogram_npm', spec); // npm, built by packNpm
  const candidates = [
    base,
    ...SCRIPT_EXTS.map((e) => base + e),
    ...SCRIPT_EXTS.map((e) => path.join(base, 'index' + e)),
  ];
  return candidates.find(exists);
}

/** Resolve a usingComponents value to a component path (absolute, no extension). */
export function resolveComponent(
  root: string,
  fromComponent: string,
  spec: string,
): string | undefined {
  if (spec.startsWith('plugin://')) return undefined;
  const bases: string[] = [];
  if (spec.startsWith('/')) bases.push(path.join(root, spec));
  else {
    bases.push(path.resolve(path.dirname(fromComponent), spec));
    if (!spec.startsWith('.')) bases.push(path.join(root, 'miniprogram_npm', spec));
  }
  for (const b of bases) {
    if (exists(`${b}.json`)) return b;
    if (exists(path.join(b, 'index.json'))) return path.join(b, 'index');
  }
  return undefined;
}

export function collectMiniprogramFiles(root: string): MiniprogramFiles {
  root = path.resolve(root);
  const app = readAppJson(root);
  const files = new Set<string>();
  const components = new Set<string>();
  const tags = new Map<string, Set<string>>();
  const noteTag = (absNoExt: string, tag: string): void => {
    const key = rel(root, absNoExt);
    const set = tags.get(key) ?? new Set<string>();
    set.add(tag);
    tags.set(key, set);
  };
  const problems: string[] = [];
  const seenScripts = new Set<string>();
  const seenStyles = new Set<string>();

  const add = (abs: string): boolean => {
    if (!exists(abs)) return false;
    files.add(rel(root, abs));
    return true;
  };

  const visitScript = (abs: string): void => {
    if (seenScripts.has(abs)) return;
    seenScripts.add(abs);
    add(abs);
    const code = transpileScript(abs, fs.readFileSync(abs, 'utf8'));
    for (const spec of requiresOf(code)) {
      const target = resolveScript(root, abs, spec);
      if (target) visitScript(target);
      else problems.push(`${rel(root, abs)}: cannot resolve require('${spec}')`);
    }
  };

  const visitStyle = (abs: string): void => {
    if (seenStyles.has(abs) || !add(abs)) return;
    seenStyles.add(abs);
    const css = fs.readFileSync(abs, 'utf8');
    const re = /@import\s+(['"])([^'"]+)\1/g;
    for (let m = re.exec(css); m; m = re.exec(css)) {
      const target = m[2]!.startsWith('/')
        ? path.join(root, m[2]!)
        : path.resolve(path.dirname(abs), m[2]!);
      if (!add(target)) problems.push(`${rel(root, abs)}: missing @import ${m[2]}`);
      else visitStyle(target);
    }
    const urls = /url\(\s*['"]?(\/[^'")]+\.(?:png|jpe?g|gif|svg|webp))['"]?\s*\)/g;
    for (let m = urls.exec(css); m; m = urls.exec(css)) add(path.join(root, m[1]!));
  };

  const visitWxs = (abs: string): void => {
    if (!add(abs)) return;
    const code = fs.readFileSync(abs, 'utf8');
    for (const spec of requiresOf(code)) {
      const target = path.resolve(path.dirname(abs), spec.endsWith('.wxs') ? spec : `${spec}.wxs`);
      if (!files.has(rel(root, target))) visitWxs(target);
    }
  };

  const visitWxml = (abs: string): void => {
    if (!add(abs)) return;
    const wxml = fs.readFileSync(abs, 'utf8');
    const re = /<(wxs|import|include|image)\b[^>]*?\bsrc\s*=\s*(['"])([^'"{}]+)\2/g;
    for (let m = re.exec(wxml); m; m = re.exec(wxml)) {
      const kind = m[1]!;
      const spec = m[3]!;
      if (/^(https?:|data:|cloud:|wxfile:)/.test(spec)) continue;
      const target = spec.startsWith('/')
        ? path.join(root, spec)
        : path.resolve(path.dirname(abs), spec);
      if (kind === 'wxs') visitWxs(target);
      else if (kind === 'image') add(target);
      else {
        const file = target.endsWith('.wxml') ? target : `${target}.wxml`;
        if (!files.has(rel(root, file))) visitWxml(file);
      }
    }
  };

  const visitComponent = (absNoExt: string, isPage: boolean): void => {
    const key = rel(root, absNoExt);
    if (components.has(key)) return;
    components.add(key);
    if (!add(`${absNoExt}.json`)) {
      if (!isPage) problems.push(`${key}: missing ${key}.json`);
    }
    visitWxml(`${absNoExt}.wxml`);
    visitStyle(`${absNoExt}.wxss`);
    const script = SCRIPT_EXTS.map((e) => absNoExt + e).find(exists);
    if (script) visitScript(script);
    else problems.push(`${key}: no script`);
    const jsonFile = `${absNoExt}.json`;
    if (!exists(jsonFile)) return;
    const json = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as {
      usingComponents?: Record<string, string>;
    };
    for (const [tag, spec] of Object.entries(json.usingComponents ?? {})) {
      const target = resolveComponent(root, absNoExt, spec);
      if (target) {
        noteTag(target, tag);
        visitComponent(target, false);
      } else problems.push(`${key}: <${tag}> → '${spec}' not found`);
    }
  };

  // the app itself
  add(path.join(root, 'app.json'));
  add(path.join(root, 'sitemap.json'));
  add(path.join(root, 'theme.json'));
  visitStyle(path.join(root, 'app.wxss'));
  const appScript = SCRIPT_EXTS.map((e) => path.join(root, 'app' + e)).find(exists);
  if (appScript) visitScript(appScript);
  for (const [tag, spec] of Object.entries(app.usingComponents ?? {})) {
    const target = resolveComponent(root, path.join(root, 'app'), spec);
    if (target) {
      noteTag(target, tag);
      visitComponent(target, false);
    } else problems.push(`app.json: <${tag}> → '${spec}' not found`);
  }
  if (app.tabBar?.custom) {
    noteTag(path.join(root, 'custom-tab-bar', 'index'), 'custom-tab-bar');
    visitComponent(path.join(root, 'custom-tab-bar', 'index'), false);
  }

  const pages: string[] = [...app.pages];
  for (const sub of subpackagesOf(app)) {
    for (const p of sub.pages) pages.push(`${sub.root.replace(/\/$/, '')}/${p}`);
  }
  for (const p of pages) visitComponent(path.join(root, p), true);

  return {
    root,
    app,
    files,
    components,
    tags,
    pages,
    subpackageRoots: subpackagesOf(app).map((s) => s.root.replace(/\/$/, '')),
    problems,
  };
}

/** The package a file ships in: a subpackage root, or 'main'. */
export function packageOf(file: string, subpackageRoots: readonly string[]): string {
  for (const r of subpackageRoots) if (file === r || file.startsWith(`${r}/`)) return r;
  return 'main';
}
