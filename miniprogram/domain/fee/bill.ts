/**
 * Bills as stored and as shown to owners. Money is integer fen throughout.
 * Outstanding = amount due + late fee − allocations (never below zero; see DESIGN.md Ledger).
 */
import type { FeeKind } from './types';
import type { SpaceKind } from '../community/spaces';
import { addDays, daysBetween, shanghaiDate } from '../kernel/time';

export type BillStatus = 'unpaid' | 'partial' | 'paid' | 'void';

/** Statuses of a bill that still takes payments, late fees and reminders. */
export const OPEN_BILL_STATUSES: readonly BillStatus[] = ['unpaid', 'partial'];

/** A bill as listed to its owner. Money is integer fen; dates YYYY-MM-DD; period YYYY-MM. */
export interface BillSummary {
  billId: string;
  roomId: string;
  roomLabel: string;
  period: string;
  title: string;
  amountDueFen: number;
  lateFeeFen: number;
  paidFen: number;
  outstandingFen: number;
  dueDate: string;
  status: BillStatus;
  /** Whole days past the due date as of today (Asia/Shanghai); 0 when not overdue. */
  overdueDays: number;
  /** "车位 B2-017" on a parking space's or storeroom's bill. */
  spaceLabel?: string;
  /** The months the bill covers, `YYYY-MM` (a quarterly bill: its first and third month). */
  coverFrom: string;
  coverTo: string;
}

export interface BillLineItem {
  itemId: string;
  name: string;
  /** Plain-words computation, e.g. "建筑面积 89.47 m² × 2.3500 元/m²/月 × 3 个月". */
  basis: string;
  amountFen: number;
  // Optional detail written by the billing run (fee function); older bills carry only the above.
  /** 'charge' (the default) or 'discount' (a negative amount following its charge). */
  kind?: 'charge' | 'discount';
  feeKind?: FeeKind;
  /** Display quantity ("89.47"), its unit ("m²"), unit price ("2.3500") and price unit. */
  quantity?: string;
  quantityUnit?: string;
  unitPrice?: string;
  priceUnit?: string;
  /** Display time factor ("3 个月", "15/31 天"); null for meters. */
  months?: string | null;
  /** The charged range (inclusive). */
  from?: string;
  to?: string;
  /** Fee standard versions the amount came from. */
  versionIds?: string[];
  /** The meter reading billed. */
  readingId?: string;
  discountKind?: 'vacancy' | 'prepayment';
  rateBp?: number;
}

/**
 * A bill's stored late-fee accrual (written by the overdue run through the ledger): what has
 * accrued, the last day counted, and what finance waived. `lateFeeFen` = accrued − waived.
 */
export interface BillLateFeeState {
  accruedFen: number;
  accruedThrough: string | null;
  waivedFen: number;
}

export interface BillDoc {
  _id: string;
  communityId: string;
  roomId: string;
  period: string;
  key: string;
  title: string;
  items: BillLineItem[];
  amountDueFen: number;
  lateFeeFen: number;
  paidFen: number;
  dueDate: string;
  status: BillStatus;
  /** Paid from the room's prepaid balance when the bill was issued. */
  prepaidAppliedFen?: number;
  /**
   * A parking space's or storeroom's bill, carried by its holder's room (`roomId`) so the owner
   * sees and pays it with the room's bills: the space, "车位 B2-017", and its kind.
   */
  spaceId?: string;
  spaceLabel?: string;
  spaceKind?: SpaceKind;
  /** Late-fee accrual, once the overdue run has charged one. */
  lateFee?: BillLateFeeState;
  /**
   * The WeChat Pay order that has claimed this bill while it is live (null or absent: none). Set
   * and cleared by the ledger in the same transactions that check the bill, so an owner's order
   * and a cashier's payment for one bill can never both succeed.
   */
  payHold?: BillPayHold | null;
}

/** A live WeChat Pay order's claim on a bill, and who is paying (masked, for the cashier). */
export interface BillPayHold {
  outTradeNo: string;
  /** Who started the order, e.g. "业主 张**" (never a full name). */
  payer: string;
  at: Date;
  /** When the order lapses at WeChat Pay (the timer closes it then). */
  expireAt: Date;
}

/**
 * A bill's status from its amounts: the one rule wherever a status is derived or written.
 * Nothing paid is `unpaid`; paid up to amount due + late fee is `paid`; anything between is
 * `partial`. A voided bill stays `void` whatever its amounts.
 */
export function billStatus(
  bill: Pick<BillDoc, 'amountDueFen' | 'lateFeeFen' | 'paidFen'> & { status?: BillStatus },
): BillStatus {
  if (bill.status === 'void') return 'void';
  if (bill.paidFen <= 0) return 'unpaid';
  return bill.paidFen >= bill.amountDueFen + bill.lateFeeFen ? 'paid' : 'partial';
}

/**
 * Whether a bill due on `dueDate` is past due on `today`, after the community's grace days:
 * the one rule the overdue run, the case page, the 催缴函 and the room ledger count by.
 */
export function isPastDue(dueDate: string, today: string, graceDays = 0): boolean {
  return addDays(dueDate, graceDays) < today;
}

/** What a bill is for and where it stands, in fen: due, late fee, paid, still owed. */
export interface BillAmounts {
  amountDueFen: number;
  lateFeeFen: number;
  paidFen: number;
  outstandingFen: number;
}

export function billAmounts(
  bill: Pick<BillDoc, 'amountDueFen' | 'lateFeeFen' | 'paidFen'>,
): BillAmounts {
  return {
    amountDueFen: bill.amountDueFen,
    lateFeeFen: bill.lateFeeFen,
    paidFen: bill.paidFen,
    outstandingFen: outstandingFen(bill),
  };
}

export function outstandingFen(
  bill: Pick<BillDoc, 'amountDueFen' | 'lateFeeFen' | 'paidFen'>,
): number {
  return Math.max(0, bill.amountDueFen + bill.lateFeeFen - bill.paidFen);
}

/**
 * The months a bill covers, from its charge lines' ranges ('2026-07-01'..'2026-09-30' →
 * 2026-07..2026-09); a bill without ranges (opening balances, imports) covers its period.
 */
export function billMonths(
  bill: Pick<BillDoc, 'period'> & {
    items?: readonly { from?: string | null; to?: string | null }[];
  },
): { from: string; to: string } {
  let from = '';
  let to = '';
  for (const it of bill.items ?? []) {
    if (it.from && (!from || it.from < from)) from = it.from;
    if (it.to && (!to || it.to > to)) to = it.to;
  }
  const a = from ? from.slice(0, 7) : bill.period;
  const b = to ? to.slice(0, 7) : a;
  return { from: a, to: b < a ? a : b };
}

/** `billMonths` as the fields views and contracts carry. */
export function coverOf(bill: Parameters<typeof billMonths>[0]): {
  coverFrom: string;
  coverTo: string;
} {
  const m = billMonths(bill);
  return { coverFrom: m.from, coverTo: m.to };
}

export function summariseBill(bill: BillDoc, roomLabel: string, now: Date): BillSummary {
  const outstanding = outstandingFen(bill);
  const today = shanghaiDate(now);
  const overdueDays = outstanding > 0 ? Math.max(0, daysBetween(bill.dueDate, today)) : 0;
  return {
    billId: bill._id,
    roomId: bill.roomId,
    roomLabel,
    period: bill.period,
    title: bill.title,
    amountDueFen: bill.amountDueFen,
    lateFeeFen: bill.lateFeeFen,
    paidFen: bill.paidFen,
    outstandingFen: outstanding,
    dueDate: bill.dueDate,
    status: bill.status,
    overdueDays,
    ...coverOf(bill),
    ...(bill.spaceLabel ? { spaceLabel: bill.spaceLabel } : {}),
  };
}
