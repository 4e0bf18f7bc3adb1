/**
 * Refund records and carrying one out: WeChat Pay refunds go through `cloudPay.refund` with the
 * refund's own id as the stable refund number (a retry never refunds twice), then the ledger
 * writes the red reversal. Shared by the refund actions and the exceptions desk.
 */
import { getDoc } from '../../../_shared/records';
import crypto from 'node:crypto';
import cloud from 'wx-server-sdk';
import type { DB } from 'wx-server-sdk';
import { reversePayment, type PaymentDoc } from '../../../_shared/ledger';
import type { RefundStatus, RefundView } from '../../../../miniprogram/domain/payment/contract';
import { payment } from './payments';

export const DEFAULT_REFUND_APPROVAL_FEN = 100_000;

export interface RefundDoc {
  _id: string;
  communityId: string;
  paymentId: string;
  receiptNo: string;
  channel: PaymentDoc['channel'];
  amountFen: number;
  reason: string;
  status: RefundStatus;
  requestedBy: string;
  requestedAt: Date;
  decidedBy?: string;
  decidedAt?: Date;
  reversalId?: string;
  reversalReceiptNo?: string;
  failure?: string;
}

export function refundView(r: RefundDoc): RefundView {
  return {
    refundId: r._id,
    paymentId: r.paymentId,
    receiptNo: r.receiptNo,
    channel: r.channel,
    amountFen: r.amountFen,
    reason: r.reason,
    status: r.status,
    requestedBy: r.requestedBy,
    requestedAt: new Date(r.requestedAt).toISOString(),
    ...(r.decidedBy ? { decidedBy: r.decidedBy } : {}),
    ...(r.reversalReceiptNo ? { reversalReceiptNo: r.reversalReceiptNo } : {}),
    ...(r.failure ? { failure: r.failure } : {}),
  };
}

/** Sends the money back (WeChat Pay) and writes the reversal; safe to run again. */
export async function execute(db: DB.Database, refund: RefundDoc, now: Date): Promise<RefundDoc> {
  const original = await payment(db, refund.paymentId);
  if (original.channel === 'wechat' && original.outTradeNo) {
    const order = (
      await db
        .collection('pay_orders')
        .doc(original.outTradeNo)
        .get()
        .catch(() => null)
    )?.data as { subMchId: string } | undefined;
    const res = await cloud.cloudPay.refund({
      outTradeNo: original.outTradeNo,
      outRefundNo: refund._id,
      totalFee: original.amountFen,
      refundFee: refund.amountFen,
      refundDesc: refund.reason.slice(0, 80),
      subMchId: order?.subMchId ?? '',
      envId: cloud.getWXContext().ENV ?? '',
      functionName: 'payNotify',
      nonceStr: crypto.createHash('sha256').update(refund._id).digest('hex').slice(0, 32),
    });
    if (res.returnCode !== 'SUCCESS' || res.resultCode !== 'SUCCESS') {
      const failure = String(res.errCodeDes ?? res.returnMsg ?? '微信退款失败');
      await db
        .collection('refunds')
        .doc(refund._id)
        .update({ data: { status: 'failed', failure } });
      return { ...refund, status: 'failed', failure };
    }
  }
  const reversal = await reversePayment(db, {
    reversalId: `rv_${refund._id}`,
    paymentId: refund.paymentId,
    amountFen: refund.amountFen,
    at: now,
    by: refund.decidedBy ?? refund.requestedBy,
    reason: refund.reason,
  });
  const done = {
    status: 'done' as const,
    reversalId: reversal._id,
    reversalReceiptNo: reversal.receiptNo,
    failure: '',
  };
  await db.collection('refunds').doc(refund._id).update({ data: done });
  return { ...refund, ...done };
}

export async function refundDoc(db: DB.Database, refundId: string): Promise<RefundDoc> {
  return getDoc<RefundDoc>({ db }, 'refunds', refundId, 'refundId: 未找到该退款申请');
}
