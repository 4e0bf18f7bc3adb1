/**
 * Parking spaces and storerooms as pure rules: plates (normalised, validated, masked), holding
 * status and its checks, which standards reach a space and which a room, a space's bill (its own
 * key and title on the holder's room, prorated by days), the spreadsheet's per-row checks, and the
 * report's split by kind.
 */
import fc from 'fast-check';
import {
  handoverProblem,
  holdingProblem,
  isPlate,
  maskPlate,
  normalisePlate,
  parsePlates,
  spaceIdFor,
  spaceLabel,
  spaceSortKey,
  spaceStatus,
  type SpaceRecord,
} from '../../miniprogram/domain/community/spaces';
import { readSpaceSheet, SPACE_COLUMNS } from '../../miniprogram/domain/community/space-sheet';
import { appliesTo, computeBill } from '../../miniprogram/domain/fee';
import { billableSpace } from '../../miniprogram/domain/fee/spaces';
import { applicabilityText, billDraftFor } from '../../miniprogram/domain/fee/billing';
import { kindRows } from '../../miniprogram/domain/report/kinds';
import { areaStandard, room, standardOf } from './fee-fixtures';

const rent = standardOf(
  { kind: 'parking', unitPriceE4: 3_000_000 },
  {
    itemId: 'parkrent',
    name: '车位月租',
    cycle: 'monthly',
    applicability: { scope: 'spaces', spaceKinds: ['rented'] },
  },
);
const storeroom = standardOf(
  { kind: 'area', areaBasis: 'building', unitPriceE4: 15_000 },
  {
    itemId: 'storeroom',
    name: '储藏室管理费',
    cycle: 'monthly',
    applicability: { scope: 'spaces', spaceKinds: ['storeroom'] },
  },
);

const space = (over: Partial<SpaceRecord> = {}): SpaceRecord => ({
  _id: 'sp_c_B2-017',
  communityId: 'c',
  number: 'B2-017',
  zone: '地下二层',
  kind: 'rented',
  areaCentiM2: null,
  holderRoomId: 'R1502',
  holderOwnerId: 'owner-1',
  plates: ['粤B12345'],
  startDate: '2026-01-01',
  endDate: null,
  sortKey: spaceSortKey('B2-017'),
  ...over,
});

describe('plates', () => {
  test.each([
    ['粤b·12345', '粤B12345', true],
    ['粤BD 12345', '粤BD12345', true],
    ['沪A-1234学', '沪A1234学', true],
    ['粤BI2345', '粤BI2345', false], // no I on plates
    ['AB12345', 'AB12345', false],
    ['粤B1234', '粤B1234', false],
  ])('%s → %s (plate: %s)', (raw, normal, ok) => {
    expect(normalisePlate(raw)).toBe(normal);
    expect(isPlate(normal)).toBe(ok);
  });

  test('masked: province and letter, then the last two', () => {
    expect(maskPlate('粤B12345')).toBe('粤B***45');
    expect(maskPlate('粤BD12345')).toBe('粤B****45');
  });

  test('a masked plate never holds the middle of the plate', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-HJ-NP-Z0-9]{5,6}$/), (tail) => {
        const masked = maskPlate(`粤B${tail}`);
        expect(masked).toHaveLength(2 + tail.length);
        expect(masked.slice(2, -2)).toMatch(/^\*+$/);
      }),
    );
  });

  test('a cell of several plates: normalised, deduplicated, the bad pieces named', () => {
    expect(parsePlates('粤B12345、粤b12345，沪A1234学 XYZ')).toEqual({
      plates: ['粤B12345', '沪A1234学'],
      invalid: ['XYZ'],
    });
  });
});

describe('holding', () => {
  test('status by day: idle, upcoming, active through the end day, ended after it', () => {
    expect(spaceStatus(space({ holderRoomId: null }), '2026-11-01')).toBe('idle');
    expect(spaceStatus(space({ startDate: '2026-12-01' }), '2026-11-30')).toBe('upcoming');
    expect(spaceStatus(space({ endDate: '2026-11-20' }), '2026-11-20')).toBe('active');
    expect(spaceStatus(space({ endDate: '2026-11-20' }), '2026-11-21')).toBe('ended');
  });

  test('a holder needs a start; the end is never before it', () => {
    expect(holdingProblem({ holderRoomId: 'r', startDate: null, endDate: null })).toMatchObject({
      field: 'startDate',
    });
    expect(
      holdingProblem({ holderRoomId: 'r', startDate: '2026-11-10', endDate: '2026-11-09' }),
    ).toMatchObject({ field: 'endDate' });
    expect(holdingProblem({ holderRoomId: null, startDate: null, endDate: null })).toBeNull();
  });

  test('a handover: the holding on record ends first, the next starts after it', () => {
    const held = {
      holderRoomId: 'r1',
      holderOwnerId: 'p1',
      startDate: '2026-01-01',
      endDate: null,
    };
    const next = {
      holderRoomId: 'r2',
      holderOwnerId: 'p2',
      startDate: '2026-12-01',
      endDate: null,
    };
    expect(handoverProblem(held, { ...held, endDate: '2026-12-31' })).toBeNull();
    expect(handoverProblem(held, next)).toMatchObject({ field: 'holderRoomId' });
    const ended = { ...held, endDate: '2026-11-30' };
    expect(handoverProblem(ended, { ...next, startDate: '2026-11-30' })).toMatchObject({
      field: 'startDate',
    });
    expect(handoverProblem(ended, next)).toBeNull();
    expect(handoverProblem({ ...held, holderRoomId: null }, next)).toBeNull();
  });

  test('ids and labels by number, upper-cased; sort keys compare digits as numbers', () => {
    expect(spaceIdFor('c_cuihu', 'b2-017')).toBe('sp_c_cuihu_B2-017');
    expect(spaceLabel({ kind: 'owned', number: 'B1-005' })).toBe('车位 B1-005');
    expect(spaceLabel({ kind: 'storeroom', number: 'S-03' })).toBe('储藏室 S-03');
    expect(spaceSortKey('B2-9') < spaceSortKey('B2-10')).toBe(true);
  });
});

describe('which standards reach what', () => {
  const target = billableSpace(space(), 'B3');
  test('room scopes never reach a space; the spaces scope reaches only its kinds, never a room', () => {
    expect(appliesTo({ scope: 'all' }, target)).toBe(false);
    expect(appliesTo({ scope: 'useTypes', useTypes: ['parking'] }, target)).toBe(false);
    expect(appliesTo({ scope: 'spaces', spaceKinds: ['rented'] }, target)).toBe(true);
    expect(appliesTo({ scope: 'spaces', spaceKinds: ['owned'] }, target)).toBe(false);
    expect(appliesTo({ scope: 'spaces', spaceKinds: ['rented'] }, room)).toBe(false);
    expect(applicabilityText({ scope: 'spaces', spaceKinds: ['owned', 'storeroom'] }, {})).toBe(
      '产权车位、储藏室',
    );
  });

  test('a rental prorated by days in the month it starts and ends', () => {
    const bill = computeBill(
      billableSpace(space({ startDate: '2026-11-10', endDate: null }), 'B3'),
      [areaStandard(), rent],
      '2026-11',
    );
    expect(bill.lines.map((l) => [l.itemId, l.amountFen, l.months])).toEqual([
      ['parkrent', 21_000, '21/30 天'],
    ]);
    const ended = computeBill(
      billableSpace(space({ endDate: '2026-11-20' }), 'B3'),
      [rent],
      '2026-11',
    );
    expect(ended.totalFen).toBe(20_000);
    const after = computeBill(
      billableSpace(space({ endDate: '2026-11-20' }), 'B3'),
      [rent],
      '2026-12',
    );
    expect(after.lines).toEqual([]);
    expect(after.skippedItems).toEqual([{ itemId: 'parkrent', reason: 'notOccupied' }]);
  });

  test('the holder room’s occupancy ending ends its spaces’ charges on the same day', () => {
    const s = space({ endDate: '2026-11-25' });
    expect(billableSpace(s, 'B3', '2026-11-15').billableTo).toBe('2026-11-15');
    expect(billableSpace(s, 'B3', '2026-12-31').billableTo).toBe('2026-11-25');
    expect(billableSpace(space(), 'B3', null).billableTo).toBeNull();
    expect(
      computeBill(billableSpace(space(), 'B3', '2026-11-15'), [rent], '2026-11').totalFen,
    ).toBe(15_000);
  });

  test('a storeroom by its area; a space nobody holds is not billed', () => {
    const s = space({ kind: 'storeroom', number: 'S-03', areaCentiM2: 850 });
    expect(computeBill(billableSpace(s, 'B1'), [storeroom], '2026-11').totalFen).toBe(1_275);
    const idle = computeBill(
      billableSpace(space({ holderRoomId: null, holderOwnerId: null }), 'B1'),
      [rent],
      '2026-11',
    );
    expect(idle.skipped).toBe('noOwner');
  });

  test('the bill: on the holder’s room, its own key and id, titled with the space', () => {
    const computed = computeBill(billableSpace(space(), 'B3'), [rent], '2026-11');
    const draft = billDraftFor({
      computed,
      communityId: 'c',
      building: 'B3',
      runId: 'run',
      issuedAt: new Date(0),
      standards: new Map([['parkrent', { standard: rent, revision: 1 }]]),
      space: { spaceId: 'sp_c_B2-017', number: 'B2-017', kind: 'rented' },
    });
    expect(draft).toMatchObject({
      _id: 'b_R1502_2026-11_parkrent@B2-017',
      roomId: 'R1502',
      key: 'parkrent@B2-017',
      title: '车位 B2-017 · 车位月租',
      spaceId: 'sp_c_B2-017',
      spaceLabel: '车位 B2-017',
      spaceKind: 'rented',
      amountDueFen: 30_000,
    });
  });
});

describe('the spreadsheet', () => {
  const lookups = {
    roomOf: (b: string, u: string, n: string) =>
      `${b}-${u}-${n}` === '1-1-1502' ? 'R1502' : undefined,
    peopleOf: () => [{ ownerId: 'owner-1', name: '王建国' }],
  };
  const header = SPACE_COLUMNS.map((c) => c.header);

  test('a header under a title row; spellings normalised; the holder resolved', () => {
    const sheet = readSpaceSheet(
      [
        ['翠湖花园车位表'],
        header,
        [
          'b2-017',
          '地下二层',
          '月租',
          '',
          '1栋',
          '1单元',
          '1502室',
          '',
          '粤b12345、粤BD12345',
          '2026/11/1',
          '',
        ],
      ],
      lookups,
    );
    expect(sheet.errors).toEqual([]);
    expect(sheet.rows).toEqual([
      expect.objectContaining({
        row: 3,
        number: 'B2-017',
        kind: 'rented',
        holderRoomId: 'R1502',
        holderOwnerId: 'owner-1',
        plates: ['粤B12345', '粤BD12345'],
        startDate: '2026-11-01',
      }),
    ]);
  });

  test('every problem of every row, by row and column', () => {
    const sheet = readSpaceSheet(
      [
        header,
        ['B1', '', '车库', '', '', '', '', '', '', '', ''],
        ['B2', '', '产权车位', '-3', '1', '', '', '张三', '', '', ''],
        ['B3', '', '储藏室', '', '1', '1', '1502', '李四', '', '', ''],
        ['B4', '', '月租车位', '', '1', '1', '1502', '', '', '', ''],
      ],
      lookups,
    );
    expect(sheet.errors.map((e) => [e.row, e.column])).toEqual([
      [2, '类型'],
      [3, '面积(㎡)'],
      [3, '单元'],
      [4, '使用人'],
      [4, '起始日期'],
      [5, '起始日期'],
    ]);
    expect(sheet.rows).toEqual([]);
  });

  test('no header is a file problem', () => {
    expect(readSpaceSheet([['a', 'b']], lookups).fileErrors).toHaveLength(1);
  });
});

test('the report by kind: rooms first, only kinds billed, rates per kind', () => {
  expect(
    kindRows([
      { kind: 'storeroom', bills: 1, arrears: 0, due: 1275, out: 0 },
      { kind: null, bills: 4, arrears: 1, due: 40_000, out: 10_000 },
      { kind: 'rented', bills: 2, arrears: 2, due: 60_000, out: 60_000 },
    ]).map((r) => [r.label, r.bills, r.collectedFen, r.amountRateBp]),
  ).toEqual([
    ['房屋', 4, 30_000, 7500],
    ['月租车位', 2, 0, 0],
    ['储藏室', 1, 1275, 10000],
  ]);
});
