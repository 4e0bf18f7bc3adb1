/**
 * How old an unpaid bill is, the one rule the overdue follow-up, the reports and the ledger share:
 * days past due (after any grace) and the aging bucket (DOMAIN.md: 0–30, 31–90, 91–180, 181–365,
 * more than 365 days).
 */
import { codesOf } from '../kernel/codes';
import { addDays, daysBetween } from '../kernel/time';

export const AGING_LABELS = {
  '0-30': '0–30 天',
  '31-90': '31–90 天',
  '91-180': '91–180 天',
  '181-365': '181–365 天',
  '365+': '365 天以上',
};
export type AgingBucket = keyof typeof AGING_LABELS;
export const AGING_BUCKETS = codesOf(AGING_LABELS);

/** The bucket of a bill `days` past due (days ≥ 0). */
export function agingBucket(days: number): AgingBucket {
  if (days <= 30) return '0-30';
  if (days <= 90) return '31-90';
  if (days <= 180) return '91-180';
  if (days <= 365) return '181-365';
  return '365+';
}

/** Days past due as of `today`, counting from the day after the due date plus grace; ≥ 0. */
export function overdueDaysOn(dueDate: string, today: string, graceDays = 0): number {
  return Math.max(0, daysBetween(addDays(dueDate, graceDays), today));
}

/**
 * Due-date boundaries for a database bucket: a bill is in the first bucket whose `minDue` its
 * due date reaches (ISO dates compare as strings). Equivalent to `agingBucket(asOf − dueDate)`.
 */
export function agingCutoffs(asOf: string): { bucket: AgingBucket; minDue: string }[] {
  return [
    { bucket: '0-30', minDue: addDays(asOf, -30) },
    { bucket: '31-90', minDue: addDays(asOf, -90) },
    { bucket: '91-180', minDue: addDays(asOf, -180) },
    { bucket: '181-365', minDue: addDays(asOf, -365) },
    { bucket: '365+', minDue: '0000-00-00' },
  ];
}
