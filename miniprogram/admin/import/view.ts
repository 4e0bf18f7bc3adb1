/**
 * 房屋档案导入 view models: the preview report (file problems, errors by row, what the file would
 * add or change) and the apply result, as display rows. Personal values arrive masked.
 */
import type { TagType } from '../../utils/bill-view';
import type { ImportCounts, ImportReport, ImportResult } from '../../domain/community/contract';

/** Rows with errors shown on the page; the count says how many there are in all. */
export const MAX_ERROR_ROWS = 100;
/** Added/changed rooms listed on the page. */
export const MAX_CHANGES = 50;
/** WeChat chat files can be large; a roster of 50 000 rows is ~5 MB. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export interface ErrorRow {
  row: number;
  rowText: string;
  messages: string[];
}

export interface CountCell {
  key: string;
  label: string;
  value: number;
  tone: 'brand' | 'warn' | 'plain';
}

export interface ChangeView {
  key: string;
  rowText: string;
  roomLabel: string;
  statusText: string;
  tagType: TagType;
  fields: { field: string; before: string; after: string; hasBefore: boolean }[];
}

export interface ReportView {
  importId: string;
  valid: boolean;
  alreadyApplied: boolean;
  formatText: string;
  dataRows: number;
  fileErrors: string[];
  errorCount: number;
  errorRows: ErrorRow[];
  /** "仅列出前 100 行" when more rows have errors than are shown. */
  errorsNote: string;
  warnings: string[];
  counts: CountCell[];
  changes: ChangeView[];
  changesNote: string;
  /** Nothing would change: the records already match the file. */
  nothingToDo: boolean;
}

export function countCells(c: ImportCounts): CountCell[] {
  return [
    { key: 'added', label: '新增房屋', value: c.added, tone: 'brand' },
    { key: 'changed', label: '变更房屋', value: c.changed, tone: 'warn' },
    { key: 'unchanged', label: '无变化', value: c.unchanged, tone: 'plain' },
    { key: 'ownersAdded', label: '新增人员', value: c.ownersAdded, tone: 'brand' },
    { key: 'ownersChanged', label: '人员信息变更', value: c.ownersChanged, tone: 'warn' },
    {
      key: 'relations',
      label: '登记关系变动',
      value: c.relationsAdded + c.relationsEnded,
      tone: 'plain',
    },
  ];
}

function changesOf(c: ImportCounts): number {
  return (
    c.added + c.changed + c.ownersAdded + c.ownersChanged + c.relationsAdded + c.relationsEnded
  );
}

export function toReportView(r: ImportReport): ReportView {
  const byRow = new Map<number, string[]>();
  for (const e of r.errors) {
    const text = e.column ? `${e.column}：${e.message}` : e.message;
    const list = byRow.get(e.row) ?? [];
    list.push(text);
    byRow.set(e.row, list);
  }
  const rows = [...byRow.entries()].sort((a, b) => a[0] - b[0]);
  const errorRows = rows.slice(0, MAX_ERROR_ROWS).map(([row, messages]) => ({
    row,
    rowText: `第 ${row} 行`,
    messages,
  }));
  const shownErrors = errorRows.reduce((s, r) => s + r.messages.length, 0);
  const valid = r.status !== 'invalid' && r.fileErrors.length === 0 && r.errorCount === 0;
  const changes = r.changes.slice(0, MAX_CHANGES).map((c) => ({
    key: `${c.row}:${c.roomLabel}`,
    rowText: `第 ${c.row} 行`,
    roomLabel: c.roomLabel,
    statusText: c.status === 'added' ? '新增' : '变更',
    tagType: (c.status === 'added' ? 'success' : 'warning') as TagType,
    fields: c.fields.map((f) => ({
      field: f.field,
      before: f.before,
      after: f.after,
      hasBefore: c.status === 'changed' && f.before !== '',
    })),
  }));
  const allChanged = r.counts.added + r.counts.changed;
  return {
    importId: r.importId,
    valid,
    alreadyApplied: r.status === 'applied',
    formatText: r.format === 'csv' ? 'CSV 文件' : 'Excel 表格',
    dataRows: r.dataRows,
    fileErrors: r.fileErrors,
    errorCount: r.errorCount,
    errorRows,
    errorsNote:
      r.errorCount > shownErrors ? `以上列出 ${shownErrors} 处，共 ${r.errorCount} 处问题` : '',
    warnings: r.warnings,
    counts: countCells(r.counts),
    changes,
    changesNote:
      allChanged > changes.length
        ? `仅列出前 ${changes.length} 套，共 ${allChanged} 套房屋有变化`
        : '',
    nothingToDo: valid && changesOf(r.counts) === 0,
  };
}

export interface ResultView {
  replayed: boolean;
  counts: CountCell[];
}

export function toResultView(r: ImportResult): ResultView {
  return { replayed: r.replayed, counts: countCells(r.counts) };
}

/** The extension WeChat's file name ends with, if it is one the import reads. */
export function importFormatOf(name: string): 'xlsx' | 'csv' | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(String(name ?? ''))?.[1]?.toLowerCase();
  return ext === 'xlsx' || ext === 'csv' ? ext : null;
}

export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
