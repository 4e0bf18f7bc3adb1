/**
 * Reads an uploaded table file into cells: .xlsx through exceljs (whatever wrote it: Excel, WPS,
 * LibreOffice, Numbers) or CSV in UTF-8 (with or without BOM) or GB18030/GBK, which is what Excel
 * and WPS save "CSV" as on Chinese Windows. Used for roster imports, opening balances and bank
 * statements; each caller words the failure for its own page.
 */
import type ExcelJS from 'exceljs';
import { newWorkbook } from './excel';
import { fieldOfHeader, parseCsv, type Cell } from '../../miniprogram/domain/community/roster';

export type TableFormat = 'xlsx' | 'csv';

/** The file cannot be read as a table; the message says why, in words for the uploader. */
export class UnreadableFile extends Error {}

export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface ReadTable {
  format: TableFormat;
  table: Cell[][];
  sheetName?: string;
}

export interface ReadOptions {
  /** What to say about a file over 10 MB. */
  tooBig: string;
  /** What to say about an .xlsx exceljs cannot open (default: its reason, and to save again). */
  unreadableXlsx?: string;
  /** Refuse Excel 97-2003 (.xls) by name instead of reading it as text (default true). */
  refuseXls?: boolean;
  /** Pick the first sheet with a roster header row (default: the first sheet with data). */
  rosterHeader?: boolean;
}

function isZip(bytes: Buffer): boolean {
  return (
    bytes.length > 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    bytes[2] === 0x03 &&
    bytes[3] === 0x04
  );
}

function isOle(bytes: Buffer): boolean {
  return (
    bytes.length > 8 && bytes.readUInt32BE(0) === 0xd0cf11e0 && bytes.readUInt32BE(4) === 0xa1b11ae1
  );
}

export async function readTableFile(bytes: Buffer, opts: ReadOptions): Promise<ReadTable> {
  if (bytes.length === 0) throw new UnreadableFile('文件是空的');
  if (bytes.length > MAX_FILE_BYTES) throw new UnreadableFile(opts.tooBig);
  if ((opts.refuseXls ?? true) && isOle(bytes)) {
    throw new UnreadableFile('不支持 Excel 97-2003 (.xls) 格式，请另存为 .xlsx 或 CSV 后再上传');
  }
  if (isZip(bytes)) return readXlsx(bytes, opts);
  return { format: 'csv', table: parseCsv(decodeText(bytes)) };
}

/** UTF-8 when it decodes cleanly, else GB18030 (a superset of GBK and GB2312). */
export function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    try {
      return new TextDecoder('gb18030').decode(bytes);
    } catch {
      throw new UnreadableFile('无法识别文件编码，请以 UTF-8 或 GBK 编码保存 CSV');
    }
  }
}

async function readXlsx(bytes: Buffer, opts: ReadOptions): Promise<ReadTable> {
  const wb = newWorkbook();
  try {
    // exceljs's typings predate Node's generic Buffer<ArrayBufferLike>.
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    throw new UnreadableFile(
      opts.unreadableXlsx ??
        `无法读取该 .xlsx 文件（${(e as Error).message.slice(0, 80)}），请用 Excel/WPS 重新另存后上传`,
    );
  }
  const sheets = wb.worksheets.filter((ws) => ws.actualRowCount > 0);
  if (sheets.length === 0) throw new UnreadableFile('工作簿中没有数据');
  if (!opts.rosterHeader) return { format: 'xlsx', table: sheetTable(sheets[0]!) };
  const tables = sheets.map((ws) => ({ ws, table: sheetTable(ws) }));
  // The first sheet that has a recognisable header row; else the first sheet with data.
  const chosen = tables.find((t) => hasHeader(t.table)) ?? tables[0]!;
  return { format: 'xlsx', table: chosen.table, sheetName: chosen.ws.name };
}

function hasHeader(table: Cell[][]): boolean {
  return table.slice(0, 10).some((row) => row.filter((c) => fieldOfHeader(c) !== null).length >= 3);
}

function sheetTable(ws: ExcelJS.Worksheet): Cell[][] {
  const table: Cell[][] = [];
  const rows = ws.rowCount;
  for (let r = 1; r <= rows; r++) {
    const row = ws.getRow(r);
    const cells: Cell[] = [];
    const count = row.cellCount;
    for (let c = 1; c <= count; c++) cells.push(cellValue(row.getCell(c).value));
    table.push(cells);
  }
  return table;
}

/** exceljs cell values → plain cells; dates as YYYY-MM-DD (exceljs reads them as UTC). */
export function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((t) => t.text).join('');
    if ('formula' in v || 'sharedFormula' in v || 'result' in v) {
      return cellValue((v as { result?: ExcelJS.CellValue }).result ?? null);
    }
    if ('text' in v && typeof (v as { text: unknown }).text === 'string')
      return (v as { text: string }).text;
    if ('error' in v) return null;
  }
  return String(v);
}
