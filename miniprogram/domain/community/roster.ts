/**
 * The room/owner roster as staff keep it in a spreadsheet: column headers (with the spellings
 * Excel, WPS and LibreOffice users actually type), cell normalisation and the validation every
 * import runs on every row before anything is written. Pure: the cloud function reads the file
 * (xlsx or CSV) into a table of cells and hands it here.
 */
import { parseAreaCentiM2 } from './area';
import {
  floorFromNumber,
  OCCUPANCY_LABELS,
  ROOM_USE_LABELS,
  type Occupancy,
  type RoomUseType,
} from './vocabulary';

/** A cell as a reader hands it over: dates already as `YYYY-MM-DD` strings. */
export type Cell = string | number | boolean | null | undefined;

export const ROSTER_FIELDS = [
  'building',
  'unit',
  'number',
  'floor',
  'buildingArea',
  'innerArea',
  'useType',
  'occupancy',
  'moveInDate',
  'ownerName',
  'ownerMobile',
  'ownerIdNumber',
  'specialCare',
  'coOwnerName',
  'coOwnerMobile',
] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];

export interface RosterColumn {
  field: RosterField;
  /** The header our template and exports use. */
  header: string;
  /** Other spellings accepted (compared after normaliseHeader). */
  aliases: string[];
  required: boolean;
  /** What the template's note row says about the column. */
  hint: string;
}

export const ROSTER_COLUMNS: readonly RosterColumn[] = [
  {
    field: 'building',
    header: '楼栋',
    aliases: ['楼号', '栋', '栋号', '楼栋号', '幢', '幢号', '楼宇', '楼栋名称', '楼'],
    required: true,
    hint: '必填，须是已登记的楼栋，如 1 或 1栋',
  },
  {
    field: 'unit',
    header: '单元',
    aliases: ['单元号', '单元名称'],
    required: true,
    hint: '必填，如 1 或 1单元',
  },
  {
    field: 'number',
    header: '房号',
    aliases: ['房间号', '房间', '门牌号', '室号', '房号室', '户号'],
    required: true,
    hint: '必填，如 1502',
  },
  {
    field: 'floor',
    header: '楼层',
    aliases: ['层', '所在楼层', '层数'],
    required: false,
    hint: '选填，不填按房号推算',
  },
  {
    field: 'buildingArea',
    header: '建筑面积(㎡)',
    aliases: ['建筑面积', '面积', '产权面积'],
    required: true,
    hint: '必填，平方米，最多两位小数',
  },
  {
    field: 'innerArea',
    header: '套内面积(㎡)',
    aliases: ['套内面积', '套内建筑面积', '使用面积'],
    required: false,
    hint: '选填，不大于建筑面积',
  },
  {
    field: 'useType',
    header: '用途',
    aliases: ['房屋用途', '房屋类型', '使用性质', '房屋性质', '性质', '类型'],
    required: false,
    hint: `选填：${Object.values(ROOM_USE_LABELS).join('/')}，默认住宅`,
  },
  {
    field: 'occupancy',
    header: '状态',
    aliases: ['房屋状态', '入住状态', '居住状态', '使用状态'],
    required: false,
    hint: `选填：${Object.values(OCCUPANCY_LABELS).join('/')}，默认已入住`,
  },
  {
    field: 'moveInDate',
    header: '入住日期',
    aliases: ['入住时间', '交房日期', '交付日期', '收房日期'],
    required: false,
    hint: '选填，如 2021-05-01',
  },
  {
    field: 'ownerName',
    header: '业主姓名',
    aliases: ['业主', '姓名', '业主名称', '产权人', '产权人姓名'],
    required: false,
    hint: '选填；填写时须同时填手机号',
  },
  {
    field: 'ownerMobile',
    header: '手机号',
    aliases: [
      '手机',
      '手机号码',
      '联系电话',
      '电话',
      '业主电话',
      '业主手机',
      '业主手机号',
      '联系方式',
    ],
    required: false,
    hint: '11 位手机号',
  },
  {
    field: 'ownerIdNumber',
    header: '身份证号',
    aliases: ['身份证', '身份证号码', '证件号码', '证件号', '业主身份证号'],
    required: false,
    hint: '选填，18 位；单元格请设为文本',
  },
  {
    field: 'specialCare',
    header: '特殊关怀',
    aliases: ['关怀对象', '特殊关怀对象', '是否特殊关怀', '特殊群体', '关怀'],
    required: false,
    hint: '选填：是/否，或写明情况（如 独居老人）',
  },
  {
    field: 'coOwnerName',
    header: '共有人姓名',
    aliases: ['共有人', '共同业主', '共同产权人'],
    required: false,
    hint: '选填',
  },
  {
    field: 'coOwnerMobile',
    header: '共有人手机号',
    aliases: ['共有人手机', '共有人电话', '共有人联系电话'],
    required: false,
    hint: '填写共有人时必填',
  },
];

/**
 * Columns our export adds for reading, and columns people commonly keep: ignored without a
 * warning when the file is imported again.
 */
export const QUIET_HEADERS: readonly string[] = [
  '序号',
  '编号',
  '备注',
  '其他登记人员',
  '已认证绑定',
];

/** The upper bound of data rows in one file (20,000 rooms is the benchmark; twice that fits). */
export const MAX_ROSTER_ROWS = 50_000;

/**
 * Normalises a header for matching: full-width to half-width (NFKC, which also turns ㎡ into
 * "m2"), no spaces, no required-marks, no unit suffix in brackets or after a slash.
 */
export function normaliseHeader(header: Cell): string {
  if (header === null || header === undefined) return '';
  return String(header)
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[*＊:：]/g, '')
    .replace(/[([{【][^)\]}】]*[)\]}】]/g, '')
    .replace(/\/?(m2|m²|平方米|平米|元)$/i, '')
    .toLowerCase();
}

const HEADER_INDEX: Map<string, RosterField> = (() => {
  const map = new Map<string, RosterField>();
  for (const col of ROSTER_COLUMNS) {
    for (const name of [col.header, ...col.aliases]) map.set(normaliseHeader(name), col.field);
  }
  return map;
})();

const QUIET = new Set(QUIET_HEADERS.map((h) => normaliseHeader(h)));

export function fieldOfHeader(header: Cell): RosterField | null {
  return HEADER_INDEX.get(normaliseHeader(header)) ?? null;
}

export function columnOf(field: RosterField): RosterColumn {
  return ROSTER_COLUMNS.find((c) => c.field === field)!;
}

// ------------------------------------------------------------------------------------ CSV

/**
 * RFC 4180 CSV: quoted fields with doubled quotes and line breaks inside, CRLF or LF, a leading
 * BOM. The delimiter is a comma, or a tab when the first line has tabs and no commas.
 */
export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = src.slice(0, src.search(/\r?\n|$/));
  const delim = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === delim) {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// ------------------------------------------------------------------------------------ cells

function text(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return String(cell);
  return String(cell).normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/** Free text (names, notes) as typed: only whitespace tidied, no width folding. */
function rawText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  return String(cell).replace(/\s+/g, ' ').trim();
}

function isBlank(cell: Cell): boolean {
  return text(cell) === '';
}

/** "1", "1栋", "1号楼", "01幢", "1#" → "1"; "A座" → "A". */
export function normaliseBuilding(cell: Cell): string {
  const t = text(cell).replace(/\s+/g, '');
  const m = /^([A-Za-z0-9]+)(栋|幢|座|号楼|#|号)?$/.exec(t);
  if (!m) return t;
  return /^\d+$/.test(m[1]!) ? String(Number(m[1])) : m[1]!.toUpperCase();
}

/** "1", "1单元", "01" → "1". */
export function normaliseUnit(cell: Cell): string {
  const t = text(cell).replace(/\s+/g, '');
  const m = /^([A-Za-z0-9]+)(单元)?$/.exec(t);
  if (!m) return t;
  return /^\d+$/.test(m[1]!) ? String(Number(m[1])) : m[1]!.toUpperCase();
}

/** "1502", "1502室", "1502号" → "1502"; leading zeros of an all-digit number dropped. */
export function normaliseRoomNumber(cell: Cell): string {
  const t = text(cell)
    .replace(/\s+/g, '')
    .replace(/(室|号|房)$/, '');
  if (/^\d+$/.test(t)) return String(Number(t));
  return t.toUpperCase();
}

/** Mainland mobile numbers: 11 digits starting 13–19; "+86", spaces and dashes dropped. */
export function normaliseMobile(cell: Cell): string | null {
  const t = text(cell).replace(/[\s\-()]/g, '');
  const digits = t.replace(/^(\+?86)(?=1\d{10}$)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The GB 11643 check character for the first 17 digits of an ID number. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/** An 18-character resident ID number with a valid birth date and check character. */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isRealDate(birth)) return false;
  return idNumberCheckChar(id.slice(0, 17)) === id[17];
}

function isRealDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  return (
    back.getUTCFullYear() === y &&
    back.getUTCMonth() === mo - 1 &&
    back.getUTCDate() === d &&
    y >= 1900 &&
    y <= 2100
  );
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * A date as spreadsheets hold it: "2021-05-01", "2021/5/1", "2021.5.1", "2021年5月1日", or an
 * Excel serial day number. Returns `YYYY-MM-DD`, or null when it is not a real date.
 */
export function parseDateCell(cell: Cell): string | null {
  if (typeof cell === 'number') {
    if (!Number.isInteger(cell) || cell < 1 || cell > 80_000) return null;
    return new Date(EXCEL_EPOCH_MS + cell * 86_400_000).toISOString().slice(0, 10);
  }
  const t = text(cell).replace(/\s+/g, '');
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:T.*|0?0:00(?::00)?)?$/.exec(t);
  if (!m) return null;
  const date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isRealDate(date) ? date : null;
}

const USE_TYPE_WORDS: Record<string, RoomUseType> = {
  住宅: 'residential',
  住房: 'residential',
  普通住宅: 'residential',
  公寓: 'residential',
  residential: 'residential',
  商铺: 'commercial',
  商业: 'commercial',
  底商: 'commercial',
  门面: 'commercial',
  商用: 'commercial',
  commercial: 'commercial',
  办公: 'office',
  写字楼: 'office',
  office: 'office',
  车位: 'parking',
  车库: 'parking',
  parking: 'parking',
  储藏室: 'storage',
  储藏间: 'storage',
  杂物间: 'storage',
  地下室: 'storage',
  storage: 'storage',
  其他: 'other',
  other: 'other',
};

const OCCUPANCY_WORDS: Record<string, Occupancy> = {
  空置: 'vacant',
  空房: 'vacant',
  未入住: 'vacant',
  空置房: 'vacant',
  vacant: 'vacant',
  已入住: 'occupied',
  入住: 'occupied',
  在住: 'occupied',
  已住: 'occupied',
  自住: 'occupied',
  出租: 'occupied',
  已出租: 'occupied',
  occupied: 'occupied',
  装修: 'decorating',
  装修中: 'decorating',
  decorating: 'decorating',
};

const NO_WORDS = new Set(['否', '无', '不是', 'n', 'no', 'false', '0', '-', '—']);
const YES_WORDS = new Set(['是', '有', 'y', 'yes', 'true', '1', '√', '✓', '✔']);

// ------------------------------------------------------------------------------------ rows

export interface RosterOwner {
  name: string;
  mobile: string;
  /** null: not given (an existing value is kept). */
  idNumber: string | null;
  /** null: not given (an existing value is kept). */
  specialCare: boolean | null;
  careNote: string | null;
}

export interface RosterRow {
  /** The row number the spreadsheet shows (1-based). */
  row: number;
  building: string;
  unit: string;
  number: string;
  floor: number | null;
  buildingAreaCentiM2: number;
  innerAreaCentiM2: number | null;
  useType: RoomUseType | null;
  occupancy: Occupancy | null;
  moveInDate: string | null;
  owner: RosterOwner | null;
  coOwner: { name: string; mobile: string } | null;
}

export interface RowError {
  row: number;
  field: RosterField | null;
  /** The header as the file spells it. */
  column: string | null;
  message: string;
}

export interface BuildingUnits {
  code: string;
  units: string[];
}

export interface RosterValidation {
  /** Valid rows in file order; used only when `errors` and `fileErrors` are both empty. */
  rows: RosterRow[];
  errors: RowError[];
  /** Problems with the file as a whole (no header row, missing required columns, too big). */
  fileErrors: string[];
  /** Harmless observations (columns ignored). */
  warnings: string[];
  /** Data rows seen (blank rows excluded). */
  dataRows: number;
}

interface HeaderMatch {
  /** 0-based index into the table. */
  index: number;
  columns: Map<RosterField, { col: number; header: string }>;
  ignored: string[];
  duplicates: string[];
}

/** Finds the header row among the first 10 rows: the one naming the most known columns. */
function locateHeader(table: Cell[][]): HeaderMatch | null {
  let best: HeaderMatch | null = null;
  let bestCount = 0;
  for (let r = 0; r < Math.min(10, table.length); r++) {
    const columns = new Map<RosterField, { col: number; header: string }>();
    const ignored: string[] = [];
    const duplicates: string[] = [];
    (table[r] ?? []).forEach((cell, col) => {
      if (isBlank(cell)) return;
      const field = fieldOfHeader(cell);
      if (!field) {
        if (!QUIET.has(normaliseHeader(cell))) ignored.push(String(cell).trim());
      } else if (columns.has(field)) duplicates.push(String(cell).trim());
      else columns.set(field, { col, header: String(cell).trim() });
    });
    if (columns.size > bestCount) {
      best = { index: r, columns, ignored, duplicates };
      bestCount = columns.size;
    }
  }
  return bestCount >= 3 ? best : null;
}

/**
 * Validates every row of a roster table against the community's buildings and units. The import
 * applies nothing unless this returns no errors at all.
 */
export function validateRoster(
  table: Cell[][],
  opts: { buildings: BuildingUnits[]; maxRows?: number },
): RosterValidation {
  const out: RosterValidation = { rows: [], errors: [], fileErrors: [], warnings: [], dataRows: 0 };
  const header = locateHeader(table);
  if (!header) {
    out.fileErrors.push(
      `找不到表头：前 10 行中没有一行包含「${ROSTER_COLUMNS.filter((c) => c.required)
        .map((c) => c.header)
        .join('」「')}」等列名`,
    );
    return out;
  }
  const missing = ROSTER_COLUMNS.filter((c) => c.required && !header.columns.has(c.field));
  if (missing.length) {
    out.fileErrors.push(`缺少必填列：${missing.map((c) => c.header).join('、')}`);
  }
  if (header.duplicates.length) {
    out.fileErrors.push(`以下列名重复或含义相同：${header.duplicates.join('、')}`);
  }
  const hasName = header.columns.has('ownerName');
  const hasMobile = header.columns.has('ownerMobile');
  if (hasName !== hasMobile) {
    out.fileErrors.push('「业主姓名」与「手机号」两列须同时提供');
  }
  if (header.columns.has('coOwnerName') !== header.columns.has('coOwnerMobile')) {
    out.fileErrors.push('「共有人姓名」与「共有人手机号」两列须同时提供');
  }
  if (header.ignored.length) {
    out.warnings.push(`已忽略无法识别的列：${header.ignored.join('、')}`);
  }
  const maxRows = opts.maxRows ?? MAX_ROSTER_ROWS;
  const dataCount = table.slice(header.index + 1).filter((r) => r.some((c) => !isBlank(c))).length;
  out.dataRows = dataCount;
  if (dataCount === 0) out.fileErrors.push('表中没有数据行');
  if (dataCount > maxRows)
    out.fileErrors.push(`数据行过多：${dataCount} 行，单个文件最多 ${maxRows} 行`);
  if (out.fileErrors.length) return out;

  const buildings = new Map(opts.buildings.map((b) => [b.code, new Set(b.units)]));
  const seenRooms = new Map<string, number>();
  const seenOwners = new Map<string, { row: number; owner: RosterOwner }>();

  for (let r = header.index + 1; r < table.length; r++) {
    const cells = table[r] ?? [];
    if (!cells.some((c) => !isBlank(c))) continue;
    const rowNo = r + 1;
    const get = (f: RosterField): Cell => {
      const c = header.columns.get(f);
      return c ? cells[c.col] : undefined;
    };
    const errs: RowError[] = [];
    const fail = (field: RosterField, message: string) => {
      errs.push({ row: rowNo, field, column: header.columns.get(field)?.header ?? null, message });
    };

    const building = normaliseBuilding(get('building'));
    const unit = normaliseUnit(get('unit'));
    const number = normaliseRoomNumber(get('number'));
    if (!building) fail('building', '缺少楼栋');
    else if (building.length > 20) fail('building', '楼栋名称过长（最多 20 字）');
    else if (!buildings.has(building)) {
      fail('building', `楼栋「${building}」不存在，请先在小区设置中添加该楼栋`);
    }
    if (!unit) fail('unit', '缺少单元');
    else if (unit.length > 20) fail('unit', '单元名称过长（最多 20 字）');
    else if (buildings.has(building) && !buildings.get(building)!.has(unit)) {
      fail('unit', `${building}栋没有「${unit}」单元`);
    }
    if (!number) fail('number', '缺少房号');
    else if (number.length > 20 || !/^[0-9A-Za-z\-_]+$/.test(number)) {
      fail('number', `房号「${number}」格式不正确（只能含数字、字母和 -）`);
    }
    if (building && unit && number) {
      const key = `${building}|${unit}|${number}`;
      const first = seenRooms.get(key);
      if (first !== undefined) fail('number', `房号重复：与第 ${first} 行是同一房屋`);
      else seenRooms.set(key, rowNo);
    }

    let floor: number | null = null;
    const floorCell = get('floor');
    if (!isBlank(floorCell)) {
      const t = text(floorCell).replace(/(层|楼|F)$/i, '');
      if (!/^-?\d+$/.test(t) || Number(t) === 0 || Math.abs(Number(t)) > 300) {
        fail('floor', '楼层须为非零整数');
      } else floor = Number(t);
    } else if (number) floor = floorFromNumber(number);

    let buildingArea = 0;
    const area = parseAreaCentiM2(
      isBlank(get('buildingArea')) ? null : areaCell(get('buildingArea')),
    );
    if (area.ok) buildingArea = area.centiM2;
    else fail('buildingArea', areaMessage('建筑面积', area.reason));

    let innerArea: number | null = null;
    if (!isBlank(get('innerArea'))) {
      const inner = parseAreaCentiM2(areaCell(get('innerArea')));
      if (!inner.ok) fail('innerArea', areaMessage('套内面积', inner.reason));
      else if (area.ok && inner.centiM2 > buildingArea)
        fail('innerArea', '套内面积不能大于建筑面积');
      else innerArea = inner.centiM2;
    }

    /** A cell holding one of a vocabulary's words; an unknown word is refused with the choices. */
    const wordOf = <T extends string>(
      f: RosterField,
      what: string,
      words: Record<string, T>,
      labels: Record<T, string>,
    ): T | null => {
      if (isBlank(get(f))) return null;
      const found = words[text(get(f)).toLowerCase()] ?? null;
      if (!found) {
        fail(f, `${what}「${text(get(f))}」无法识别，可填：${Object.values(labels).join('/')}`);
      }
      return found;
    };
    const useType = wordOf('useType', '用途', USE_TYPE_WORDS, ROOM_USE_LABELS);
    const occupancy = wordOf('occupancy', '状态', OCCUPANCY_WORDS, OCCUPANCY_LABELS);
    let moveInDate: string | null = null;
    if (!isBlank(get('moveInDate'))) {
      moveInDate = parseDateCell(get('moveInDate'));
      if (!moveInDate) fail('moveInDate', '入住日期格式不正确，如 2021-05-01');
    }

    let owner: RosterOwner | null = null;
    const ownerName = personName(get('ownerName'));
    const ownerMobileCell = get('ownerMobile');
    if (ownerName || !isBlank(ownerMobileCell)) {
      if (!ownerName) fail('ownerName', '填写了手机号但缺少业主姓名');
      else if (ownerName.length > 50) fail('ownerName', '业主姓名过长（最多 50 字）');
      const mobile = normaliseMobile(ownerMobileCell);
      if (isBlank(ownerMobileCell)) fail('ownerMobile', '填写了业主姓名但缺少手机号');
      else if (!mobile) fail('ownerMobile', '手机号格式不正确，应为 11 位中国大陆手机号');
      let idNumber: string | null = null;
      const idCell = get('ownerIdNumber');
      if (!isBlank(idCell)) {
        if (typeof idCell === 'number') {
          fail('ownerIdNumber', '身份证号被存成了数字（末几位已丢失），请把该列设为文本后重新填写');
        } else {
          const id = text(idCell).replace(/\s+/g, '').toUpperCase();
          if (!isValidIdNumber(id))
            fail('ownerIdNumber', '身份证号不正确（须为 18 位且校验位正确）');
          else idNumber = id;
        }
      }
      const care = parseSpecialCare(get('specialCare'));
      if (ownerName && mobile) {
        owner = { name: ownerName, mobile, idNumber, specialCare: care.flag, careNote: care.note };
        const key = `${ownerName}|${mobile}`;
        const prev = seenOwners.get(key);
        if (prev) {
          const p = prev.owner;
          if (p.idNumber && idNumber && p.idNumber !== idNumber) {
            fail('ownerIdNumber', `同一业主在第 ${prev.row} 行的身份证号与本行不一致`);
          }
          if (p.specialCare !== null && care.flag !== null && p.specialCare !== care.flag) {
            fail('specialCare', `同一业主在第 ${prev.row} 行的特殊关怀标记与本行不一致`);
          }
        } else seenOwners.set(key, { row: rowNo, owner });
      }
    } else if (!isBlank(get('ownerIdNumber')) || parseSpecialCare(get('specialCare')).flag) {
      fail('ownerName', '填写了身份证号或特殊关怀，但缺少业主姓名和手机号');
    }

    let coOwner: RosterRow['coOwner'] = null;
    const coName = personName(get('coOwnerName'));
    const coMobileCell = get('coOwnerMobile');
    if (coName || !isBlank(coMobileCell)) {
      const coMobile = normaliseMobile(coMobileCell);
      if (!coName) fail('coOwnerName', '填写了共有人手机号但缺少共有人姓名');
      else if (coName.length > 50) fail('coOwnerName', '共有人姓名过长（最多 50 字）');
      if (isBlank(coMobileCell)) fail('coOwnerMobile', '填写了共有人姓名但缺少手机号');
      else if (!coMobile) fail('coOwnerMobile', '共有人手机号格式不正确，应为 11 位中国大陆手机号');
      if (!owner && ownerName === '' && isBlank(ownerMobileCell)) {
        fail('coOwnerName', '填写共有人时须同时填写业主');
      }
      if (coName && coMobile) {
        if (owner && owner.name === coName && owner.mobile === coMobile) {
          fail('coOwnerName', '共有人与业主是同一人');
        } else coOwner = { name: coName, mobile: coMobile };
      }
    }

    if (errs.length) {
      out.errors.push(...errs);
      continue;
    }
    out.rows.push({
      row: rowNo,
      building,
      unit,
      number,
      floor,
      buildingAreaCentiM2: buildingArea,
      innerAreaCentiM2: innerArea,
      useType,
      occupancy,
      moveInDate,
      owner,
      coOwner,
    });
  }
  return out;
}

function areaCell(cell: Cell): string | number {
  return typeof cell === 'number' ? cell : text(cell);
}

function areaMessage(label: string, reason: string): string {
  switch (reason) {
    case 'empty':
      return `缺少${label}`;
    case 'not-positive':
      return `${label}须大于 0`;
    case 'too-precise':
      return `${label}最多两位小数`;
    case 'too-large':
      return `${label}超出合理范围`;
    default:
      return `${label}须为数字（平方米）`;
  }
}

function personName(cell: Cell): string {
  return rawText(cell);
}

function parseSpecialCare(cell: Cell): { flag: boolean | null; note: string | null } {
  if (isBlank(cell)) return { flag: null, note: null };
  const lower = text(cell).toLowerCase();
  if (NO_WORDS.has(lower)) return { flag: false, note: null };
  if (YES_WORDS.has(lower)) return { flag: true, note: null };
  return { flag: true, note: rawText(cell).slice(0, 100) };
}
