/**
 * Exact decimals for fee calculation: unit prices (integer 0.0001 元), areas (integer centi-m²),
 * decimal quantities, and exact fractions that are rounded to the fen once per line item.
 */
import Big from 'big.js';
import { type Fen } from '../kernel/money';
import type { PriceE4, Quantity } from './types';
import { type RoundingMode, ROUNDING_MODES, roundToFen } from '../kernel/exact';
import { hundredthsText } from '../kernel/decimal';

export type { RoundingMode };

export function isRoundingMode(value: unknown): value is RoundingMode {
  return typeof value === 'string' && (ROUNDING_MODES as readonly string[]).includes(value);
}

export function assertPriceE4(value: unknown, name = 'unitPriceE4'): asserts value is PriceE4 {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `${name} must be a non-negative integer of 0.0001 元, got ${String(value)}`,
    );
  }
}

const PRICE_TEXT = /^(0|[1-9]\d*)(?:\.(\d{1,4}))?$/;

/** "2.35" → 23500 (strict: digits, at most 4 decimals, no sign). */
export function parsePriceE4(text: string): PriceE4 {
  const m = typeof text === 'string' ? PRICE_TEXT.exec(text) : null;
  if (!m) throw new RangeError(`not a unit price (≤ 4 decimals): ${JSON.stringify(text)}`);
  const value = Number(`${m[1]}${(m[2] ?? '').padEnd(4, '0')}`);
  assertPriceE4(value);
  return value;
}

/**
 * A unit price for display: 23500 → "2.3500" (4 decimals, the unit-price convention for
 * 元/m²/月 and meter prices). With `decimals` 2 the price shows 2 decimals when that is exact
 * (300000 → "30.00") and falls back to 4 otherwise, so a price is never misstated.
 */
export function formatPriceE4(priceE4: PriceE4, decimals: 2 | 4 = 4): string {
  assertPriceE4(priceE4);
  const whole = Math.floor(priceE4 / 10000);
  const frac = String(priceE4 % 10000).padStart(4, '0');
  if (decimals === 2 && frac.endsWith('00')) return `${whole}.${frac.slice(0, 2)}`;
  return `${whole}.${frac}`;
}

export function assertAreaCm2(value: unknown, name = 'area'): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `${name} must be a non-negative integer of centi-m², got ${String(value)}`,
    );
  }
}

/** 8947 → "89.47". */
export function formatAreaCm2(cm2: number): string {
  assertAreaCm2(cm2);
  return hundredthsText(cm2);
}

const QUANTITY_TEXT = /^(0|[1-9]\d*)(?:\.\d{1,4})?$/;

/**
 * A decimal quantity as an exact Big: non-negative, at most 4 decimals. A number is taken by its
 * shortest decimal form, so a float artefact such as 0.30000000000000004 is refused.
 */
export function toQuantity(value: Quantity, name = 'quantity'): Big {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !QUANTITY_TEXT.test(text)) {
    throw new RangeError(
      `${name} must be a non-negative decimal (≤ 4 places), got ${String(value)}`,
    );
  }
  return new Big(text);
}

/** A quantity for display, without trailing zeros: "250", "12.5". */
export function formatQuantity(value: Big): string {
  return value.toFixed();
}

export function assertBp(value: unknown, name: string, max = 10000): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(
      `${name} must be an integer of basis points 0..${max}, got ${String(value)}`,
    );
  }
}

/** A rate in basis points for display: 500 → "5%", 30 → "0.3%", 5 → "0.05%". */
export function formatBp(bp: number): string {
  return `${new Big(bp).div(100).toFixed()}%`;
}

/** An exact non-negative fraction; denominators stay integers, numerators may be decimals. */
export interface Fraction {
  numerator: Big;
  denominator: Big;
}

export function fraction(numerator: Big | number, denominator: Big | number = 1): Fraction {
  return { numerator: new Big(numerator), denominator: new Big(denominator) };
}

export function addFractions(a: Fraction, b: Fraction): Fraction {
  if (a.denominator.eq(b.denominator)) {
    return { numerator: a.numerator.plus(b.numerator), denominator: a.denominator };
  }
  return {
    numerator: a.numerator.times(b.denominator).plus(b.numerator.times(a.denominator)),
    denominator: a.denominator.times(b.denominator),
  };
}

export function scaleFraction(f: Fraction, by: Big | number, per: Big | number = 1): Fraction {
  return { numerator: f.numerator.times(by), denominator: f.denominator.times(per) };
}

/** The fraction as whole fen, rounded once with `mode`. */
export function fractionToFen(f: Fraction, mode: RoundingMode): Fen {
  return roundToFen(f.numerator, f.denominator, mode);
}
