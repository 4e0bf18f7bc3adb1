/**
 * Refunds (退款). A refund is requested by finance; above the community's approval threshold
 * (default ¥1,000) an admin approves it first. WeChat Pay refunds go through `cloudPay.refund` with
 * the refund's own id as the stable refund number, so a retry never refunds twice; other channels
 * are recorded (the money goes back by hand). Once the money is back, the ledger writes a red
 * reversal entry (`reversePayment`); nothing is edited or deleted, and the bills reopen.
 */
import crypto from 'node:crypto';
import { fetchAll, isDuplicate } from '../../../_shared/db';
import { audit } from '../../../_shared/audit';
import { requireRole } from '../../../_shared/roles';
import { AppError } from '../../../_shared/router';
import { listPage } from '../../../_shared/paging';
import { communitiesWith, payment } from '../repo/payments';
import {
  DEFAULT_REFUND_APPROVAL_FEN,
  execute,
  refundDoc,
  refundView,
  type RefundDoc,
} from '../repo/refunds';
import type { Handlers } from '../../../_shared/router';
import type { paymentContracts, RefundView } from '../../../../miniprogram/domain/payment/contract';

export const requestRefund: Handlers<typeof paymentContracts>['requestRefund'] = async (
  input,
  ctx,
) => {
  const original = await payment(ctx.db, input.paymentId);
  const caller = await requireRole(ctx, original.communityId, ['finance']);
  if (original.amountFen <= 0 || original.reverses)
    throw new AppError('INVALID_INPUT', 'paymentId: 冲红记录不能再退款');
  const earlier = await fetchAll<RefundDoc>(
    ctx.db.collection('refunds').where({ paymentId: input.paymentId }),
  );
  const committed = earlier
    .filter((r) => r.status !== 'rejected')
    .reduce((s, r) => s + r.amountFen, 0);
  if (committed + input.amountFen > original.amountFen) {
    throw new AppError(
      'INVALID_INPUT',
      `amountFen: 退款合计不能超过收款金额，最多还可退 ${original.amountFen - committed} 分`,
    );
  }
  const comm = (await ctx.db.collection('communities').doc(original.communityId).get()).data as {
    refundApprovalFen?: number;
  };
  const threshold = comm.refundApprovalFen ?? DEFAULT_REFUND_APPROVAL_FEN;
  const now = ctx.now();
  const refund: RefundDoc = {
    // Deterministic: the n-th refund of a payment. Also the WeChat refund number.
    _id: `rf${crypto
      .createHash('sha256')
      .update(`${input.paymentId}|${earlier.length + 1}`)
      .digest('hex')
      .slice(0, 30)}`,
    communityId: original.communityId,
    paymentId: original._id,
    receiptNo: original.receiptNo,
    channel: original.channel,
    amountFen: input.amountFen,
    reason: input.reason,
    status: input.amountFen > threshold ? 'pending-approval' : 'approved',
    requestedBy: ctx.openid,
    requestedAt: now,
  };
  try {
    await ctx.db.collection('refunds').add({ data: refund });
  } catch (e) {
    if (isDuplicate(e)) {
      throw new AppError('CONFLICT', '该笔收款刚刚提交过退款，请刷新后查看');
    }
    throw e;
  }
  await audit(ctx, caller, {
    communityId: refund.communityId,
    action: 'refund.request',
    targetType: 'refund',
    targetId: refund._id,
    targetLabel: original.receiptNo,
    summary: `申请退款 ${input.amountFen} 分（${refund.status === 'approved' ? '无需审批' : '待管理员审批'}）：${input.reason}`,
  });
  if (refund.status === 'approved') return refundView(await execute(ctx.db, refund, now));
  return refundView(refund);
};

export const decideRefund: Handlers<typeof paymentContracts>['decideRefund'] = async (
  input,
  ctx,
) => {
  const refund = await refundDoc(ctx.db, input.refundId);
  const caller = await requireRole(ctx, refund.communityId, ['admin']);
  if (refund.status !== 'pending-approval')
    throw new AppError('PRECONDITION_FAILED', '该退款不在待审批状态');
  const now = ctx.now();
  // Only a pending refund can be decided, once: the conditional update is the guard.
  const res = await ctx.db
    .collection('refunds')
    .where({ _id: refund._id, status: 'pending-approval' })
    .update({
      data: {
        status: input.approve ? 'approved' : 'rejected',
        decidedBy: ctx.openid,
        decidedAt: now,
      },
    });
  if (res.stats.updated !== 1) throw new AppError('CONFLICT', '该退款已被处理，请刷新');
  await audit(ctx, caller, {
    communityId: refund.communityId,
    action: input.approve ? 'refund.approve' : 'refund.reject',
    targetType: 'refund',
    targetId: refund._id,
    targetLabel: refund.receiptNo,
    summary: `${input.approve ? '批准' : '驳回'}退款 ${refund.amountFen} 分${input.note ? `：${input.note}` : ''}`,
  });
  const decided: RefundDoc = {
    ...refund,
    status: input.approve ? 'approved' : 'rejected',
    decidedBy: ctx.openid,
    decidedAt: now,
  };
  return refundView(input.approve ? await execute(ctx.db, decided, now) : decided);
};

export const retryRefund: Handlers<typeof paymentContracts>['retryRefund'] = async (input, ctx) => {
  const refund = await refundDoc(ctx.db, input.refundId);
  await requireRole(ctx, refund.communityId, ['finance']);
  if (refund.status !== 'failed' && refund.status !== 'approved') {
    throw new AppError('PRECONDITION_FAILED', '只有失败或已批准未完成的退款可以重试');
  }
  return refundView(await execute(ctx.db, refund, ctx.now()));
};

export const listRefunds: Handlers<typeof paymentContracts>['refunds'] = async (input, ctx) => {
  const communities = await communitiesWith(ctx, ['finance']);
  const _ = ctx.db.command;
  const where = {
    communityId: _.in(communities),
    ...(input.status ? { status: input.status } : {}),
  };
  const page = await listPage<RefundDoc, RefundView>(
    ctx,
    'refunds',
    where,
    [
      ['requestedAt', 'desc'],
      ['_id', 'asc'],
    ],
    input,
    (docs) => docs.map(refundView),
  );
  return { refunds: page.items, nextCursor: page.nextCursor, total: page.total };
};
