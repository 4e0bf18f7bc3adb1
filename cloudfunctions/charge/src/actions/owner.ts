/**
 * Deposits, owner side: the deposits of my rooms (asked, held, refunded, with their receipts),
 * paying a requested one by WeChat Pay (the amount is the deposit's, never the client's), and
 * agreeing to the deductions finance proposed so the rest is paid back. One-off charges need
 * nothing here: they are bills, paid on the bills page like any other.
 */
import crypto from 'node:crypto';
import cloud from 'wx-server-sdk';
import type {
  CreatedDepositOrder,
  chargeContracts,
} from '../../../../miniprogram/domain/charge/contract';
import { DEPOSIT_KIND_LABELS } from '../../../../miniprogram/domain/charge/rules';
import { formatYuan } from '../../../../miniprogram/domain/kernel/money';
import { audit, auditTarget, ownerActor } from '../../../_shared/audit';
import { myVerifiedBindings } from '../../../_shared/bindings';
import { fetchIn } from '../../../_shared/paging';
import {
  DEPOSIT_ORDER_PREFIX,
  acknowledgeDeduction,
  claimDepositForOrder,
  releaseDepositHold,
  type DepositDoc,
  type DepositOrderDoc,
} from '../../../_shared/ledger';
import { findById } from '../../../_shared/paging';
import { getCommunity } from '../../../_shared/records';
import {
  AppError,
  requireOpenid,
  type ActionContext,
  type Handlers,
} from '../../../_shared/router';
import { depositDoc, depositViews, oneDepositView } from '../repo/records';
import { executeRefund } from '../repo/refund';

type H = Handlers<typeof chargeContracts>;
type RequestPaymentParams = CreatedDepositOrder['payment'];

/** As long as the bills' orders: WeChat Pay refuses payment after it. */
const ORDER_TTL_MS = 30 * 60_000;

function sha(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** yyyyMMddHHmmss in UTC+8, as WeChat Pay wants times. */
function wxTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace(/[-:T]/g, '');
}

/** A deposit of one of my rooms (verified binding), or NOT_FOUND: ids cannot be probed. */
async function myDeposit(
  ctx: ActionContext,
  depositId: string,
  relations?: readonly string[],
): Promise<DepositDoc> {
  const bindings = await myVerifiedBindings(ctx);
  const dep = await depositDoc(ctx, depositId);
  const mine = bindings.filter((b) => b.roomId === dep.roomId);
  if (mine.length === 0) throw new AppError('NOT_FOUND', 'depositId: 未找到该押金');
  if (relations && !mine.some((b) => relations.includes(b.relation)))
    throw new AppError('FORBIDDEN', '扣款须由房屋的业主或共有人确认');
  return dep;
}

export const myDeposits: H['myDeposits'] = async (_input, ctx) => {
  const roomIds = [...new Set((await myVerifiedBindings(ctx)).map((b) => b.roomId))];
  const docs = await fetchIn<DepositDoc>(ctx, 'deposits', 'roomId', roomIds);
  docs.sort((a, b) => new Date(b.requestedAt).getTime() - new Date(a.requestedAt).getTime());
  return { deposits: await depositViews(ctx, docs) };
};

export const payDeposit: H['payDeposit'] = async (input, ctx) => {
  const openid = requireOpenid(ctx);
  const dep = await myDeposit(ctx, input.depositId);
  if (dep.status !== 'requested')
    throw new AppError('CONFLICT', '该押金已经缴纳，无需再付，请刷新后查看');
  const now = ctx.now();
  if (dep.payHold && new Date(dep.payHold.expireAt).getTime() > now.getTime() + 60_000) {
    // The live order of this deposit is handed back (the pay sheet is reopened, not a new order).
    const live = await findById<DepositOrderDoc>(ctx, 'deposit_orders', dep.payHold.outTradeNo);
    if (live?.payment && live.openid === openid)
      return {
        outTradeNo: live._id,
        amountFen: live.amountFen,
        payment: live.payment as unknown as RequestPaymentParams,
      };
  }
  const comm = (await getCommunity(ctx, dep.communityId)) as {
    name: string;
    payment?: { subMchId?: string };
  };
  const subMchId = comm.payment?.subMchId;
  if (!subMchId)
    throw new AppError('PRECONDITION_FAILED', '抱歉，本小区暂未开通微信支付，请到物业服务中心缴纳');
  const outTradeNo = `${DEPOSIT_ORDER_PREFIX}${sha(`${dep._id}|${dep.orderAttempts ?? 0}`).slice(0, 30)}`;
  const expireAt = new Date(now.getTime() + ORDER_TTL_MS);
  await claimDepositForOrder(ctx.db, {
    _id: outTradeNo,
    communityId: dep.communityId,
    depositId: dep._id,
    openid,
    amountFen: dep.amountFen,
    subMchId,
    status: 'creating',
    createdAt: now,
    expireAt,
  });
  const res = await cloud.cloudPay.unifiedOrder({
    body: `${comm.name}-${DEPOSIT_KIND_LABELS[dep.kind]}`.slice(0, 40),
    outTradeNo,
    spbillCreateIp: '127.0.0.1',
    subMchId,
    totalFee: dep.amountFen,
    envId: cloud.getWXContext().ENV ?? '',
    functionName: 'payNotify',
    nonceStr: sha(`${outTradeNo}n`).slice(0, 32),
    tradeType: 'JSAPI',
    timeExpire: wxTime(expireAt),
    attach: dep.communityId,
  });
  if (res.returnCode !== 'SUCCESS' || res.resultCode !== 'SUCCESS' || !res.payment) {
    await releaseDepositHold(ctx.db, dep._id, outTradeNo);
    console.error('[charge.payDeposit] unifiedOrder failed', res);
    throw new AppError('INTERNAL', '抱歉，暂时无法发起微信支付，请稍后再试或到物业服务中心缴纳');
  }
  const payment = res.payment as unknown as RequestPaymentParams;
  await ctx.db
    .collection('deposit_orders')
    .where({ _id: outTradeNo, status: 'creating' })
    .update({
      data: { status: 'pending', payment: payment as unknown as Record<string, unknown> },
    });
  return { outTradeNo, amountFen: dep.amountFen, payment };
};

export const ackDeduction: H['ackDeduction'] = async (input, ctx) => {
  const openid = requireOpenid(ctx);
  const dep = await myDeposit(ctx, input.depositId, ['owner', 'co-owner']);
  if (dep.status !== 'awaiting-ack')
    throw new AppError('PRECONDITION_FAILED', '该押金没有待确认的扣款');
  const acked = await acknowledgeDeduction(ctx.db, dep, openid, ctx.now());
  const r = acked.refund!;
  await audit(ctx, ownerActor(openid), {
    ...auditTarget(
      'deposit',
      dep.communityId,
      dep._id,
      `${dep.roomLabel} ${DEPOSIT_KIND_LABELS[dep.kind]}`,
    ),
    action: 'deposit.acknowledge',
    summary: `业主确认扣款 ${formatYuan(r.deductedFen)}（${r.deductions.map((d) => d.reason).join('；')}），退还 ${formatYuan(r.refundFen)}`,
  });
  await executeRefund(ctx.db, acked, r.requestedBy, ctx.now());
  return oneDepositView(ctx, dep._id);
};
