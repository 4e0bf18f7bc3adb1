/**
 * The spaces spreadsheet (车位与储藏室), the same path as the room roster: a header row anywhere in
 * the first ten rows, columns by name (several spellings each), every row checked before
 * anything is written, and any problem rejects the whole file with a per-row report. Pure: the
 * `community` function supplies the rooms and people on record as lookups.
 */
import { parseAreaCentiM2, formatAreaCentiM2 } from './area';
import {
  type Cell,
  normaliseBuilding,
  normaliseHeader,
  normaliseRoomNumber,
  normaliseUnit,
  parseDateCell,
} from './roster';
import {
  SPACE_KIND_LABELS,
  SPACE_NUMBER_PATTERN,
  type SpaceKind,
  holdingProblem,
  normaliseSpaceNumber,
  parsePlates,
} from './spaces';

export type SpaceField =
  | 'number'
  | 'zone'
  | 'kind'
  | 'area'
  | 'building'
  | 'unit'
  | 'room'
  | 'holder'
  | 'plates'
  | 'startDate'
  | 'endDate';

export interface SpaceColumn {
  field: SpaceField;
  header: string;
  aliases: readonly string[];
  required: boolean;
}

/** The sheet's columns in the order the template and the export write them. */
export const SPACE_COLUMNS: readonly SpaceColumn[] = [
  {
    field: 'number',
    header: '编号',
    aliases: ['车位号', '车位编号', '储藏室号', '编号'],
    required: true,
  },
  { field: 'zone', header: '区域', aliases: ['位置', '所在区域', '楼层区域'], required: false },
  { field: 'kind', header: '类型', aliases: ['车位类型', '性质'], required: true },
  { field: 'area', header: '面积(㎡)', aliases: ['面积', '建筑面积'], required: false },
  { field: 'building', header: '楼栋', aliases: ['楼号', '栋'], required: false },
  { field: 'unit', header: '单元', aliases: ['单元号'], required: false },
  { field: 'room', header: '房号', aliases: ['房间号', '门牌号'], required: false },
  { field: 'holder', header: '使用人', aliases: ['业主姓名', '持有人', '承租人'], required: false },
  { field: 'plates', header: '车牌', aliases: ['车牌号', '车牌号码'], required: false },
  {
    field: 'startDate',
    header: '起始日期',
    aliases: ['开始日期', '起租日期', '起始日'],
    required: false,
  },
  {
    field: 'endDate',
    header: '结束日期',
    aliases: ['到期日期', '终止日期', '截止日期'],
    required: false,
  },
];

const KIND_WORDS: Record<string, SpaceKind> = {
  产权车位: 'owned',
  产权: 'owned',
  自有车位: 'owned',
  已购车位: 'owned',
  owned: 'owned',
  月租车位: 'rented',
  月租: 'rented',
  租赁车位: 'rented',
  租用: 'rented',
  rented: 'rented',
  储藏室: 'storeroom',
  储物间: 'storeroom',
  杂物间: 'storeroom',
  storeroom: 'storeroom',
};

const HEADERS = new Map<string, SpaceField>();
for (const col of SPACE_COLUMNS) {
  for (const name of [col.header, ...col.aliases]) HEADERS.set(normaliseHeader(name), col.field);
}

/** One row as it will be stored (the holder resolved to a room and a person on record). */
export interface SpaceRow {
  row: number;
  number: string;
  zone: string;
  kind: SpaceKind;
  areaCentiM2: number | null;
  holderRoomId: string | null;
  holderOwnerId: string | null;
  plates: string[];
  startDate: string | null;
  endDate: string | null;
}

export interface SpaceRowError {
  /** 1-based row of the sheet. */
  row: number;
  column: string | null;
  message: string;
}

/** What the sheet needs to know of the community's records. */
export interface SpaceSheetLookups {
  /** Room id of building + unit + number, or undefined. */
  roomOf(building: string, unit: string, number: string): string | undefined;
  /** The people currently on record for a room (owner first). */
  peopleOf(roomId: string): readonly { ownerId: string; name: string }[];
}

export interface SpaceSheet {
  rows: SpaceRow[];
  errors: SpaceRowError[];
  fileErrors: string[];
}

function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  return String(cell).normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/** Finds the header row (first ten rows) and the column of each field. */
function headerOf(
  table: readonly Cell[][],
): { index: number; columns: Map<SpaceField, number> } | null {
  for (let i = 0; i < Math.min(10, table.length); i++) {
    const columns = new Map<SpaceField, number>();
    table[i]!.forEach((cell, c) => {
      const field = HEADERS.get(normaliseHeader(cell));
      if (field && !columns.has(field)) columns.set(field, c);
    });
    if (columns.has('number') && columns.has('kind')) return { index: i, columns };
  }
  return null;
}

/** Reads and checks every row; `rows` is only complete when there are no errors. */
export function readSpaceSheet(table: readonly Cell[][], lookups: SpaceSheetLookups): SpaceSheet {
  const header = headerOf(table);
  if (!header) {
    return {
      rows: [],
      errors: [],
      fileErrors: ['找不到表头：需要“编号”和“类型”两列（可下载模板对照）'],
    };
  }
  const rows: SpaceRow[] = [];
  const errors: SpaceRowError[] = [];
  const seen = new Map<string, number>();
  for (let i = header.index + 1; i < table.length; i++) {
    const cells = table[i]!;
    const get = (f: SpaceField): Cell => {
      const c = header.columns.get(f);
      return c === undefined ? null : cells[c];
    };
    if ([...header.columns.values()].every((c) => cellText(cells[c]) === '')) continue;
    const rowNo = i + 1;
    const fail = (field: SpaceField | null, message: string) =>
      errors.push({
        row: rowNo,
        column: field ? SPACE_COLUMNS.find((c) => c.field === field)!.header : null,
        message,
      });
    const before = errors.length;
    const number = normaliseSpaceNumber(cellText(get('number')));
    if (number === '') fail('number', '缺少编号');
    else if (!SPACE_NUMBER_PATTERN.test(number))
      fail('number', `编号“${number}”只能含字母、数字和 -`);
    else if (seen.has(number)) fail('number', `编号 ${number} 与第 ${seen.get(number)} 行重复`);
    else seen.set(number, rowNo);
    const kindText = cellText(get('kind'));
    const kind = KIND_WORDS[kindText] ?? KIND_WORDS[kindText.toLowerCase()];
    if (!kind) {
      fail(
        'kind',
        `类型应为 ${Object.values(SPACE_KIND_LABELS).join('、')}${kindText ? `，而不是“${kindText}”` : ''}`,
      );
    }
    let areaCentiM2: number | null = null;
    const areaCell = get('area');
    if (cellText(areaCell) !== '') {
      const parsed = parseAreaCentiM2(typeof areaCell === 'number' ? areaCell : cellText(areaCell));
      if (parsed.ok) areaCentiM2 = parsed.centiM2;
      else fail('area', '面积应为大于 0 的数字，最多两位小数');
    }
    const b = normaliseBuilding(get('building'));
    const u = normaliseUnit(get('unit'));
    const r = normaliseRoomNumber(get('room'));
    let holderRoomId: string | null = null;
    let holderOwnerId: string | null = null;
    const holderName = cellText(get('holder'));
    if (b !== '' || u !== '' || r !== '') {
      if (b === '' || u === '' || r === '') {
        fail(
          b === '' ? 'building' : u === '' ? 'unit' : 'room',
          '使用人房屋需同时填写楼栋、单元和房号',
        );
      } else {
        holderRoomId = lookups.roomOf(b, u, r) ?? null;
        if (!holderRoomId) fail('room', `没有 ${b}栋${u}单元${r} 这间房屋`);
      }
    } else if (holderName !== '') {
      fail('room', '填写了使用人，请同时填写其房屋（楼栋、单元、房号）');
    }
    if (holderRoomId) {
      const people = lookups.peopleOf(holderRoomId);
      const person = holderName === '' ? people[0] : people.find((p) => p.name === holderName);
      if (!person) {
        fail(
          'holder',
          holderName === ''
            ? '该房屋没有登记在册的业主，请先登记或填写使用人'
            : `“${holderName}”不是该房屋登记在册的人员`,
        );
      } else holderOwnerId = person.ownerId;
    }
    const { plates, invalid } = parsePlates(cellText(get('plates')));
    if (invalid.length > 0) fail('plates', `车牌“${invalid.join('、')}”格式不正确`);
    if (plates.length > 5) fail('plates', '一个车位最多登记 5 个车牌');
    const dates: Record<'startDate' | 'endDate', string | null> = {
      startDate: null,
      endDate: null,
    };
    for (const f of ['startDate', 'endDate'] as const) {
      const cell = get(f);
      if (cellText(cell) === '') continue;
      dates[f] = parseDateCell(cell);
      if (dates[f] === null) fail(f, '日期格式不正确（如 2026-12-01）');
    }
    const problem = holdingProblem({ holderRoomId, ...dates });
    if (problem) fail(problem.field as SpaceField, problem.message);
    if (errors.length > before || !kind) continue;
    rows.push({
      row: rowNo,
      number,
      zone: cellText(get('zone')).slice(0, 30),
      kind,
      areaCentiM2,
      holderRoomId,
      holderOwnerId,
      plates,
      ...dates,
    });
  }
  if (rows.length === 0 && errors.length === 0) {
    return { rows, errors, fileErrors: ['表格中没有车位或储藏室'] };
  }
  return { rows, errors, fileErrors: [] };
}

/** The sheet's cells of a stored space (export and template example), in column order. */
export function spaceSheetCells(space: {
  number: string;
  zone: string;
  kind: SpaceKind;
  areaCentiM2: number | null;
  room: { building: string; unit: string; number: string } | null;
  holderName: string;
  plates: string;
  startDate: string | null;
  endDate: string | null;
}): string[] {
  return [
    space.number,
    space.zone,
    SPACE_KIND_LABELS[space.kind],
    space.areaCentiM2 === null ? '' : formatAreaCentiM2(space.areaCentiM2),
    space.room?.building ?? '',
    space.room?.unit ?? '',
    space.room?.number ?? '',
    space.holderName,
    space.plates,
    space.startDate ?? '',
    space.endDate ?? '',
  ];
}
