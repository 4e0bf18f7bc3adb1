/**
 * The ledger's pure rules (cloudfunctions/_shared/ledger/state.ts) and the one status rule
 * (domain/fee/bill.ts billStatus): what each operation leaves on a bill, with the status always
 * following from the amounts.
 */
import fc from 'fast-check';
import { billStatus, outstandingFen } from '../../miniprogram/domain/fee/bill';
import {
  afterAccrual,
  afterPayment,
  afterWaiver,
  issuedBill,
  lateFeeStateOf,
} from '../../cloudfunctions/_shared/ledger/state';

const bill = (amountDueFen: number, lateFeeFen: number, paidFen: number) => ({
  amountDueFen,
  lateFeeFen,
  paidFen,
  status: billStatus({ amountDueFen, lateFeeFen, paidFen }),
});

describe('billStatus', () => {
  test.each([
    [10_000, 0, 0, 'unpaid'],
    [10_000, 0, 1, 'partial'],
    [10_000, 500, 10_000, 'partial'],
    [10_000, 500, 10_500, 'paid'],
    [10_000, 0, 10_000, 'paid'],
  ] as const)('due %i, late fee %i, paid %i → %s', (due, late, paid, status) => {
    expect(billStatus({ amountDueFen: due, lateFeeFen: late, paidFen: paid })).toBe(status);
  });

  test('a voided bill stays void', () => {
    expect(billStatus({ amountDueFen: 100, lateFeeFen: 0, paidFen: 100, status: 'void' })).toBe(
      'void',
    );
  });

  test('open exactly while something is outstanding, once anything is paid', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 11_000_000 }),
        (due, late, paid) => {
          const b = bill(due, late, Math.min(paid, due + late));
          expect(b.status === 'paid').toBe(outstandingFen(b) === 0);
        },
      ),
    );
  });
});

describe('the state each operation leaves', () => {
  test('issuing: no late fee, paid from prepaid up to the amount due', () => {
    expect(issuedBill({ amountDueFen: 30_000 })).toEqual({
      amountDueFen: 30_000,
      lateFeeFen: 0,
      paidFen: 0,
      prepaidAppliedFen: 0,
      status: 'unpaid',
    });
    expect(issuedBill({ amountDueFen: 30_000 }, 50_000)).toMatchObject({
      paidFen: 30_000,
      prepaidAppliedFen: 30_000,
      status: 'paid',
    });
    expect(issuedBill({ amountDueFen: 30_000 }, -5).paidFen).toBe(0);
  });

  test('a payment and its reversal move paid and status together', () => {
    const b = bill(10_000, 300, 0);
    expect(afterPayment(b, 4_000)).toEqual({ paidFen: 4_000, status: 'partial' });
    expect(afterPayment(b, 10_300)).toEqual({ paidFen: 10_300, status: 'paid' });
    expect(afterPayment(bill(10_000, 300, 10_300), -10_300)).toEqual({
      paidFen: 0,
      status: 'unpaid',
    });
  });

  test('accrual adds to the late fee and keeps what was waived', () => {
    const b = { ...bill(10_000, 300, 0), lateFee: lateFeeStateOf({ ...bill(10_000, 300, 0) }) };
    b.lateFee.waivedFen = 100;
    expect(afterAccrual(b, 30, { accruedFen: 430, accruedThrough: '2026-12-31' })).toEqual({
      lateFeeFen: 330,
      lateFee: { accruedFen: 430, accruedThrough: '2026-12-31', waivedFen: 100 },
    });
  });

  test('a waiver that leaves nothing owing settles the bill in the same change', () => {
    const owingOnlyLateFee = {
      ...bill(50_000, 1_000, 50_000),
      lateFee: { accruedFen: 1_000, accruedThrough: '2026-11-20', waivedFen: 0 },
    };
    expect(afterWaiver(owingOnlyLateFee, 1_000)).toEqual({
      lateFeeFen: 0,
      lateFee: { accruedFen: 1_000, accruedThrough: '2026-11-20', waivedFen: 1_000 },
      status: 'paid',
    });
    expect(afterWaiver(owingOnlyLateFee, 400).status).toBe('partial');
    // A bill accrued before the state was kept: what it carries counts as accrued.
    expect(afterWaiver(bill(100, 50, 0), 50).lateFee).toEqual({
      accruedFen: 50,
      accruedThrough: null,
      waivedFen: 50,
    });
  });
});
