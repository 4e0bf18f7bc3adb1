/**
 * A WeChat Pay notification (SOURCE=wx_paycallback): checked against our own order and applied
 * exactly once through the shared ledger.
 *
 * Answers: `{ errcode: 0 }` once the payment is applied (or was already), or recorded as an
 * exception for finance; a non-zero errcode when the order is not visible yet or the database
 * failed, so WeChat Pay retries on its schedule. Anything not from WeChat Pay is refused: a client
 * calling this function cannot mark a bill paid.
 */
import cloud from 'wx-server-sdk';
import {
  DEPOSIT_ORDER_PREFIX,
  applyDepositWechat,
  applyWechatPayment,
  parseTimeEnd,
  recordPayException,
} from '../../../_shared/ledger';

/** How long a notification for an order we cannot see is retried before finance is told. */
const UNKNOWN_ORDER_GRACE_MS = 10 * 60_000;

interface PayNotification {
  returnCode?: string;
  resultCode?: string;
  outTradeNo?: string;
  transactionId?: string;
  totalFee?: number;
  subMchId?: string;
  timeEnd?: string;
  refundStatus?: string;
  outRefundNo?: string;
  attach?: string;
}

export async function handleNotification(
  event: PayNotification,
): Promise<{ errcode: number; errmsg: string }> {
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
  if (cloud.getWXContext().SOURCE !== 'wx_paycallback') {
    return { errcode: 403, errmsg: 'payNotify only accepts WeChat Pay notifications' };
  }
  const db = cloud.database();
  if (event.refundStatus !== undefined) {
    // Refund results: the refund was recorded when it was requested; note WeChat's confirmation.
    if (event.outRefundNo) {
      await db
        .collection('refunds')
        .where({ outRefundNo: event.outRefundNo })
        .update({ data: { wechatStatus: event.refundStatus, confirmedAt: new Date() } })
        .catch(() => undefined);
    }
    return { errcode: 0, errmsg: '' };
  }
  if (event.returnCode !== 'SUCCESS' || event.resultCode !== 'SUCCESS') {
    // A failed payment changes nothing; acknowledge it.
    return { errcode: 0, errmsg: '' };
  }
  if (
    !event.outTradeNo ||
    !event.transactionId ||
    typeof event.totalFee !== 'number' ||
    !event.subMchId
  ) {
    console.error('[payNotify] malformed notification', event);
    return { errcode: 0, errmsg: '' };
  }
  try {
    // Deposit orders (押金, `DP…`) collect a deposit; every other order pays bills.
    const apply = event.outTradeNo.startsWith(DEPOSIT_ORDER_PREFIX)
      ? applyDepositWechat
      : applyWechatPayment;
    const paid = {
      outTradeNo: event.outTradeNo,
      transactionId: event.transactionId,
      totalFee: event.totalFee,
      subMchId: event.subMchId,
      timeEnd: event.timeEnd ?? '',
    };
    const outcome = await apply(db, paid, new Date());
    if (outcome.kind === 'unknown-order') {
      // The order write may not be visible yet: let WeChat Pay retry for a while. Money for an
      // order we still cannot see after that is the exceptions desk's (refund or close).
      const paidAt = parseTimeEnd(event.timeEnd ?? '');
      if (!paidAt || Date.now() - paidAt.getTime() < UNKNOWN_ORDER_GRACE_MS)
        return { errcode: 1, errmsg: 'order not found yet' };
      await recordPayException(db, paid, {
        communityId: event.attach || (await communityOfMerchant(db, event.subMchId)),
        kind: 'unknown-order',
        reason: `系统中没有订单 ${event.outTradeNo}，微信支付已收款 ${event.totalFee} 分`,
        at: new Date(),
      });
      return { errcode: 0, errmsg: '' };
    }
    if (outcome.kind === 'exception')
      console.error(`[payNotify] ${event.outTradeNo}: ${outcome.reason}`);
    return { errcode: 0, errmsg: '' };
  } catch (e) {
    console.error('[payNotify] apply failed; WeChat Pay will retry', e);
    return { errcode: 1, errmsg: 'temporarily unavailable' };
  }
}

/** The community whose sub-merchant received the money (for an order we have no record of). */
async function communityOfMerchant(db: ReturnType<typeof cloud.database>, subMchId: string) {
  const res = await db
    .collection('communities')
    .where({ 'payment.subMchId': subMchId })
    .limit(1)
    .get();
  return String((res.data[0] as { _id?: string } | undefined)?._id ?? '');
}
