/**
 * The local cloud's own costs, as a baseline for every other benchmark: batch inserts, a query,
 * an aggregation and transactions over 20,000 documents through the real wx-server-sdk, with the
 * SDK round trips each takes.
 */
import { startCloud } from '../cloud/server';
import type { Bench, BenchResult } from './types';

export const localCloudBench: Bench = {
  title: 'local cloud (20,000 documents through wx-server-sdk)',
  async run() {
    const cloud = await startCloud({ port: 0, quiet: true, timers: false });
    Object.assign(process.env, cloud.env());
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdk = require('wx-server-sdk') as typeof import('wx-server-sdk');
    sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV });
    const db = sdk.database();
    const results: BenchResult[] = [];
    const measure = async (name: string, fn: () => Promise<void>, note = '') => {
      const before = cloud.stats.total;
      const t0 = performance.now();
      await fn();
      const ms = performance.now() - t0;
      const trips = cloud.stats.total - before;
      results.push({
        name,
        value: Math.round(ms),
        unit: 'ms',
        note: `${trips} round trips${note ? `; ${note}` : ''}`,
      });
    };
    try {
      await db.createCollection('bench');
      await measure('insert 20,000 docs in batches of 1,000', async () => {
        for (let b = 0; b < 20; b++) {
          await db.collection('bench').add({
            data: Array.from({ length: 1000 }, (_, i) => ({
              building: String((b % 5) + 1),
              n: b * 1000 + i,
              fen: (b * 1000 + i) % 100_000,
            })),
          });
        }
      });
      await measure('filtered count over 20,000', async () => {
        await db
          .collection('bench')
          .where({ fen: db.command.gt(50_000) })
          .count();
      });
      await measure('group by building, sum fen, over 20,000', async () => {
        await db
          .collection('bench')
          .aggregate()
          .group({ _id: '$building', total: db.command.aggregate.sum('$fen') })
          .end();
      });
      await db.collection('bench').add({ data: { _id: 'counter', v: 0 } });
      await measure('100 sequential transactions (read + update)', async () => {
        for (let i = 0; i < 100; i++) {
          await db.runTransaction(async (t) => {
            const doc = await t.collection('bench').doc('counter').get();
            await t
              .collection('bench')
              .doc('counter')
              .update({ data: { v: (doc.data as { v: number }).v + 1 } });
          });
        }
      });
    } finally {
      await cloud.close();
    }
    return results;
  },
};
