/** Small helpers of the reconcile function: community, files, dates, chunked reads. */
import cloud from 'wx-server-sdk';
import ExcelJS from 'exceljs';
import { parseCsv, type Cell } from '../../../miniprogram/domain/community/roster';
import { fetchAll, isMissing } from '../../_shared/db';
import { AppError, type ActionContext } from '../../_shared/router';

export interface CommunityDoc {
  _id: string;
  name: string;
  payment?: { subMchId?: string };
}

export async function community(ctx: ActionContext, communityId: string): Promise<CommunityDoc> {
  try {
    return (await ctx.db.collection('communities').doc(communityId).get()).data as CommunityDoc;
  } catch (e) {
    if (isMissing(e)) throw new AppError('NOT_FOUND', 'communityId: 小区不存在');
    throw e;
  }
}

/** [start, end) of a Shanghai calendar day as instants. */
export function dayRange(date: string): { start: Date; end: Date } {
  const start = new Date(`${date}T00:00:00+08:00`);
  return { start, end: new Date(start.getTime() + 86_400_000) };
}

/** Reads `where` with `field in ids`, 100 ids a query (bounded request size). */
export async function fetchIn<T>(
  ctx: ActionContext,
  collection: string,
  field: string,
  ids: readonly string[],
  extra: Record<string, unknown> = {},
): Promise<T[]> {
  const _ = ctx.db.command;
  const out: T[] = [];
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 100) {
    out.push(
      ...(await fetchAll<T>(
        ctx.db.collection(collection).where({ ...extra, [field]: _.in(unique.slice(i, i + 100)) }),
      )),
    );
  }
  return out;
}

/**
 * Statement files are uploaded under `recon/<communityId>/` (the page does so): a file of another
 * community's folder is refused, so nobody reads a neighbour's bank statement by its file id.
 */
export async function download(fileID: string, communityId: string): Promise<Buffer> {
  const cloudPath = fileID.replace(/^cloud:\/\/[^/]+\//, '');
  if (!cloudPath.startsWith(`recon/${communityId}/`) || cloudPath.includes('..')) {
    throw new AppError(
      'INVALID_INPUT',
      `fileID: 请将文件上传到本小区的对账目录（recon/${communityId}/）`,
    );
  }
  try {
    return (await cloud.downloadFile({ fileID })).fileContent;
  } catch {
    throw new AppError('NOT_FOUND', 'fileID: 找不到上传的文件，可能已过期，请重新上传');
  }
}

/** UTF-8 when it decodes cleanly, else GB18030 (what Excel/WPS save "CSV" as in China). */
export function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function isZip(bytes: Buffer): boolean {
  return bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03;
}

function cellOf(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return cellOf((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in v && typeof (v as { text: unknown }).text === 'string')
      return (v as { text: string }).text;
    if ('error' in v) return null;
  }
  return String(v);
}

export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** A bank statement file (.xlsx: first sheet with data; CSV in UTF-8 or GBK) as a table. */
export async function readTable(bytes: Buffer): Promise<Cell[][]> {
  if (bytes.length === 0) throw new AppError('INVALID_INPUT', 'fileID: 文件是空的');
  if (bytes.length > MAX_FILE_BYTES)
    throw new AppError('INVALID_INPUT', 'fileID: 文件超过 10 MB，请按日期拆分后再导入');
  if (!isZip(bytes)) return parseCsv(decodeText(bytes));
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new AppError(
      'INVALID_INPUT',
      'fileID: 无法读取该 .xlsx 文件，请用 Excel/WPS 另存后再上传',
    );
  }
  const ws = wb.worksheets.find((w) => w.actualRowCount > 0);
  if (!ws) throw new AppError('INVALID_INPUT', 'fileID: 工作簿中没有数据');
  const table: Cell[][] = [];
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cells: Cell[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellOf(row.getCell(c).value));
    table.push(cells);
  }
  return table;
}
