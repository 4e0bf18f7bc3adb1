/** The ledger invariants find each kind of violation and accept a consistent ledger. */
import { checkLedger, type LedgerData } from '../../miniprogram/domain/ledger/invariants';

function ledger(): LedgerData {
  return {
    bills: [
      { _id: 'b1', amountDueFen: 63076, lateFeeFen: 0, paidFen: 63076 },
      {
        _id: 'b2',
        communityId: 'c',
        items: [{ itemId: 'property', amountFen: 21025 }],
        amountDueFen: 21025,
        lateFeeFen: 100,
        paidFen: 10000,
        lateFee: { accruedFen: 160, accruedThrough: '2026-11-20', waivedFen: 60 },
      },
    ],
    payments: [
      {
        _id: 'p1',
        communityId: 'c',
        amountFen: 63076,
        prepaidFen: 0,
        allocations: [{ billId: 'b1', amountFen: 63076 }],
        receiptNo: 'SJ2026-000001',
        outTradeNo: 'T1',
      },
      {
        _id: 'p2',
        communityId: 'c',
        amountFen: 15000,
        prepaidFen: 5000,
        allocations: [{ billId: 'b2', amountFen: 10000 }],
        receiptNo: 'SJ2026-000002',
      },
    ],
    prepaidAccounts: [{ _id: 'r1', balanceFen: 5000 }],
    prepaidEntries: [{ roomId: 'r1', amountFen: 5000 }],
    // 0.3% a day, at most 5% of the amount due: the cap on b2 is 1,051 fen.
    lateFeeRules: [
      {
        communityId: 'c',
        itemId: 'property',
        rule: {
          enabled: true,
          rateBpPerDay: 30,
          graceDays: 5,
          cap: { kind: 'percentOfPrincipal', bp: 500 },
        },
      },
    ],
  };
}

test('a consistent ledger has no violations', () => {
  expect(checkLedger(ledger())).toEqual([]);
});

test("a billing run's pending entry is in the balance but not yet in the stored amount", () => {
  const l = ledger();
  l.bills.push({ _id: 'b3', amountDueFen: 3000, lateFeeFen: 0, paidFen: 3000 });
  l.prepaidEntries.push({ roomId: 'r1', amountFen: -3000, billId: 'b3', pending: true });
  expect(checkLedger(l)).toEqual([]);
});

test.each<[string, (l: LedgerData) => void, string]>([
  ['bill paid without allocation', (l) => (l.bills[1]!.paidFen = 12000), 'bill-paid-mismatch'],
  [
    'bill overpaid',
    (l) => {
      l.bills[0]!.paidFen = 70000;
      l.payments[0]!.allocations[0]!.amountFen = 70000;
      l.payments[0]!.amountFen = 70000;
    },
    'bill-overpaid',
  ],
  [
    'payment allocations do not add up',
    (l) => (l.payments[1]!.prepaidFen = 4000),
    'payment-unbalanced',
  ],
  [
    'a WeChat order applied twice',
    (l) => (l.payments[1]!.outTradeNo = 'T1'),
    'order-applied-twice',
  ],
  [
    'a duplicate receipt number',
    (l) => (l.payments[1]!.receiptNo = 'SJ2026-000001'),
    'receipt-duplicate',
  ],
  ['a gap in receipt numbers', (l) => (l.payments[1]!.receiptNo = 'SJ2026-000003'), 'receipt-gap'],
  [
    'prepaid balance without entries',
    (l) => (l.prepaidAccounts[0]!.balanceFen = 6000),
    'prepaid-mismatch',
  ],
  [
    'a pending billing-run entry counted as if folded into the stored balance',
    (l) => {
      l.bills.push({ _id: 'b3', amountDueFen: 3000, lateFeeFen: 0, paidFen: 3000 });
      l.prepaidEntries.push({ roomId: 'r1', amountFen: -3000, billId: 'b3', pending: true });
      l.prepaidAccounts[0]!.balanceFen = 2000;
    },
    'prepaid-mismatch',
  ],
  [
    'a billing run paid more from the balance than it held',
    (l) => {
      l.bills.push({ _id: 'b3', amountDueFen: 6000, lateFeeFen: 0, paidFen: 6000 });
      l.prepaidEntries.push({ roomId: 'r1', amountFen: -6000, billId: 'b3', pending: true });
    },
    'prepaid-negative',
  ],
  [
    'a prepaid entry of a room without an account',
    (l) => l.prepaidEntries.push({ roomId: 'r9', amountFen: 100 }),
    'prepaid-orphan',
  ],
  [
    'a billing run took prepaid money for a bill that was never issued',
    (l) => l.prepaidEntries.push({ roomId: 'r1', amountFen: -100, billId: 'b9', pending: true }),
    'prepaid-orphan',
  ],
  ['a float amount', (l) => (l.payments[1]!.prepaidFen = 4999.5), 'amount-not-integer'],
  [
    'a payment left without its receipt number',
    (l) => (l.payments[1]!.receiptNo = '待编号:p2'),
    'receipt-pending',
  ],
  [
    'a late fee charged twice for a day (the amount moved, the record did not)',
    (l) => (l.bills[1]!.lateFeeFen = 200),
    'late-fee-mismatch',
  ],
  [
    'a late fee without an accrual record',
    (l) => (l.bills[0]!.lateFeeFen = 50),
    'late-fee-mismatch',
  ],
  [
    'a late fee accrued above the cap',
    (l) => {
      l.bills[1]!.lateFee = { accruedFen: 1200, accruedThrough: '2027-03-01', waivedFen: 1100 };
    },
    'late-fee-over-cap',
  ],
])('%s', (_name, damage, rule) => {
  const l = ledger();
  damage(l);
  expect(checkLedger(l).map((v) => v.rule)).toContain(rule);
});

test('the cap is exact: accrued up to it holds, one fen more does not', () => {
  const at = (accruedFen: number) => {
    const l = ledger();
    l.bills[1]!.lateFee = { accruedFen, accruedThrough: '2027-03-01', waivedFen: accruedFen - 100 };
    return checkLedger(l).map((v) => v.rule);
  };
  expect(at(1051)).toEqual([]);
  expect(at(1052)).toEqual(['late-fee-over-cap']);
});
