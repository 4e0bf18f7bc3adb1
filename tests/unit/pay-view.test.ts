/** The pure helpers behind the payment pages: part amounts, result states, typed yuan. */
import { CHANNEL_LABELS } from '../../miniprogram/domain/payment/channels';
import { checkPartAmount, resultStatus, type SheetOutcome } from '../../miniprogram/utils/pay-view';
import { fenToYuanString, parseYuanInput } from '../../miniprogram/domain/kernel/money';
import { formatDateTime } from '../../miniprogram/domain/kernel/time';
import { CHANNEL_TEXT, groupByYear, toReceiptItemView } from '../../miniprogram/utils/receipt-view';
import fc from 'fast-check';
import type { OrderStatus } from '../../miniprogram/domain/payment/contract';

describe('parseYuanInput', () => {
  test.each([
    ['965', 96500],
    ['965.5', 96550],
    ['965.50', 96550],
    ['0.05', 5],
    [' 12 ', 1200],
    ['12.', 1200],
    ['12元', 1200],
    ['0', 0],
  ])('%j → %i fen', (text, fen) => expect(parseYuanInput(text)).toBe(fen));

  test.each(['', 'abc', '1.234', '-5', '1,000', '01', '.5', '1e3', '12.3.4', '１２'])(
    '%j is not an amount',
    (text) => expect(parseYuanInput(text)).toBeNull(),
  );

  test('round-trips with fenToYuanString for every amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999_999 }), (fen) => {
        expect(parseYuanInput(fenToYuanString(fen))).toBe(fen);
      }),
    );
  });
});

test('formatDateTime shows Beijing time', () => {
  expect(formatDateTime('2026-11-27T16:03:00.000Z')).toBe('2026年11月28日 00:03');
  expect(formatDateTime('not a date')).toBe('not a date');
});

describe('checkPartAmount', () => {
  test.each([
    ['500', 50000, ''],
    ['2060.76', 206076, ''],
    ['2060.77', null, '不能超过应缴合计 ¥2,060.76'],
    ['0', null, '金额应大于 0'],
    ['五百', null, '请输入正确的金额，如 500 或 500.50'],
  ])('%j of ¥2,060.76', (text, fen, error) => {
    expect(checkPartAmount(text, 206076)).toEqual({ fen, error });
  });
});

describe('resultStatus: the server decides, the sheet only colours a pending answer', () => {
  const cases: [OrderStatus, SheetOutcome, string][] = [
    ['paid', 'paid', 'paid'],
    ['paid', 'fail', 'paid'],
    ['paid', 'cancel', 'paid'],
    ['pending', 'paid', 'pending'],
    ['pending', 'fail', 'failed'],
    ['pending', 'cancel', 'cancel'],
    ['closed', 'paid', 'failed'],
    ['failed', 'paid', 'failed'],
    ['exception', 'paid', 'exception'],
  ];
  test.each(cases)('%s + sheet %s → %s', (status, sheet, shown) => {
    expect(resultStatus({ outTradeNo: 'PF1', status, amountFen: 1 }, sheet)).toBe(shown);
  });
});

describe('receipt views', () => {
  test('channel labels match the server’s', () => {
    expect(CHANNEL_TEXT).toEqual(CHANNEL_LABELS);
  });

  test('receipts are grouped by the year they were paid, in Beijing time, with totals', () => {
    const items = [
      { paidAt: '2026-03-05T01:20:00.000Z', amountFen: 96500 },
      { paidAt: '2026-01-01T15:59:00.000Z', amountFen: 100 },
      // 2025-12-31 16:30 UTC is already 2026 in Beijing
      { paidAt: '2025-12-31T16:30:00.000Z', amountFen: 1 },
      { paidAt: '2025-12-04T02:16:00.000Z', amountFen: 63076 },
    ].map((r, i) =>
      toReceiptItemView({
        paymentId: `p${i}`,
        receiptNo: `SJ-${i}`,
        channel: 'wechat',
        roomLabels: [],
        ...r,
      }),
    );
    const years = groupByYear(items);
    expect(years.map((y) => [y.year, y.count, y.totalText])).toEqual([
      ['2026', 3, '¥966.01'],
      ['2025', 1, '¥630.76'],
    ]);
    expect(items[0]!.roomsText).toBe('预存款');
  });
});
