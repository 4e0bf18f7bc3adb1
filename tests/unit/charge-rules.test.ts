/**
 * One-off charges and deposits, the pure rules (docs/charges.md): which charges need a second
 * person, what a refund pays back after deductions (never negative, never above what is held),
 * and the deposit invariants `npm run ledger:check` applies: held = collected − released.
 */
import fc from 'fast-check';
import {
  chargeTitle,
  needsApproval,
  refundPlan,
  DEFAULT_CHARGE_APPROVAL_FEN,
} from '../../miniprogram/domain/charge/rules';
import { refundWords } from '../../miniprogram/domain/charge/words';
import {
  checkDeposits,
  depositBalances,
  type LedgerDeposit,
  type LedgerDepositEntry,
} from '../../miniprogram/domain/ledger/deposits';
import { checkLedger } from '../../miniprogram/domain/ledger/invariants';

test('a charge above the threshold (¥500 unless the community says otherwise) needs approval', () => {
  expect(DEFAULT_CHARGE_APPROVAL_FEN).toBe(50_000);
  expect(needsApproval(50_000, 50_000)).toBe(false);
  expect(needsApproval(50_001, 50_000)).toBe(true);
  expect(chargeTitle('access-card')).toBe('门禁卡工本费');
  expect(chargeTitle('other', '钥匙配制')).toBe('其他：钥匙配制');
});

test('a refund pays back what is held less the deductions, never below zero', () => {
  expect(refundPlan(300_000, [])).toEqual({ refundFen: 300_000, deductedFen: 0 });
  expect(
    refundPlan(300_000, [
      { reason: '墙面修补', amountFen: 45_000 },
      { reason: '垃圾清运', amountFen: 5_000 },
    ]),
  ).toEqual({ refundFen: 250_000, deductedFen: 50_000 });
  expect(refundPlan(300_000, [{ reason: '全部扣除', amountFen: 300_000 }])).toEqual({
    refundFen: 0,
    deductedFen: 300_000,
  });
  expect(refundPlan(300_000, [{ reason: '超额', amountFen: 300_001 }])).toBeNull();
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 10_000_000 }),
      fc.array(fc.integer({ min: 1, max: 3_000_000 }), { maxLength: 10 }),
      (held, cuts) => {
        const plan = refundPlan(
          held,
          cuts.map((amountFen) => ({ reason: '扣款', amountFen })),
        );
        if (!plan) return cuts.reduce((s, c) => s + c, 0) > held;
        return plan.refundFen >= 0 && plan.refundFen + plan.deductedFen === held;
      },
    ),
  );
});

test('the refund in words names the deductions', () => {
  expect(refundWords({ refund: null })).toBe('');
  expect(
    refundWords({
      refund: {
        deductions: [{ reason: '墙面修补', amountFen: 50_000 }],
        deductedFen: 50_000,
        refundFen: 250_000,
        channel: 'cash',
        channelLabel: '现金',
        requestedAt: '2026-11-26T02:00:00.000Z',
        acknowledgedAt: null,
        failure: null,
      },
    }),
  ).toBe('退还 ¥2,500.00（现金），扣款 ¥500.00：墙面修补 ¥500.00');
});

function deposits(): { deposits: LedgerDeposit[]; entries: LedgerDepositEntry[] } {
  return {
    deposits: [
      { _id: 'd1', communityId: 'c', amountFen: 300_000, heldFen: 0, status: 'refunded' },
      { _id: 'd2', communityId: 'c', amountFen: 50_000, heldFen: 50_000, status: 'held' },
      { _id: 'd3', communityId: 'c', amountFen: 20_000, heldFen: 0, status: 'requested' },
    ],
    entries: [
      {
        _id: 'dc_d1',
        communityId: 'c',
        depositId: 'd1',
        kind: 'collect',
        amountFen: 300_000,
        receiptNo: 'YJ2026-000001',
      },
      {
        _id: 'dr_d1',
        communityId: 'c',
        depositId: 'd1',
        kind: 'release',
        amountFen: -300_000,
        refundFen: 250_000,
        deductedFen: 50_000,
        deductions: [{ amountFen: 50_000 }],
        receiptNo: 'YH2026-000001',
      },
      {
        _id: 'dc_d2',
        communityId: 'c',
        depositId: 'd2',
        kind: 'collect',
        amountFen: 50_000,
        receiptNo: 'YJ2026-000002',
      },
    ],
  };
}

test('consistent deposits: held = collected − released per community', () => {
  const { deposits: d, entries } = deposits();
  expect(checkDeposits(d, entries)).toEqual([]);
  expect(depositBalances(d, entries).get('c')).toEqual({
    heldFen: 50_000,
    collectedFen: 350_000,
    releasedFen: 300_000,
  });
});

test.each<[string, (d: ReturnType<typeof deposits>) => void, string]>([
  ['held amount edited', (d) => (d.deposits[1]!.heldFen = 40_000), 'deposit-mismatch'],
  ['refunded but still holding', (d) => (d.deposits[0]!.heldFen = 300_000), 'deposit-mismatch'],
  [
    'a second collection',
    (d) => d.entries.push({ ...d.entries[2]!, _id: 'x', receiptNo: 'YJ2026-000003' }),
    'deposit-mismatch',
  ],
  [
    'collected a different amount',
    (d) => (d.entries[2]!.amountFen = 49_000),
    'deposit-entry-invalid',
  ],
  [
    'refund + deduction ≠ released',
    (d) => (d.entries[1]!.refundFen = 260_000),
    'deposit-entry-invalid',
  ],
  [
    'deductions listed ≠ deducted',
    (d) => (d.entries[1]!.deductions = [{ amountFen: 1 }]),
    'deposit-entry-invalid',
  ],
  ['an entry of no deposit', (d) => (d.entries[2]!.depositId = 'nope'), 'deposit-entry-invalid'],
])('%s is flagged', (_, tamper, rule) => {
  const d = deposits();
  tamper(d);
  expect(checkDeposits(d.deposits, d.entries).map((v) => v.rule)).toContain(rule);
});

test('deposit receipts are checked with the payments: a gap or a pending number is flagged', () => {
  const d = deposits();
  d.entries[2]!.receiptNo = 'YJ2026-000003';
  const base = { bills: [], payments: [], prepaidAccounts: [], prepaidEntries: [] };
  expect(
    checkLedger({ ...base, deposits: d.deposits, depositEntries: d.entries }).map((v) => v.rule),
  ).toEqual(['receipt-gap']);
  d.entries[2]!.receiptNo = '待编号:dc_d2';
  expect(
    checkLedger({ ...base, deposits: d.deposits, depositEntries: d.entries }).map((v) => v.rule),
  ).toEqual(['receipt-pending']);
});
