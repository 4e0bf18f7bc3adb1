/** Validation of fee standards before they are stored or used (throws RangeError). */
import { assertFen } from '../kernel/money';
import { assertLateFeeRule } from './late-fee';
import { assertDate, cycleMonths } from './period';
import { assertBp, assertPriceE4, isRoundingMode } from './rounding';
import { assertTiers } from './tiers';
import type { FeePricing, FeeStandard } from './types';
import { sortVersions } from './versions';

export { appliesTo } from './applicability';

export function assertPricing(pricing: FeePricing, kind: FeeStandard['kind']): void {
  if (pricing.kind !== kind) {
    throw new RangeError(`a ${kind} standard has a version priced as ${pricing.kind}`);
  }
  switch (pricing.kind) {
    case 'area':
      if (pricing.areaBasis !== 'building' && pricing.areaBasis !== 'inner') {
        throw new RangeError(`areaBasis must be building or inner`);
      }
      assertPriceE4(pricing.unitPriceE4);
      return;
    case 'fixed':
    case 'parking':
      assertPriceE4(pricing.unitPriceE4);
      return;
    case 'meter':
      if (!pricing.unit) throw new RangeError('a meter price needs a unit');
      assertTiers(pricing.tiers);
      return;
    case 'oneOff':
      assertFen(pricing.amountFen, 'amountFen');
      if (pricing.amountFen < 0) throw new RangeError('amountFen must not be negative');
      return;
    default:
      throw new RangeError(`unknown fee kind ${String((pricing as { kind: unknown }).kind)}`);
  }
}

/** Everything the calculation relies on; call before storing a standard and before a run. */
export function assertStandard(standard: FeeStandard): void {
  if (!standard.itemId) throw new RangeError('a standard needs an itemId');
  if (!standard.name) throw new RangeError(`standard ${standard.itemId} needs a name`);
  cycleMonths(standard.cycle);
  if (standard.firstMonth !== undefined) {
    if (
      !Number.isInteger(standard.firstMonth) ||
      standard.firstMonth < 1 ||
      standard.firstMonth > 12
    ) {
      throw new RangeError('firstMonth must be 1..12');
    }
  }
  if (standard.billingMode !== 'prepaid' && standard.billingMode !== 'postpaid') {
    throw new RangeError('billingMode must be prepaid or postpaid');
  }
  if (!Number.isInteger(standard.dueDay) || standard.dueDay < 1 || standard.dueDay > 31) {
    throw new RangeError(`dueDay must be 1..31, got ${standard.dueDay}`);
  }
  if (standard.rounding !== undefined && !isRoundingMode(standard.rounding)) {
    throw new RangeError(`unknown rounding mode ${String(standard.rounding)}`);
  }
  if (standard.versions.length === 0) throw new RangeError('a standard needs at least one version');
  const ids = new Set<string>();
  for (const v of sortVersions(standard.versions)) {
    if (!v.versionId || ids.has(v.versionId)) throw new RangeError('versionIds must be unique');
    ids.add(v.versionId);
    assertPricing(v.pricing, standard.kind);
  }
  if (standard.effectiveTo !== undefined) assertDate(standard.effectiveTo, 'effectiveTo');
  if (standard.vacancyDiscount) assertBp(standard.vacancyDiscount.rateBp, 'vacancyDiscount.rateBp');
  for (const tier of standard.prepaymentDiscount ?? []) {
    if (!Number.isInteger(tier.minMonths) || tier.minMonths < 1) {
      throw new RangeError('prepaymentDiscount.minMonths must be a positive integer');
    }
    assertBp(tier.rateBp, 'prepaymentDiscount.rateBp');
  }
  if (standard.lateFee) assertLateFeeRule(standard.lateFee);
}
