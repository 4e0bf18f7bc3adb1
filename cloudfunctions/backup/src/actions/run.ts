/**
 * The daily backup (timer every 20 minutes from 02:00 to 04:40, UTC+8: the 02:00 firing does the
 * work, the later ones resume it if it ran out of time and otherwise cost one read). Every declared
 * collection (but `backups`) is read in `_id` order, 1000 documents a request (the server
 * maximum), streamed into a gzip NDJSON file `backups/<date>/<collection>.ndjson.gz`, and its
 * count, size and sha256 recorded in the day's `backups` document as soon as it is stored; once
 * every collection is written, `manifest.json` goes beside the files and the day is done. Then
 * backups older than the kept days (settings: the longest any community asks for) are deleted,
 * files and record. docs/backup.md.
 *
 * A backup is not one snapshot: collections are read one after the other, at 02:00 when nobody
 * pays; `npm run ledger:check` on a restored copy says whether the books still balance.
 */
import cloud from 'wx-server-sdk';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import {
  BACKUP_COLLECTION,
  backupFilePath,
  expiredDays,
  manifestPath,
} from '../../../../miniprogram/domain/backup/rules';
import { NdjsonGzipWriter, sha256 } from '../../../_shared/backup-format';
import { fetchAll, type Database } from '../../../_shared/db';
import { pagesWhere } from '../../../_shared/paging';
import {
  BACKED_UP,
  deleteFiles,
  fileIdsOf,
  isDone,
  keepDays,
  leaseDay,
  manifestOf,
  releaseDay,
  type BackupDoc,
  type StoredBackupFile,
} from '../repo/backups';

/** What a timer delivery did (the function's return value, in its log). */
export interface BackupRunReport {
  date: string;
  /** true once the day's backup is complete (now or by an earlier run). */
  done: boolean;
  /** another delivery holds the day: this one did nothing */
  busy: boolean;
  written: { collection: string; documents: number; bytes: number }[];
  deleted: string[];
}

/**
 * Starts no new collection after this long: the function's timeout is 60 s, and the largest
 * collection must still fit in what is left (docs/backup.md has the measured rate).
 */
const BUDGET_MS = 30_000;

async function exportCollection(
  db: Database,
  date: string,
  collection: string,
): Promise<StoredBackupFile> {
  const writer = new NdjsonGzipWriter();
  for await (const page of pagesWhere<{ _id: string }>({ db }, collection, {})) {
    await writer.write(page);
  }
  const bytes = await writer.close();
  const path = backupFilePath(date, collection);
  const up = await cloud.uploadFile({ cloudPath: path, fileContent: bytes });
  return {
    collection,
    documents: writer.documents,
    bytes: bytes.length,
    sha256: sha256(bytes),
    path,
    fileID: up.fileID,
  };
}

/** Deletes the days past the kept days: files first, then the record. */
async function prune(db: Database, today: string): Promise<string[]> {
  const keep = await keepDays(db);
  const docs = await fetchAll<BackupDoc>(db.collection(BACKUP_COLLECTION).where({}));
  const expired = new Set(
    expiredDays(
      docs.map((d) => d.date),
      today,
      keep,
    ),
  );
  for (const doc of docs.filter((d) => expired.has(d.date))) {
    await deleteFiles(fileIdsOf(doc));
    await db.collection(BACKUP_COLLECTION).doc(doc._id).remove();
  }
  return [...expired];
}

export async function runBackup(budgetMs = BUDGET_MS): Promise<BackupRunReport> {
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
  const db = cloud.database();
  const now = new Date();
  const stopAt = Date.now() + budgetMs;
  const date = shanghaiDate(now);
  const report: BackupRunReport = { date, done: false, busy: false, written: [], deleted: [] };
  if (await isDone(db, date)) return { ...report, done: true };
  const doc = await leaseDay(db, date, now);
  if (!doc) return { ...report, busy: true };
  const _ = db.command;
  for (const name of BACKED_UP) {
    if (doc.files[name]) continue;
    if (Date.now() >= stopAt) break;
    const file = await exportCollection(db, date, name);
    await db
      .collection(BACKUP_COLLECTION)
      .doc(doc._id)
      .update({ data: { [`files.${name}`]: _.set(file) } });
    doc.files[name] = file;
    report.written.push({ collection: name, documents: file.documents, bytes: file.bytes });
  }
  if (BACKED_UP.every((name) => doc.files[name])) {
    const finishedAt = new Date();
    const manifest = manifestOf(doc, finishedAt);
    const up = await cloud.uploadFile({
      cloudPath: manifestPath(date),
      fileContent: Buffer.from(JSON.stringify(manifest, null, 2)),
    });
    await db
      .collection(BACKUP_COLLECTION)
      .doc(doc._id)
      .update({
        data: { status: 'done', finishedAt, manifestFileID: up.fileID, leaseUntil: finishedAt },
      });
    report.done = true;
    report.deleted = await prune(db, date);
  } else {
    await releaseDay(db, doc._id, new Date());
  }
  return report;
}
