/**
 * The `backups` collection: one document per day (`bk_<date>`), the manifest of that day's files
 * as they are written, with a lease so a repeated timer delivery never writes the same files at
 * the same time as the first.
 */
import cloud from 'wx-server-sdk';
import { DEFAULT_SETTINGS } from '../../../../miniprogram/domain/settings/defaults';
import {
  BACKUP_COLLECTION,
  backupDocId,
  keepDaysOf,
  type BackupFile,
  type BackupManifest,
} from '../../../../miniprogram/domain/backup/rules';
import type { BackupView } from '../../../../miniprogram/domain/backup/contract';
import { addDays } from '../../../../miniprogram/domain/kernel/time';
import { COLLECTIONS } from '../../../_shared/collections';
import { fetchAll, isDuplicate, type Database } from '../../../_shared/db';
import { iso } from '../../../_shared/records';

/** A file as the day's document keeps it: where it is in this environment too. */
export type StoredBackupFile = BackupFile & { fileID: string };

export interface BackupDoc {
  _id: string;
  date: string;
  envId: string;
  status: 'running' | 'done';
  startedAt: Date;
  finishedAt: Date | null;
  /** By collection name, so a repeated write of one collection replaces its entry. */
  files: Record<string, StoredBackupFile>;
  manifestFileID: string | null;
  /** Until then one run owns the day (longer than the function's timeout). */
  leaseUntil: Date;
}

/** Every declared collection except the one describing the backups. */
export const BACKED_UP = COLLECTIONS.map((c) => c.name).filter((n) => n !== BACKUP_COLLECTION);

/** A run owns the day this long: more than the function's 60 s timeout. */
const LEASE_MS = 90_000;

/**
 * The day's document (created on the first run) if this run may work on it: it takes the lease
 * with a conditional update, so of two deliveries at once only one writes. null: another run
 * holds it.
 */
export async function leaseDay(db: Database, date: string, now: Date): Promise<BackupDoc | null> {
  const id = backupDocId(date);
  const fresh: BackupDoc = {
    _id: id,
    date,
    envId: process.env.TCB_ENV ?? '',
    status: 'running',
    startedAt: now,
    finishedAt: null,
    files: {},
    manifestFileID: null,
    leaseUntil: new Date(0),
  };
  try {
    await db.collection(BACKUP_COLLECTION).add({ data: fresh });
  } catch (e) {
    if (!isDuplicate(e)) throw e;
  }
  const _ = db.command;
  const taken = await db
    .collection(BACKUP_COLLECTION)
    .where({ _id: id, status: 'running', leaseUntil: _.lte(now) })
    .update({ data: { leaseUntil: new Date(now.getTime() + LEASE_MS) } });
  if (taken.stats.updated !== 1) return null;
  const res = await db.collection(BACKUP_COLLECTION).where({ _id: id }).limit(1).get();
  return (res.data[0] as BackupDoc | undefined) ?? null;
}

export async function releaseDay(db: Database, id: string, now: Date): Promise<void> {
  await db
    .collection(BACKUP_COLLECTION)
    .doc(id)
    .update({ data: { leaseUntil: now } });
}

/** Whether today's backup is already complete (a cheap check before anything else). */
export async function isDone(db: Database, date: string): Promise<boolean> {
  const res = await db
    .collection(BACKUP_COLLECTION)
    .where({ _id: backupDocId(date), status: 'done' })
    .count();
  return res.total > 0;
}

/** How long backups are kept: the longest any community's settings ask for. */
export async function keepDays(db: Database): Promise<number> {
  const communities = await fetchAll<{ backupKeepDays?: number }>(
    db.collection('communities').where({}).field({ backupKeepDays: true }),
  );
  return keepDaysOf(
    communities.map((c) => c.backupKeepDays),
    DEFAULT_SETTINGS.backupKeepDays,
  );
}

/** The manifest of a finished day, as the restore tool reads it. */
export function manifestOf(doc: BackupDoc, finishedAt: Date): BackupManifest {
  return {
    format: 'ndjson-gzip-v1',
    date: doc.date,
    envId: doc.envId,
    startedAt: iso(doc.startedAt) ?? '',
    finishedAt: finishedAt.toISOString(),
    files: BACKED_UP.map((name) => {
      const { fileID: _fileID, ...file } = doc.files[name]!;
      return file;
    }),
  };
}

/** Files of a day, the manifest included, for deletion. */
export function fileIdsOf(doc: BackupDoc): string[] {
  return [
    ...Object.values(doc.files ?? {}).map((f) => f.fileID),
    ...(doc.manifestFileID ? [doc.manifestFileID] : []),
  ];
}

/** CloudBase deletes at most 50 files a request. */
export async function deleteFiles(fileIDs: readonly string[]): Promise<void> {
  for (let i = 0; i < fileIDs.length; i += 50) {
    await cloud.deleteFile({ fileList: fileIDs.slice(i, i + 50) });
  }
}

export function backupView(doc: BackupDoc, keep: number): BackupView {
  const files = BACKED_UP.flatMap((name) => {
    const f = doc.files?.[name];
    return f
      ? [{ collection: f.collection, documents: f.documents, bytes: f.bytes, sha256: f.sha256 }]
      : [];
  });
  return {
    date: doc.date,
    status: doc.status,
    startedAt: iso(doc.startedAt),
    finishedAt: iso(doc.finishedAt),
    collections: files.length,
    documents: files.reduce((s, f) => s + f.documents, 0),
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    keptUntil: addDays(doc.date, keep - 1),
    files,
  };
}
