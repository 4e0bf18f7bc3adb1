/**
 * `npm run bench`: runs every benchmark and prints its figures. Speed and size targets are
 * checked here, not in timed tests. `npm run bench -- <substring>` runs only matching benches.
 */
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

async function main(): Promise<void> {
  const filter = process.argv[2];
  const selected = BENCHES.filter((b) => !filter || b.title.includes(filter));
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
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
