/**
 * Roster import at scale: a 20,000-room workbook (20 buildings × 4 units × 25 floors × 10 rooms,
 * one owner each) previewed and applied through the community function, inside its configured
 * timeout (cloudfunctions/community/config.json), with the SDK round trips each step takes; then
 * the same file again (every row unchanged) and the export.
 *
 * `npm run bench -- import`, or on its own: `npx tsx tools/bench/import.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { ensureSchema } from '../seed/demo';
import { startCloud, type LocalCloud } from '../cloud/server';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import { ADMIN, COMMUNITY } from './rooms';
import type { Bench, BenchResult } from './types';
import type {
  ImportReport,
  ImportResult,
  ExportedFile,
} from '../../miniprogram/domain/community/contract';

const BUILDINGS = 20;
const UNITS = 4;
const FLOORS = 25;
const PER_FLOOR = 10;

async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('房屋与业主');
  ws.addRow([
    '楼栋',
    '单元',
    '房号',
    '楼层',
    '建筑面积(㎡)',
    '套内面积(㎡)',
    '用途',
    '状态',
    '入住日期',
    '业主姓名',
    '手机号',
  ]);
  const layouts = [8947, 11253, 13688, 9120, 14306];
  let n = 0;
  for (let b = 1; b <= BUILDINGS; b++) {
    for (let u = 1; u <= UNITS; u++) {
      for (let f = 1; f <= FLOORS; f++) {
        for (let r = 1; r <= PER_FLOOR; r++) {
          n++;
          const area = layouts[(b + r) % layouts.length]!;
          ws.addRow([
            `${b}栋`,
            u,
            `${f}${String(r).padStart(2, '0')}`,
            f,
            area / 100,
            Math.round(area * 0.78) / 100,
            '住宅',
            n % 13 === 0 ? '空置' : '已入住',
            `20${String(10 + (n % 14)).padStart(2, '0')}-0${1 + (n % 9)}-15`,
            `业主${n}`,
            `139${String(n).padStart(8, '0')}`,
          ]);
        }
      }
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function measure<T>(
  cloud: LocalCloud,
  results: BenchResult[],
  name: string,
  fn: () => Promise<T>,
  note: (r: T) => string = () => '',
): Promise<T> {
  const before = cloud.stats.total;
  const t0 = performance.now();
  const out = await fn();
  const ms = Math.round(performance.now() - t0);
  const trips = cloud.stats.total - before;
  const extra = note(out);
  results.push({
    name,
    value: ms,
    unit: 'ms',
    note: `${trips} SDK round trips${extra ? `; ${extra}` : ''}`,
  });
  return out;
}

function ok<T>(r: unknown): T {
  const reply = r as Reply<T>;
  if (!reply.ok) throw new Error(`${reply.code}: ${reply.message}`);
  return reply.data;
}

export const importBench: Bench = {
  title: `roster import (${BUILDINGS * UNITS * FLOORS * PER_FLOOR} rooms through the community function)`,
  async run() {
    const timeoutS = (
      JSON.parse(
        fs.readFileSync(
          path.resolve(__dirname, '..', '..', 'cloudfunctions', 'community', 'config.json'),
          'utf8',
        ),
      ) as { timeout?: number }
    ).timeout;
    const cloud = await startCloud({ port: 0, quiet: true, timers: false });
    const results: BenchResult[] = [];
    try {
      ensureSchema(cloud.store);
      const now = new Date();
      cloud.store.insert('communities', [{ _id: COMMUNITY, name: '压测小区', createdAt: now }]);
      cloud.store.insert('staff_roles', [
        { _id: `${COMMUNITY}:${ADMIN}`, communityId: COMMUNITY, openid: ADMIN, roles: ['admin'] },
      ]);
      cloud.store.insert(
        'buildings',
        Array.from({ length: BUILDINGS }, (_, i) => ({
          _id: `${COMMUNITY}:b:${i + 1}`,
          communityId: COMMUNITY,
          code: String(i + 1),
          name: `${i + 1}栋`,
          units: Array.from({ length: UNITS }, (_, u) => String(u + 1)),
          floors: FLOORS,
        })),
      );
      const t0 = performance.now();
      const bytes = await workbook();
      results.push({
        name: 'build the .xlsx (exceljs, in this process)',
        value: Math.round(performance.now() - t0),
        unit: 'ms',
        note: `${(bytes.length / 1024 / 1024).toFixed(1)} MB`,
      });
      Object.assign(process.env, cloud.env());
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const sdk = require('wx-server-sdk') as typeof import('wx-server-sdk');
      sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV });
      const { fileID } = await sdk.uploadFile({
        cloudPath: 'imports/bench/rooms.xlsx',
        fileContent: bytes,
      });

      const call = (event: Record<string, unknown>) =>
        cloud.call('community', { communityId: COMMUNITY, ...event }, ADMIN);
      // Warm the function instance so the figures are per call, not per cold start.
      await call({ action: 'get' });

      const report = await measure(
        cloud,
        results,
        'preview: download, parse, validate, diff 20,000 rows',
        async () => ok<ImportReport>(await call({ action: 'importPreview', fileID })),
        (r) => `${r.counts.added} to add, ${r.errorCount} errors`,
      );
      let rounds = 0;
      const applied = await measure(
        cloud,
        results,
        'confirm: apply (rooms + owners + relations)',
        async () => {
          let res: ImportResult;
          do {
            rounds++;
            res = ok<ImportResult>(
              await call({ action: 'importConfirm', importId: report.importId }),
            );
          } while (!res.done && rounds < 50);
          return res;
        },
        (r) =>
          `${rounds} call${rounds > 1 ? 's' : ''}, done=${r.done}; ${cloud.store.count('rooms', { communityId: COMMUNITY })} rooms, ${cloud.store.count('owners', { communityId: COMMUNITY })} owners; function timeout ${timeoutS} s`,
      );
      if (!applied.done) throw new Error('import did not finish');
      const again = await measure(
        cloud,
        results,
        're-import the same file: preview (every row unchanged)',
        async () => ok<ImportReport>(await call({ action: 'importPreview', fileID })),
        (r) => `${r.counts.unchanged} unchanged, ${r.counts.added + r.counts.changed} to write`,
      );
      await measure(cloud, results, 're-import the same file: confirm (writes nothing)', async () =>
        ok<ImportResult>(await call({ action: 'importConfirm', importId: again.importId })),
      );
      await measure(
        cloud,
        results,
        'export 20,000 rooms to .xlsx (masked)',
        async () => ok<ExportedFile>(await call({ action: 'exportRoster' })),
        (r) => `${r.rowCount} rows`,
      );
    } finally {
      await cloud.close();
    }
    return results;
  },
};

if (path.resolve(process.argv[1] ?? '') === __filename) {
  importBench.run().then(
    (results) => {
      console.log(`\n== ${importBench.title}`);
      for (const r of results) {
        console.log(
          `  ${r.name.padEnd(58)} ${String(r.value).padStart(8)} ${r.unit}${r.note ? `  (${r.note})` : ''}`,
        );
      }
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
