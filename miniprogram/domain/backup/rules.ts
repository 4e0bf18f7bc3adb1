/**
 * Daily backups (docs/backup.md): where each day's files live, which days are kept, and how the
 * manifest describes them. Pure: the `backup` function, the restore tool and the admin page use it.
 */
import { addDays } from '../kernel/time';

/** One collection's file in a backup: `backups/<date>/<collection>.ndjson.gz`. */
export interface BackupFile {
  collection: string;
  /** Documents in the file (lines of the NDJSON). */
  documents: number;
  /** Size of the compressed file. */
  bytes: number;
  /** sha256 of the compressed file, hex. */
  sha256: string;
  /** Where it is stored: the path in the bucket (the file id differs per environment). */
  path: string;
}

/** What `backups/<date>/manifest.json` holds, and the `backups` document records. */
export interface BackupManifest {
  /** The format of the files: NDJSON, one document a line, dates as `{"$date": "<ISO>"}`. */
  format: 'ndjson-gzip-v1';
  /** Beijing date the backup was taken. */
  date: string;
  /** The environment it was taken from. */
  envId: string;
  startedAt: string;
  finishedAt: string;
  files: BackupFile[];
}

/** The collection that records backups: never backed up itself (it describes the files). */
export const BACKUP_COLLECTION = 'backups';

export function backupDocId(date: string): string {
  return `bk_${date}`;
}

export function backupFolder(date: string): string {
  return `backups/${date}`;
}

export function backupFilePath(date: string, collection: string): string {
  return `${backupFolder(date)}/${collection}.ndjson.gz`;
}

export function manifestPath(date: string): string {
  return `${backupFolder(date)}/manifest.json`;
}

/**
 * How long backups are kept: the longest any community asks for (a backup holds every
 * community), the default when none has set it.
 */
export function keepDaysOf(settings: readonly (number | undefined)[], fallback: number): number {
  const set = settings.filter((d): d is number => Number.isInteger(d) && (d as number) > 0);
  return set.length === 0 ? fallback : Math.max(...set);
}

/** The first day still kept on `today` when backups are kept `keepDays` days (today counts). */
export function firstKeptDay(today: string, keepDays: number): string {
  return addDays(today, -(Math.max(1, keepDays) - 1));
}

/** The dates of `dates` to delete on `today`: older than the first kept day. */
export function expiredDays(dates: readonly string[], today: string, keepDays: number): string[] {
  const first = firstKeptDay(today, keepDays);
  return dates.filter((d) => d < first).sort();
}
