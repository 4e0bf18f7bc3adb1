/**
 * Opening balances (期初欠费 / 期初预存) from a spreadsheet: columns 楼栋, 单元, 房号, 金额（元）
 * and an optional 备注, in any order, header in one of the first ten rows. Amounts are yuan with
 * at most two decimals (Excel numbers or text such as "¥1,234.50"). Pure: the fee function reads
 * the file into cells and resolves the rooms.
 */
import { parseYuan, type Fen } from '../kernel/money';
import {
  normaliseBuilding,
  normaliseHeader,
  normaliseRoomNumber,
  normaliseUnit,
  type Cell,
} from '../community/roster';

/** At most this many rooms per file (what one importOpening call takes). */
export const MAX_OPENING_ROWS = 500;

type Column = 'building' | 'unit' | 'number' | 'amount' | 'note';

const HEADERS: Record<Column, string[]> = {
  building: ['楼栋', '楼号', '栋', '楼栋号'],
  unit: ['单元', '单元号'],
  number: ['房号', '室号', '房间号', '门牌号'],
  amount: ['金额', '金额元', '欠费金额', '预存金额', '期初欠费', '期初预存', '期初金额'],
  note: ['备注', '说明'],
};

const INDEX = new Map<string, Column>(
  (Object.entries(HEADERS) as [Column, string[]][]).flatMap(([col, names]) =>
    names.map((n) => [normaliseHeader(n), col] as [string, Column]),
  ),
);

function columnOf(cell: Cell): Column | null {
  const h = normaliseHeader(cell).replace(/[元¥￥]$/, '');
  return INDEX.get(h) ?? INDEX.get(normaliseHeader(cell)) ?? null;
}

export interface OpeningFileRow {
  /** Line in the file (1-based, as a spreadsheet shows it). */
  line: number;
  building: string;
  unit: string;
  number: string;
  amountFen: Fen;
  note?: string;
}

export interface OpeningFileError {
  /** Line in the file; 0 for the file as a whole. */
  line: number;
  message: string;
}

function isBlank(c: Cell): boolean {
  return c === null || c === undefined || String(c).trim() === '';
}

/** An amount cell in yuan → fen; null with a reason when it is not a positive amount. */
export function amountCell(c: Cell): { fen: Fen } | { error: string } {
  if (typeof c === 'number') {
    if (!Number.isFinite(c)) return { error: '金额不是数字' };
    const cents = c * 100;
    if (Math.abs(cents - Math.round(cents)) > 1e-6) return { error: '金额最多两位小数' };
    if (Math.round(cents) <= 0) return { error: '金额须大于 0' };
    return { fen: Math.round(cents) };
  }
  const t = String(c ?? '')
    .normalize('NFKC')
    .replace(/[\s,¥￥元]/g, '');
  if (t === '') return { error: '请填写金额' };
  try {
    const fen = parseYuan(t);
    return fen > 0 ? { fen } : { error: '金额须大于 0' };
  } catch {
    return { error: `金额“${String(c)}”格式不正确，请填写如 1234.50` };
  }
}

export function parseOpeningTable(table: Cell[][]): {
  rows: OpeningFileRow[];
  errors: OpeningFileError[];
} {
  const headerAt = table.slice(0, 10).findIndex((row) => {
    const cols = new Set(row.map(columnOf));
    return cols.has('building') && cols.has('unit') && cols.has('number') && cols.has('amount');
  });
  if (headerAt < 0) {
    return {
      rows: [],
      errors: [{ line: 0, message: '未找到表头：请包含“楼栋、单元、房号、金额（元）”四列' }],
    };
  }
  const at = new Map<Column, number>();
  table[headerAt]!.forEach((c, i) => {
    const col = columnOf(c);
    if (col && !at.has(col)) at.set(col, i);
  });
  const rows: OpeningFileRow[] = [];
  const errors: OpeningFileError[] = [];
  for (let r = headerAt + 1; r < table.length; r++) {
    const cells = table[r] ?? [];
    const get = (col: Column) => (at.has(col) ? cells[at.get(col)!] : undefined);
    if ((['building', 'unit', 'number', 'amount'] as Column[]).every((c) => isBlank(get(c))))
      continue;
    const line = r + 1;
    const missing = (['building', 'unit', 'number'] as Column[]).filter((c) => isBlank(get(c)));
    if (missing.length) {
      const names = { building: '楼栋', unit: '单元', number: '房号' } as Record<Column, string>;
      errors.push({ line, message: `请填写${missing.map((m) => names[m]).join('、')}` });
      continue;
    }
    const amount = amountCell(get('amount'));
    if ('error' in amount) {
      errors.push({ line, message: amount.error });
      continue;
    }
    const note = isBlank(get('note')) ? undefined : String(get('note')).trim().slice(0, 100);
    rows.push({
      line,
      building: normaliseBuilding(get('building')),
      unit: normaliseUnit(get('unit')),
      number: normaliseRoomNumber(get('number')),
      amountFen: amount.fen,
      ...(note ? { note } : {}),
    });
  }
  if (rows.length + errors.length === 0) {
    errors.push({ line: 0, message: '文件中没有数据行' });
  }
  if (rows.length > MAX_OPENING_ROWS) {
    errors.push({
      line: 0,
      message: `一次最多导入 ${MAX_OPENING_ROWS} 户，本文件有 ${rows.length} 户，请拆分后分批导入`,
    });
  }
  return { rows, errors };
}
