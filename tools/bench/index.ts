/**
 * `npm run bench -- --rooms N [--json FILE]`: the daily work at N rooms (default 20,000) against
 * issue 16's round-trip budgets (./budgets.ts); exits non-zero naming each broken budget.
 * `npm run bench -- <substring>` runs the matching older benchmarks and prints their figures
 * (`npm run bench -- all`: every one). Speed and size targets are checked here, not in timed tests.
 */
import { runBudgets } from './budgets';
import { billingBench } from './billing';
import { coldStartBench } from './cold-start';
import { localCloudBench } from './local-cloud';
import { importBench } from './import';
import { reportsBench } from './reports';
import { complaintsBench } from './complaints';
import { overdueBench } from './overdue';
import { deskBench } from './desk';
import type { Bench } from './types';

const BENCHES: Bench[] = [
  localCloudBench,
  importBench,
  billingBench,
  reportsBench,
  complaintsBench,
  overdueBench,
  coldStartBench,
  deskBench,
];

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.length === 0 || args[0]!.startsWith('--')) return runBudgets(args);
  const filter = args[0] === 'all' ? '' : args[0]!;
  const selected = BENCHES.filter((b) => b.title.includes(filter));
  if (selected.length === 0) {
    console.error(
      `no benchmark matches "${filter}"; available: ${BENCHES.map((b) => b.title).join(' | ')}`,
    );
    process.exit(2);
  }
  for (const bench of selected) {
    console.log(`\n== ${bench.title}`);
    for (const r of await bench.run()) {
      console.log(
        `  ${r.name.padEnd(58)} ${String(r.value).padStart(8)} ${r.unit}${r.note ? `  (${r.note})` : ''}`,
      );
    }
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
