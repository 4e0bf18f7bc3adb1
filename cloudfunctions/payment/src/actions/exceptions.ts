/**
 * The payment exceptions desk (支付异常, finance): every short-/over-paid or merchant-mismatched
 * WeChat Pay notification, every paid notification for an order we have no record of, and every
 * refund WeChat Pay refused, with amounts and age; and resolving one — refund the money, apply
 * what was collected to the order's bills, or close it with a reason — audited.
 */
import crypto from 'node:crypto';
import cloud from 'wx-server-sdk';
import { audit } from '../../../_shared/audit';
import { mergedPage } from '../../../_shared/merged-page';
import {
  applyToOrder,
  releaseOrderHolds,
  type PayExceptionDoc,
  type PayOrderDoc,
} from '../../../_shared/ledger';
import { getInCommunity } from '../../../_shared/records';
import { requireRole, type StaffCaller } from '../../../_shared/roles';
import { AppError, type ActionContext, type Handlers } from '../../../_shared/router';
import type { paymentContracts } from '../../../../miniprogram/domain/payment/contract';
import {
  EXCEPTION_ACTION_LABELS,
  PAY_EXCEPTION_LABELS,
  actionsFor,
  type ExceptionAction,
  type PayExceptionView,
} from '../../../../miniprogram/domain/payment/exceptions.contract';
import { execute } from '../repo/refunds';
import {
  NOTIFICATIONS,
  REFUNDS,
  REFUND_PREFIX,
  claimException,
  deskSources,
  exceptionView,
  openExceptionCount,
  refundExceptionView,
  reopenException,
  roomsOfExceptions,
  roomsOfRefunds,
  type DeskRefund,
} from '../repo/exceptions';

type Resolve = Handlers<typeof paymentContracts>['resolveException'];

/**
 * One page of the desk: notifications and failed refunds merged in time order (open: oldest
 * first; resolved: newest first), each source read after its own position (merged-page.ts), the
 * page's orders, rooms and payments in one read each. A fixed number of requests whatever the
 * number of exceptions.
 */
export const exceptions: Handlers<typeof paymentContracts>['exceptions'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ['finance']);
  const now = ctx.now();
  const wantOpen = input.status !== 'resolved';
  const sources = deskSources(ctx, input.communityId, wantOpen ? 'open' : 'resolved');
  const [page, openCount] = await Promise.all([
    mergedPage<PayExceptionDoc | DeskRefund>(ctx, sources, wantOpen ? 'asc' : 'desc', input),
    wantOpen ? null : openExceptionCount(ctx, input.communityId),
  ]);
  const docs = page.docs
    .filter((d) => d.source === NOTIFICATIONS)
    .map((d) => d.doc as PayExceptionDoc);
  const refunds = page.docs.filter((d) => d.source === REFUNDS).map((d) => d.doc as DeskRefund);
  const [rooms, refundRooms] = await Promise.all([
    roomsOfExceptions(ctx, docs),
    roomsOfRefunds(ctx, refunds),
  ]);
  return {
    exceptions: page.docs.map(({ source, doc }) =>
      source === NOTIFICATIONS
        ? exceptionView(
            doc as PayExceptionDoc,
            rooms.get((doc as PayExceptionDoc).outTradeNo) ?? [],
            now,
          )
        : refundExceptionView(
            { ...doc, roomLabels: refundRooms.get(doc._id) ?? [] } as DeskRefund,
            now,
          ),
    ),
    nextCursor: page.nextCursor,
    total: page.total,
    openCount: openCount ?? page.total,
  };
};

export const resolveException: Resolve = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['finance']);
  if (input.exceptionId.startsWith(REFUND_PREFIX)) return resolveRefund(input, ctx, caller);
  const doc = await getInCommunity<PayExceptionDoc>(
    ctx,
    'pay_exceptions',
    input.communityId,
    input.exceptionId,
    'exceptionId: 未找到该异常',
  );
  if (doc.status === 'resolved') throw new AppError('CONFLICT', '该异常已处理，请刷新后查看');
  if (!actionsFor(doc.kind).includes(input.resolution))
    throw new AppError(
      'INVALID_INPUT',
      `resolution: ${PAY_EXCEPTION_LABELS[doc.kind]}不能“${EXCEPTION_ACTION_LABELS[input.resolution]}”`,
    );
  const now = ctx.now();
  await claimException(ctx.db, doc, input.resolution, caller.openid, now);
  const order = await orderOf(ctx, doc.outTradeNo);
  let done: { paymentId?: string; receiptNo?: string; outRefundNo?: string } = {};
  try {
    if (input.resolution === 'apply') {
      if (!order) throw new AppError('PRECONDITION_FAILED', '系统中没有该订单，无法入账');
      const { payment: paid } = await applyToOrder(
        ctx.db,
        order,
        { transactionId: doc.transactionId, totalFee: doc.notifiedFen, timeEnd: doc.timeEnd },
        {
          recordedBy: caller.openid,
          now,
          note: `支付异常按微信实收入账：${input.reason}`,
          correctionReason: input.reason,
        },
      );
      done = { paymentId: paid._id, receiptNo: paid.receiptNo };
    } else if (input.resolution === 'refund') {
      done = { outRefundNo: await refundNotified(doc) };
    }
  } catch (e) {
    await reopenException(ctx.db, doc._id, e instanceof AppError ? e.message : String(e));
    throw e;
  }
  // The order is over (refunded or closed): its bills are free for the desk and a new order.
  if (order && input.resolution !== 'apply' && order.status !== 'paid') {
    await ctx.db
      .collection('pay_orders')
      .doc(order._id)
      .update({ data: { status: 'closed', closedAt: now } });
    await releaseOrderHolds(ctx.db, order._id, order.billIds);
  }
  const _ = ctx.db.command;
  const resolution = {
    action: input.resolution,
    reason: input.reason,
    by: caller.openid,
    at: now,
    ...done,
  };
  await ctx.db
    .collection('pay_exceptions')
    .doc(doc._id)
    .update({ data: { status: 'resolved', resolving: _.remove(), resolution } });
  await audit(ctx, caller, {
    communityId: input.communityId,
    action: `payException.${input.resolution}`,
    targetType: 'payException',
    targetId: doc._id,
    targetLabel: doc.outTradeNo,
    summary: `${PAY_EXCEPTION_LABELS[doc.kind]}（微信实收 ${doc.notifiedFen} 分${doc.orderFen !== undefined ? `，订单 ${doc.orderFen} 分` : ''}）：${EXCEPTION_ACTION_LABELS[input.resolution]}${done.receiptNo ? `，收据 ${done.receiptNo}` : ''}。说明：${input.reason}`,
    before: { status: doc.status },
    after: { status: 'resolved', ...done },
  });
  const rooms = await roomsOfExceptions(ctx, [doc]);
  return exceptionView(
    { ...doc, status: 'resolved', resolution },
    rooms.get(doc.outTradeNo) ?? [],
    now,
  );
};

async function orderOf(ctx: ActionContext, outTradeNo: string): Promise<PayOrderDoc | null> {
  const res = await ctx.db.collection('pay_orders').where({ _id: outTradeNo }).limit(1).get();
  return (res.data[0] as PayOrderDoc | undefined) ?? null;
}

/**
 * Sends what WeChat Pay collected back to the payer, with a refund number derived from the
 * exception (a retry never refunds twice). Returns the refund number.
 */
async function refundNotified(doc: PayExceptionDoc): Promise<string> {
  const outRefundNo = `px${crypto.createHash('sha256').update(doc._id).digest('hex').slice(0, 30)}`;
  const res = await cloud.cloudPay.refund({
    outTradeNo: doc.outTradeNo,
    outRefundNo,
    totalFee: doc.notifiedFen,
    refundFee: doc.notifiedFen,
    refundDesc: '支付金额与订单不符，原路退回',
    subMchId: doc.subMchId,
    envId: cloud.getWXContext().ENV ?? '',
    functionName: 'payNotify',
    nonceStr: crypto.createHash('sha256').update(outRefundNo).digest('hex').slice(0, 32),
  });
  if (res.returnCode !== 'SUCCESS' || res.resultCode !== 'SUCCESS')
    throw new AppError(
      'CONFLICT',
      `微信退款未成功：${String(res.errCodeDes ?? res.returnMsg ?? '请稍后重试')}`,
    );
  return outRefundNo;
}

/** A refund WeChat Pay refused: try it again (same refund number) or close it with a reason. */
async function resolveRefund(
  input: Parameters<Resolve>[0],
  ctx: ActionContext,
  caller: StaffCaller,
): Promise<PayExceptionView> {
  const refundId = input.exceptionId.slice(REFUND_PREFIX.length);
  const refund = await getInCommunity<DeskRefund>(
    ctx,
    'refunds',
    input.communityId,
    refundId,
    'exceptionId: 未找到该退款',
  );
  if (refund.status !== 'failed')
    throw new AppError('CONFLICT', '该退款已不在失败状态，请刷新后查看');
  if (input.resolution === 'apply')
    throw new AppError('INVALID_INPUT', 'resolution: 退款失败只能重新退款或关闭');
  const now = ctx.now();
  const desk = { action: input.resolution, reason: input.reason, by: caller.openid, at: now };
  let after: DeskRefund;
  if (input.resolution === 'refund') {
    const tried = await execute(ctx.db, refund, now);
    if (tried.status === 'failed')
      throw new AppError('CONFLICT', `微信退款仍未成功：${tried.failure ?? '请稍后重试'}`);
    after = { ...refund, ...tried };
  } else {
    // Only a refund still failed is closed: a concurrent retry that succeeded wins.
    const res = await ctx.db
      .collection('refunds')
      .where({ _id: refund._id, status: 'failed' })
      .update({ data: { status: 'closed', desk } });
    if (Number(res.stats.updated) !== 1)
      throw new AppError('CONFLICT', '该退款刚刚已由他人处理，请刷新后查看');
    after = { ...refund, status: 'closed' };
  }
  if (input.resolution === 'refund')
    await ctx.db.collection('refunds').doc(refund._id).update({ data: { desk } });
  await audit(ctx, caller, {
    communityId: input.communityId,
    action: `payException.${input.resolution}`,
    targetType: 'refund',
    targetId: refund._id,
    targetLabel: refund.receiptNo,
    summary: `退款失败（${refund.amountFen} 分）：${EXCEPTION_ACTION_LABELS[input.resolution as ExceptionAction]}。说明：${input.reason}`,
    before: { status: 'failed' },
    after: { status: after.status },
  });
  return refundExceptionView({ ...after, desk }, now);
}
