/**
 * Versioned fee standards: a price change is a new version with an effective date, never an edit,
 * so every issued bill can be recomputed from the versions in force at the time.
 */
import { addDays, assertDate, type DateRange } from './period';
import type { FeeStandardVersion } from './types';

export interface VersionSegment<
  V extends { effectiveFrom: string } = FeeStandardVersion,
> extends DateRange {
  version: V;
}

/** Versions ordered by effective date; duplicate or malformed dates are an error. */
export function sortVersions<V extends { effectiveFrom: string }>(versions: readonly V[]): V[] {
  const sorted = [...versions].sort((a, b) =>
    a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0,
  );
  sorted.forEach((v, i) => {
    assertDate(v.effectiveFrom, 'effectiveFrom');
    if (i > 0 && sorted[i - 1]?.effectiveFrom === v.effectiveFrom) {
      throw new RangeError(`two versions take effect on ${v.effectiveFrom}`);
    }
  });
  return sorted;
}

/**
 * Splits the inclusive range `periodStart`..`periodEnd` (dates) at version effective dates: each
 * segment carries the version in force on its days. Days before the first version are not
 * covered by any segment (the standard did not exist yet). A version applies from its
 * `effectiveFrom` up to the day before the next version's.
 */
export function resolveVersions<V extends { effectiveFrom: string }>(
  versions: readonly V[],
  periodStart: string,
  periodEnd: string,
): VersionSegment<V>[] {
  assertDate(periodStart, 'periodStart');
  assertDate(periodEnd, 'periodEnd');
  if (periodStart > periodEnd) return [];
  const sorted = sortVersions(versions);
  const segments: VersionSegment<V>[] = [];
  sorted.forEach((version, i) => {
    const next = sorted[i + 1];
    const versionEnd = next ? addDays(next.effectiveFrom, -1) : periodEnd;
    const from = version.effectiveFrom > periodStart ? version.effectiveFrom : periodStart;
    const to = versionEnd < periodEnd ? versionEnd : periodEnd;
    if (from <= to) segments.push({ version, from, to });
  });
  return segments;
}

/** The version in force on `date`, or null before the first one. */
export function versionOn<V extends { effectiveFrom: string }>(
  versions: readonly V[],
  date: string,
): V | null {
  assertDate(date);
  let found: V | null = null;
  for (const v of sortVersions(versions)) {
    if (v.effectiveFrom <= date) found = v;
  }
  return found;
}
