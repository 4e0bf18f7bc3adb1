/**
 * Resolving what differs from WeChat Pay's statement: a lost callback is applied through the
 * same idempotent path the callback uses (`applyWechatPayment`) after asking WeChat Pay
 * (`queryOrder`) that it was paid; an amount is accepted with a reason; or an item is explained.
 */
import { RECON_ITEM_LABELS } from '../../../../miniprogram/domain/reconcile/statement';
import { audit, auditTarget } from '../../../_shared/audit';
import { applyWechatPayment, reconDayId, applyToOrder } from '../../../_shared/ledger';
import { AppError } from '../../../_shared/router';
import { openItem, orderOf, paidAtWechat, resolve } from '../repo/wechat';
import type { Handlers } from '../../../_shared/router';
import type { reconcileContracts } from '../../../../miniprogram/domain/reconcile/contract';

export const applyMissing: Handlers<typeof reconcileContracts>['applyMissing'] = async (
  input,
  ctx,
) => {
  const { caller, run, item } = await openItem(ctx, input);
  if (item.kind !== 'missing-in-system')
    throw new AppError('INVALID_INPUT', 'itemKey: 只有“支付通知丢失”的差异可以补记入账');
  const order = await orderOf(ctx, input.communityId, item.outTradeNo);
  const paid = await paidAtWechat(order);
  const outcome = await applyWechatPayment(
    ctx.db,
    {
      outTradeNo: order._id,
      transactionId: paid.transactionId,
      totalFee: paid.totalFee,
      subMchId: order.subMchId,
      timeEnd: paid.timeEnd,
    },
    ctx.now(),
  );
  if (outcome.kind === 'exception')
    throw new AppError('CONFLICT', `微信支付结果与订单不符（${outcome.reason}），请按金额差异处理`);
  if (outcome.kind === 'unknown-order')
    throw new AppError('NOT_FOUND', 'itemKey: 系统中没有该订单');
  const payment = outcome.payment;
  await audit(ctx, caller, {
    ...auditTarget('payment', input.communityId, payment._id, payment.receiptNo),
    action: 'recon.applyMissing',
    summary: `补记支付通知丢失的微信支付 ${order._id}（${input.date}），收据 ${payment.receiptNo}`,
    after: { amountFen: payment.amountFen, outcome: outcome.kind },
  });
  return resolve(
    ctx,
    run,
    item.key,
    {
      action: 'applied',
      paymentId: payment._id,
      receiptNo: payment.receiptNo,
      by: caller.openid,
      at: ctx.now().toISOString(),
    },
    outcome.kind === 'applied' ? payment : undefined,
  );
};

export const acceptStatement: Handlers<typeof reconcileContracts>['acceptStatement'] = async (
  input,
  ctx,
) => {
  const { caller, run, item } = await openItem(ctx, input);
  if (item.kind !== 'amount-mismatch' || item.action !== 'accept')
    throw new AppError('INVALID_INPUT', 'itemKey: 该差异已有入账记录，请填写说明处理');
  const order = await orderOf(ctx, input.communityId, item.outTradeNo);
  const paid = await paidAtWechat(order);
  // The money WeChat Pay actually collected goes to the order's bills, oldest first; anything
  // beyond them becomes the room's prepaid balance, a shortfall leaves the bill partly paid.
  const { payment } = await applyToOrder(ctx.db, order, paid, {
    recordedBy: caller.openid,
    now: ctx.now(),
    note: `对账按微信支付金额入账：${input.reason}`,
    correctionReason: input.reason,
  });
  await ctx.db
    .collection('pay_exceptions')
    .where({ outTradeNo: order._id, status: 'open' })
    .update({ data: { status: 'resolved', resolvedBy: caller.openid, resolvedAt: ctx.now() } });
  await audit(ctx, caller, {
    ...auditTarget('payment', input.communityId, payment._id, payment.receiptNo),
    action: 'recon.acceptStatement',
    summary: `按微信支付金额入账 ${order._id}：微信 ${paid.totalFee} 分，订单 ${order.amountFen} 分。原因：${input.reason}`,
    before: { orderFen: order.amountFen },
    after: { amountFen: payment.amountFen, prepaidFen: payment.prepaidFen },
  });
  return resolve(
    ctx,
    run,
    item.key,
    {
      action: 'accepted',
      paymentId: payment._id,
      receiptNo: payment.receiptNo,
      by: caller.openid,
      at: ctx.now().toISOString(),
      note: input.reason,
    },
    payment,
  );
};

export const resolveItem: Handlers<typeof reconcileContracts>['resolveItem'] = async (
  input,
  ctx,
) => {
  const { caller, run, item } = await openItem(ctx, input);
  if (item.kind === 'missing-in-system') {
    throw new AppError(
      'INVALID_INPUT',
      'itemKey: 微信已收款而系统未入账，请使用“补记入账”，不能只填说明',
    );
  }
  await audit(ctx, caller, {
    communityId: input.communityId,
    action: 'recon.note',
    targetType: 'reconDay',
    targetId: reconDayId(input.communityId, input.date),
    targetLabel: `${input.date} ${item.outTradeNo || item.outRefundNo || ''}`,
    summary: `对账差异说明（${RECON_ITEM_LABELS[item.kind]}）：${input.note}`,
    after: { key: item.key },
  });
  return resolve(ctx, run, item.key, {
    action: 'noted',
    by: caller.openid,
    at: ctx.now().toISOString(),
    note: input.note,
  });
};
