/**
 * Late fee (滞纳金). Contractual only, so off unless the standard enables it; simple interest on
 * the outstanding principal (never on earlier late fees), from the day after the grace period,
 * never above the cap, paused while a dispute or complaint about the bill is open.
 *
 * Day counting: with due date D and g grace days, the first chargeable day is D + g + 1; a run
 * "as of" day X charges every chargeable day up to and including X. What has been charged is
 * remembered as `accruedThrough` (the last day counted), so a re-run never counts a day twice.
 */
import Big from 'big.js';
import { type Fen, assertFen } from '../kernel/money';
import { addDays, assertDate, type DateRange, daysInclusive, intersectRanges } from './period';
import { mergeRanges } from './proration';
import { assertBp } from './rounding';
import type { LateFeeRule } from './types';
import { roundToFen } from '../kernel/exact';

/** The default: no late fee. */
export const LATE_FEE_OFF: LateFeeRule = {
  enabled: false,
  rateBpPerDay: 0,
  graceDays: 0,
  cap: { kind: 'percentOfPrincipal', bp: 0 },
};

export function assertLateFeeRule(rule: LateFeeRule): void {
  assertBp(rule.rateBpPerDay, 'rateBpPerDay');
  if (!Number.isSafeInteger(rule.graceDays) || rule.graceDays < 0) {
    throw new RangeError(`graceDays must be a non-negative integer, got ${rule.graceDays}`);
  }
  if (rule.cap.kind === 'percentOfPrincipal') assertBp(rule.cap.bp, 'cap.bp');
  else {
    assertFen(rule.cap.fen, 'cap.fen');
    if (rule.cap.fen < 0) throw new RangeError('cap.fen must not be negative');
  }
}

/** The most late fee the rule allows on a bill whose principal (amount due) is `capBaseFen`. */
export function lateFeeCapFen(rule: LateFeeRule, capBaseFen: Fen): Fen {
  assertFen(capBaseFen, 'capBaseFen');
  if (rule.cap.kind === 'fixed') return rule.cap.fen;
  return roundToFen(new Big(Math.max(0, capBaseFen)).times(rule.cap.bp), 10000, 'down');
}

function uncappedFen(rule: LateFeeRule, principalFen: Fen, days: number): Big {
  return new Big(principalFen).times(rule.rateBpPerDay).times(days);
}

/**
 * The late fee for `days` chargeable days on `principalFen`: principal × rate × days, rounded
 * once (rule.rounding, default half-up), never above the cap (by default a share of the same
 * principal; pass `capBaseFen` when the cap is measured on the original amount due). 0 when the
 * rule is off. Monotone in days.
 */
export function lateFeeFor(
  rule: LateFeeRule,
  principalFen: Fen,
  days: number,
  capBaseFen: Fen = principalFen,
): Fen {
  assertFen(principalFen, 'principalFen');
  if (!Number.isSafeInteger(days) || days < 0)
    throw new RangeError(`days must be ≥ 0, got ${days}`);
  if (!rule.enabled || principalFen <= 0 || days === 0) return 0;
  assertLateFeeRule(rule);
  const fee = roundToFen(uncappedFen(rule, principalFen, days), 10000, rule.rounding ?? 'halfUp');
  return Math.min(fee, lateFeeCapFen(rule, capBaseFen));
}

/** First day a late fee may accrue: the day after the due date plus the grace days. */
export function firstChargeableDay(dueDate: string, graceDays: number): string {
  assertDate(dueDate, 'dueDate');
  return addDays(dueDate, graceDays + 1);
}

/** A pause (open dispute/complaint): inclusive; `to` absent while still open. */
export interface LateFeePause {
  from: string;
  to?: string | null;
}

/** Chargeable days from `first` through `through` (inclusive), less paused days. */
export function chargeableDays(
  first: string,
  through: string,
  pauses: readonly LateFeePause[] = [],
): number {
  assertDate(first, 'first');
  assertDate(through, 'through');
  if (through < first) return 0;
  const window: DateRange = { from: first, to: through };
  const paused = mergeRanges(
    pauses.map((p) => {
      assertDate(p.from, 'pause.from');
      if (p.to != null) assertDate(p.to, 'pause.to');
      return { from: p.from, to: p.to ?? through };
    }),
    (d) => addDays(d, 1),
  )
    .map((r) => intersectRanges(r, window))
    .reduce((sum, r) => sum + (r ? daysInclusive(r.from, r.to) : 0), 0);
  return daysInclusive(first, through) - paused;
}

/** What a bill has accrued so far, as stored on it. */
export interface LateFeeState {
  accruedFen: Fen;
  /** Last day already counted, or null before the first run. */
  accruedThrough: string | null;
}

export interface LateFeeAccrualInput {
  rule: LateFeeRule;
  /** Outstanding principal now (amount due − payments), excluding any late fee. */
  principalFen: Fen;
  /** What the cap is measured on (the bill's amount due); default `principalFen`. */
  capBaseFen?: Fen;
  dueDate: string;
  state: LateFeeState;
  /** Count days up to and including this day (today in Asia/Shanghai). */
  asOf: string;
  /** Every pause of this bill so far (open ones without `to`). */
  pauses?: readonly LateFeePause[];
}

export interface LateFeeAccrual {
  /** To add to the bill's late fee now (≥ 0). */
  addFen: Fen;
  /** State to store: accruedFen + addFen, and the last day counted. */
  state: LateFeeState;
  /** Chargeable days newly counted by this run. */
  newDays: number;
  /** True when the cap stopped the accrual. */
  capped: boolean;
}

/**
 * Accrues the late fee for the chargeable days after `state.accruedThrough` up to `asOf`.
 * Idempotent: a re-run with the same or an earlier `asOf` adds nothing. Never exceeds the cap
 * (measured against everything already accrued). The amount for the new days is the difference
 * of the one-shot fees `fee(all days) − fee(days before)` at the current principal, so with an
 * unchanged principal any sequence of runs adds up to exactly `lateFeeFor(total days)` (no
 * rounding drift); after a partial payment the new days accrue on the smaller principal.
 */
export function accrueLateFee(input: LateFeeAccrualInput): LateFeeAccrual {
  const { rule, principalFen, dueDate, state, asOf, pauses = [] } = input;
  const capBaseFen = input.capBaseFen ?? principalFen;
  assertFen(principalFen, 'principalFen');
  assertFen(state.accruedFen, 'accruedFen');
  assertDate(asOf, 'asOf');
  if (state.accruedThrough !== null) assertDate(state.accruedThrough, 'accruedThrough');
  const unchanged: LateFeeAccrual = { addFen: 0, state, newDays: 0, capped: false };
  if (!rule.enabled) return unchanged;
  assertLateFeeRule(rule);
  if (state.accruedThrough !== null && state.accruedThrough >= asOf) return unchanged;
  const first = firstChargeableDay(dueDate, rule.graceDays);
  const daysBefore =
    state.accruedThrough === null ? 0 : chargeableDays(first, state.accruedThrough, pauses);
  const daysNow = chargeableDays(first, asOf, pauses);
  const newDays = daysNow - daysBefore;
  const noCap = { ...rule, cap: { kind: 'fixed', fen: Number.MAX_SAFE_INTEGER } } as const;
  const raw =
    principalFen > 0
      ? lateFeeFor(noCap, principalFen, daysNow) - lateFeeFor(noCap, principalFen, daysBefore)
      : 0;
  const room = Math.max(0, lateFeeCapFen(rule, capBaseFen) - state.accruedFen);
  const addFen = Math.min(raw, room);
  return {
    addFen,
    state: { accruedFen: state.accruedFen + addFen, accruedThrough: asOf },
    newDays,
    capped: raw > room,
  };
}

/**
 * The late-fee rule a bill accrues under and what its cap is measured on: the first of its items
 * with an enabled rule gives the rule; the cap base is those items' amounts (at most the amount
 * due). Null when none of its items carries a late fee.
 */
export function lateFeeBasis(
  bill: { items?: readonly { itemId: string; amountFen: number }[]; amountDueFen: number },
  rules: ReadonlyMap<string, LateFeeRule>,
): { rule: LateFeeRule; capBaseFen: Fen } | null {
  let rule: LateFeeRule | null = null;
  let base = 0;
  for (const it of bill.items ?? []) {
    const r = rules.get(it.itemId);
    if (!r) continue;
    rule ??= r;
    base += it.amountFen;
  }
  return rule && base > 0 ? { rule, capBaseFen: Math.min(base, bill.amountDueFen) } : null;
}
