/**
 * An owner's WeChat Pay order of a deposit, closed at the desk's request: closed at WeChat Pay and
 * its claim on the deposit ended — or, when WeChat Pay says it was paid meanwhile, the deposit is
 * collected from it as its notification would have (the ledger does that once).
 */
import crypto from 'node:crypto';
import cloud from 'wx-server-sdk';
import {
  applyDepositWechat,
  releaseDepositHold,
  type DepositOrderDoc,
} from '../../../_shared/ledger';
import type { Database } from '../../../_shared/db';

const nonce = (text: string) => crypto.createHash('sha256').update(text).digest('hex').slice(0, 32);

export async function closeOrCollect(
  db: Database,
  order: DepositOrderDoc,
  now: Date,
): Promise<'closed' | 'paid' | 'too-soon'> {
  const closed = await cloud.cloudPay.closeOrder({
    outTradeNo: order._id,
    subMchId: order.subMchId,
    nonceStr: nonce(`${order._id}c`),
  });
  if (closed.resultCode !== 'SUCCESS') {
    const q = await cloud.cloudPay.queryOrder({
      outTradeNo: order._id,
      subMchId: order.subMchId,
      nonceStr: nonce(`${order._id}q`),
    });
    if (q.tradeState === 'SUCCESS') {
      await applyDepositWechat(
        db,
        {
          outTradeNo: order._id,
          transactionId: String(q.transactionId),
          totalFee: Number(q.totalFee),
          subMchId: order.subMchId,
          timeEnd: String(q.timeEnd),
        },
        now,
      );
      return 'paid';
    }
    if (q.tradeState !== 'CLOSED') return 'too-soon';
  }
  await releaseDepositHold(db, order.depositId, order._id, 'closed');
  return 'closed';
}
