/**
 * Closing an owner's WeChat Pay order (a bill order or a deposit order) at WeChat Pay. A close
 * that WeChat Pay refuses is followed by a query: an order paid meanwhile (or paid and since
 * refunded) comes back as what its notification would have carried, for the caller to apply
 * through the ledger (which applies it once); one still open is 'too-soon'.
 */
import crypto from 'node:crypto';
import cloud from 'wx-server-sdk';
import type { WechatPaid } from './ledger';

const nonce = (text: string) => crypto.createHash('sha256').update(text).digest('hex').slice(0, 32);

export async function closeAtWechatPay(order: {
  _id: string;
  subMchId: string;
}): Promise<'closed' | 'too-soon' | WechatPaid> {
  const closed = await cloud.cloudPay.closeOrder({
    outTradeNo: order._id,
    subMchId: order.subMchId,
    nonceStr: nonce(order._id),
  });
  if (closed.resultCode === 'SUCCESS') return 'closed';
  const q = await cloud.cloudPay.queryOrder({
    outTradeNo: order._id,
    subMchId: order.subMchId,
    nonceStr: nonce(`${order._id}q`),
  });
  if (q.tradeState === 'SUCCESS' || q.tradeState === 'REFUND') {
    return {
      outTradeNo: order._id,
      transactionId: String(q.transactionId),
      totalFee: Number(q.totalFee),
      subMchId: order.subMchId,
      timeEnd: String(q.timeEnd),
    };
  }
  return q.tradeState === 'CLOSED' ? 'closed' : 'too-soon';
}
