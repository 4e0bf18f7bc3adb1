/**
 * A room's bill for a billing period: which standards fall due, their lines, discounts, total,
 * and why nothing is billed when nothing is. Deterministic keys make issuing idempotent: the same
 * room, period and standards always give the same bill key and line keys.
 */
import { assertFen } from '../kernel/money';
import { prepaymentDiscount, vacancyDiscount } from './discounts';
import { computeLine } from './line';
import {
  type Cycle,
  type DateRange,
  addMonths,
  assertPeriod,
  cycleContaining,
  dueDateIn,
  periodRange,
} from './period';
import { appliesTo, assertStandard } from './standard';
import type {
  BillContext,
  BillSkipReason,
  BillableRoom,
  ComputedBill,
  FeeDiscount,
  FeeLine,
  FeeStandard,
  ItemSkip,
} from './types';

export function billKey(roomId: string, period: string): string {
  return `${roomId}:${period}`;
}

export function lineKey(roomId: string, period: string, itemId: string): string {
  return `${roomId}:${period}:${itemId}`;
}

export interface ChargeWindow extends DateRange {
  dueDate: string;
  /** The billing cycle charged (null for one-off items). */
  cycle: Cycle | null;
}

/**
 * What a standard charges in the billing run of `period` (the month bills are issued), or null
 * when it is not due then. Prepaid: the cycle starting in `period`. Postpaid: the cycle that
 * ended the month before (April bills Q1 meter usage). One-off: the month itself. The due date is
 * the standard's due day in `period`, clamped to the month's end.
 */
export function chargeWindow(standard: FeeStandard, period: string): ChargeWindow | null {
  assertPeriod(period);
  const dueDate = dueDateIn(period, standard.dueDay);
  if (standard.kind === 'oneOff') return { ...periodRange(period), dueDate, cycle: null };
  const anchor = standard.billingMode === 'prepaid' ? period : addMonths(period, -1);
  const cycle = cycleContaining(anchor, standard.cycle, standard.firstMonth ?? 1);
  const due = standard.billingMode === 'prepaid' ? cycle.start === period : cycle.end === anchor;
  if (!due) return null;
  return { ...periodRange(cycle.start, cycle.end), dueDate, cycle };
}

function summarise(
  room: BillableRoom,
  period: string,
  key: string,
  lines: FeeLine[],
  discounts: FeeDiscount[],
  skippedItems: ItemSkip[],
): ComputedBill {
  const charged = lines.reduce((sum, l) => sum + l.amountFen, 0);
  const discounted = discounts.reduce((sum, d) => sum + d.amountFen, 0);
  const totalFen = charged - discounted;
  assertFen(totalFen, 'totalFen');
  if (totalFen < 0) throw new RangeError(`discounts exceed charges on ${key}`);
  const dueDate = lines.reduce<string | null>(
    (min, l) => (min === null || l.dueDate < min ? l.dueDate : min),
    null,
  );
  const bill: ComputedBill = {
    key,
    roomId: room.roomId,
    period,
    lines,
    discounts,
    totalFen,
    dueDate,
    skippedItems,
  };
  const skipped = skipReason(bill);
  if (skipped) bill.skipped = skipped;
  return bill;
}

function noOwnerBill(room: BillableRoom, period: string, key: string): ComputedBill {
  return {
    key,
    roomId: room.roomId,
    period,
    lines: [],
    discounts: [],
    totalFen: 0,
    dueDate: null,
    skippedItems: [],
    skipped: 'noOwner',
  };
}

function skipReason(bill: ComputedBill): BillSkipReason | undefined {
  if (bill.totalFen > 0) return undefined;
  if (bill.lines.length > 0) {
    return bill.discounts.some((d) => d.kind === 'vacancy') ? 'vacant' : 'nothingDue';
  }
  const reasons = bill.skippedItems.map((s) => s.reason);
  if (reasons.includes('noArea')) return 'noArea';
  if (reasons.every((r) => r === 'notApplicable')) return 'notApplicable';
  return 'nothingDue';
}

/**
 * The bill of `room` for billing period `period` (YYYY-MM). Standards are validated, then each
 * is skipped (with a reason) or yields one line: not applicable to the room, not due this period
 * (cycle), room not billable in the window, no area / parking / reading … Approved vacancy
 * records give vacancy discounts. `skipped` says why no bill should be issued: no owner, no area,
 * fully vacant (a 100% vacancy discount), nothing applicable, or nothing due.
 */
export function computeBill(
  room: BillableRoom,
  standards: readonly FeeStandard[],
  period: string,
  context: BillContext = {},
): ComputedBill {
  assertPeriod(period);
  const key = billKey(room.roomId, period);
  if (!room.ownerId) return noOwnerBill(room, period, key);
  const lines: FeeLine[] = [];
  const discounts: FeeDiscount[] = [];
  const skippedItems: ItemSkip[] = [];
  const seen = new Set<string>();
  for (const standard of standards) {
    assertStandard(standard);
    if (seen.has(standard.itemId)) throw new RangeError(`item ${standard.itemId} listed twice`);
    seen.add(standard.itemId);
    const skip = (reason: ItemSkip['reason']) =>
      skippedItems.push({ itemId: standard.itemId, reason });
    if (!appliesTo(standard.applicability, room)) {
      skip('notApplicable');
      continue;
    }
    if (standard.kind === 'oneOff' && !(context.oneOffItemIds ?? []).includes(standard.itemId)) {
      skip('notRequested');
      continue;
    }
    const window = chargeWindow(standard, period);
    if (!window) {
      skip('notInCycle');
      continue;
    }
    const outcome = computeLine({
      key: lineKey(room.roomId, period, standard.itemId),
      standard,
      room,
      window,
      dueDate: window.dueDate,
      reading: context.readings?.[standard.itemId],
    });
    if ('skipped' in outcome) {
      skip(outcome.skipped);
      continue;
    }
    lines.push(outcome.line);
    const vacancy = vacancyDiscount({
      line: outcome.line,
      standard,
      room,
      vacancies: context.vacancies ?? [],
    });
    if (vacancy) discounts.push(vacancy);
  }
  return summarise(room, period, key, lines, discounts, skippedItems);
}

/**
 * A quote for paying `months` months of the monthly-priced standards (area, fixed, parking) in
 * advance from `fromPeriod`, with vacancy and prepayment discounts (prepayment on what is left
 * after the vacancy discount). Meter and one-off items are not prepaid. Key:
 * `${roomId}:${fromPeriod}+${months}`.
 */
export function quotePrepayment(
  room: BillableRoom,
  standards: readonly FeeStandard[],
  fromPeriod: string,
  months: number,
  context: BillContext = {},
): ComputedBill {
  assertPeriod(fromPeriod, 'fromPeriod');
  if (!Number.isInteger(months) || months < 1 || months > 120) {
    throw new RangeError(`months must be 1..120, got ${months}`);
  }
  const key = `${room.roomId}:${fromPeriod}+${months}`;
  if (!room.ownerId) return noOwnerBill(room, fromPeriod, key);
  const window = periodRange(fromPeriod, addMonths(fromPeriod, months - 1));
  const lines: FeeLine[] = [];
  const discounts: FeeDiscount[] = [];
  const skippedItems: ItemSkip[] = [];
  for (const standard of standards) {
    assertStandard(standard);
    const skip = (reason: ItemSkip['reason']) =>
      skippedItems.push({ itemId: standard.itemId, reason });
    if (standard.kind === 'meter' || standard.kind === 'oneOff') {
      skip('notApplicable');
      continue;
    }
    if (!appliesTo(standard.applicability, room)) {
      skip('notApplicable');
      continue;
    }
    const outcome = computeLine({
      key: `${key}:${standard.itemId}`,
      standard,
      room,
      window,
      dueDate: dueDateIn(fromPeriod, standard.dueDay),
    });
    if ('skipped' in outcome) {
      skip(outcome.skipped);
      continue;
    }
    const line = outcome.line;
    lines.push(line);
    const vacancy = vacancyDiscount({ line, standard, room, vacancies: context.vacancies ?? [] });
    if (vacancy) discounts.push(vacancy);
    const prepay = prepaymentDiscount(
      line,
      standard,
      months,
      line.amountFen - (vacancy?.amountFen ?? 0),
    );
    if (prepay) discounts.push(prepay);
  }
  return summarise(room, fromPeriod, key, lines, discounts, skippedItems);
}
