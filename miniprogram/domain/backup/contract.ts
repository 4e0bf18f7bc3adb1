/**
 * The `backup` function's actions (docs/backup.md). The daily export itself runs on the
 * function's timer, not through an action: nothing a client sends can start, change or read a
 * backup's data; admins see the list of backups taken.
 */
import { communityId, contract, z } from '../kernel/contract';
import type { BackupFile } from './rules';

export type BackupStatus = 'running' | 'done';

export interface BackupView {
  date: string;
  status: BackupStatus;
  startedAt: string | null;
  finishedAt: string | null;
  /** Collections written so far (all of them once done). */
  collections: number;
  documents: number;
  bytes: number;
  /** The last day this backup is kept (then deleted by the daily run). */
  keptUntil: string;
  files: Omit<BackupFile, 'path'>[];
}

export interface BackupList {
  keepDays: number;
  /** Collections a complete backup holds. */
  collectionsExpected: number;
  backups: BackupView[];
}

export const backupContracts = {
  /** Admin: the backups taken and kept, newest first, with each file's count and checksum. */
  list: contract<BackupList>()(
    z.strictObject({
      communityId,
      limit: z._default(z.int().check(z.minimum(1), z.maximum(60)), 14),
    }),
    { idempotent: true },
  ),
};
