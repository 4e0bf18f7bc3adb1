/**
 * An owner's WeChat Pay order: created for the chosen (or all) unpaid bills or a prepayment,
 * with its bills held while it is live; and its status, asking WeChat Pay when the callback is late.
 */
import { getDoc } from '../../../_shared/records';
import cloud from 'wx-server-sdk';
import { fetchAll } from '../../../_shared/db';
import {
  applyWechatPayment,
  claimBillsForOrder,
  liveHolders,
  releaseOrderHolds,
  type PayOrderDoc,
} from '../../../_shared/ledger';
import { AppError, requireOpenid } from '../../../_shared/router';
import type { RequestPaymentParams } from '../../../../miniprogram/domain/payment/contract';
import { community, hash, payment as paymentDoc } from '../repo/payments';
import { myVerifiedBindings } from '../../../_shared/bindings';
import { maskName } from '../../../../miniprogram/domain/community/mask';
import { RELATION_LABELS } from '../../../../miniprogram/domain/community/vocabulary';
import {
  CALLBACK_FUNCTION,
  ORDER_TTL_MS,
  billPlan,
  closeOrApply,
  prepayPlan,
  wxTime,
} from '../repo/orders';
import type { Handlers } from '../../../_shared/router';
import type { paymentContracts } from '../../../../miniprogram/domain/payment/contract';

export const createOrder: Handlers<typeof paymentContracts>['createOrder'] = async (input, ctx) => {
  const openid = requireOpenid(ctx);
  const now = ctx.now();
  const bindings = await myVerifiedBindings(ctx);
  const roomIds = [...new Set(bindings.map((b) => b.roomId))];
  if (!roomIds.length)
    throw new AppError(
      'PRECONDITION_FAILED',
      '您还没有绑定房屋，请先在“我的 → 我的房屋”中认证后再缴费',
    );
  const plan = input.prepay
    ? await prepayPlan(input.prepay, roomIds, ctx)
    : await billPlan(input, roomIds, ctx);
  const { communityId, billIds, amountFen } = plan;
  const orderRooms = plan.roomIds;
  const comm = await community(ctx.db, communityId);
  const subMchId = comm.payment?.subMchId;
  if (!subMchId)
    throw new AppError('PRECONDITION_FAILED', '抱歉，本小区暂未开通微信支付，请到物业服务中心缴费');

  // Deterministic order number: the same bills and amount give the same order while it is live.
  const baseKey = hash(
    `${communityId}|${input.prepay ? `prepay:${input.prepay.roomId}` : billIds.join(',')}|${amountFen}`,
  ).slice(0, 40);
  const previous = await fetchAll<PayOrderDoc>(ctx.db.collection('pay_orders').where({ baseKey }));
  const live = previous.find(
    (o) =>
      o.status === 'pending' &&
      o.openid === openid &&
      o.expireAt.getTime() > now.getTime() + 60_000,
  );
  if (live?.payment) {
    return {
      outTradeNo: live._id,
      amountFen,
      billIds,
      payment: live.payment as unknown as RequestPaymentParams,
      reused: true,
    };
  }
  // Bills claimed by another live order (an earlier attempt, a family member's): close it
  // first, never two live orders for one bill. One too young to close, or just paid, refuses.
  for (const order of await liveHolders(ctx.db, plan.bills)) {
    if (order.status === 'exception')
      throw new AppError(
        'CONFLICT',
        '该账单有一笔微信支付正在由物业财务核对，请稍后再试或联系物业服务中心',
      );
    const outcome = await closeOrApply(ctx.db, order, now);
    if (outcome === 'too-soon') {
      throw new AppError(
        'CONFLICT',
        order.openid === openid
          ? '您有一笔刚发起的待支付订单，请完成该笔支付，或 5 分钟后再重新发起'
          : '您的家人刚刚发起了该账单的微信支付，请稍候再试',
      );
    }
    if (outcome === 'paid')
      throw new AppError('CONFLICT', '该账单刚才的支付已成功，账单已更新，请刷新后查看');
  }
  const attempt = previous.length;
  const outTradeNo = `PF${hash(`${baseKey}|${attempt}`).slice(0, 30)}`;
  const expireAt = new Date(now.getTime() + ORDER_TTL_MS);
  const order: PayOrderDoc = {
    _id: outTradeNo,
    communityId,
    openid,
    baseKey,
    attempt,
    billIds,
    roomIds: orderRooms,
    amountFen,
    subMchId,
    status: 'creating',
    createdAt: now,
    expireAt,
  };
  // The order and its claim on the bills are written in one transaction that re-reads the bills,
  // before WeChat Pay hears of the order (so a notification can always find it): a cashier's
  // payment for any of them either committed first (refused here, naming it) or conflicts.
  const binding = bindings.find((b) => orderRooms.includes(b.roomId)) ?? bindings[0]!;
  await claimBillsForOrder(ctx.db, order, {
    expectedOutstandingFen: plan.owingFen,
    payer: `${RELATION_LABELS[binding.relation] ?? '业主'} ${maskName(binding.name) || '（微信用户）'}`,
  });
  const body = `${comm.name}-${input.prepay ? '物业费预存' : '物业费'}`.slice(0, 40);
  const res = await cloud.cloudPay.unifiedOrder({
    body,
    outTradeNo,
    spbillCreateIp: '127.0.0.1',
    subMchId,
    totalFee: amountFen,
    envId: cloud.getWXContext().ENV ?? '',
    functionName: CALLBACK_FUNCTION,
    nonceStr: hash(`${outTradeNo}n`).slice(0, 32),
    tradeType: 'JSAPI',
    timeExpire: wxTime(expireAt),
    attach: communityId,
  });
  if (res.returnCode !== 'SUCCESS' || res.resultCode !== 'SUCCESS' || !res.payment) {
    await ctx.db
      .collection('pay_orders')
      .doc(outTradeNo)
      .update({ data: { status: 'failed' } });
    await releaseOrderHolds(ctx.db, outTradeNo, billIds);
    console.error('[payment.createOrder] unifiedOrder failed', res);
    throw new AppError('INTERNAL', '抱歉，暂时无法发起微信支付，请稍后再试或到物业服务中心缴费');
  }
  const payment = res.payment as unknown as RequestPaymentParams;
  // A notification may already have marked the order paid (paid instantly): keep that status.
  await ctx.db
    .collection('pay_orders')
    .where({ _id: outTradeNo, status: 'creating' })
    .update({
      data: { status: 'pending', payment: payment as unknown as Record<string, unknown> },
    });
  return { outTradeNo, amountFen, billIds, payment, reused: false };
};

export const orderStatus: Handlers<typeof paymentContracts>['orderStatus'] = async (input, ctx) => {
  const openid = requireOpenid(ctx);
  const order = await getDoc<PayOrderDoc>(ctx, 'pay_orders', input.outTradeNo, '未找到该订单');
  if (order.openid !== openid) throw new AppError('NOT_FOUND', '未找到该订单');
  if (order.status === 'pending' || order.status === 'creating') {
    const q = await cloud.cloudPay.queryOrder({
      outTradeNo: order._id,
      subMchId: order.subMchId,
      nonceStr: hash(`${order._id}s`).slice(0, 32),
    });
    if (q.tradeState === 'SUCCESS') {
      const outcome = await applyWechatPayment(
        ctx.db,
        {
          outTradeNo: order._id,
          transactionId: String(q.transactionId),
          totalFee: Number(q.totalFee),
          subMchId: order.subMchId,
          timeEnd: String(q.timeEnd),
        },
        ctx.now(),
      );
      if (outcome.kind === 'exception')
        return { outTradeNo: order._id, status: 'exception', amountFen: order.amountFen };
      if (outcome.kind === 'applied' || outcome.kind === 'repeat') {
        return {
          outTradeNo: order._id,
          status: 'paid',
          amountFen: order.amountFen,
          paymentId: outcome.payment._id,
          receiptNo: outcome.payment.receiptNo,
        };
      }
    }
    return { outTradeNo: order._id, status: 'pending', amountFen: order.amountFen };
  }
  return {
    outTradeNo: order._id,
    status: order.status,
    amountFen: order.amountFen,
    ...(order.paymentId
      ? {
          paymentId: order.paymentId,
          receiptNo: (await paymentDoc(ctx.db, order.paymentId)).receiptNo,
        }
      : {}),
  };
};
