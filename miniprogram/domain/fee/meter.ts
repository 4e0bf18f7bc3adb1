/**
 * Meter readings: usage and the data checks before billing (数据检查). A flagged reading is held
 * for staff review, not billed blindly; the checks never change a reading.
 */
import type Big from 'big.js';
import { formatQuantity, toQuantity } from './rounding';
import type { MeterReading, Quantity } from './types';

export type ReadingFlag = 'lowerThanPrevious' | 'spike';

export type ReadingCheck =
  | { ok: true; usage: string }
  | { ok: false; usage: string; flags: ReadingFlag[]; median: string | null };

export interface ReadingCheckOptions {
  /** Usage above this multiple of the median past usage is a spike. Default 5. */
  spikeFactor?: number;
}

/** The median of decimals (mean of the middle two for an even count); null when empty. */
export function median(values: readonly Big[]): Big | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a.cmp(b));
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as Big;
  if (sorted.length % 2 === 1) return upper;
  return (sorted[mid - 1] as Big).plus(upper).div(2);
}

/**
 * Checks a new reading against the previous one and past usages (`history`, one usage per past
 * period). Flags: the reading is lower than the previous one (meter swapped, rolled over, or a
 * typo); the usage is more than `spikeFactor` × the median of `history` (only with a history; a
 * zero median flags any positive usage, e.g. after a vacancy, for a human to confirm).
 */
export function checkReading(
  previous: Quantity,
  current: Quantity,
  history: readonly Quantity[] = [],
  options: ReadingCheckOptions = {},
): ReadingCheck {
  const prev = toQuantity(previous, 'previous');
  const cur = toQuantity(current, 'current');
  const factor = options.spikeFactor ?? 5;
  if (!(factor > 0) || !Number.isFinite(factor)) throw new RangeError('spikeFactor must be > 0');
  const usage = cur.minus(prev);
  const flags: ReadingFlag[] = [];
  if (usage.lt(0)) flags.push('lowerThanPrevious');
  const mid = median(history.map((h, i) => toQuantity(h, `history[${i}]`)));
  if (mid !== null && usage.gt(mid.times(factor))) flags.push('spike');
  const usageText = usage.toFixed();
  if (flags.length === 0) return { ok: true, usage: usageText };
  return { ok: false, usage: usageText, flags, median: mid === null ? null : formatQuantity(mid) };
}

/** Billed usage: (current − previous) × multiplier + loss; negative when current < previous. */
export function meterUsage(reading: MeterReading): Big {
  const prev = toQuantity(reading.previous, 'previous');
  const cur = toQuantity(reading.current, 'current');
  const multiplier = toQuantity(reading.multiplier ?? 1, 'multiplier');
  const loss = toQuantity(reading.loss ?? 0, 'loss');
  return cur.minus(prev).times(multiplier).plus(loss);
}
