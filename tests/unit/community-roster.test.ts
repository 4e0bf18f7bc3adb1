/**
 * Roster validation (miniprogram/domain/community/roster.ts): the header spellings people use, cell normalisation, and
 * every row error the import must catch before it writes anything.
 */
import fc from 'fast-check';
import { formatAreaCentiM2, parseAreaCentiM2 } from '../../miniprogram/domain/community/area';
import {
  fieldOfHeader,
  idNumberCheckChar,
  isValidIdNumber,
  normaliseBuilding,
  normaliseMobile,
  normaliseRoomNumber,
  parseCsv,
  parseDateCell,
  ROSTER_COLUMNS,
  validateRoster,
  type Cell,
} from '../../miniprogram/domain/community/roster';

const BUILDINGS = [
  { code: '1', units: ['1', '2'] },
  { code: '2', units: ['1'] },
];

describe('headers', () => {
  test.each([
    ['房号 ', 'number'],
    ['房 号', 'number'],
    ['房间号', 'number'],
    ['楼号', 'building'],
    ['楼栋*', 'building'],
    ['单元号', 'unit'],
    ['建筑面积(㎡)', 'buildingArea'],
    ['建筑面积（㎡）', 'buildingArea'],
    ['建筑面积(m²)', 'buildingArea'],
    ['建筑面积/平方米', 'buildingArea'],
    ['套内建筑面积（m2）', 'innerArea'],
    ['联系电话', 'ownerMobile'],
    ['业主姓名', 'ownerName'],
    ['证件号码', 'ownerIdNumber'],
    ['交房日期', 'moveInDate'],
    ['共有人电话', 'coOwnerMobile'],
  ])('%j means %s', (header, field) => {
    expect(fieldOfHeader(header)).toBe(field);
  });

  test('every canonical header maps back to its own field', () => {
    for (const c of ROSTER_COLUMNS) expect(fieldOfHeader(c.header)).toBe(c.field);
  });

  test('unknown headers are not guessed', () => {
    expect(fieldOfHeader('车牌号')).toBeNull();
    expect(fieldOfHeader('')).toBeNull();
  });
});

describe('cells', () => {
  test('areas parse exactly to centi-m², never through a float product', () => {
    expect(parseAreaCentiM2('89.47')).toEqual({ ok: true, centiM2: 8947 });
    expect(parseAreaCentiM2(89.47)).toEqual({ ok: true, centiM2: 8947 });
    expect(parseAreaCentiM2('1,234.5 ㎡')).toEqual({ ok: true, centiM2: 123450 });
    expect(parseAreaCentiM2('89.470')).toEqual({ ok: true, centiM2: 8947 });
    expect(parseAreaCentiM2(0.1 + 0.2)).toEqual({ ok: true, centiM2: 30 });
    expect(parseAreaCentiM2('89.475')).toEqual({ ok: false, reason: 'too-precise' });
    expect(parseAreaCentiM2(89.475)).toEqual({ ok: false, reason: 'too-precise' });
    expect(parseAreaCentiM2('0')).toEqual({ ok: false, reason: 'not-positive' });
    expect(parseAreaCentiM2('-3')).toEqual({ ok: false, reason: 'not-positive' });
    expect(parseAreaCentiM2('八十九')).toEqual({ ok: false, reason: 'not-a-number' });
    expect(parseAreaCentiM2('')).toEqual({ ok: false, reason: 'empty' });
  });

  test('property: format then parse (as text and as a spreadsheet number) is the identity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), (centi) => {
        expect(parseAreaCentiM2(formatAreaCentiM2(centi))).toEqual({ ok: true, centiM2: centi });
        expect(parseAreaCentiM2(centi / 100)).toEqual({ ok: true, centiM2: centi });
      }),
    );
  });

  test('buildings, units and room numbers lose their decorations', () => {
    expect(normaliseBuilding('1栋')).toBe('1');
    expect(normaliseBuilding('01号楼')).toBe('1');
    expect(normaliseBuilding('3#')).toBe('3');
    expect(normaliseBuilding('a座')).toBe('A');
    expect(normaliseBuilding(2)).toBe('2');
    expect(normaliseRoomNumber('1502室')).toBe('1502');
    expect(normaliseRoomNumber(302)).toBe('302');
    expect(normaliseRoomNumber('0302')).toBe('302');
  });

  test('mobiles: +86, spaces and dashes dropped; anything else refused', () => {
    expect(normaliseMobile('139-0000-0212')).toBe('13900000212');
    expect(normaliseMobile('+86 139 0000 0303')).toBe('13900000303');
    expect(normaliseMobile(8613900000303)).toBe('13900000303');
    expect(normaliseMobile(13900000101)).toBe('13900000101');
    expect(normaliseMobile('1381234')).toBeNull();
    expect(normaliseMobile('12900000000')).toBeNull();
    expect(normaliseMobile('0571-88886666')).toBeNull();
  });

  test('ID numbers: 18 characters, a real birth date and the GB 11643 check character', () => {
    const first17 = '11010519491231002';
    const id = first17 + idNumberCheckChar(first17);
    expect(id).toBe('11010519491231002X');
    expect(isValidIdNumber(id)).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(isValidIdNumber('110105194913310028')).toBe(false);
    expect(isValidIdNumber('11010519491231002')).toBe(false);
  });

  test.each([
    ['2021-05-01', '2021-05-01'],
    ['2021/5/1', '2021-05-01'],
    ['2021.5.1', '2021-05-01'],
    ['2021年5月1日', '2021-05-01'],
    ['2021-05-01 00:00:00', '2021-05-01'],
    [44317, '2021-05-01'],
    ['2021-02-30', null],
    ['五月一日', null],
  ])('date %j → %j', (cell, expected) => {
    expect(parseDateCell(cell as Cell)).toBe(expected);
  });
});

describe('CSV', () => {
  test('quotes, doubled quotes, line breaks in fields, CRLF and a BOM', () => {
    const text = '\ufeff楼栋,备注\r\n1,"含,逗号"\r\n2,"两行\n文字 ""引号"""\r\n';
    expect(parseCsv(text)).toEqual([
      ['楼栋', '备注'],
      ['1', '含,逗号'],
      ['2', '两行\n文字 "引号"'],
    ]);
  });

  test('tab-separated text pasted from a spreadsheet', () => {
    expect(parseCsv('楼栋\t单元\n1\t2')).toEqual([
      ['楼栋', '单元'],
      ['1', '2'],
    ]);
  });
});

const HEAD = ['楼栋', '单元', '房号', '建筑面积(㎡)', '业主姓名', '手机号', '身份证号', '特殊关怀'];

function table(...rows: Cell[][]): Cell[][] {
  return [HEAD, ...rows];
}

describe('validateRoster', () => {
  test('a good table gives one normalised row per room, in file order', () => {
    const id = '99010119800101001' + idNumberCheckChar('99010119800101001');
    const v = validateRoster(
      [
        ['翠湖花园 房屋清单'],
        HEAD,
        ['1栋', '1单元', '1502室', '89.47', '王建国', '138 0000 1501', id, '独居老人'],
        [2, 1, 302, 112.53, '', '', '', ''],
        [],
      ],
      { buildings: BUILDINGS },
    );
    expect(v.fileErrors).toEqual([]);
    expect(v.errors).toEqual([]);
    expect(v.dataRows).toBe(2);
    expect(v.rows).toEqual([
      {
        row: 3,
        building: '1',
        unit: '1',
        number: '1502',
        floor: 15,
        buildingAreaCentiM2: 8947,
        innerAreaCentiM2: null,
        useType: null,
        occupancy: null,
        moveInDate: null,
        owner: {
          name: '王建国',
          mobile: '13800001501',
          idNumber: id,
          specialCare: true,
          careNote: '独居老人',
        },
        coOwner: null,
      },
      expect.objectContaining({ row: 4, building: '2', number: '302', floor: 3, owner: null }),
    ]);
  });

  test('every kind of bad row is reported with its row number and column', () => {
    const v = validateRoster(
      table(
        ['1', '1', '101', '89.47', '甲', '13800000001'],
        ['1', '1', '', '89.47', '乙', '13800000002'],
        ['1', '1', '102', 'abc', '丙', '13800000003'],
        ['1', '1', '103', '-1', '丁', '13800000004'],
        ['1', '1', '101', '90', '戊', '13800000005'],
        ['1', '1', '104', '90', '己', '1380000'],
        ['9', '1', '105', '90', '庚', '13800000007'],
        ['2', '2', '106', '90', '辛', '13800000008'],
        ['1', '1', '107', '90', '壬', ''],
        // An 18-digit number cell: Excel has already rounded it.
        ['1', '1', '108', '90', '癸', '13800000010', Number('110105194912310021')],
        ['1', '1', '109', '90', '子', '13800000011', '110105194912310021'],
      ),
      { buildings: BUILDINGS },
    );
    const got = v.errors.map((e) => [e.row, e.field]);
    expect(got).toEqual([
      [3, 'number'],
      [4, 'buildingArea'],
      [5, 'buildingArea'],
      [6, 'number'],
      [7, 'ownerMobile'],
      [8, 'building'],
      [9, 'unit'],
      [10, 'ownerMobile'],
      [11, 'ownerIdNumber'],
      [12, 'ownerIdNumber'],
    ]);
    expect(v.errors.find((e) => e.row === 6)!.message).toMatch(/与第 2 行/);
    expect(v.errors.find((e) => e.row === 11)!.message).toMatch(/文本/);
    expect(v.errors[0]!.column).toBe('房号');
    expect(v.rows.map((r) => r.row)).toEqual([2]);
  });

  test('the same person with different ID numbers on two rows is an error', () => {
    const a = '99010119800101001' + idNumberCheckChar('99010119800101001');
    const b = '99010119800101002' + idNumberCheckChar('99010119800101002');
    const v = validateRoster(
      table(
        ['1', '1', '101', '90', '甲', '13800000001', a],
        ['1', '1', '102', '90', '甲', '13800000001', b],
      ),
      { buildings: BUILDINGS },
    );
    expect(v.errors).toEqual([expect.objectContaining({ row: 3, field: 'ownerIdNumber' })]);
  });

  test('file-level problems: no header, missing required columns, no data', () => {
    expect(
      validateRoster(
        [
          ['a', 'b'],
          ['1', '2'],
        ],
        { buildings: BUILDINGS },
      ).fileErrors[0],
    ).toMatch(/找不到表头/);
    expect(
      validateRoster(
        [
          ['楼栋', '单元', '业主姓名', '手机号'],
          ['1', '1', '甲', '13800000001'],
        ],
        {
          buildings: BUILDINGS,
        },
      ).fileErrors,
    ).toEqual(['缺少必填列：房号、建筑面积(㎡)']);
    expect(validateRoster([HEAD], { buildings: BUILDINGS }).fileErrors).toEqual(['表中没有数据行']);
    expect(
      validateRoster(table(['1', '1', '101', '90'], ['1', '1', '102', '90']), {
        buildings: BUILDINGS,
        maxRows: 1,
      }).fileErrors[0],
    ).toMatch(/数据行过多/);
  });

  test('columns we do not know are reported as ignored; our own extras are not', () => {
    const v = validateRoster(
      [
        ['楼栋', '单元', '房号', '建筑面积', '车牌号', '其他登记人员'],
        ['1', '1', '101', '90', '浙A12345', ''],
      ],
      { buildings: BUILDINGS },
    );
    expect(v.errors).toEqual([]);
    expect(v.warnings).toEqual(['已忽略无法识别的列：车牌号']);
  });
});
