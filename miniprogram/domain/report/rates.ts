/**
 * Collection reports (收缴率报表), pure: the definitions the database aggregation feeds.
 *
 * - Household rate (户数收缴率) = (billed households − households in arrears) ÷ billed households,
 *   where a household is a room with at least one bill of the period, and "in arrears" means one
 *   of those bills still has an outstanding balance.
 * - Amount rate (金额收缴率) = collected ÷ due, over the period's bills: due = amount due + late
 *   fee, collected = what has been allocated to them (net of reversals).
 * - Rates are integers in hundredths of a percent (9653 = 96.53%), rounded half-up once.
 * - Aging (账龄) counts days past the due date of each unpaid bill: 0–30, 31–90, 91–180, 181–365
 *   and over 365 days. Bills not yet due are not arrears.
 */
import type { Fen } from '../kernel/money';
import { hundredthsText } from '../kernel/decimal';

/**
 * ratio as hundredths of a percent, half-up; 0 when the denominator is 0. Integer arithmetic
 * (exact for counts and fen below 4.5 × 10^11), so the admin pages can use it without big.js.
 */
export function rateBp(numerator: number, denominator: number): number {
  if (denominator <= 0) return 0;
  const sign = numerator < 0 ? -1 : 1;
  const n = Math.abs(numerator);
  return sign * Math.floor((n * 20000 + denominator) / (2 * denominator));
}

/** 9653 → "96.53%". */
export function formatRate(bp: number): string {
  return `${hundredthsText(bp)}%`;
}

export interface RateInputs {
  billedRooms: number;
  arrearsRooms: number;
  dueFen: Fen;
  collectedFen: Fen;
}

export interface Rates {
  householdRateBp: number;
  amountRateBp: number;
}

export function collectionRates(x: RateInputs): Rates {
  return {
    householdRateBp: rateBp(x.billedRooms - x.arrearsRooms, x.billedRooms),
    amountRateBp: rateBp(x.collectedFen, x.dueFen),
  };
}

/** Why a room's arrears are paused (`bill_holds.reason`, cloudfunctions/_shared/holds.ts). */
export const HOLD_LABELS: Record<string, string> = {
  complaint: '投诉处理中',
  dispute: '费用争议',
  installment: '分期协议',
  promise: '承诺缴费',
};

export const holdLabel = (reason: string): string => HOLD_LABELS[reason] ?? reason;
