/**
 * The shift's pure rules (miniprogram/domain/payment/shift.ts): totals by channel, receipts first
 * to last across the sequence, red receipts as voided with the shift they correct, the cash that
 * should be in the drawer, and the sheet's lines.
 */
import {
  differenceText,
  shiftSheetDoc,
  shiftTotals,
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
