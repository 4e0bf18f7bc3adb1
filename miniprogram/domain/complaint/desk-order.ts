/**
 * What the staff desk sorts and counts by, stored on each ticket so that the database does the
 * sorting, the paging and the counting (issue 16: no list of a whole community held in memory).
 *
 * The desk shows open tickets soonest deadline first, then finished ones most recently updated
 * first: ordered by `deskRank`, `deadlineAt`, then `updatedAt` (descending). "Near" and "breached"
 * are ranges on the stored instants relative to now: near while `nearAt ≤ now ≤ deadlineAt`,
 * breached once `deadlineAt < now` (the same answer as `deadlineState`).
 *
 * The fields depend only on the ticket's status, the start of its clock, its first response and
 * its two due instants — never on the time — so they change only when one of those does.
 */
import { OPEN_STATUSES, nearWindowMs, type TicketStatus } from './rules';

type Instant = Date | string;

/** The stored fields a ticket's desk order is made from. */
export interface DeskInputs {
  status: TicketStatus;
  clockStartAt: Instant;
  firstResponseAt: Instant | null;
  firstResponseDueAt: Instant;
  resolutionDueAt: Instant;
}

/** Fields of a ticket document whose change moves it on the desk. */
export const DESK_INPUTS: readonly (keyof DeskInputs)[] = [
  'status',
  'clockStartAt',
  'firstResponseAt',
  'firstResponseDueAt',
  'resolutionDueAt',
];

export interface DeskOrder {
  /** 0 while open, 1 once resolved or closed (finished tickets come after every open one). */
  deskRank: 0 | 1;
  /** The deadline that matters now; null once finished. */
  deadlineAt: Date | null;
  /** From when that deadline counts as near; null once finished. */
  nearAt: Date | null;
}

/**
 * The deadline that matters now for an open ticket — the first response of this episode until it
 * is given (a reopening starts a new episode), then the resolution — or null once finished.
 */
export function currentDue(
  t: DeskInputs,
): { kind: 'first-response' | 'resolution'; startAt: Date; dueAt: Date } | null {
  if (!OPEN_STATUSES.includes(t.status)) return null;
  const startAt = new Date(t.clockStartAt);
  const answered = !!t.firstResponseAt && new Date(t.firstResponseAt) >= startAt;
  return answered
    ? { kind: 'resolution', startAt, dueAt: new Date(t.resolutionDueAt) }
    : { kind: 'first-response', startAt, dueAt: new Date(t.firstResponseDueAt) };
}

export function deskOrder(t: DeskInputs): DeskOrder {
  const due = currentDue(t);
  if (!due) return { deskRank: 1, deadlineAt: null, nearAt: null };
  const dueMs = due.dueAt.getTime();
  return {
    deskRank: 0,
    deadlineAt: due.dueAt,
    nearAt: new Date(dueMs - nearWindowMs(due.startAt.getTime(), dueMs)),
  };
}
