/**
 * Last night's backup for the demo (`npm start`): the `backup` function's own timer run, with the
 * dev clock at 02:00 today for the length of the run, so 数据备份 lists a complete backup and
 * `npm run backup -- restore <today> --from http://127.0.0.1:8787 --url <a fresh local cloud>`
 * works at once. It runs after every other seed: it backs up what they made.
 */
import { shanghaiDate } from '../../miniprogram/domain/kernel/time';
import type { SeedContext } from '../cloud/server';

export async function seedLastNightsBackup(ctx: SeedContext): Promise<void> {
  const offset = ctx.clock.offset;
  const today = shanghaiDate(new Date(ctx.clock.now()));
  ctx.clock.set(Date.parse(`${today}T02:00:00+08:00`));
  try {
    const res = await fetch(`${ctx.url}/dev/timers/backup`, { method: 'POST' });
    const report = (await res.json()) as { result?: { done?: boolean } };
    if (!res.ok || !report.result?.done) {
      throw new Error(`[seed backups] the backup did not complete: ${JSON.stringify(report)}`);
    }
  } finally {
    ctx.clock.set(Date.now() + offset);
  }
}
