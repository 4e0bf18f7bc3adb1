/**
 * Reports through the local cloud on a hand-built community (report-fixture.ts): every figure
 * below is computed by hand from the fixture's bills and payments, as the comments show.
 */
import ExcelJS from 'exceljs';
import type {
  AgingReport,
  ArrearsReport,
  CollectionReport,
  ReasonsReport,
} from '../../miniprogram/domain/report/contract';
import type { NonpaymentReason } from '../../miniprogram/domain/overdue/vocabulary';
import type { CaseEventView } from '../../miniprogram/domain/overdue/contract';
import { callsTo } from '../helpers/calls';
import { useTestCloud } from '../helpers/cloud';
import { ok } from './community-helpers';
import { fetchLinked } from '../helpers/files';
import {
  RC,
  RC_ADMIN,
  RC_CASHIER,
  RC_FINANCE,
  RC_SERVICE,
  seedRiver,
  seedRiverCases,
  seedRiverComplaints,
} from './report-fixture';

const cloud = useTestCloud({ per: 'file' });
const call = callsTo(cloud);
beforeAll(async () => {
  seedRiver(cloud);
  await cloud.setClock(Date.parse('2026-11-20T10:00:00+08:00'), { fireTimers: false });
});

const report = <T>(action: string, extra: Record<string, unknown> = {}, openid = RC_FINANCE) =>
  call.report<T>({ action, communityId: RC, ...extra }, openid);

test('collection 2026-10: household and amount rates per building, current and 清欠 by channel', async () => {
  const r = ok(await report<CollectionReport>('collection', { period: '2026-10' }));
  expect(r.periods).toEqual(['2026-11', '2026-10', '2026-07', '2026-04', '2025-10']);
  // 清欠 window: from the period's start to the next period with bills (2026-11).
  expect(r.window).toEqual({ from: '2026-10-01', to: '2026-11-01' });
  const [b1, b2] = r.buildings;
  // Building 1: A1 (30000 + 1000 energy, energy refunded → 1000 open), A2 (20000, 5000 paid).
  expect(b1).toMatchObject({
    building: '1',
    billedRooms: 2,
    arrearsRooms: 2,
    dueFen: 51000,
    collectedFen: 35000,
    outstandingFen: 16000,
    householdRateBp: 0,
    amountRateBp: 6863, // 35000 / 51000 = 68.627%
    // P1 31000 − reversal 1000 (wechat), P2 5000 (cash)
    currentByChannel: { wechat: 30000, cash: 5000 },
    // P4: cash 20000 on 10-20 toward 2026-07
    recoveredByChannel: { cash: 20000 },
    recoveredFen: 20000,
  });
  // Building 2: B1 paid 40000 by transfer; B2 10000 open.
  expect(b2).toMatchObject({
    building: '2',
    billedRooms: 2,
    arrearsRooms: 1,
    dueFen: 50000,
    collectedFen: 40000,
    householdRateBp: 5000,
    amountRateBp: 8000,
    currentByChannel: { transfer: 40000 },
    recoveredFen: 0, // P5 (11-02) falls in 2026-11's window
  });
  expect(r.total).toMatchObject({
    billedRooms: 4,
    arrearsRooms: 3,
    householdRateBp: 2500,
    dueFen: 101000,
    collectedFen: 75000,
    amountRateBp: 7426, // 75000 / 101000 = 74.257%
    currentByChannel: { wechat: 30000, cash: 5000, transfer: 40000 },
    recoveredFen: 20000,
  });
});

test('collection without a period picks the latest billed period up to this month', async () => {
  const r = ok(await report<CollectionReport>('collection'));
  expect(r.period).toBe('2026-11');
  // Window runs to tomorrow for the latest period; P5 (wechat 4000 toward 2026-07) is 清欠 here.
  expect(r.window).toEqual({ from: '2026-11-01', to: '2026-11-21' });
  expect(r.total).toMatchObject({
    billedRooms: 1,
    arrearsRooms: 1,
    householdRateBp: 0,
    dueFen: 2000,
    collectedFen: 0,
    recoveredByChannel: { wechat: 4000 },
  });
  const july = ok(await report<CollectionReport>('collection', { period: '2026-07' }));
  // A2 20000 paid, B1 40000 paid, B2 4000 of 10000: 2 of 3 households, 64000 / 70000.
  expect(july.total).toMatchObject({ householdRateBp: 6667, amountRateBp: 9143, recoveredFen: 0 });
});

test('aging as of 2026-11-20 per building and total', async () => {
  const r = ok(await report<AgingReport>('aging'));
  expect(r.asOf).toBe('2026-11-20');
  const [b1, b2] = r.buildings;
  expect(b1!.buckets).toEqual({
    '0-30': { fen: 2000, rooms: 1, bills: 1 }, // A1 2026-11, 5 days
    '31-90': { fen: 16000, rooms: 2, bills: 2 }, // A1 energy 1000 + A2 15000, 36 days
    '91-180': { fen: 0, rooms: 0, bills: 0 },
    '181-365': { fen: 0, rooms: 0, bills: 0 },
    '365+': { fen: 5000, rooms: 1, bills: 1 }, // A2 2025-10, 401 days
  });
  expect(b1).toMatchObject({ totalFen: 23000, rooms: 2 });
  expect(b2!.buckets['31-90'].fen).toBe(10000); // B2 2026-10
  expect(b2!.buckets['91-180'].fen).toBe(6000); // B2 2026-07, 128 days
  expect(b2!.buckets['181-365'].fen).toBe(10000); // B2 2026-04, 219 days
  expect(b2).toMatchObject({ totalFen: 26000, rooms: 1 });
  expect(r.total).toMatchObject({ totalFen: 49000, rooms: 3 });
  expect(r.total.buckets['31-90']).toEqual({ fen: 26000, rooms: 3, bills: 3 });
  // An earlier date: on 2026-10-20 the 2026-11 bill was not due yet.
  const earlier = ok(await report<AgingReport>('aging', { asOf: '2026-10-20' }));
  expect(earlier.total.buckets['0-30'].fen).toBe(1000 + 15000 + 10000);
});

/** A contact recorded through the overdue function's `record` action at the given local time. */
async function recordContact(
  when: string,
  roomId: string,
  channel: 'call' | 'visit',
  reason: NonpaymentReason,
  extra: Record<string, unknown> = {},
) {
  await cloud.setClock(Date.parse(`${when}+08:00`), { fireTimers: false });
  const ev = ok(
    await call.overdue<CaseEventView>(
      {
        action: 'record',
        communityId: RC,
        roomId,
        channel,
        reason,
        notes: '已与业主沟通',
        nextStep: '一周后再联系',
        ...extra,
      },
      RC_SERVICE,
    ),
  );
  expect(ev).toMatchObject({ kind: 'contact', reason, channel });
}

test('largest arrears: escalation stage of the current episode in Chinese, last contact, holds', async () => {
  seedRiverCases(cloud);
  const before = ok(await report<ArrearsReport>('arrears'));
  expect(before.entries.map((e) => [e.roomLabel, e.outstandingFen, e.bills])).toEqual([
    ['2栋1单元102', 26000, 3],
    ['1栋1单元102', 20000, 2],
    ['1栋1单元101', 3000, 2],
  ]);
  expect(before.entries[0]).toMatchObject({
    oldestDueDate: '2026-04-15',
    overdueDays: 219,
    escalationStage: 'formal-notice',
    escalationLabel: '书面催缴函',
    lastContactReason: null,
    lastContactReasonText: '—',
    lastContactAt: null,
    holds: [],
  });
  // 1栋102's account belongs to an episode whose only bill (2026-07) has been paid.
  expect(before.entries[1]).toMatchObject({ escalationStage: null, escalationLabel: '尚未提醒' });
  // 1栋101's account covers its open energy bill.
  expect(before.entries[2]).toMatchObject({
    escalationStage: 'friendly-reminder',
    escalationLabel: '温馨提示',
  });
  expect(ok(await report<ReasonsReport>('reasons'))).toMatchObject({
    reasons: [],
    complaints: { total: 0, fromArrearsRooms: 0 },
    holds: {},
  });

  seedRiverComplaints(cloud);
  // Contacts through the overdue function, each at its own time (the clock moves).
  await recordContact('2026-05-01T10:00:00', 'rA2', 'visit', 'unreachable'); // outside 90 days
  await recordContact('2026-11-01T10:00:00', 'rB2', 'call', 'hardship');
  await recordContact('2026-11-10T10:00:00', 'rB2', 'visit', 'service', { complaintId: 'cp1' });
  await recordContact('2026-11-12T10:00:00', 'rA2', 'call', 'hardship');
  await cloud.setClock(Date.parse('2026-11-20T10:00:00+08:00'), { fireTimers: false });
  expect(cloud.store.count('collection_events', { communityId: RC, kind: 'contact' })).toBe(4);

  const after = ok(await report<ArrearsReport>('arrears', { limit: 2 }));
  expect(after.entries).toHaveLength(2);
  expect(after.entries[0]).toMatchObject({
    roomId: 'rB2',
    escalationLabel: '书面催缴函',
    lastContactReason: 'service',
    lastContactReasonText: '对服务不满意',
    lastContactChannel: 'visit',
    lastContactAt: expect.stringMatching(/^2026-11-10T02:00:/) as unknown,
    holds: ['complaint'],
  });
  expect(after.entries[1]).toMatchObject({
    roomId: 'rA2',
    lastContactReason: 'hardship',
    lastContactReasonText: '经济困难',
    lastContactChannel: 'call',
    lastContactAt: expect.stringMatching(/^2026-11-12T02:00:/) as unknown,
    holds: [],
  });

  // Default window 2026-08-23 … 2026-11-20: the May visit is outside; the suggestion (1栋101)
  // and the June complaint (1栋102) are not counted; 2栋101 (cp2) owes nothing now.
  const reasons = ok(await report<ReasonsReport>('reasons'));
  expect(reasons).toEqual({
    communityName: '临江小区',
    from: '2026-08-23',
    to: '2026-11-20',
    reasons: [
      {
        reason: 'hardship',
        reasonText: '经济困难',
        contacts: 2,
        rooms: 2,
        byChannel: { call: 2 },
      },
      {
        reason: 'service',
        reasonText: '对服务不满意',
        contacts: 1,
        rooms: 1,
        byChannel: { visit: 1 },
      },
    ],
    complaints: { total: 2, fromArrearsRooms: 1 },
    holds: { complaint: { holds: 1, rooms: 1 } },
  });
  // From May: the visit to an absent owner and the June complaint count too.
  const longer = ok(await report<ReasonsReport>('reasons', { from: '2026-05-01' }));
  expect(longer.reasons.map((r) => [r.reasonText, r.contacts, r.rooms])).toEqual([
    ['经济困难', 2, 2],
    ['对服务不满意', 1, 1],
    ['不在家/联系不上', 1, 1],
  ]);
  expect(longer.complaints).toEqual({ total: 3, fromArrearsRooms: 2 });

  // The export carries the same figures.
  const x = ok(await report<{ tempFileURL: string }>('export', { report: 'reasons' }));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await fetchLinked(x)) as unknown as ArrayBuffer);
  const rows = wb.worksheets[0]!.getSheetValues().map((r) =>
    (r as unknown[] | undefined)?.slice(1),
  );
  expect(rows).toContainEqual(['经济困难', 2, 2, 2, 0, 0, 0, 0]);
  expect(rows).toContainEqual(['对服务不满意', 1, 1, 0, 1, 0, 0, 0]);
  expect(rows).toContainEqual(['投诉总数', 2]);
  expect(rows).toContainEqual(['其中来自欠费房屋', 1]);
  const y = ok(await report<{ tempFileURL: string }>('export', { report: 'arrears' }));
  const wb2 = new ExcelJS.Workbook();
  await wb2.xlsx.load((await fetchLinked(y)) as unknown as ArrayBuffer);
  const arrearsRows = wb2.worksheets[0]!.getSheetValues().map((r) =>
    (r as unknown[] | undefined)?.slice(1),
  );
  expect(arrearsRows).toContainEqual([
    '2栋1单元102',
    260,
    3,
    '2026-04-15',
    219,
    '书面催缴函',
    '对服务不满意',
    '上门 2026-11-10',
    '投诉处理中',
  ]);
});

test('export writes an .xlsx to cloud storage with the same figures', async () => {
  const res = ok(
    await report<{ tempFileURL: string; fileName: string }>(
      'export',
      { report: 'collection', period: '2026-10' },
      RC_ADMIN,
    ),
  );
  expect(res.fileName).toBe('收缴率-2026-10.xlsx');
  expect(res.tempFileURL).toMatch(/^http/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await fetchLinked(res)) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const total = ws.getRow(5).values as unknown[];
  expect(total.slice(1, 9)).toEqual(['合计', 4, 3, '25.00%', 1010, 750, 260, '74.26%']);
  for (const kind of ['aging', 'arrears', 'reasons']) {
    const x = ok(await report<{ fileName: string }>('export', { report: kind }));
    expect(x.fileName).toMatch(/\.xlsx$/);
  }
  expect(cloud.store.count('audit_log', { action: 'report.export', communityId: RC })).toBe(6);
});

test('only finance and admin of the community; bad input changes nothing', async () => {
  expect(await report('collection', {}, RC_CASHIER)).toMatchObject({
    ok: false,
    code: 'FORBIDDEN',
  });
  expect(await report('collection', {}, 'o_stranger')).toMatchObject({
    ok: false,
    code: 'FORBIDDEN',
  });
  expect(await report('collection', { period: '2026-13' })).toMatchObject({
    ok: false,
    code: 'INVALID_INPUT',
    message: expect.stringContaining('period') as unknown,
  });
  expect(await report('export', { report: 'everything' })).toMatchObject({
    ok: false,
    code: 'INVALID_INPUT',
  });
});
