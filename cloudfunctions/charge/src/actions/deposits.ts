/**
 * Deposits (押金), staff side: asked of a room, collected at the desk with a 押金收据, listed with
 * what is held (a liability: no bill, no payment, so never in the collection rate, reports or
 * disclosure income), and refunded by finance — whole, or less deductions with reasons that the
 * owner acknowledges first — through WeChat Pay or a recorded channel, with a red receipt.
 * The ledger (`_shared/ledger/deposits.ts`) makes a double collection or refund impossible.
 */
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import { formatYuan } from '../../../../miniprogram/domain/kernel/money';
import { formatClock } from '../../../../miniprogram/domain/kernel/time';
import { closableAt } from '../../../../miniprogram/domain/payment/holds';
import { DEPOSIT_KIND_LABELS } from '../../../../miniprogram/domain/charge/rules';
import type { chargeContracts } from '../../../../miniprogram/domain/charge/contract';
import { audit, auditTarget } from '../../../_shared/audit';
import { isDuplicate } from '../../../_shared/db';
import { stableId } from '../../../_shared/ids';
import {
  claimDepositRefund,
  collectDeposit as collect,
  type DepositDoc,
  type DepositOrderDoc,
} from '../../../_shared/ledger';
import { findById, listPage } from '../../../_shared/paging';
import { getRoom } from '../../../_shared/records';
import { ANY_STAFF, hasRole, requireRole, type StaffCaller } from '../../../_shared/roles';
import { AppError, type ActionContext, type Handlers } from '../../../_shared/router';
import { communityDepositTotals, depositDoc, depositViews, oneDepositView } from '../repo/records';
import type { DepositView } from '../../../../miniprogram/domain/charge/contract';
import { closeOrCollect } from '../repo/orders';
import { executeRefund } from '../repo/refund';

type H = Handlers<typeof chargeContracts>;

function label(d: DepositDoc): string {
  return `${d.roomLabel} ${DEPOSIT_KIND_LABELS[d.kind]}`;
}

async function noteDeposit(
  ctx: ActionContext,
  caller: StaffCaller | { openid: string; roles: string[] },
  d: DepositDoc,
  action: string,
  summary: string,
): Promise<void> {
  await audit(ctx, caller, {
    ...auditTarget('deposit', d.communityId, d._id, label(d)),
    action,
    summary,
  });
}

export const requestDeposit: H['requestDeposit'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['cashier', 'finance']);
  const room = await getRoom(ctx, input.communityId, input.roomId);
  const dep: DepositDoc = {
    _id: stableId('dp_', input.communityId, input.requestId),
    communityId: input.communityId,
    roomId: room._id,
    roomLabel: roomLabel(room),
    kind: input.kind,
    amountFen: input.amountFen,
    heldFen: 0,
    status: 'requested',
    note: input.note,
    requestedBy: caller.openid,
    requestedByName: caller.name,
    requestedAt: ctx.now(),
  };
  try {
    await ctx.db.collection('deposits').add({ data: dep });
  } catch (e) {
    // The same form sent again: answer what it recorded.
    if (!isDuplicate(e)) throw e;
    return oneDepositView(ctx, dep._id);
  }
  await noteDeposit(
    ctx,
    caller,
    dep,
    'deposit.request',
    `收取${DEPOSIT_KIND_LABELS[dep.kind]} ${formatYuan(dep.amountFen)}${dep.note ? `：${dep.note}` : ''}`,
  );
  return oneDepositView(ctx, dep._id);
};

export const collectDeposit: H['collectDeposit'] = async (input, ctx) => {
  const dep = await depositDoc(ctx, input.depositId);
  const caller = await requireRole(ctx, dep.communityId, ['cashier', 'finance']);
  await settleLapsedOrder(ctx, dep);
  const { entry } = await collect(ctx.db, {
    depositId: dep._id,
    channel: input.channel,
    at: ctx.now(),
    by: caller.openid,
    ...(input.reference ? { reference: input.reference } : {}),
    ...(input.payerName ? { payerName: input.payerName } : {}),
    // money a cashier takes at the desk joins their open shift (交班日结, docs/payments.md)
    ...(hasRole(caller.roles, ['cashier'])
      ? { shiftOf: { communityId: dep.communityId, cashier: caller.openid } }
      : {}),
  });
  await noteDeposit(
    ctx,
    caller,
    dep,
    'deposit.collect',
    `收取${DEPOSIT_KIND_LABELS[dep.kind]} ${formatYuan(dep.amountFen)}，押金收据 ${entry.receiptNo}`,
  );
  return oneDepositView(ctx, dep._id);
};

/**
 * The community's deposits, newest first, a page at a time, with the community's totals summed
 * by the database: the page, its count, its ledger entries and two sums — five requests.
 */
export const deposits: H['deposits'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const [page, totals] = await Promise.all([
    listPage<DepositDoc, DepositView>(
      ctx,
      'deposits',
      { communityId: input.communityId, ...(input.status ? { status: input.status } : {}) },
      [
        ['requestedAt', 'desc'],
        ['_id', 'asc'],
      ],
      input,
      (docs) => depositViews(ctx, docs),
    ),
    communityDepositTotals(ctx, input.communityId),
  ]);
  return { deposits: page.items, nextCursor: page.nextCursor, total: page.total, totals };
};

export const refundDeposit: H['refundDeposit'] = async (input, ctx) => {
  const dep = await depositDoc(ctx, input.depositId);
  const caller = await requireRole(ctx, dep.communityId, ['finance']);
  if (dep.status !== 'held')
    throw new AppError('CONFLICT', '该押金不在在押状态（未收取、退还中或已退还），请刷新后查看');
  if (input.channel === 'wechat' && dep.collected?.channel !== 'wechat')
    throw new AppError('INVALID_INPUT', 'channel: 只有微信支付收取的押金可以原路退回微信');
  const claimed = await claimDepositRefund(
    ctx.db,
    dep,
    {
      deductions: input.deductions,
      channel: input.channel,
      by: caller.openid,
      ...(input.reference ? { reference: input.reference } : {}),
    },
    ctx.now(),
  );
  const r = claimed.refund!;
  await noteDeposit(
    ctx,
    caller,
    dep,
    'deposit.refund',
    `退还${DEPOSIT_KIND_LABELS[dep.kind]} ${formatYuan(r.refundFen)}${r.deductedFen > 0 ? `，扣款 ${formatYuan(r.deductedFen)}（${r.deductions.map((d) => `${d.reason} ${formatYuan(d.amountFen)}`).join('；')}），待业主确认` : ''}`,
  );
  if (claimed.status === 'refunding')
    await executeRefund(ctx.db, claimed, caller.openid, ctx.now());
  return oneDepositView(ctx, dep._id);
};

export const retryDepositRefund: H['retryDepositRefund'] = async (input, ctx) => {
  const dep = await depositDoc(ctx, input.depositId);
  const caller = await requireRole(ctx, dep.communityId, ['finance']);
  if (dep.status !== 'refunding')
    throw new AppError('PRECONDITION_FAILED', '只有退还中（微信退款未成功）的押金可以重试');
  await executeRefund(ctx.db, dep, caller.openid, ctx.now());
  return oneDepositView(ctx, dep._id);
};

/**
 * An owner's order past its 30 minutes no longer holds the deposit, but it may have been paid
 * just before (its notification late): the desk asks WeChat Pay first, closing it — or, found
 * paid, collecting the deposit from it — so the same deposit is never taken twice.
 */
async function settleLapsedOrder(ctx: ActionContext, dep: DepositDoc): Promise<void> {
  if (!dep.payHold || new Date(dep.payHold.expireAt) > ctx.now()) return;
  const order = await findById<DepositOrderDoc>(ctx, 'deposit_orders', dep.payHold.outTradeNo);
  if (!order || (order.status !== 'pending' && order.status !== 'creating')) return;
  if ((await closeOrCollect(ctx.db, order, ctx.now())) === 'paid')
    throw new AppError(
      'CONFLICT',
      '业主已通过微信支付缴纳该押金（刚刚到账），无需再收，请刷新后查看',
    );
}

export const closeDepositOrder: H['closeDepositOrder'] = async (input, ctx) => {
  const dep = await depositDoc(ctx, input.depositId);
  const caller = await requireRole(ctx, dep.communityId, ['cashier', 'finance']);
  const hold = dep.payHold;
  if (dep.status !== 'requested' || !hold)
    throw new AppError('PRECONDITION_FAILED', '该押金没有待支付的微信订单');
  const order = await findById<DepositOrderDoc>(ctx, 'deposit_orders', hold.outTradeNo);
  if (!order) throw new AppError('PRECONDITION_FAILED', '该押金没有待支付的微信订单');
  const outcome = await closeOrCollect(ctx.db, order, ctx.now());
  if (outcome === 'too-soon')
    throw new AppError(
      'CONFLICT',
      `微信支付规定订单发起 5 分钟后才能关闭，请在 ${formatClock(closableAt({ at: order.createdAt }))} 后再试，或请业主完成支付`,
    );
  await noteDeposit(
    ctx,
    caller,
    dep,
    outcome === 'paid' ? 'deposit.closeFoundPaid' : 'deposit.closeOrder',
    outcome === 'paid'
      ? `关闭订单时发现业主已微信支付，押金已按微信支付结果收取（${formatYuan(order.amountFen)}）`
      : `关闭业主的待支付微信订单（${formatYuan(order.amountFen)}）：${input.reason}`,
  );
  return oneDepositView(ctx, dep._id);
};
