/**
 * Years of cashiers' shifts (交班日结) in a generated community: `count` closed shifts — most
 * confirmed by finance — over a few cashiers, their totals frozen at the close as the close
 * stores them, and their open times in pairs that share a minute (so a page can end inside a
 * tie). Used by the bench (`payment.shifts` among the staff lists) and the paging tests.
 */
import type { Store } from '../cloud/store';
import { shiftTotals } from '../../miniprogram/domain/payment/shift';
import { COMMUNITY } from './rooms';

export const SHIFTS_FROM = Date.parse('2024-01-02T08:00:00+08:00');
export const BENCH_CASHIERS = ['o_bench_cashier1', 'o_bench_cashier2', 'o_bench_cashier3'];
export const BENCH_FINANCE = 'o_bench_finance';

/** Inserts the shifts and the cashiers' and finance's grants; shiftId → cashier. */
export function seedShifts(store: Store, count: number): Map<string, string> {
  store.insert('staff_roles', [
    ...BENCH_CASHIERS.map((openid, i) => ({
      _id: `${COMMUNITY}:${openid}`,
      communityId: COMMUNITY,
      openid,
      roles: ['cashier'],
      name: `收银员${i + 1}`,
    })),
    {
      _id: `${COMMUNITY}:${BENCH_FINANCE}`,
      communityId: COMMUNITY,
      openid: BENCH_FINANCE,
      roles: ['finance'],
      name: '财务小王',
    },
  ]);
  const totals = shiftTotals(
    [
      {
        paymentId: 'pay_bench',
        receiptNo: 'SJ2024-000001',
        channel: 'cash',
        amountFen: 63_276,
        paidAt: new Date(SHIFTS_FROM).toISOString(),
      },
    ],
    [],
  );
  const out = new Map<string, string>();
  const docs = Array.from({ length: count }, (_, k) => {
    const cashier = BENCH_CASHIERS[k % BENCH_CASHIERS.length]!;
    const no = Math.floor(k / BENCH_CASHIERS.length) + 1;
    const _id = `${COMMUNITY}:${cashier}:${no}`;
    const openedAt = new Date(SHIFTS_FROM + Math.floor(k / 2) * 60_000);
    const closedAt = new Date(openedAt.getTime() + 8 * 3_600_000);
    const confirmed = k % 4 !== 0;
    out.set(_id, cashier);
    return {
      _id,
      communityId: COMMUNITY,
      cashier,
      no,
      status: confirmed ? 'confirmed' : 'closed',
      openedAt,
      entries: 1,
      closedAt,
      declaredCashFen: 63_276,
      expectedCashFen: 63_276,
      differenceFen: 0,
      totals,
      ...(confirmed ? { confirmedBy: BENCH_FINANCE, confirmedAt: closedAt, confirmNote: '' } : {}),
    };
  });
  store.insert('cashier_shifts', docs);
  return out;
}
