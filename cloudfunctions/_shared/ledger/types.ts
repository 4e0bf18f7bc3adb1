/** The ledger's records: payments (with allocations), WeChat Pay orders and closed-day notes. */
import { type PaymentChannel } from '../../../miniprogram/domain/payment/channels';
import type { AllocationView } from '../../../miniprogram/domain/payment/contract';

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
