/**
 * Carrying out a claimed deposit refund: WeChat Pay sends the money back (only for a deposit
 * WeChat collected; the refund number is the deposit's own, so a retry never refunds twice),
 * then the ledger releases the deposit with its red receipt. A recorded channel (cash, transfer…)
 * is released at once: the money went back by hand. Safe to run again.
 */
import crypto from 'node:crypto';
import cloud from 'wx-server-sdk';
import {
  noteDepositRefundFailure,
  releaseDeposit,
  type DepositDoc,
  type DepositOrderDoc,
} from '../../../_shared/ledger';
import { findById } from '../../../_shared/paging';
import type { Database } from '../../../_shared/db';

export async function executeRefund(
  db: Database,
  dep: DepositDoc,
  by: string,
  now: Date,
): Promise<{ failure: string | null }> {
  const r = dep.refund!;
  if (r.channel === 'wechat' && r.refundFen > 0) {
    const outTradeNo = dep.collected!.outTradeNo!;
    const order = await findById<DepositOrderDoc>({ db }, 'deposit_orders', outTradeNo);
    const res = await cloud.cloudPay.refund({
      outTradeNo,
      outRefundNo: r.outRefundNo!,
      totalFee: dep.amountFen,
      refundFee: r.refundFen,
      refundDesc: `押金退还${r.deductedFen > 0 ? '（已扣款）' : ''}`,
      subMchId: order?.subMchId ?? '',
      envId: cloud.getWXContext().ENV ?? '',
      functionName: 'payNotify',
      nonceStr: crypto.createHash('sha256').update(r.outRefundNo!).digest('hex').slice(0, 32),
    });
    if (res.returnCode !== 'SUCCESS' || res.resultCode !== 'SUCCESS') {
      const failure = String(res.errCodeDes ?? res.returnMsg ?? '微信退款失败');
      await noteDepositRefundFailure(db, dep._id, failure);
      return { failure };
    }
  }
  await releaseDeposit(db, dep._id, by, now);
  return { failure: null };
}
