/** Late fee (滞纳金): off by default, grace days, cap, pauses, idempotent accrual (fee/late-fee.ts). */
import fc from 'fast-check';
import {
  LATE_FEE_OFF,
  type LateFeeRule,
  type LateFeeState,
  accrueLateFee,
  addDays,
  chargeableDays,
  firstChargeableDay,
  lateFeeCapFen,
  lateFeeFor,
} from '../../miniprogram/domain/fee';

/** 0.05% a day (万分之五), 10 grace days, capped at 10% of the principal. */
const rule: LateFeeRule = {
  enabled: true,
  rateBpPerDay: 5,
  graceDays: 10,
  cap: { kind: 'percentOfPrincipal', bp: 1000 },
};
const principal = 63076; // ¥630.76
const dueDate = '2026-04-15';
const fresh: LateFeeState = { accruedFen: 0, accruedThrough: null };

describe('lateFeeFor', () => {
  test.each([
    // 63076 × 0.0005 = 31.538 fen a day
    [0, 0],
    [1, 32], // 31.538 → 32
    [10, 315], // 315.38 → 315
    [100, 3154], // 3153.8 → 3154
    [199, 6276], // 6276.062 → 6276
    [200, 6307], // 6307.6 → 6308, capped at ⌊10% × 63076⌋ = 6307
    [1000, 6307],
  ])('%i days → %i fen', (days, fen) => expect(lateFeeFor(rule, principal, days)).toBe(fen));

  test('off by default', () => {
    expect(lateFeeFor(LATE_FEE_OFF, principal, 365)).toBe(0);
    expect(lateFeeFor({ ...rule, enabled: false }, principal, 365)).toBe(0);
  });

  test('a fixed cap', () => {
    const fixed: LateFeeRule = { ...rule, cap: { kind: 'fixed', fen: 5000 } };
    expect(lateFeeFor(fixed, principal, 1000)).toBe(5000);
    expect(lateFeeCapFen(fixed, principal)).toBe(5000);
  });

  test('never exceeds the cap and is monotone in days', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e10 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 10000 }),
        fc.constantFrom('halfUp', 'up', 'down') as fc.Arbitrary<LateFeeRule['rounding']>,
        (p, rate, d1, d2, capBp, rounding) => {
          const r: LateFeeRule = {
            ...rule,
            rateBpPerDay: rate,
            cap: { kind: 'percentOfPrincipal', bp: capBp },
            rounding,
          };
          const [a, b] = d1 <= d2 ? [d1, d2] : [d2, d1];
          const fa = lateFeeFor(r, p, a);
          const fb = lateFeeFor(r, p, b);
          expect(Number.isSafeInteger(fb)).toBe(true);
          expect(fa).toBeGreaterThanOrEqual(0);
          expect(fb).toBeLessThanOrEqual(lateFeeCapFen(r, p));
          expect(fa).toBeLessThanOrEqual(fb);
        },
      ),
    );
  });
});

describe('day counting', () => {
  test('grace days: the first chargeable day is due date + grace + 1', () => {
    expect(firstChargeableDay(dueDate, 10)).toBe('2026-04-26');
    expect(firstChargeableDay(dueDate, 0)).toBe('2026-04-16');
  });

  test('pauses (an open dispute) are not counted, overlapping pauses once', () => {
    // 04-26..05-05 = 10 days; paused 04-28..04-30 and 04-30..05-01 → 4 days
    expect(chargeableDays('2026-04-26', '2026-05-05')).toBe(10);
    expect(
      chargeableDays('2026-04-26', '2026-05-05', [
        { from: '2026-04-28', to: '2026-04-30' },
        { from: '2026-04-30', to: '2026-05-01' },
      ]),
    ).toBe(6);
    expect(chargeableDays('2026-04-26', '2026-05-05', [{ from: '2026-05-01' }])).toBe(5);
  });
});

describe('accrueLateFee', () => {
  const run = (
    state: LateFeeState,
    asOf: string,
    extra: Partial<Parameters<typeof accrueLateFee>[0]> = {},
  ) => accrueLateFee({ rule, principalFen: principal, dueDate, state, asOf, ...extra });

  test('nothing within the grace period', () => {
    const r = run(fresh, '2026-04-25');
    expect(r.addFen).toBe(0);
    expect(r.newDays).toBe(0);
  });

  test('accrues from the day after grace; a re-run adds nothing', () => {
    // 04-26..05-05 = 10 days → 315.38 → 315
    const first = run(fresh, '2026-05-05');
    expect(first).toEqual({
      addFen: 315,
      state: { accruedFen: 315, accruedThrough: '2026-05-05' },
      newDays: 10,
      capped: false,
    });
    expect(run(first.state, '2026-05-05').addFen).toBe(0);
    expect(run(first.state, '2026-05-01').addFen).toBe(0);
  });

  test('daily runs add up to the one-shot amount (no rounding drift)', () => {
    // 04-30 (5 days → 157.69 → 158), then 05-05 (10 days → 315): adds 157
    const a = run(fresh, '2026-04-30');
    expect(a.addFen).toBe(158);
    const b = run(a.state, '2026-05-05');
    expect(b.addFen).toBe(157);
    expect(b.state.accruedFen).toBe(lateFeeFor(rule, principal, 10));
  });

  test('stops at the cap', () => {
    // 300 days would be 9461.4; the cap is 6307
    const r = run(fresh, addDays('2026-04-25', 300));
    expect(r.addFen).toBe(6307);
    expect(r.capped).toBe(true);
    expect(run(r.state, addDays('2026-04-25', 400)).addFen).toBe(0);
  });

  test('after a partial payment new days accrue on the smaller principal', () => {
    const a = run(fresh, '2026-05-05'); // 315
    // 10 more days on 30000: 30000 × 0.0005 × 20 − 30000 × 0.0005 × 10 = 300 − 150 = 150
    const b = run(a.state, '2026-05-15', { principalFen: 30000, capBaseFen: principal });
    expect(b.addFen).toBe(150);
    expect(b.state.accruedFen).toBe(465);
  });

  test('off: never accrues', () => {
    expect(
      accrueLateFee({
        rule: LATE_FEE_OFF,
        principalFen: principal,
        dueDate,
        state: fresh,
        asOf: '2027-01-01',
      }).addFen,
    ).toBe(0);
  });

  test('any sequence of runs: never above the cap, never a day twice, idempotent', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e8 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 30 }),
        fc.array(fc.integer({ min: -10, max: 400 }), { minLength: 1, maxLength: 12 }),
        (p, rate, grace, offsets) => {
          const r: LateFeeRule = { ...rule, rateBpPerDay: rate, graceDays: grace };
          let state = fresh;
          let days = 0;
          for (const offset of offsets) {
            const asOf = addDays(dueDate, offset);
            const step = accrueLateFee({ rule: r, principalFen: p, dueDate, state, asOf });
            const again = accrueLateFee({
              rule: r,
              principalFen: p,
              dueDate,
              state: step.state,
              asOf,
            });
            expect(again.addFen).toBe(0);
            expect(step.addFen).toBeGreaterThanOrEqual(0);
            days += step.newDays;
            state = step.state;
            expect(state.accruedFen).toBeLessThanOrEqual(lateFeeCapFen(r, p));
          }
          const through = state.accruedThrough;
          const total = through ? chargeableDays(firstChargeableDay(dueDate, grace), through) : 0;
          expect(days).toBe(total);
          // with a constant principal the runs add up to the one-shot fee
          expect(state.accruedFen).toBe(lateFeeFor(r, p, total));
        },
      ),
    );
  });
});
