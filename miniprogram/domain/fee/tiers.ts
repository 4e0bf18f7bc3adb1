/**
 * Tiered (阶梯) meter prices. Usage is placed on the cumulative scale after `priorUsage` (usage
 * already billed in the same tier period), so a tier boundary is crossed once per tier period
 * however often the meter is read.
 */
import Big from 'big.js';
import { assertPriceE4 } from './rounding';
import type { PriceE4, PriceTier } from './types';

/** Steps ascending, positive integer bounds (strictly increasing), only the last one unbounded. */
export function assertTiers(tiers: readonly PriceTier[]): void {
  if (tiers.length === 0) throw new RangeError('a meter price needs at least one tier');
  let previous = 0;
  tiers.forEach((tier, i) => {
    assertPriceE4(tier.unitPriceE4, `tier ${i + 1} unitPriceE4`);
    const last = i === tiers.length - 1;
    if (tier.upTo === null) {
      if (!last) throw new RangeError('only the last tier may be unbounded');
      return;
    }
    if (!Number.isSafeInteger(tier.upTo) || tier.upTo <= previous) {
      throw new RangeError(`tier bounds must be increasing integers, got ${tier.upTo}`);
    }
    if (last) throw new RangeError('the last tier must be unbounded (upTo: null)');
    previous = tier.upTo;
  });
}

export interface TierUse {
  /** 1-based tier number. */
  tier: number;
  /** Usage charged at this tier. */
  quantity: Big;
  unitPriceE4: PriceE4;
}

/** How `usage`, starting at cumulative `priorUsage`, spreads over the tiers (non-empty parts). */
export function splitTiers(
  tiers: readonly PriceTier[],
  usage: Big,
  priorUsage: Big = new Big(0),
): TierUse[] {
  assertTiers(tiers);
  if (usage.lt(0) || priorUsage.lt(0)) throw new RangeError('usage must not be negative');
  const start = priorUsage;
  const end = priorUsage.plus(usage);
  const uses: TierUse[] = [];
  let lower = new Big(0);
  tiers.forEach((tier, i) => {
    const upper = tier.upTo === null ? null : new Big(tier.upTo);
    const from = start.gt(lower) ? start : lower;
    const to = upper === null || end.lt(upper) ? end : upper;
    if (to.gt(from))
      uses.push({ tier: i + 1, quantity: to.minus(from), unitPriceE4: tier.unitPriceE4 });
    if (upper !== null) lower = upper;
  });
  return uses;
}

/** Σ quantity × price, in 0.0001 元 (exact; divide by 100 for fen). */
export function tiersAmountE4(uses: readonly TierUse[]): Big {
  return uses.reduce((sum, u) => sum.plus(u.quantity.times(u.unitPriceE4)), new Big(0));
}
