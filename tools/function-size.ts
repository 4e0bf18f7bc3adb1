/**
 * What each cloud function costs on a cold start, and the budgets it must keep (issue 17).
 *
 * On CloudBase a new instance loads its code inside the invocation's time limit, and a timed-out
 * instance is thrown away, so it never warms. Loading `wx-server-sdk` alone takes ~0.5 s of CPU;
 * everything a bundle adds comes on top, before the first answer. So for every function:
 *
 * - **bundle bytes**: `cloudfunctions/<name>/index.js` as built (minified);
 * - **cold load**: CPU time to `require()` that bundle in a fresh Node process, relative to
 *   loading wx-server-sdk alone in the same process (the SDK is loaded first and timed, then the
 *   bundle; the ratio is (sdk + bundle) / sdk). CPU time, not wall time, so a busy machine
 *   changes the figure little; medians of several fresh processes;
 * - **timeout** from its `config.json` and the headroom it leaves over the measured load.
 *
 * Budgets: `owner` and `account` (an owner's first screen) ≤ 300 KB and ≤ 1.3× the SDK's load;
 * `payment` ≤ 1.6×; every function but `print` ≤ 1 MB; `print` ≤ 2 MB with its font (≤ 4 MB) in
 * its `fonts/` and no font in any other function; every timeout ≥ 4× the function's measured
 * cold load (the load on a machine four times slower still leaves time to answer).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PDF_FONT } from '../cloudfunctions/print/src/repo/font';
import { contentsFile } from './build';

const KB = 1024;
const MB = 1024 * KB;

export interface FunctionBudget {
  /** most bytes of index.js */
  bytes: number;
  /** most cold load, as a multiple of loading wx-server-sdk alone */
  load?: number;
}

export const DEFAULT_FUNCTION_BUDGET: FunctionBudget = { bytes: 1 * MB };
export const FUNCTION_BUDGETS: Record<string, FunctionBudget> = {
  owner: { bytes: 300 * KB, load: 1.3 },
  account: { bytes: 300 * KB, load: 1.3 },
  payment: { bytes: 1 * MB, load: 1.6 },
  print: { bytes: 2 * MB },
};
/** A timeout must be at least this many times the function's measured cold load. */
export const TIMEOUT_HEADROOM = 4;
/** CloudBase's default when config.json names no timeout. */
export const DEFAULT_TIMEOUT_S = 3;

export function budgetOf(name: string): FunctionBudget {
  return FUNCTION_BUDGETS[name] ?? DEFAULT_FUNCTION_BUDGET;
}

/** Functions: folders of cloudfunctions/ with src/index.ts (not `_shared`). */
export function functionNames(fnRoot: string): string[] {
  return fs
    .readdirSync(fnRoot, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !/^[_.]/.test(d.name))
    .filter((d) => fs.existsSync(path.join(fnRoot, d.name, 'src', 'index.ts')))
    .map((d) => d.name)
    .sort();
}

export function timeoutOf(fnRoot: string, name: string): number {
  const file = path.join(fnRoot, name, 'config.json');
  if (!fs.existsSync(file)) return DEFAULT_TIMEOUT_S;
  const config = JSON.parse(fs.readFileSync(file, 'utf8')) as { timeout?: number };
  return config.timeout ?? DEFAULT_TIMEOUT_S;
}

export interface LoadSample {
  /** CPU ms to require wx-server-sdk */
  sdkMs: number;
  /** CPU ms to require the bundle after the SDK */
  bundleMs: number;
  /** wall ms of both */
  wallMs: number;
}

// Runs in a fresh Node process: times require('wx-server-sdk'), then the bundle (which finds
// the SDK already loaded, as it would have loaded it itself first).
const PROBE = `
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const t0 = process.hrtime.bigint();
const a = cpu();
require(require.resolve('wx-server-sdk', { paths: [process.argv[1]] }));
const b = cpu();
const m = require(process.argv[2]);
const c = cpu();
if (typeof m.main !== 'function') throw new Error('no main');
process.stdout.write(JSON.stringify({ sdkMs: b - a, bundleMs: c - b, wallMs: Number(process.hrtime.bigint() - t0) / 1e6 }));
`;

export function sampleLoad(fnRoot: string, name: string): Promise<LoadSample> {
  const dir = path.join(fnRoot, name);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', PROBE, dir, path.join(dir, 'index.js')],
      { env: { ...process.env, TENCENTCLOUD: 'true' }, timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`loading ${name}: ${stderr || err.message}`));
        resolve(JSON.parse(stdout) as LoadSample);
      },
    );
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface FunctionSize {
  name: string;
  bytes: number;
  /** files uploaded besides the bundle that count for the budget (the font) */
  fontBytes: number;
  /** median CPU ms of the bundle on top of the SDK */
  bundleMs: number;
  /** (sdk + bundle) / sdk, with the SDK's median over every sample */
  loadRatio: number;
  /** median wall ms of SDK + bundle in a fresh process */
  wallMs: number;
  timeoutS: number;
  budget: FunctionBudget;
}

export interface FunctionReport {
  sdkMs: number;
  functions: FunctionSize[];
  problems: string[];
}

/** Every `fonts/` file under the functions, by function. */
export function fontFiles(fnRoot: string): { fn: string; file: string; bytes: number }[] {
  const out: { fn: string; file: string; bytes: number }[] = [];
  for (const fn of functionNames(fnRoot)) {
    const dir = path.join(fnRoot, fn, PDF_FONT.dir);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir)) {
      out.push({ fn, file: f, bytes: fs.statSync(path.join(dir, f)).size });
    }
  }
  return out;
}

/** The font lives once, in print's fonts/, within its budget. */
export function fontProblems(fnRoot: string): string[] {
  const problems: string[] = [];
  const fonts = fontFiles(fnRoot);
  const home = fonts.filter((f) => f.fn === PDF_FONT.home && f.file === PDF_FONT.file);
  if (home.length === 0) {
    problems.push(
      `cloudfunctions/${PDF_FONT.home}/${PDF_FONT.dir}/${PDF_FONT.file} is missing (run npm run build)`,
    );
  }
  for (const f of fonts) {
    if (f.fn !== PDF_FONT.home || f.file !== PDF_FONT.file) {
      problems.push(
        `cloudfunctions/${f.fn}/${PDF_FONT.dir}/${f.file}: fonts ship with ${PDF_FONT.home} only`,
      );
    } else if (f.bytes > PDF_FONT.maxBytes) {
      problems.push(
        `cloudfunctions/${f.fn}/${PDF_FONT.dir}/${f.file} is ${(f.bytes / MB).toFixed(2)} MB (budget ${PDF_FONT.maxBytes / MB} MB)`,
      );
    }
  }
  return problems;
}

/** Only the print function's bundle carries the PDF renderer. */
export function rendererProblems(fnRoot: string, names: string[]): string[] {
  return names
    .filter((n) => n !== PDF_FONT.home)
    .filter((n) => {
      const file = path.join(fnRoot, n, 'index.js');
      // pdf-lib's producer string survives minification
      return fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('pdf-lib (https://');
    })
    .map((n) => `cloudfunctions/${n}/index.js bundles pdf-lib: PDFs are rendered by print only`);
}

/**
 * Measures every function (`rounds` fresh processes each, two at a time) and checks the budgets.
 * `onProgress` hears each function as it is measured.
 */
export async function measureFunctions(
  fnRoot: string,
  opts: { rounds?: number; onProgress?: (name: string) => void } = {},
): Promise<FunctionReport> {
  const rounds = opts.rounds ?? 3;
  const names = functionNames(fnRoot);
  const problems: string[] = [];
  const missing = names.filter((n) => !fs.existsSync(path.join(fnRoot, n, 'index.js')));
  for (const n of missing)
    problems.push(`cloudfunctions/${n}/index.js is not built (run npm run build)`);
  const built = names.filter((n) => !missing.includes(n));
  const samples = new Map<string, LoadSample[]>(built.map((n) => [n, []]));
  // Rounds interleave the functions, so a burst of load from elsewhere touches them all alike.
  const queue = Array.from({ length: rounds }, () => built).flat();
  const worker = async () => {
    for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
      samples.get(n)!.push(await sampleLoad(fnRoot, n));
      if (samples.get(n)!.length === rounds) opts.onProgress?.(n);
    }
  };
  await Promise.all([worker(), worker()]);
  const sdkMs = median([...samples.values()].flat().map((s) => s.sdkMs));
  const fonts = fontFiles(fnRoot);
  const functions = built.map((name): FunctionSize => {
    const list = samples.get(name)!;
    const bundleMs = median(list.map((s) => s.bundleMs));
    return {
      name,
      bytes: fs.statSync(path.join(fnRoot, name, 'index.js')).size,
      fontBytes: fonts.filter((f) => f.fn === name).reduce((a, f) => a + f.bytes, 0),
      bundleMs,
      loadRatio: (sdkMs + bundleMs) / sdkMs,
      wallMs: median(list.map((s) => s.wallMs)),
      timeoutS: timeoutOf(fnRoot, name),
      budget: budgetOf(name),
    };
  });
  for (const f of functions) problems.push(...budgetProblems(f, sdkMs));
  problems.push(...fontProblems(fnRoot), ...rendererProblems(fnRoot, built));
  return { sdkMs, functions, problems };
}

export function budgetProblems(f: FunctionSize, sdkMs: number): string[] {
  const out: string[] = [];
  if (f.bytes > f.budget.bytes) {
    out.push(`${f.name}: bundle ${kb(f.bytes)} over its ${kb(f.budget.bytes)} budget`);
  }
  if (f.budget.load !== undefined && f.loadRatio > f.budget.load) {
    out.push(
      `${f.name}: cold load ${f.loadRatio.toFixed(2)}× the SDK's, over its ${f.budget.load}× budget`,
    );
  }
  const loadS = (sdkMs + f.bundleMs) / 1000;
  if (f.timeoutS < TIMEOUT_HEADROOM * loadS) {
    out.push(
      `${f.name}: timeout ${f.timeoutS} s is under ${TIMEOUT_HEADROOM}× its cold load (${loadS.toFixed(2)} s): raise it in config.json`,
    );
  }
  return out;
}

export function kb(bytes: number): string {
  return bytes >= MB ? `${(bytes / MB).toFixed(2)} MB` : `${(bytes / KB).toFixed(1)} KB`;
}

/** The table `npm run size` prints (and the README quotes). */
export function formatFunctionReport(r: FunctionReport): string {
  const lines = [
    `cloud functions: cold load = CPU to require wx-server-sdk and the bundle in a fresh Node process, ÷ the SDK alone (${r.sdkMs.toFixed(0)} ms); +ms = the bundle's share; wall ms = both, on this machine now; headroom = timeout ÷ cold load`,
    'function     bundle      budget     cold load   budget  +ms   wall ms  timeout  headroom',
  ];
  for (const f of r.functions) {
    const loadS = (r.sdkMs + f.bundleMs) / 1000;
    lines.push(
      [
        f.name.padEnd(11),
        kb(f.bytes).padStart(9),
        `≤ ${kb(f.budget.bytes)}`.padStart(11),
        `${f.loadRatio.toFixed(2)}×`.padStart(10),
        (f.budget.load ? `≤ ${f.budget.load}×` : '').padStart(7),
        f.bundleMs.toFixed(0).padStart(5),
        f.wallMs.toFixed(0).padStart(8),
        `${f.timeoutS} s`.padStart(8),
        `${(f.timeoutS / loadS).toFixed(0)}×`.padStart(9),
        f.fontBytes ? `  + font ${kb(f.fontBytes)}` : '',
      ]
        .join(' ')
        .trimEnd(),
    );
  }
  return lines.join('\n');
}

/** What a function's last build carries: input path → bytes in the bundle (from esbuild's metafile). */
export function bundleInputs(fnRoot: string, name: string): Record<string, number> {
  const file = contentsFile(path.dirname(fnRoot), name);
  if (!fs.existsSync(file)) throw new Error(`${name}: no build record (run npm run build)`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, number>;
}

/**
 * The same, by part: an npm package (`zod`, `exceljs`), a domain capability (`domain/payment`),
 * `_shared`, or the function's own `src`. Largest first.
 */
export function bundleContents(fnRoot: string, name: string): { part: string; bytes: number }[] {
  const parts = new Map<string, number>();
  for (const [input, bytes] of Object.entries(bundleInputs(fnRoot, name))) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
    const domain = /^miniprogram\/domain\/([^/]+)\//.exec(input)?.[1];
    const part =
      pkg ?? (domain ? `domain/${domain}` : input.includes('/_shared/') ? '_shared' : 'src');
    parts.set(part, (parts.get(part) ?? 0) + bytes);
  }
  return [...parts].map(([part, bytes]) => ({ part, bytes })).sort((a, b) => b.bytes - a.bytes);
}

export function formatContents(fnRoot: string, names: string[]): string {
  return names
    .map((n) => {
      const parts = bundleContents(fnRoot, n).filter((p) => p.bytes > 0);
      const shown = parts.slice(0, 8).map((p) => `${p.part} ${kb(p.bytes)}`);
      const rest = parts.slice(8);
      if (rest.length > 0) {
        shown.push(`${rest.length} more ${kb(rest.reduce((a, p) => a + p.bytes, 0))}`);
      }
      return `${n.padEnd(11)} ${shown.join(', ')}`;
    })
    .join('\n');
}
