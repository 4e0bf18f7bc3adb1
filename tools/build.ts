/**
 * Build step shared by `npm run build`, `npm install` (postinstall) and jest's globalSetup.
 *
 * 1. Bundles every `cloudfunctions/<name>/src/index.ts` into `cloudfunctions/<name>/index.js`
 *    (esbuild, CommonJS for Node 16, minified, wx-server-sdk external; domain code, big.js, dayjs,
 *    zod/mini inlined; a cold instance parses all of it before its first answer). A function is rebuilt only when an input recorded at its last build (esbuild's
 *    metafile, kept in node_modules/.cache) or package-lock.json / this file is newer than its
 *    output, or with --force. Folders without src/index.ts, or whose name starts with `_` or `.`,
 *    are not functions (e.g. `cloudfunctions/_shared`).
 * 2. Keeps each function's package.json listing only wx-server-sdk (root version range) and creates
 *    a default config.json when missing.
 * 3. Subsets the PDF font into its one home, `cloudfunctions/print/fonts/` (tools/print-font.ts:
 *    GB2312 and the characters the product's text and data use, ≤ 4 MB), when the characters
 *    changed; removes any `fonts/` folder from the other functions.
 * 4. Packs the root `dependencies` (@vant/weapp, big.js, dayjs) into miniprogram/miniprogram_npm
 *    with miniprogram-ci's packNpmManually (offline) when missing or older than node_modules.
 * 5. Writes miniprogram/miniprogram_npm/zod/mini/index.js: a tree-shaken, minified CommonJS bundle
 *    of exactly what the contract kit re-exports (miniprogram/domain/kernel/zod.ts), which is what
 *    the mini-program's `require('zod/mini')` loads (WeChat resolves `pkg/sub` to
 *    miniprogram_npm/pkg/sub/index.js). Rebuilt when missing or older than the kit's list, zod's
 *    package.json or this file.
 *
 * CLI: tsx tools/build.ts [--force] [--root <dir>] [--skip-npm] [--skip-functions]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build as esbuild, formatMessages, type Message, type Metafile } from 'esbuild';
import { PDF_FONT } from '../cloudfunctions/print/src/repo/font';
import { buildPrintFont } from './print-font';

export interface BuildOptions {
  /** repository root (default: the folder above tools/) */
  root?: string;
  /** rebuild everything regardless of timestamps */
  force?: boolean;
  /** skip the cloud functions step */
  skipFunctions?: boolean;
  /** skip packing miniprogram_npm */
  skipNpm?: boolean;
  /** progress/summary output (default console.log); pass () => {} to silence */
  log?: (line: string) => void;
}

export type StepStatus = 'built' | 'up to date' | 'skipped';

export interface FunctionResult {
  name: string;
  status: StepStatus;
  ms: number;
  bytes: number;
  notes: string[];
}

export interface BuildSummary {
  functions: FunctionResult[];
  npm: { status: StepStatus; ms: number; packages: string[] };
  zod: { status: StepStatus; ms: number; bytes: number };
  ms: number;
}

export class BuildError extends Error {
  override name = 'BuildError';
}

export const DEFAULT_ROOT = path.resolve(__dirname, '..');
export const FUNCTION_CONFIG_DEFAULT = {
  permissions: { openapi: [] as string[] },
};
const CACHE_DIR = path.join('node_modules', '.cache', 'property-fee-build');
const BANNER = '/* Built by tools/build.ts from src/ - do not edit; run `npm run build`. */';

// ---------------------------------------------------------------------------------------------
// staleness
// ---------------------------------------------------------------------------------------------

/** mtime in ms, or undefined when the path does not exist. */
export function mtimeMs(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * True when any output is missing, any input is missing (it was deleted or renamed, so whatever
 * imported it changed too) or any input is newer than the oldest output.
 */
export function isStale(outputs: readonly string[], inputs: readonly string[]): boolean {
  if (outputs.length === 0) return true;
  let oldestOutput = Infinity;
  for (const out of outputs) {
    const t = mtimeMs(out);
    if (t === undefined) return true;
    oldestOutput = Math.min(oldestOutput, t);
  }
  for (const input of inputs) {
    const t = mtimeMs(input);
    if (t === undefined || t > oldestOutput) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// cloud functions
// ---------------------------------------------------------------------------------------------

/** Names of the folders under cloudfunctions/ that hold a function (src/index.ts). */
export function listFunctions(root: string): string[] {
  const dir = path.join(root, 'cloudfunctions');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !/^[_.]/.test(d.name) && d.name !== 'node_modules')
    .filter((d) => fs.existsSync(path.join(dir, d.name, 'src', 'index.ts')))
    .map((d) => d.name)
    .sort();
}

function readJson(file: string): unknown {
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new BuildError(`${file}: invalid JSON (${(e as Error).message})`);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Write only when the content differs, through a temp file + rename (safe for parallel runs). */
function writeIfChanged(file: string, content: string): boolean {
  try {
    if (fs.readFileSync(file, 'utf8') === content) return false;
  } catch {
    // missing: write it
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
  return true;
}

/** The wx-server-sdk version range declared by the root package.json. */
export function sdkRange(root: string): string {
  const pkg = readJson(path.join(root, 'package.json'));
  if (isRecord(pkg)) {
    for (const field of ['dependencies', 'devDependencies']) {
      const deps = pkg[field];
      if (isRecord(deps) && typeof deps['wx-server-sdk'] === 'string') return deps['wx-server-sdk'];
    }
  }
  throw new BuildError('package.json: wx-server-sdk is not listed in dependencies/devDependencies');
}

/**
 * Make cloudfunctions/<name>/package.json list exactly wx-server-sdk@<range> (other fields kept)
 * and make sure config.json exists and is valid JSON. Returns notes about what changed.
 */
export function ensureFunctionManifests(root: string, name: string, range: string): string[] {
  const dir = path.join(root, 'cloudfunctions', name);
  const notes: string[] = [];

  const pkgFile = path.join(dir, 'package.json');
  const existing = fs.existsSync(pkgFile) ? readJson(pkgFile) : undefined;
  if (existing !== undefined && !isRecord(existing)) {
    throw new BuildError(`${pkgFile}: expected a JSON object`);
  }
  const pkg: Record<string, unknown> = existing ?? {
    name,
    version: '1.0.0',
    private: true,
    description: `cloud function ${name} (index.js is built from src/ by tools/build.ts)`,
    main: 'index.js',
  };
  const deps = pkg['dependencies'];
  const extra = isRecord(deps) ? Object.keys(deps).filter((d) => d !== 'wx-server-sdk') : [];
  if (extra.length > 0) notes.push(`package.json: removed ${extra.join(', ')} (bundled instead)`);
  pkg['dependencies'] = { 'wx-server-sdk': range };
  delete pkg['devDependencies'];
  if (writeIfChanged(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`)) {
    notes.push(existing === undefined ? 'package.json created' : 'package.json updated');
  }

  const configFile = path.join(dir, 'config.json');
  if (fs.existsSync(configFile)) {
    const config = readJson(configFile);
    if (!isRecord(config)) throw new BuildError(`${configFile}: expected a JSON object`);
  } else {
    writeIfChanged(configFile, `${JSON.stringify(FUNCTION_CONFIG_DEFAULT, null, 2)}\n`);
    notes.push('config.json created');
  }
  return notes;
}

function cacheFile(root: string, name: string): string {
  // keyed by root too: a temp root may share node_modules (and so the cache) through a symlink
  const rootKey = createHash('sha1').update(root).digest('hex').slice(0, 8);
  return path.join(root, CACHE_DIR, `function-${name}-${rootKey}.json`);
}

/** Inputs recorded at the last build of a function (undefined when never built here). */
function recordedInputs(root: string, name: string): string[] | undefined {
  try {
    const data = JSON.parse(fs.readFileSync(cacheFile(root, name), 'utf8')) as unknown;
    if (Array.isArray(data) && data.every((x) => typeof x === 'string')) {
      return data.map((f) => path.resolve(root, f));
    }
  } catch {
    // no cache
  }
  return undefined;
}

/** Files whose change makes every bundle stale. */
function globalInputs(root: string): string[] {
  return [
    path.join(root, 'package-lock.json'),
    path.join(root, 'tools', 'build.ts'),
    path.join(root, 'cloudfunctions', 'tsconfig.json'),
    path.join(root, 'tsconfig.base.json'),
  ].filter((f) => fs.existsSync(f));
}

export function functionIsStale(root: string, name: string): boolean {
  const out = path.join(root, 'cloudfunctions', name, 'index.js');
  const inputs = recordedInputs(root, name);
  if (inputs === undefined) return true;
  return isStale([out], [...inputs, ...globalInputs(root)]);
}

async function formatErrors(messages: Message[]): Promise<string> {
  const lines = await formatMessages(messages, { kind: 'error', color: false });
  return lines.join('\n').trim();
}

async function bundleFunction(root: string, name: string): Promise<number> {
  const dir = path.join(root, 'cloudfunctions', name);
  const outfile = path.join(dir, 'index.js');
  let result;
  try {
    result = await esbuild({
      absWorkingDir: root,
      entryPoints: [path.join(dir, 'src', 'index.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node16',
      format: 'cjs',
      external: ['wx-server-sdk'],
      // cloudfunctions/tsconfig.json maps wx-server-sdk to typings/ for type-checking only.
      tsconfigRaw: { compilerOptions: {} },
      minify: true,
      sourcemap: false,
      charset: 'utf8',
      legalComments: 'none',
      banner: { js: BANNER },
      metafile: true,
      write: false,
      logLevel: 'silent',
    });
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    const detail = errors && errors.length > 0 ? await formatErrors(errors) : String(e);
    throw new BuildError(`cloud function "${name}" failed to bundle:\n${detail}`);
  }
  const file = result.outputFiles[0];
  if (!file) throw new BuildError(`cloud function "${name}": esbuild produced no output`);
  writeIfChanged(outfile, file.text);
  // writeIfChanged skips identical content; the mtime must still move past the inputs.
  const now = new Date();
  fs.utimesSync(outfile, now, now);
  recordInputs(root, name, result.metafile);
  return file.contents.byteLength;
}

function recordInputs(root: string, name: string, metafile: Metafile): void {
  const inputs = Object.keys(metafile.inputs)
    .filter((f) => !f.split(/[\\/]/).includes('node_modules'))
    .map((f) => path.relative(root, path.resolve(root, f)));
  writeIfChanged(cacheFile(root, name), `${JSON.stringify(inputs, null, 2)}\n`);
  // What the bundle carries, input by input (bytes in the minified output): `npm run size --
  // --contents` and tests read it to see, e.g., that no zod locale or other contract came along.
  const output = Object.values(metafile.outputs)[0];
  const carried = Object.fromEntries(
    Object.entries(output?.inputs ?? {}).map(([f, v]) => [f, v.bytesInOutput]),
  );
  writeIfChanged(contentsFile(root, name), `${JSON.stringify(carried, null, 2)}\n`);
}

/** Where the build keeps what a function's bundle carries (input path → bytes in the output). */
export function contentsFile(root: string, name: string): string {
  return cacheFile(root, name).replace(/\.json$/, '.contents.json');
}

/**
 * Load each bundle in a fresh Node process and check `require('./index.js').main` is a function.
 * One child for all bundles keeps this at ~0.4 s; wx-server-sdk is only loaded, never called.
 */
function checkExports(root: string, names: string[]): void {
  if (names.length === 0) return;
  const files = names.map((n) => path.join(root, 'cloudfunctions', n, 'index.js'));
  const script = `
    const bad = [];
    for (const f of JSON.parse(process.argv[1])) {
      try {
        const m = require(f);
        if (typeof m.main !== 'function') bad.push(f + ': exports.main is ' + typeof m.main);
      } catch (e) {
        bad.push(f + ': require failed: ' + (e && e.stack || e));
      }
    }
    process.stdout.write(JSON.stringify(bad));
    process.exit(0);
  `;
  const child = spawnSync(process.execPath, ['-e', script, JSON.stringify(files)], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, TENCENTCLOUD: 'true' },
  });
  let bad: string[];
  try {
    bad = JSON.parse(child.stdout) as string[];
  } catch {
    throw new BuildError(`checking bundle exports failed:\n${child.stderr || String(child.error)}`);
  }
  if (bad.length > 0) {
    // Forget these builds so the next run rebuilds (and reports) them again.
    for (const n of names) fs.rmSync(cacheFile(root, n), { force: true });
    throw new BuildError(
      `cloud function bundles must export main (export async function main(event, context)):\n  ${bad.join('\n  ')}`,
    );
  }
}

/**
 * Keeps the print font where it belongs: built (tools/print-font.ts) into the font's one home,
 * `cloudfunctions/print/fonts/`, and absent from every other function (older builds copied the
 * full font into each function that rendered PDFs). Returns notes.
 */
export async function syncFunctionAssets(
  root: string,
  name: string,
  force: boolean,
): Promise<string[]> {
  if (name === PDF_FONT.home) {
    const font = await buildPrintFont(root, force);
    return font.status === 'built'
      ? [
          `${PDF_FONT.dir}/${PDF_FONT.file} subset to ${font.characters} characters (${kb(font.bytes)}) in ${font.ms} ms`,
        ]
      : [];
  }
  const dir = path.join(root, 'cloudfunctions', name, PDF_FONT.dir);
  if (!fs.existsSync(dir)) return [];
  fs.rmSync(dir, { recursive: true, force: true });
  return [`${PDF_FONT.dir}/ removed (the font ships with ${PDF_FONT.home} only)`];
}

async function buildFunctions(root: string, force: boolean): Promise<FunctionResult[]> {
  const names = listFunctions(root);
  if (names.length === 0) return [];
  const range = sdkRange(root);
  const results = await Promise.all(
    names.map(async (name): Promise<FunctionResult> => {
      const start = Date.now();
      const notes = ensureFunctionManifests(root, name, range);
      const out = path.join(root, 'cloudfunctions', name, 'index.js');
      if (!force && !functionIsStale(root, name)) {
        notes.push(...(await syncFunctionAssets(root, name, false)));
        return {
          name,
          status: 'up to date',
          ms: 0,
          bytes: fs.statSync(out).size,
          notes,
        };
      }
      const bytes = await bundleFunction(root, name);
      notes.push(...(await syncFunctionAssets(root, name, force)));
      return { name, status: 'built', ms: Date.now() - start, bytes, notes };
    }),
  );
  checkExports(
    root,
    results.filter((r) => r.status === 'built').map((r) => r.name),
  );
  return results;
}

// ---------------------------------------------------------------------------------------------
// miniprogram_npm
// ---------------------------------------------------------------------------------------------

/** Root `dependencies`: what packNpmManually puts into miniprogram_npm. */
export function miniprogramDependencies(root: string): string[] {
  const pkg = readJson(path.join(root, 'package.json'));
  const deps = isRecord(pkg) ? pkg['dependencies'] : undefined;
  return isRecord(deps) ? Object.keys(deps).sort() : [];
}

const NPM_STAMP = path.join('miniprogram', 'miniprogram_npm', '@vant', 'weapp');

export function miniprogramNpmIsStale(root: string): boolean {
  const deps = miniprogramDependencies(root);
  const outputs = [
    path.join(root, NPM_STAMP),
    ...deps.map((d) => path.join(root, 'miniprogram', 'miniprogram_npm', d)),
  ];
  const inputs = deps.map((d) => path.join(root, 'node_modules', d, 'package.json'));
  return isStale(outputs, inputs);
}

async function buildMiniprogramNpm(root: string): Promise<string[]> {
  const deps = miniprogramDependencies(root);
  for (const d of deps) {
    if (!fs.existsSync(path.join(root, 'node_modules', d, 'package.json'))) {
      throw new BuildError(`miniprogram_npm: node_modules/${d} is missing; run npm install`);
    }
  }
  // Loaded lazily: miniprogram-ci takes ~1 s to import and is not needed when up to date.
  const ci = (await import('miniprogram-ci')) as typeof import('miniprogram-ci');
  const cwd = process.cwd();
  let result;
  try {
    // packNpmManually resolves node_modules from the working directory.
    process.chdir(root);
    result = await ci.packNpmManually({
      packageJsonPath: './package.json',
      miniprogramNpmDistDir: './miniprogram/',
    });
  } catch (e) {
    throw new BuildError(`miniprogram_npm: packNpmManually failed: ${(e as Error).message}`);
  } finally {
    process.chdir(cwd);
  }
  const warnings = result.warnList.map((w) => w.msg).filter(Boolean);
  if (!fs.existsSync(path.join(root, NPM_STAMP))) {
    throw new BuildError(
      `miniprogram_npm: packNpmManually did not produce ${NPM_STAMP}${
        warnings.length > 0 ? `:\n  ${warnings.join('\n  ')}` : ''
      }`,
    );
  }
  // Directory mtimes only move when entries change; touch them so staleness is measured from now.
  const now = new Date();
  for (const d of [NPM_STAMP, ...deps.map((x) => path.join('miniprogram', 'miniprogram_npm', x))]) {
    fs.utimesSync(path.join(root, d), now, now);
  }
  return deps;
}

// ---------------------------------------------------------------------------------------------
// zod/mini for the mini-program
// ---------------------------------------------------------------------------------------------

/** The kit's one door to zod: its re-exports are what the bundle keeps. */
export const ZOD_KIT = path.join('miniprogram', 'domain', 'kernel', 'zod.ts');
/** Where WeChat finds `require('zod/mini')`. */
export const ZOD_BUNDLE = path.join('miniprogram', 'miniprogram_npm', 'zod', 'mini', 'index.js');

export function zodBundleIsStale(root: string): boolean {
  return isStale(
    [path.join(root, ZOD_BUNDLE)],
    [
      path.join(root, ZOD_KIT),
      path.join(root, 'node_modules', 'zod', 'package.json'),
      path.join(root, 'tools', 'build.ts'),
    ],
  );
}

/**
 * Bundle the kit's re-exports of zod/mini as one CommonJS file for the mini-program: ES module
 * sources (tree-shaken to what the kit names), minified, no locales. zod keeps its settings on
 * `globalThis`, which older WeChat engines lack: the bundle falls back to its own object there.
 */
export async function buildZodBundle(root: string): Promise<number> {
  const outfile = path.join(root, ZOD_BUNDLE);
  let result;
  try {
    result = await esbuild({
      absWorkingDir: root,
      entryPoints: [path.join(root, ZOD_KIT)],
      outfile,
      bundle: true,
      format: 'cjs',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      target: 'es2018',
      minify: true,
      treeShaking: true,
      charset: 'utf8',
      legalComments: 'none',
      define: { globalThis: '__zodGlobal' },
      banner: {
        js: `/* zod/mini for the mini-program: the functions miniprogram/domain/kernel/zod.ts re-exports. Built by tools/build.ts - do not edit. */\n"use strict";var __zodGlobal=typeof globalThis!=="undefined"?globalThis:typeof global!=="undefined"?global:{};`,
      },
      write: false,
      logLevel: 'silent',
    });
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    const detail = errors && errors.length > 0 ? await formatErrors(errors) : String(e);
    throw new BuildError(`miniprogram_npm/zod/mini failed to bundle:\n${detail}`);
  }
  const file = result.outputFiles[0];
  if (!file) throw new BuildError('miniprogram_npm/zod/mini: esbuild produced no output');
  writeIfChanged(outfile, file.text);
  const now = new Date();
  fs.utimesSync(outfile, now, now);
  return file.contents.byteLength;
}

// ---------------------------------------------------------------------------------------------
// entry points
// ---------------------------------------------------------------------------------------------

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} kB`;
}

export function formatSummary(s: BuildSummary): string {
  const lines: string[] = [];
  if (s.functions.length === 0) {
    lines.push('  cloud functions: none (no cloudfunctions/<name>/src/index.ts)');
  }
  for (const f of s.functions) {
    const timing = f.status === 'built' ? ` in ${f.ms} ms` : '';
    const notes = f.notes.length > 0 ? `; ${f.notes.join('; ')}` : '';
    lines.push(
      `  cloudfunctions/${f.name}/index.js: ${f.status}${timing} (${kb(f.bytes)})${notes}`,
    );
  }
  const npmTiming =
    s.npm.status === 'built' ? ` in ${s.npm.ms} ms (${s.npm.packages.join(', ')})` : '';
  lines.push(`  miniprogram/miniprogram_npm: ${s.npm.status}${npmTiming}`);
  const zodTiming = s.zod.status === 'built' ? ` in ${s.zod.ms} ms` : '';
  const zodSize = s.zod.status === 'skipped' ? '' : ` (${kb(s.zod.bytes)})`;
  lines.push(`  miniprogram/miniprogram_npm/zod/mini: ${s.zod.status}${zodTiming}${zodSize}`);
  return `build: done in ${s.ms} ms\n${lines.join('\n')}`;
}

export async function build(options: BuildOptions = {}): Promise<BuildSummary> {
  const root = path.resolve(options.root ?? DEFAULT_ROOT);
  const force = options.force ?? false;
  const log = options.log ?? ((line: string) => console.log(line));
  const start = Date.now();

  const functions = options.skipFunctions ? [] : await buildFunctions(root, force);

  const npm: BuildSummary['npm'] = { status: 'skipped', ms: 0, packages: [] };
  if (!options.skipNpm) {
    if (force || miniprogramNpmIsStale(root)) {
      const t = Date.now();
      npm.packages = await buildMiniprogramNpm(root);
      npm.status = 'built';
      npm.ms = Date.now() - t;
    } else {
      npm.status = 'up to date';
    }
  }

  // after packNpmManually, which writes miniprogram_npm afresh
  const zod: BuildSummary['zod'] = { status: 'skipped', ms: 0, bytes: 0 };
  if (!options.skipNpm) {
    if (force || zodBundleIsStale(root)) {
      const t = Date.now();
      zod.bytes = await buildZodBundle(root);
      zod.status = 'built';
      zod.ms = Date.now() - t;
    } else {
      zod.status = 'up to date';
      zod.bytes = fs.statSync(path.join(root, ZOD_BUNDLE)).size;
    }
  }

  const summary: BuildSummary = { functions, npm, zod, ms: Date.now() - start };
  log(formatSummary(summary));
  return summary;
}

function parseArgs(argv: string[]): BuildOptions {
  const opts: BuildOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--force') opts.force = true;
    else if (arg === '--skip-npm') opts.skipNpm = true;
    else if (arg === '--skip-functions') opts.skipFunctions = true;
    else if (arg === '--root') {
      const value = argv[++i];
      if (!value) throw new BuildError('--root needs a directory');
      opts.root = value;
    } else {
      throw new BuildError(
        `unknown argument ${arg}\nusage: tsx tools/build.ts [--force] [--root <dir>] [--skip-npm] [--skip-functions]`,
      );
    }
  }
  return opts;
}

// Run as a script (not imported). tools/tsconfig also sees the mini-program's global `require`
// typing, which lacks `main`, so compare the entry path instead.
if (path.resolve(process.argv[1] ?? '') === __filename) {
  Promise.resolve()
    .then(() => build(parseArgs(process.argv.slice(2))))
    .then(
      () => process.exit(0),
      (e: unknown) => {
        const msg =
          e instanceof BuildError
            ? e.message
            : e instanceof Error
              ? (e.stack ?? e.message)
              : String(e);
        console.error(`build FAILED: ${msg}`);
        process.exit(1);
      },
    );
}
