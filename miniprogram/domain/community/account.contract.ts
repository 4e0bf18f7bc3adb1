/**
 * A room's account as the front desk sees it (房屋账户, `community.roomLedger`): what it owes and
 * has paid, and everything that bears on collecting it; and the end of a room's occupancy
 * (`community.endOccupancy`), from which billing stops, the last month prorated by its days.
 * The actions themselves are in contract.ts (their reply adds the room's record). See
 * docs/community.md.
 */
import { communityId, date, docId, freeText, z } from '../kernel/contract';
import type { BillAmounts, BillStatus } from '../fee/bill';

/** Why a room stopped being occupied and billed. */
export const OCCUPANCY_END_REASONS = ['vacated', 'sold', 'demolished'] as const;
export type OccupancyEndReason = (typeof OCCUPANCY_END_REASONS)[number];
export const OCCUPANCY_END_LABELS: Record<OccupancyEndReason, string> = {
  vacated: '迁出',
  sold: '出售过户',
  demolished: '拆除',
};

/** A room's occupancy end on record: the last day billed (inclusive), why, and who said so. */
export interface OccupancyEnd {
  date: string;
  reason: OccupancyEndReason;
  note: string;
  byName: string;
  at: string;
  /**
   * The last day bills issued before the end already cover, when that is after the end: issued
   * bills are never rewritten, so what they charge past the end is refunded (冲红), not edited.
   */
  billedThrough: string | null;
}

export interface LedgerBill extends BillAmounts {
  billId: string;
  period: string;
  /** The months the bill covers, YYYY-MM. */
  coverFrom: string;
  coverTo: string;
  title: string;
  dueDate: string;
  status: BillStatus;
  /** Days past due as of today (0 when not due or paid). */
  overdueDays: number;
  /** A complaint, dispute, promise or installment plan pauses its collection today. */
  held: boolean;
}

export interface LedgerPayment {
  paymentId: string;
  receiptNo: string;
  /** Negative for a red reversal receipt (红字收据). */
  amountFen: number;
  channel: string;
  channelLabel: string;
  paidAt: string;
  /** Who took the money at the desk; '' for an online payment. */
  cashier: string;
  /** What went to the room's prepaid balance. */
  prepaidFen: number;
  reversal: boolean;
  /** Red receipts reverse (part of) it. */
  reversed: boolean;
}

export interface LedgerOrder {
  outTradeNo: string;
  amountFen: number;
  billIds: string[];
  createdAt: string;
  expireAt: string;
}

export interface LedgerPlan {
  planId: string;
  status: 'proposed' | 'approved' | 'rejected' | 'active' | 'completed' | 'lapsed';
  arrearsFen: number;
  installments: { dueDate: string; amountFen: number }[];
  createdAt: string;
}

export interface LedgerHold {
  reason: 'complaint' | 'dispute' | 'installment' | 'promise';
  from: string;
  to: string | null;
  note: string;
}

/** A collection contact: a call, visit, WeChat message or front-desk talk, or a stage reached. */
export interface LedgerContact {
  at: string;
  kind: string;
  title: string;
  detail: string;
  byName: string;
}

export interface LedgerComplaint {
  ticketId: string;
  ticketNo: string;
  kind: string;
  category: string;
  status: string;
  description: string;
  createdAt: string;
}

/** A room's account apart from the room's own record (contract.ts adds it: RoomLedger). */
export interface RoomAccount {
  occupancyEnd: OccupancyEnd | null;
  /** Today in Beijing, the day the amounts are as of. */
  asOf: string;
  outstandingFen: number;
  /** Of which past due (+ the community's grace days). */
  overdueFen: number;
  overdueCount: number;
  prepaidFen: number;
  /** Newest first (at most 60 bills, 60 payments, 20 contacts, 20 complaints). */
  bills: LedgerBill[];
  payments: LedgerPayment[];
  /** WeChat Pay orders still waiting for the payer (their bills are locked meanwhile). */
  openOrders: LedgerOrder[];
  plans: LedgerPlan[];
  /** Holds in force today. */
  holds: LedgerHold[];
  contacts: LedgerContact[];
  complaints: LedgerComplaint[];
}

/** What roomLedger is asked. */
export const roomLedgerInput = z.strictObject({ communityId, roomId: docId });

/** What endOccupancy is asked: `endDate: null` withdraws an end not yet billed past. */
export const endOccupancyInput = z.strictObject({
  communityId,
  roomId: docId,
  endDate: z.nullable(date),
  reason: z.enum(OCCUPANCY_END_REASONS, '请选择结束原因'),
  note: z._default(freeText(200), ''),
});
