/**
 * Cold starts on a loaded machine: does a function answer its first call on a new instance within
 * its timeout, with the code load counted inside that timeout as on CloudBase?
 *
 * Starts a local cloud with the demo community and `coldLoadInTimeout` on, optionally starts CPU
 * hogs (`node -e 'for(;;){}'`, one per `--hogs`; ended when the bench ends, by their pids), and
 * then, `--tries` times: ends every instance of the function, calls the action as the demo owner
 * and times the answer. Exits 1 unless every try answered in time.
 *
 *   npx tsx tools/bench/cold-start.ts                      # owner.home, 10 tries, 2 hogs
 *   npx tsx tools/bench/cold-start.ts --fn account --action whoami --tries 5 --hogs 0
 *   npx tsx tools/bench/cold-start.ts --fn payment --action printReceipts --openid o_demo_finance \
 *     --input '{"communityId":"c_cuihu","from":"2026-09-01","to":"2026-11-26"}' --cold payment,print
 *
 * `npm run bench -- cold` runs the owner.home case as part of the benchmarks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startCloud } from '../cloud/server';
import { seedDemo } from '../seed/demo';
import type { Bench, BenchResult } from './types';

export interface ColdStartOptions {
  fn: string;
  action: string;
  openid: string;
  /** the rest of the event (default none) */
  input?: Record<string, unknown>;
  /** functions whose instances end before each try (default: fn); e.g. a caller and print */
  cold?: string[];
  tries: number;
  hogs: number;
  log?: (line: string) => void;
}

export interface ColdStartResult {
  timeoutS: number;
  /** ms of each try; null where the call failed (timeout or error) */
  times: (number | null)[];
  failures: string[];
}

function startHogs(n: number): ChildProcess[] {
  return Array.from({ length: n }, () =>
    spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }),
  );
}

async function stopHogs(hogs: ChildProcess[]): Promise<void> {
  await Promise.all(
    hogs.map(
      (h) =>
        new Promise<void>((resolve) => {
          if (h.exitCode !== null || h.signalCode !== null) return resolve();
          h.once('exit', () => resolve());
          h.kill('SIGKILL');
        }),
    ),
  );
}

export async function coldStarts(o: ColdStartOptions): Promise<ColdStartResult> {
  const log = o.log ?? (() => {});
  const cloud = await startCloud({
    port: 0,
    quiet: true,
    timers: false,
    seed: 'demo',
    seeder: seedDemo,
    coldLoadInTimeout: true,
    functionsDir: path.resolve(__dirname, '..', '..', 'cloudfunctions'),
  });
  const hogs = startHogs(o.hogs);
  const times: (number | null)[] = [];
  const failures: string[] = [];
  try {
    const timeoutS = cloud.functions.config(o.fn).timeout ?? 3;
    for (let i = 1; i <= o.tries; i++) {
      for (const fn of o.cold ?? [o.fn]) await cloud.functions.recycle(fn);
      const t0 = performance.now();
      try {
        const reply = (await cloud.call(o.fn, { action: o.action, ...o.input }, o.openid)) as {
          ok?: boolean;
          code?: string;
          message?: string;
        };
        const ms = performance.now() - t0;
        if (reply?.ok !== true) throw new Error(`${reply?.code}: ${reply?.message}`);
        times.push(ms);
        log(`  try ${i}: answered in ${Math.round(ms)} ms (timeout ${timeoutS} s)`);
      } catch (e) {
        times.push(null);
        failures.push(`try ${i}: ${(e as Error).message}`);
        log(
          `  try ${i}: FAILED after ${Math.round(performance.now() - t0)} ms: ${(e as Error).message}`,
        );
      }
    }
    return { timeoutS, times, failures };
  } finally {
    await stopHogs(hogs);
    await cloud.close();
  }
}

function summary(o: ColdStartOptions, r: ColdStartResult): BenchResult[] {
  const ok = r.times.filter((t): t is number => t !== null).sort((a, b) => a - b);
  const label = `${o.fn}.${o.action} cold, ${o.hogs} CPU hogs`;
  const note = `timeout ${r.timeoutS} s, load counted inside it`;
  return [
    { name: `${label}: answered in time`, value: ok.length, unit: `of ${r.times.length}`, note },
    {
      name: `${label}: median`,
      value: Math.round(ok[Math.floor(ok.length / 2)] ?? 0),
      unit: 'ms',
    },
    { name: `${label}: slowest`, value: Math.round(ok[ok.length - 1] ?? 0), unit: 'ms', note },
  ];
}

export const coldStartBench: Bench = {
  title: 'cold start of owner.home on a loaded machine',
  async run() {
    const o = { fn: 'owner', action: 'home', openid: 'o_demo_owner', tries: 10, hogs: 2 };
    return summary(o, await coldStarts(o));
  },
};

function option(argv: string[], name: string, fallback: string): string {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 && argv[at + 1] !== undefined ? argv[at + 1]! : fallback;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const cold = option(argv, 'cold', '').split(',').filter(Boolean);
  const o: ColdStartOptions = {
    fn: option(argv, 'fn', 'owner'),
    action: option(argv, 'action', 'home'),
    openid: option(argv, 'openid', 'o_demo_owner'),
    input: JSON.parse(option(argv, 'input', '{}')) as Record<string, unknown>,
    ...(cold.length > 0 ? { cold } : {}),
    tries: Number(option(argv, 'tries', '10')),
    hogs: Number(option(argv, 'hogs', '2')),
    log: (line) => console.log(line),
  };
  console.log(
    `${o.fn}.${o.action} as ${o.openid}: ${o.tries} cold instances, ${o.hogs} CPU hogs running`,
  );
  const r = await coldStarts(o);
  for (const s of summary(o, r)) {
    console.log(`${s.name}: ${s.value} ${s.unit}${s.note ? `  (${s.note})` : ''}`);
  }
  if (r.failures.length > 0) {
    console.error(`${r.failures.length} of ${o.tries} did not answer in time`);
    process.exit(1);
  }
}

if (path.resolve(process.argv[1] ?? '') === __filename) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
