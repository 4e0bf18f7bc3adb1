/**
 * backup: the daily export of every collection to cloud storage (compressed NDJSON, one file per
 * collection per day, a manifest with counts and sha256 checksums), kept as many days as the
 * settings say, and the list admins see. The timer (`actions/run.ts`) does the work; no client
 * can start one or read a backup's files (storage.rules.json grants nothing under `backups/`).
 * Restoring is `npm run backup -- restore` (tools/backup.ts). docs/backup.md.
 */
import cloud from 'wx-server-sdk';
import { backupContracts } from '../../../miniprogram/domain/backup/contract';
import { createRouter } from '../../_shared/router';
import { list } from './actions/list';
import { runBackup } from './actions/run';

const router = createRouter('backup', backupContracts, { list });

/** Timer deliveries run the backup; everything else goes through the action router. */
export async function main(event: unknown, context?: unknown): Promise<unknown> {
  const e = event as { Type?: string } | null;
  if (e && e.Type === 'Timer' && cloud.getWXContext().SOURCE === 'wx_trigger') return runBackup();
  return router(event, context);
}
