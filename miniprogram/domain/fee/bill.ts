/**
 * Bills as stored and as shown to owners. Money is integer fen throughout.
 * Outstanding = amount due + late fee − allocations (never below zero; see DESIGN.md Ledger).
 */
import type { FeeKind } from './types';
import { daysBetween, shanghaiDate } from '../kernel/time';

export type BillStatus = 'unpaid' | 'partial' | 'paid' | 'void';

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
}

export function outstandingFen(
  bill: Pick<BillDoc, 'amountDueFen' | 'lateFeeFen' | 'paidFen'>,
): number {
  return Math.max(0, bill.amountDueFen + bill.lateFeeFen - bill.paidFen);
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
  };
}
