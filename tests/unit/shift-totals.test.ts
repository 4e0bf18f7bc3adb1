/**
 * The shift's pure rules (miniprogram/domain/payment/shift.ts): totals by channel, receipts first
 * to last across the sequence, red receipts as voided with the shift they correct, deposits taken
 * and paid back as their own lines (not fee income) but in the cash that should be in the drawer,
 * and the sheet's lines.
 */
import {
  differenceText,
  shiftSheetDoc,
  shiftEntryCount,
  shiftTotals,
  withDepositLines,
  type ShiftDepositEntry,
  type ShiftEntry,
  type ShiftView,
} from '../../miniprogram/domain/payment/shift';

const at = '2026-11-26T01:00:00.000Z';
const ENTRIES: ShiftEntry[] = [
  { paymentId: 'b', receiptNo: 'SJ2026-000012', channel: 'card', amountFen: 8_000, paidAt: at },
  { paymentId: 'a', receiptNo: 'SJ2026-000010', channel: 'cash', amountFen: 12_000, paidAt: at },
  { paymentId: 'c', receiptNo: 'SJ2026-000011', channel: 'cash', amountFen: 500, paidAt: at },
  {
    paymentId: 'r',
    receiptNo: 'HZ2026-000003',
    channel: 'cash',
    amountFen: -2_000,
    paidAt: at,
    reversesReceiptNo: 'SJ2026-000002',
    correctionOfShiftNo: 4,
  },
];

test('totals by channel in the channels’ order, receipts first to last, red receipts voided', () => {
  const t = shiftTotals(ENTRIES);
  expect(
    t.byChannel.map((c) => [c.channel, c.count, c.receivedFen, c.reversedFen, c.netFen]),
  ).toEqual([
    ['cash', 2, 12_500, 2_000, 10_500],
    ['card', 1, 8_000, 0, 8_000],
  ]);
  expect(t).toMatchObject({
    receivedFen: 20_500,
    reversedFen: 2_000,
    netFen: 18_500,
    expectedCashFen: 10_500,
    receipts: { count: 3, first: 'SJ2026-000010', last: 'SJ2026-000012' },
    voided: {
      count: 1,
      amountFen: 2_000,
      items: [
        {
          receiptNo: 'HZ2026-000003',
          reversesReceiptNo: 'SJ2026-000002',
          amountFen: 2_000,
          correctionOfShiftNo: 4,
        },
      ],
    },
  });
  expect(shiftTotals([])).toMatchObject({
    netFen: 0,
    expectedCashFen: 0,
    receipts: { count: 0, first: null, last: null },
  });
});

test('a difference reads as short or over; the sheet names both and the correction', () => {
  expect([-50, 0, 120].map(differenceText)).toEqual(['短款 ¥0.50', '无差异', '长款 ¥1.20']);
  const view: ShiftView = {
    shiftId: 'c:o:5',
    communityId: 'c',
    no: 5,
    cashier: 'o',
    cashierName: '陈收费员',
    status: 'closed',
    statusLabel: '已交班，待财务确认',
    openedAt: at,
    closedAt: at,
    totals: shiftTotals(ENTRIES),
    declaredCashFen: 10_450,
    differenceFen: -50,
    note: '找零误差',
  };
  const doc = shiftSheetDoc(view, { name: '翠湖花园' }, new Date(at));
  const text = JSON.stringify(doc.blocks);
  expect(doc.title).toBe('交班日结单 陈收费员 第5班');
  for (const s of [
    '3 张，SJ2026-000010 至 SJ2026-000012',
    '短款 ¥0.50',
    '找零误差',
    '更正第 4 班',
    '¥185.00',
  ])
    expect(text).toContain(s);
});

const DEPOSITS: ShiftDepositEntry[] = [
  {
    entryId: 'dc_2',
    receiptNo: 'YJ2026-000008',
    kind: 'collect',
    channel: 'card',
    amountFen: 50_000,
    at,
  },
  {
    entryId: 'dc_1',
    receiptNo: 'YJ2026-000007',
    kind: 'collect',
    channel: 'cash',
    amountFen: 300_000,
    at,
  },
  {
    entryId: 'dr_9',
    receiptNo: 'YH2026-000002',
    kind: 'release',
    channel: 'cash',
    amountFen: 150_000,
    at,
    correctionOfShiftNo: 3,
  },
];

test('deposits are their own lines, not fee income, and move the cash expected (in less out)', () => {
  const t = shiftTotals(ENTRIES, DEPOSITS);
  const fees = shiftTotals(ENTRIES);
  // fee income by channel is untouched by deposits
  expect(t.byChannel).toEqual(fees.byChannel);
  expect([t.receivedFen, t.netFen, t.receipts, t.voided]).toEqual([
    fees.receivedFen,
    fees.netFen,
    fees.receipts,
    fees.voided,
  ]);
  expect(t.deposits.collected).toMatchObject({
    count: 2,
    amountFen: 350_000,
    cashFen: 300_000,
    first: 'YJ2026-000007',
    last: 'YJ2026-000008',
  });
  expect(t.deposits.refunded).toMatchObject({
    count: 1,
    amountFen: 150_000,
    cashFen: 150_000,
    first: 'YH2026-000002',
    items: [{ receiptNo: 'YH2026-000002', label: '现金', correctionOfShiftNo: 3 }],
  });
  // 10,500 of fee cash + 300,000 cash deposit − 150,000 cash deposit refund
  expect(t.expectedCashFen).toBe(160_500);
  expect(shiftEntryCount(t)).toBe(ENTRIES.length + DEPOSITS.length);
  // totals frozen before deposits were counted read as none
  const { deposits: _none, ...old } = fees;
  expect(withDepositLines(old).deposits).toEqual(shiftTotals([]).deposits);

  const view: ShiftView = {
    shiftId: 'c:o:6',
    communityId: 'c',
    no: 6,
    cashier: 'o',
    cashierName: '陈收费员',
    status: 'open',
    statusLabel: '当班中',
    openedAt: at,
    totals: t,
  };
  const text = JSON.stringify(shiftSheetDoc(view, { name: '翠湖花园' }, new Date(at)).blocks);
  for (const s of [
    '2 笔 ¥3,500.00（现金 ¥3,000.00），YJ2026-000007 至 YJ2026-000008',
    '1 笔 ¥1,500.00，YH2026-000002',
    '¥1,605.00（含押金现金 ¥1,500.00）',
    '第 3 班收取',
  ])
    expect(text).toContain(s);
});
