/**
 * The ledger's records: payments (with allocations), WeChat Pay orders, closed-day notes, and the
 * deposits with their entries and orders.
 */
import { type PaymentChannel } from '../../../miniprogram/domain/payment/channels';
import type { AllocationView } from '../../../miniprogram/domain/payment/contract';
import type {
  Deduction,
  DepositKind,
  DepositStatus,
} from '../../../miniprogram/domain/charge/rules';

export interface PaymentDoc {
  _id: string;
  communityId: string;
  roomIds: string[];
  channel: PaymentChannel;
  amountFen: number;
  allocations: AllocationView[];
  prepaidFen: number;
  /** Room credited with the remainder, when there is one. */
  prepaidRoomId?: string;
  /** `SJ2026-000123`; `pendingReceiptNo(_id)` from the commit until the number is given. */
  receiptNo: string;
  /** True from the commit until the receipt number is given (the payment timer's index). */
  receiptPending?: boolean;
  paidAt: Date;
  recordedBy: string;
  payerName?: string;
  reference?: string;
  outTradeNo?: string;
  transactionId?: string;
  note?: string;
  /** Set on a red reversal entry: the payment it (partly) reverses. */
  reverses?: string;
  /**
   * Set when the entry reached a day finance had already closed (对账关账): the day and the reason.
   * The day's `recon_days` record lists it too, so a closed day never changes silently.
   */
  closedDayCorrection?: { date: string; reason: string };
  /** The cashier's shift (交班) a desk payment, or the red reversal of one, belongs to. */
  shiftId?: string;
  /** Set on a reversal of a receipt from a shift already closed: that shift (listed as a correction). */
  shiftCorrectionOf?: string;
}

export interface PayOrderDoc {
  _id: string;
  communityId: string;
  openid: string;
  baseKey: string;
  attempt: number;
  billIds: string[];
  roomIds: string[];
  amountFen: number;
  subMchId: string;
  status: 'creating' | 'pending' | 'paid' | 'closed' | 'failed' | 'exception';
  createdAt: Date;
  expireAt: Date;
  payment?: Record<string, unknown>;
  paymentId?: string;
  receiptNo?: string;
  closedAt?: Date;
}

/** `recon_days/<communityId>:<YYYY-MM-DD>`: a day's reconciliation state (docs/reconciliation.md). */
export function reconDayId(communityId: string, date: string): string {
  return `${communityId}:${date}`;
}

export interface ReconDayCorrection {
  at: Date;
  kind: 'payment' | 'reversal';
  paymentId: string;
  receiptNo: string;
  amountFen: number;
  reason: string;
  by: string;
}

/**
 * `deposits/<id>`: a deposit (押金) asked of a room, and what the company holds of it (a liability,
 * never income: no bill, no payment). Its state moves only in `./deposits.ts`.
 */
export interface DepositDoc {
  _id: string;
  communityId: string;
  roomId: string;
  roomLabel: string;
  kind: DepositKind;
  amountFen: number;
  /** Held now: the amount from collection until release, 0 before and after. */
  heldFen: number;
  status: DepositStatus;
  note: string;
  requestedBy: string;
  requestedByName: string;
  requestedAt: Date;
  /** The live WeChat Pay order the owner opened for it (the desk waits for it to lapse). */
  payHold?: { outTradeNo: string; expireAt: Date } | null;
  /** WeChat Pay orders made for it so far (the next order's number comes from it). */
  orderAttempts?: number;
  /** The collection: entry `dc_<id>`; the channel and, for WeChat, the order it was paid by. */
  collected?: { entryId: string; channel: PaymentChannel; at: Date; outTradeNo?: string };
  refund?: DepositRefund;
  /** The release: entry `dr_<id>` (the red receipt). */
  released?: { entryId: string; at: Date };
}

export interface DepositRefund {
  deductions: Deduction[];
  deductedFen: number;
  refundFen: number;
  channel: PaymentChannel;
  reference?: string;
  requestedBy: string;
  requestedAt: Date;
  acknowledgedAt?: Date;
  acknowledgedBy?: string;
  /** WeChat Pay refund number (stable: a retry never refunds twice). */
  outRefundNo?: string;
  failure?: string;
}

/**
 * `deposit_entries`: the deposit ledger. `dc_<depositId>` collects (+amount, 押金收据 YJ…),
 * `dr_<depositId>` releases (−held = refunded + deducted, 红字收据 YH…). One of each per deposit at
 * most (the ids), immutable once numbered.
 */
export interface DepositEntryDoc {
  _id: string;
  communityId: string;
  depositId: string;
  roomId: string;
  kind: 'collect' | 'release';
  amountFen: number;
  refundFen?: number;
  deductedFen?: number;
  deductions?: Deduction[];
  channel: PaymentChannel;
  reference?: string;
  payerName?: string;
  outTradeNo?: string;
  transactionId?: string;
  outRefundNo?: string;
  receiptNo: string;
  receiptPending?: boolean;
  at: Date;
  by: string;
  /** Taken or paid back at the desk: the cashier's shift it joined (交班日结, `shift.ts`). */
  shiftId?: string;
  /** A refund of a deposit collected in an earlier shift, closed by now: that shift. */
  shiftCorrectionOf?: string;
}

/** `deposit_orders/<outTradeNo>`: an owner's WeChat Pay order for a requested deposit. */
export interface DepositOrderDoc {
  _id: string;
  communityId: string;
  depositId: string;
  openid: string;
  amountFen: number;
  subMchId: string;
  status: 'creating' | 'pending' | 'paid' | 'failed' | 'closed';
  createdAt: Date;
  expireAt: Date;
  payment?: Record<string, unknown>;
}
