/** 数据备份: how a backup reads on the admin page (pure: no wx). */
import type { BackupList, BackupView } from '../../domain/backup/contract';
import { formatDateTime, formatShortDate } from '../../domain/kernel/time';

export interface BackupRow {
  date: string;
  title: string;
  statusText: string;
  done: boolean;
  summary: string;
  keptText: string;
  files: { collection: string; countText: string; sizeText: string; checksum: string }[];
}

export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function toBackupRow(b: BackupView, expected: number): BackupRow {
  const done = b.status === 'done';
  return {
    date: b.date,
    title: `${formatShortDate(b.date)}备份`,
    statusText: done
      ? `已完成 · ${b.finishedAt ? formatDateTime(b.finishedAt) : ''}`
      : `进行中（${b.collections}/${expected} 个集合）`,
    done,
    summary: `${b.collections} 个集合 · ${b.documents} 条记录 · ${sizeText(b.bytes)}`,
    keptText: `保留至 ${formatShortDate(b.keptUntil)}`,
    files: b.files.map((f) => ({
      collection: f.collection,
      countText: String(f.documents),
      sizeText: sizeText(f.bytes),
      checksum: f.sha256.slice(0, 12),
    })),
  };
}

export function toBackupRows(list: BackupList): BackupRow[] {
  return list.backups.map((b) => toBackupRow(b, list.collectionsExpected));
}
