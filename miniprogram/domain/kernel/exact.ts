/**
 * Exact arithmetic for money calculations (big.js): a computed amount becomes whole fen once per
 * line item, with the fee standard's rounding mode. Nothing here formats money (see money.ts).
 */
import Big from 'big.js';
import { MAX_FEN, Whole, type Fen } from './money';

/** How a computed amount becomes whole fen. Applied once per line item. */
export type RoundingMode = 'halfUp' | 'up' | 'down';

export const ROUNDING_MODES: readonly RoundingMode[] = ['halfUp', 'up', 'down'];

/** A Big that must be an integer within the safe range, as a number. */
export function bigToFen(value: Big, name = 'amount'): Fen {
  if (!value.eq(value.round(0, Big.roundDown)) || value.abs().gt(MAX_FEN)) {
    throw new RangeError(`${name} is not a safe integer number of fen: ${value.toString()}`);
  }
  return Number(value.toFixed(0));
}

/**
 * `numerator ÷ denominator` rounded to a whole number with `mode`, exactly (no intermediate
 * decimal places): the integer quotient and the remainder decide the rounding. Both operands must
 * be non-negative (charges and discounts are computed as magnitudes).
 */
export function divideRound(numerator: Big, denominator: Big, mode: RoundingMode): Big {
  if (denominator.lte(0)) throw new RangeError('denominator must be positive');
  if (numerator.lt(0)) throw new RangeError('numerator must not be negative');
  const quotient = new Whole(numerator).div(denominator);
  const remainder = numerator.minus(quotient.times(denominator));
  switch (mode) {
    case 'down':
      return quotient;
    case 'up':
      return remainder.gt(0) ? quotient.plus(1) : quotient;
    case 'halfUp':
      return remainder.times(2).gte(denominator) ? quotient.plus(1) : quotient;
    default:
      throw new RangeError(`unknown rounding mode ${String(mode)}`);
  }
}

/** `numerator ÷ denominator` in fen, rounded once with `mode`. */
export function roundToFen(
  numerator: Big,
  denominator: Big | number,
  mode: RoundingMode = 'halfUp',
): Fen {
  return bigToFen(divideRound(numerator, new Big(denominator), mode));
}
