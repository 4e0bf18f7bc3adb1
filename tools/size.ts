/**
 * `npm run size`: the package sizes WeChat would count on upload, and each cloud function's
 * bundle bytes and cold load (tools/function-size.ts).
 *
 * Only files the app reaches count (the upload filter drops the rest of miniprogram_npm): see
 * tools/miniprogram-files.ts. TypeScript counts as the JavaScript it compiles to. Fails when a
 * package is over WeChat's 2 MB limit or the whole app over 30 MB, or when a function is over
 * its budget (bytes, cold load, timeout headroom, the font's one home); warns when the main
 * package is over the 1 MB target. `--json` prints the figures as JSON; `--files` lists every
 * file; `--rounds N` loads each function N times (default 3); `--no-functions` skips them;
 * `--contents` lists what each function's bundle carries (npm packages, domain capabilities,
 * _shared, its own src), from the build's esbuild metafile.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  formatContents,
  formatFunctionReport,
  measureFunctions,
  type FunctionReport,
} from './function-size';
import { collectMiniprogramFiles, packageOf, transpileScript } from './miniprogram-files';

export const PACKAGE_LIMIT = 2 * 1024 * 1024;
export const TOTAL_LIMIT = 30 * 1024 * 1024;
export const MAIN_TARGET = 1024 * 1024;

export interface PackageSize {
  name: string;
  bytes: number;
  files: number;
  /** bytes from miniprogram_npm (vant, big.js, the zod/mini bundle) */
  npmBytes: number;
  list: { file: string; bytes: number }[];
}

export interface SizeReport {
  packages: PackageSize[];
  totalBytes: number;
  problems: string[];
  over: string[];
}

export function measure(mpRoot: string): SizeReport {
  const reached = collectMiniprogramFiles(mpRoot);
  const byPkg = new Map<string, PackageSize>();
  for (const name of ['main', ...reached.subpackageRoots]) {
    byPkg.set(name, { name, bytes: 0, files: 0, npmBytes: 0, list: [] });
  }
  for (const file of [...reached.files].sort()) {
    const abs = path.join(reached.root, file);
    const bytes = file.endsWith('.ts')
      ? Buffer.byteLength(transpileScript(abs, fs.readFileSync(abs, 'utf8')))
      : fs.statSync(abs).size;
    const pkg = byPkg.get(packageOf(file, reached.subpackageRoots))!;
    pkg.bytes += bytes;
    pkg.files += 1;
    if (file.startsWith('miniprogram_npm/')) pkg.npmBytes += bytes;
    pkg.list.push({ file: file.replace(/\.ts$/, '.js'), bytes });
  }
  const packages = [...byPkg.values()];
  const totalBytes = packages.reduce((s, p) => s + p.bytes, 0);
  const over = packages.filter((p) => p.bytes > PACKAGE_LIMIT).map((p) => p.name);
  if (totalBytes > TOTAL_LIMIT) over.push('(all packages)');
  return { packages, totalBytes, problems: reached.problems, over };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = new Set(argv);
  const roundsAt = argv.indexOf('--rounds');
  const rounds = roundsAt >= 0 ? Number(argv[roundsAt + 1]) : 3;
  if (!Number.isInteger(rounds) || rounds < 1) {
    console.error('--rounds needs a whole number of at least 1');
    process.exit(2);
  }
  const root = path.resolve(__dirname, '..', 'miniprogram');
  if (!fs.existsSync(path.join(root, 'miniprogram_npm', '@vant', 'weapp'))) {
    console.error('miniprogram/miniprogram_npm is missing: run `npm run build` first');
    process.exit(2);
  }
  const report = measure(root);
  let fns: FunctionReport | undefined;
  if (!args.has('--no-functions')) {
    const fnRoot = path.resolve(__dirname, '..', 'cloudfunctions');
    const progress = process.stderr.isTTY && !args.has('--json');
    if (progress) process.stderr.write(`loading each function ${rounds}× in fresh processes …`);
    fns = await measureFunctions(fnRoot, {
      rounds,
      onProgress: () => progress && process.stderr.write('.'),
    });
    if (progress) process.stderr.write('\n');
  }
  if (args.has('--json')) {
    console.log(
      JSON.stringify(
        {
          ...report,
          packages: report.packages.map(({ list, ...p }) =>
            args.has('--files') ? { ...p, list } : p,
          ),
          ...(fns ? { functions: fns } : {}),
        },
        null,
        2,
      ),
    );
  } else {
    console.log('package        size        files    of which npm   limit');
    for (const p of report.packages) {
      const label = p.name === 'main' ? '主包 main' : `分包 ${p.name}`;
      console.log(
        `${label.padEnd(14)} ${kb(p.bytes).padStart(10)}  ${String(p.files).padStart(6)}   ${kb(p.npmBytes).padStart(12)}   ${p.bytes > PACKAGE_LIMIT ? 'OVER 2 MB' : 'ok (≤ 2 MB)'}`,
      );
      if (args.has('--files'))
        for (const f of p.list) console.log(`    ${kb(f.bytes).padStart(9)}  ${f.file}`);
    }
    console.log(`${'总计 total'.padEnd(14)} ${kb(report.totalBytes).padStart(10)}`);
    const mainPkg = report.packages.find((p) => p.name === 'main')!;
    console.log(
      mainPkg.bytes <= MAIN_TARGET
        ? `main package is under the 1 MB target (${((mainPkg.bytes / MAIN_TARGET) * 100).toFixed(0)}%)`
        : `warning: main package is over the 1 MB target`,
    );
    if (fns) console.log(`\n${formatFunctionReport(fns)}`);
    if (fns && args.has('--contents')) {
      const fnRoot = path.resolve(__dirname, '..', 'cloudfunctions');
      const names = fns.functions.map((f) => f.name);
      console.log(
        `\nwhat each bundle carries (esbuild metafile):\n${formatContents(fnRoot, names)}`,
      );
    }
  }
  for (const p of report.problems) console.error(`problem: ${p}`);
  for (const p of fns?.problems ?? []) console.error(`over budget: ${p}`);
  if (report.over.length > 0) console.error(`over the WeChat limit: ${report.over.join(', ')}`);
  if (report.over.length > 0 || report.problems.length > 0 || (fns?.problems.length ?? 0) > 0) {
    process.exit(1);
  }
}

// run as a script (tsx tools/size.ts), not when imported by tests
if (process.argv[1] && path.resolve(process.argv[1]) === __filename) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  });
}
