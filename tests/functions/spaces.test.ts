/**
 * Parking spaces and storerooms through the local cloud and the real SDK: the demo's spaces put
 * on record by the community function and billed by this month's run beside their holders' rooms
 * (prorated by days where a rental began or ended inside the month), a repeat that writes
 * nothing, the owner seeing and paying a space's bill with their room's bills, the collection
 * report split by kind, the spreadsheet import refused whole with a per-row report, and the list
 * and export with plates masked.
 */
import ExcelJS from 'exceljs';
import { DEMO_COMMUNITY_ID, DEMO_USERS, seedDemo } from '../../tools/seed/demo';
import { seedSpacesDemo } from '../../tools/seed/spaces';
import { useTestCloud } from '../helpers/cloud';
import { functionCalls } from '../helpers/calls';
import { feeTools, sum } from '../helpers/fee';
import { ledgerViolations, prepaidWhole } from '../helpers/ledger';
import { postJson } from '../helpers/process';
import { counts } from './community-helpers';
import type { BillDetailView, BillingRunView } from '../../miniprogram/domain/fee/contract';
import type { OwnerBills } from '../../miniprogram/domain/owner/contract';
import type { CreatedOrder } from '../../miniprogram/domain/payment/contract';
import type { CollectionReport } from '../../miniprogram/domain/report/contract';
import type {
  SpaceImportReport,
  SpaceListItem,
  SpacesFile,
} from '../../miniprogram/domain/community/spaces.contract';
import type { Page } from '../../miniprogram/domain/kernel/contract';

const C = DEMO_COMMUNITY_ID;
const MONTH = '2026-11';
const cloud = useTestCloud({
  seed: 'demo',
  seeder: async (kind, ctx) => {
    await seedDemo(kind, ctx);
    if (kind === 'demo') await seedSpacesDemo(ctx);
  },
});
const { call, raw } = functionCalls(cloud);
const { billsOf, previewDone, issueDone } = feeTools(cloud);
const spaceBills = (period: string) => billsOf(period).filter((b) => b.spaceId);
const community = (event: Record<string, unknown>, openid: string = DEMO_USERS.admin) =>
  raw('community', { communityId: C, ...event }, openid);

describe('the billing run bills held spaces with their holders’ rooms', () => {
  test('this month: one bill per held space, on the holder’s room, prorated by days', async () => {
    const bills = spaceBills(MONTH);
    const byNumber = new Map(bills.map((b) => [String(b.spaceLabel), b]));
    expect([...byNumber.keys()].sort()).toEqual([
      '储藏室 S-03',
      '车位 B1-005',
      '车位 B1-006',
      '车位 B2-017',
      '车位 B2-021',
      '车位 B2-030',
    ]);
    const rented = byNumber.get('车位 B2-017')!;
    expect(rented).toMatchObject({
      _id: `b_r_1_1_1501_${MONTH}_parkrent@B2-017`,
      roomId: 'r_1_1_1501',
      spaceKind: 'rented',
      title: '车位 B2-017 · 车位月租',
      amountDueFen: 30_000,
      status: 'unpaid',
    });
    // began on the 10th: 21 of November's 30 days; ended on the 20th: 20 days
    expect(byNumber.get('车位 B2-021')).toMatchObject({
      roomId: 'r_3_2_801',
      amountDueFen: 21_000,
    });
    expect((byNumber.get('车位 B2-021')!.items as { basis: string }[])[0]!.basis).toContain(
      '21/30 天',
    );
    expect(byNumber.get('车位 B2-030')).toMatchObject({ amountDueFen: 20_000 });
    expect(byNumber.get('车位 B1-005')).toMatchObject({ roomId: 'r_2_1_302', amountDueFen: 6_000 });
    // 8.50 m² × 1.50 元/m²/月
    expect(byNumber.get('储藏室 S-03')).toMatchObject({ roomId: 'r_1_2_201', amountDueFen: 1_275 });
    // no room standard reached a space, no space standard reached a room
    expect(billsOf(MONTH).filter((b) => !b.spaceId)).toEqual([]);
    expect(ledgerViolations(cloud)).toEqual([]);
  });

  test('issuing the month again writes nothing; a fresh preview finds every space billed', async () => {
    const before = spaceBills(MONTH).length;
    const again = await call<BillingRunView>(
      'fee',
      { action: 'issue', communityId: C, period: MONTH },
      DEMO_USERS.finance,
    );
    expect(again.created).toBe(0);
    const re = await previewDone(MONTH);
    expect(re.preview).toMatchObject({ bills: 0, totalFen: 0 });
    expect(re.preview!.skipped.find((s) => s.reason === 'alreadyIssued')?.count).toBe(before);
    expect(spaceBills(MONTH)).toHaveLength(before);
  });

  test('next month bills the rooms’ quarter and the spaces still held, each in its own bill, none past its room’s occupancy', async () => {
    const ended = await community({
      action: 'endOccupancy',
      roomId: 'r_2_1_302',
      endDate: '2026-12-15',
      reason: 'sold',
    });
    expect(ended).toMatchObject({ ok: true });
    await previewDone('2026-12');
    const run = await issueDone('2026-12');
    expect(run.items.map((i) => i.itemId).sort()).toEqual(
      ['energy', 'parkmgmt', 'parkrent', 'property', 'storeroom'].sort(),
    );
    const bills = billsOf('2026-12');
    // B2-030's rental ended in November
    expect(bills.filter((b) => b.spaceId).map((b) => b.spaceLabel)).not.toContain('车位 B2-030');
    expect(bills.filter((b) => b.spaceId)).toHaveLength(5);
    expect(bills.filter((b) => !b.spaceId)).toHaveLength(288);
    // 2栋1单元302's occupancy ended on 15 December: its owned space B1-005 stops with it
    expect(bills.find((b) => b.spaceLabel === '车位 B1-005')).toMatchObject({
      roomId: 'r_2_1_302',
      amountDueFen: 2_903, // ¥60 × 15/31
    });
    expect(
      bills
        .filter((b) => b.roomId === 'r_1_1_1501')
        .map((b) => b.key)
        .sort(),
    ).toEqual(['energy+property', 'parkrent@B2-017']);
    expect(ledgerViolations(cloud)).toEqual([]);
  });
});

test('the room’s prepaid balance pays its space’s bill too, each bill once, even issued twice at once', async () => {
  const room = 'r_1_1_1501';
  cloud.store.insert('prepaid_entries', [
    {
      _id: `op_${room}`,
      communityId: C,
      roomId: room,
      amountFen: 40_000,
      balanceAfterFen: 40_000,
      reason: '期初预存',
      opening: true,
      at: new Date(),
    },
  ]);
  cloud.store.insert('prepaid_accounts', [
    { _id: room, communityId: C, balanceFen: 40_000, openingApplied: true, updatedAt: new Date() },
  ]);
  await previewDone('2026-12');
  // two issues at once (a double tap): each bill and each balance move happens once
  const issue = () =>
    call('fee', { action: 'issue', communityId: C, period: '2026-12' }, DEMO_USERS.finance);
  await Promise.allSettled([issue(), issue()]);
  await issueDone('2026-12');
  const bills = billsOf('2026-12').filter((b) => b.roomId === room);
  expect(bills.map((b) => b.key).sort()).toEqual(['energy+property', 'parkrent@B2-017']);
  expect(sum(bills, 'prepaidAppliedFen')).toBe(40_000);
  // one entry per bill, pending until money next moves on the room's balance (ledger/prepaid.ts)
  expect(cloud.store.count('prepaid_entries', { roomId: room, pending: true })).toBe(2);
  expect(prepaidWhole(cloud, room)).toEqual({ stored: 40_000, whole: 0 });
  expect(ledgerViolations(cloud)).toEqual([]);
});

test('the owner sees 车位 B2-017 with 1栋1单元1501’s bills and pays it', async () => {
  const mine = await call<OwnerBills>('owner', { action: 'bills' }, DEMO_USERS.owner);
  const line = mine.unpaid.find((b) => b.spaceLabel === '车位 B2-017')!;
  expect(line).toMatchObject({ roomLabel: '1栋1单元1501', outstandingFen: 30_000 });
  expect(mine.unpaid.find((b) => b.spaceLabel === '车位 B1-005')).toMatchObject({
    roomLabel: '2栋1单元302',
  });
  // its detail explains the charge like any bill's
  const detail = await call<BillDetailView>(
    'fee',
    { action: 'billDetail', billId: line.billId },
    DEMO_USERS.owner,
  );
  expect(detail).toMatchObject({ roomLabel: '1栋1单元1501', title: '车位 B2-017 · 车位月租' });
  expect(JSON.stringify(detail)).toContain('元/个/月');
  const order = await call<CreatedOrder>(
    'payment',
    { action: 'createOrder', billIds: [line.billId] },
    DEMO_USERS.owner,
  );
  expect(order.amountFen).toBe(30_000);
  const paid = await postJson<{ ok: boolean }>(`${cloud.url}/gateway/pay`, {
    package: order.payment.package,
    openid: DEMO_USERS.owner,
    result: 'success',
  });
  expect(paid.body.ok).toBe(true);
  const bill = () => cloud.store.find('bills', { _id: line.billId })[0]!;
  for (let i = 0; i < 100 && bill().status !== 'paid'; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(bill()).toMatchObject({ status: 'paid', paidFen: 30_000 });

  const report = await call<CollectionReport>(
    'report',
    { action: 'collection', communityId: C, period: MONTH },
    DEMO_USERS.finance,
  );
  expect(report.byKind).toEqual([
    expect.objectContaining({
      kind: 'owned',
      label: '产权车位',
      bills: 2,
      dueFen: 12_000,
      collectedFen: 0,
    }),
    expect.objectContaining({
      kind: 'rented',
      label: '月租车位',
      bills: 3,
      dueFen: 71_000,
      collectedFen: 30_000,
      outstandingFen: 41_000,
      amountRateBp: 4225,
    }),
    expect.objectContaining({ kind: 'storeroom', bills: 1, dueFen: 1_275 }),
  ]);
  expect(sum(report.byKind as unknown as Record<string, unknown>[], 'dueFen')).toBe(
    report.total.dueFen,
  );
  // the .xlsx export carries the split as its own sheet
  const file = await call<{ tempFileURL: string }>(
    'report',
    { action: 'export', communityId: C, report: 'collection', period: MONTH },
    DEMO_USERS.finance,
  );
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await (await fetch(file.tempFileURL)).arrayBuffer()) as ArrayBuffer);
  const kinds = wb.getWorksheet('按类型')!;
  expect(JSON.stringify(kinds.getSheetValues())).toContain('月租车位');
  expect(ledgerViolations(cloud)).toEqual([]);
});

describe('staff records', () => {
  test('the list masks holders and plates; only admins change spaces; an end before the start is refused', async () => {
    const list = await community({ action: 'spaces', kind: 'owned' }, DEMO_USERS.cashier);
    expect(list.ok).toBe(true);
    const page = (list as { data: Page<SpaceListItem> }).data;
    const b1 = page.items.find((s) => s.number === 'B1-005')!;
    expect(b1).toMatchObject({
      label: '车位 B1-005',
      holderRoomLabel: '2栋1单元302',
      holderName: '王**',
      plates: ['粤B***C9', '粤B****18'],
      status: 'active',
    });
    expect(JSON.stringify(page)).not.toContain('粤B7Q2C9');
    const forbidden = await community(
      { action: 'saveSpace', number: 'B9-001', kind: 'rented' },
      DEMO_USERS.cashier,
    );
    expect(forbidden).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const early = await community({
      action: 'endSpace',
      spaceId: `sp_${C}_B2-021`,
      endDate: '2026-11-01',
      reason: '测试提前结束',
    });
    expect(early).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect((early as { message: string }).message).toMatch(/^endDate: /);
    const badPlate = await community({
      action: 'saveSpace',
      number: 'B9-001',
      kind: 'rented',
      holderRoomId: 'r_1_1_1502',
      startDate: '2026-12-01',
      plates: ['ABC123'],
    });
    expect(badPlate).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect((badPlate as { message: string }).message).toContain('plates');
  });

  test('a space passes to another holder only after the holding on record ends', async () => {
    const move = (startDate: string) =>
      community({
        action: 'saveSpace',
        spaceId: `sp_${C}_B2-017`,
        number: 'B2-017',
        kind: 'rented',
        holderRoomId: 'r_1_1_1502',
        startDate,
      });
    const refused = await move('2026-12-01');
    expect(refused).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect((refused as { message: string }).message).toMatch(
      /^holderRoomId: 请先结束原使用人的使用/,
    );
    // an edit that keeps the holder is no handover
    expect(
      await community({
        action: 'saveSpace',
        spaceId: `sp_${C}_B2-017`,
        number: 'B2-017',
        kind: 'rented',
        zone: '地下二层 B 区（东）',
        holderRoomId: 'r_1_1_1501',
        startDate: '2026-05-01',
      }),
    ).toMatchObject({ ok: true });
    await community({
      action: 'endSpace',
      spaceId: `sp_${C}_B2-017`,
      endDate: '2026-11-30',
      reason: '退租',
    });
    expect(await move('2026-11-30')).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(await move('2026-12-01')).toMatchObject({
      ok: true,
      data: { holderRoomLabel: '1栋1单元1502', status: 'upcoming' },
    });
  });

  test('export: the import’s columns, holders and plates masked', async () => {
    const file = (
      (await community({ action: 'exportSpaces' }, DEMO_USERS.finance)) as { data: SpacesFile }
    ).data;
    expect(file).toMatchObject({ rowCount: 8, masked: true });
    const bytes = Buffer.from(await (await fetch(file.tempFileURL)).arrayBuffer());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const rows = wb.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows[0]).toContain('车牌');
    const text = JSON.stringify(rows);
    expect(text).toContain('粤B***45');
    expect(text).not.toContain('粤B12345');
  });
});

describe('import through the roster’s spreadsheet path', () => {
  const header = '编号,区域,类型,面积(㎡),楼栋,单元,房号,使用人,车牌,起始日期,结束日期';
  let stamp = 1767225600100;
  /** Uploads as the admin page does (the preview's upload gateway: a fresh cloud per test). */
  const sheet = async (lines: string[]) => {
    const form = new FormData();
    form.append('cloudPath', `imports/${C}/${stamp++}.csv`);
    form.append('openid', DEMO_USERS.admin);
    form.append('file', new Blob([[header, ...lines].join('\n')]), 'spaces.csv');
    const up = await fetch(`${cloud.url}/gateway/upload`, { method: 'POST', body: form });
    return ((await up.json()) as { fileID: string }).fileID;
  };

  test('any bad row refuses the whole file with a report by row; nothing is written', async () => {
    const before = counts(cloud);
    const fileID = await sheet([
      'B3-001,地下三层,月租车位,,1,1,1502,,粤B55555,2026-12-01,',
      'B3-002,地下三层,包月,,1,1,1502,,,2026-12-01,',
      'B3-001,地下三层,产权车位,,,,,,,,',
      'B3-003,地下三层,月租车位,,9,1,101,,,2026-12-01,',
      'B3-004,地下三层,月租车位,,1,1,1502,,AB-123,2026-12-01,2026-11-01',
    ]);
    const report = (
      (await community({ action: 'importSpaces', fileID, apply: true })) as {
        data: SpaceImportReport;
      }
    ).data;
    expect(report.status).toBe('invalid');
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([
      [3, '类型'],
      [4, '编号'],
      [5, '房号'],
      [6, '车牌'],
      [6, '结束日期'],
    ]);
    expect(report.errors[2]!.message).toBe('没有 9栋1单元101 这间房屋');
    expect(report.errorCount).toBe(5);
    expect(counts(cloud)).toEqual(before);
  });

  test('an unmasked export (admin only) imports back unchanged', async () => {
    expect(
      await community({ action: 'exportSpaces', unmasked: true }, DEMO_USERS.finance),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const file = (
      (await community({ action: 'exportSpaces', unmasked: true })) as { data: SpacesFile }
    ).data;
    expect(file.masked).toBe(false);
    const bytes = Buffer.from(await (await fetch(file.tempFileURL)).arrayBuffer());
    const form = new FormData();
    form.append('cloudPath', `imports/${C}/${stamp++}.xlsx`);
    form.append('openid', DEMO_USERS.admin);
    form.append('file', new Blob([bytes]), 'spaces.xlsx');
    const up = await fetch(`${cloud.url}/gateway/upload`, { method: 'POST', body: form });
    const { fileID } = (await up.json()) as { fileID: string };
    const report = (
      (await community({ action: 'importSpaces', fileID })) as { data: SpaceImportReport }
    ).data;
    expect(report).toMatchObject({
      status: 'ready',
      errorCount: 0,
      counts: { added: 0, changed: 0, unchanged: 8 },
    });
  });

  test('a clean file adds and changes by number; the same file again changes nothing', async () => {
    const fileID = await sheet([
      'B3-001,地下三层,月租车位,,1,1,1502,,粤B55555,2026-12-01,',
      'S-04,1 栋负一层,储藏室,9.20,1,1,1502,,,2026-12-01,',
    ]);
    const first = (
      (await community({ action: 'importSpaces', fileID, apply: true })) as {
        data: SpaceImportReport;
      }
    ).data;
    expect(first).toMatchObject({
      status: 'applied',
      counts: { added: 1, changed: 1, unchanged: 0 },
    });
    const added = cloud.store.find('spaces', { _id: `sp_${C}_B3-001` })[0]!;
    expect(added).toMatchObject({
      holderRoomId: 'r_1_1_1502',
      plates: ['粤B55555'],
      startDate: '2026-12-01',
    });
    expect(added.holderOwnerId).toBeTruthy();
    const before = counts(cloud);
    const again = (
      (await community({ action: 'importSpaces', fileID, apply: false })) as {
        data: SpaceImportReport;
      }
    ).data;
    expect(again).toMatchObject({
      status: 'ready',
      counts: { added: 0, changed: 0, unchanged: 2 },
    });
    expect(counts(cloud)).toEqual(before);
  });
});
