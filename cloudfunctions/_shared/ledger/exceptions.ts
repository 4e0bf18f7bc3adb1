/**
 * Money WeChat Pay moved that the ledger would not apply by itself (`pay_exceptions`): a
 * notification whose amount or sub-merchant differs from our order, or one for an order we have
 * no record of. Recorded once per notification (its id is derived from the order and the
 * transaction) for finance's exceptions desk, which refunds, applies or closes it.
 */
import type { PayExceptionKind } from '../../../miniprogram/domain/payment/exceptions.contract';
import { isDuplicate, type Database } from '../db';

export interface PayExceptionDoc {
  _id: string;
  communityId: string;
  kind: Exclude<PayExceptionKind, 'refund-failed'>;
  outTradeNo: string;
  transactionId: string;
  /** What WeChat Pay collected, and what our order asked for (absent: no order). */
  notifiedFen: number;
  orderFen?: number;
  /** The sub-merchant and pay time the notification named (a refund goes back through them). */
  subMchId: string;
  timeEnd: string;
  reason: string;
  status: 'open' | 'resolving' | 'resolved';
  at: Date;
  /** The resolution under way (claimed so two people cannot refund and apply the same money). */
  resolving?: { action: string; by: string; at: Date };
  resolution?: {
    action: string;
    reason: string;
    by: string;
    at: Date;
    paymentId?: string;
    receiptNo?: string;
    outRefundNo?: string;
  };
  lastFailure?: string;
}

/** What a WeChat Pay notification says of the money (as the ledger's `WechatPaid`). */
interface Notified {
  outTradeNo: string;
  transactionId: string;
  totalFee: number;
  subMchId: string;
  timeEnd?: string;
}

/**
 * Records an open exception for a notification once (its id comes from the order and the
 * transaction, so a repeated notification finds it there).
 */
export async function recordPayException(
  db: Database,
  paid: Notified,
  exc: Pick<PayExceptionDoc, 'communityId' | 'kind' | 'reason' | 'at'> & { orderFen?: number },
): Promise<void> {
  const doc: PayExceptionDoc = {
    _id: `${paid.outTradeNo}:${paid.transactionId}`,
    communityId: exc.communityId,
    kind: exc.kind,
    outTradeNo: paid.outTradeNo,
    transactionId: paid.transactionId,
    notifiedFen: paid.totalFee,
    ...(exc.orderFen !== undefined ? { orderFen: exc.orderFen } : {}),
    subMchId: paid.subMchId,
    timeEnd: paid.timeEnd ?? '',
    reason: exc.reason,
    status: 'open',
    at: exc.at,
  };
  try {
    await db.collection('pay_exceptions').add({ data: doc });
  } catch (e) {
    if (!isDuplicate(e)) throw e;
  }
}

/** The kind of a mismatch between a notification and our order. */
export function mismatchKind(notifiedFen: number, orderFen: number): PayExceptionDoc['kind'] {
  if (notifiedFen < orderFen) return 'short-paid';
  if (notifiedFen > orderFen) return 'over-paid';
  return 'merchant-mismatch';
}
