/**
 * payment: WeChat Pay orders for owners, payments recorded by cashiers, receipts, and a timer
 * that closes pending orders past their expiry so none is left dangling.
 *
 * The amount of an order is always computed here from the bills' outstanding balances; the client
 * only chooses bills (and optionally pays part of them). Money is applied by the shared ledger
 * (`_shared/ledger.ts`), through the separate `payNotify` callback or, when the callback is late,
 * through `orderStatus` asking WeChat Pay (`queryOrder`).
 */
import { roomLabel } from '../../../miniprogram/domain/community/vocabulary';
import type { RoomDoc } from '../../_shared/records';
import crypto from 'node:crypto';
import cloud from 'wx-server-sdk';
import type { DB } from 'wx-server-sdk';
import { outstandingFen, summariseBill, type BillDoc } from '../../../miniprogram/domain/fee/bill';
import { sortOldestFirst } from '../../../miniprogram/domain/kernel/money';
import { CHANNEL_LABELS, amountInWords } from '../../../miniprogram/domain/payment/receipt';
import { fetchAll, isDuplicate, isMissing } from '../../_shared/db';
import {
  applyPayment,
  applyWechatPayment,
  holdBillsForOrder,
  holdsOn,
  releaseOrderHolds,
  type PaymentDoc,
  type PayOrderDoc,
} from '../../_shared/ledger';
import { hasRole, requireRole, rolesIn } from '../../_shared/roles';
import { AppError, createRouter, requireOpenid, type ActionContext } from '../../_shared/router';
import {
  decideInvoice,
  decideRefund,
  invoiceQueue,
  listRefunds,
  myInvoices,
  requestInvoice,
  requestRefund,
  retryRefund,
} from './refunds';
import { printReceipts, searchReceipts } from './receipts';
import type {
  CreatedOrder,
  OrderStatusView,
  ReceiptView,
  RequestPaymentParams,
} from '../../../miniprogram/domain/payment/contract';
import { paymentContracts } from '../../../miniprogram/domain/payment/contract';

/** Orders expire after 30 minutes; prepay ids live 2 hours, so the pay sheet never outlives them. */
const ORDER_TTL_MS = 30 * 60_000;
const CALLBACK_FUNCTION = 'payNotify';

interface CommunityPayDoc {
  _id: string;
  name: string;
  payment?: { subMchId?: string };
}

interface BindingDoc {
  roomId: string;
  communityId: string;
  status: string;
}

/** yyyyMMddHHmmss in UTC+8, as WeChat Pay wants times. */
function wxTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace(/[-:T]/g, '');
}

function hash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

async function myRoomIds(ctx: ActionContext): Promise<string[]> {
  const openid = requireOpenid(ctx);
  const bindings = await fetchAll<BindingDoc>(
    ctx.db.collection('room_bindings').where({ openid, status: 'verified' }),
  );
  return [...new Set(bindings.map((b) => b.roomId))];
}

async function community(db: DB.Database, communityId: string): Promise<CommunityPayDoc> {
  return (await db.collection('communities').doc(communityId).get()).data as CommunityPayDoc;
}

/** Closes a pending order at WeChat Pay and locally; a paid one is applied instead. */
async function closeOrApply(
  db: DB.Database,
  order: PayOrderDoc,
  now: Date,
): Promise<'closed' | 'paid' | 'too-soon'> {
  const closed = await cloud.cloudPay.closeOrder({
    outTradeNo: order._id,
    subMchId: order.subMchId,
    nonceStr: hash(order._id).slice(0, 32),
  });
  if (closed.resultCode !== 'SUCCESS') {
    const q = await cloud.cloudPay.queryOrder({
      outTradeNo: order._id,
      subMchId: order.subMchId,
      nonceStr: hash(`${order._id}q`).slice(0, 32),
    });
    if (q.tradeState === 'SUCCESS' || q.tradeState === 'REFUND') {
      await applyWechatPayment(
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
  await db
    .collection('pay_orders')
    .doc(order._id)
    .update({ data: { status: 'closed', closedAt: now } });
  await releaseOrderHolds(db, order._id, order.billIds);
  return 'closed';
}

interface OrderPlan {
  communityId: string;
  billIds: string[];
  roomIds: string[];
  amountFen: number;
}

/** Bills to pay: the caller's chosen (or all) unpaid bills, oldest first; the amount is ours. */
async function billPlan(
  input: { billIds?: string[]; amountFen?: number },
  roomIds: string[],
  ctx: ActionContext,
): Promise<OrderPlan> {
  const _ = ctx.db.command;
  const mine = await fetchAll<BillDoc>(
    ctx.db
      .collection('bills')
      .where({ roomId: _.in(roomIds), status: _.in(['unpaid', 'partial']) }),
  );
  let chosen = mine.filter((b) => outstandingFen(b) > 0);
  if (input.billIds) {
    const wanted = new Set(input.billIds);
    chosen = chosen.filter((b) => wanted.has(b._id));
    if (chosen.length !== wanted.size) {
      throw new AppError(
        'INVALID_INPUT',
        'billIds: 所选账单不存在、已缴清或不属于您的房屋，请刷新后重试',
      );
    }
  }
  if (!chosen.length)
    throw new AppError('PRECONDITION_FAILED', '您目前没有待缴的账单，感谢您的支持');
  if (new Set(chosen.map((b) => b.communityId)).size > 1) {
    throw new AppError('INVALID_INPUT', 'billIds: 请分别缴纳不同小区的账单');
  }
  const total = chosen.reduce((s, b) => s + outstandingFen(b), 0);
  const amountFen = input.amountFen ?? total;
  if (amountFen > total)
    throw new AppError('INVALID_INPUT', `amountFen: 不能超过所选账单的未缴金额 ${total} 分`);
  const billIds = sortOldestFirst(chosen.map((b) => ({ ...b, id: b._id }))).map((b) => b._id);
  return {
    communityId: chosen[0]!.communityId,
    billIds,
    roomIds: [...new Set(billIds.map((id) => chosen.find((b) => b._id === id)!.roomId))],
    amountFen,
  };
}

/** Prepaying (预存) into one of the caller's rooms: no bills, all of it goes to the balance. */
async function prepayPlan(
  prepay: { roomId: string; amountFen: number },
  roomIds: string[],
  ctx: ActionContext,
): Promise<OrderPlan> {
  if (!roomIds.includes(prepay.roomId))
    throw new AppError('INVALID_INPUT', 'prepay.roomId: 只能为您已认证的房屋预存');
  const room = (await ctx.db.collection('rooms').doc(prepay.roomId).get()).data as {
    communityId: string;
  };
  return {
    communityId: room.communityId,
    billIds: [],
    roomIds: [prepay.roomId],
    amountFen: prepay.amountFen,
  };
}

async function createOrder(
  input: { billIds?: string[]; amountFen?: number; prepay?: { roomId: string; amountFen: number } },
  ctx: ActionContext,
): Promise<CreatedOrder> {
  const openid = requireOpenid(ctx);
  const now = ctx.now();
  const roomIds = await myRoomIds(ctx);
  if (!roomIds.length)
    throw new AppError(
      'PRECONDITION_FAILED',
      '您还没有绑定房屋，请先在“我的 → 我的房屋”中认证后再缴费',
    );
  const _ = ctx.db.command;
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
  // Bills held by another live order: close it first (never two live orders for one bill).
  const locks = await holdsOn(ctx.db, billIds);
  for (const holder of [...new Set(locks.map((l) => l.outTradeNo))]) {
    let order: PayOrderDoc | null = null;
    try {
      order = (await ctx.db.collection('pay_orders').doc(holder).get()).data as PayOrderDoc;
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
    if (order && (order.status === 'pending' || order.status === 'creating')) {
      const outcome = await closeOrApply(ctx.db, order, now);
      if (outcome === 'too-soon') {
        throw new AppError(
          'CONFLICT',
          '您有一笔刚发起的待支付订单，请完成该笔支付，或 5 分钟后再重新发起',
        );
      }
      if (outcome === 'paid')
        throw new AppError('CONFLICT', '您刚才的支付已成功，账单已更新，请刷新后查看');
    } else {
      await releaseOrderHolds(ctx.db, holder);
    }
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
  // The order and its bill locks are written together, before WeChat Pay hears of the order, so
  // a notification can always find it.
  try {
    await ctx.db.runTransaction(async (t) => {
      await t.collection('pay_orders').add({ data: order });
      await holdBillsForOrder(t, billIds, outTradeNo, now);
    }, 1);
  } catch (e) {
    if (
      /duplicate key|conflict/i.test(
        String((e as { errMsg?: string }).errMsg ?? (e as Error).message ?? e),
      )
    ) {
      throw new AppError('CONFLICT', '该账单正在支付中，请稍候片刻再试');
    }
    throw e;
  }
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
    await releaseOrderHolds(ctx.db, outTradeNo);
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
}

async function orderStatus(
  input: { outTradeNo: string },
  ctx: ActionContext,
): Promise<OrderStatusView> {
  const openid = requireOpenid(ctx);
  let order: PayOrderDoc;
  try {
    order = (await ctx.db.collection('pay_orders').doc(input.outTradeNo).get()).data as PayOrderDoc;
  } catch (e) {
    if (isMissing(e)) throw new AppError('NOT_FOUND', '未找到该订单');
    throw e;
  }
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
    ...(order.paymentId ? { paymentId: order.paymentId } : {}),
    ...(order.receiptNo ? { receiptNo: order.receiptNo } : {}),
  };
}

async function recordOffline(
  input: {
    roomId: string;
    channel: 'cash' | 'card' | 'transfer' | 'alipay' | 'autodebit' | 'other';
    amountFen: number;
    billIds?: string[];
    reference?: string;
    tenderedFen?: number;
    payerName?: string;
    note?: string;
    idempotencyKey: string;
  },
  ctx: ActionContext,
) {
  const openid = requireOpenid(ctx);
  let room: RoomDoc & { communityId: string };
  try {
    room = (await ctx.db.collection('rooms').doc(input.roomId).get()).data as RoomDoc & {
      communityId: string;
    };
  } catch (e) {
    if (isMissing(e)) throw new AppError('NOT_FOUND', 'roomId: 房屋不存在');
    throw e;
  }
  await requireRole(ctx, room.communityId, ['cashier']);
  const _ = ctx.db.command;
  const open = await fetchAll<BillDoc>(
    ctx.db.collection('bills').where({ roomId: input.roomId, status: _.in(['unpaid', 'partial']) }),
  );
  let target = open.filter((b) => outstandingFen(b) > 0);
  if (input.billIds) {
    const wanted = new Set(input.billIds);
    target = target.filter((b) => wanted.has(b._id));
    if (target.length !== wanted.size)
      throw new AppError('INVALID_INPUT', 'billIds: 所选账单不属于该房屋或已缴清，请刷新后重试');
  }
  const outstanding = target.reduce((s, b) => s + outstandingFen(b), 0);
  const result = await applyPayment(ctx.db, {
    paymentId: `off_${room.communityId}_${input.idempotencyKey}`,
    communityId: room.communityId,
    channel: input.channel,
    amountFen: input.amountFen,
    billIds: target.map((b) => b._id),
    prepaidRoomId: input.roomId,
    recordedBy: openid,
    paidAt: ctx.now(),
    payerName: input.payerName,
    reference: input.reference,
    note: input.note,
    // Money beyond the chosen bills becomes prepaid only when the cashier chose no bills.
    requireFullAllocation: input.billIds !== undefined && input.amountFen > outstanding,
    respectLocks: true,
  }).catch((e: unknown) => {
    if (isDuplicate(e)) {
      throw new AppError('CONFLICT', 'reference: 该交易参考号已登记过，请勿重复收款');
    }
    throw e;
  });
  if (!result.created && result.payment.amountFen !== input.amountFen) {
    throw new AppError('CONFLICT', 'idempotencyKey: 该收款单已提交过且金额不同，请重新填写');
  }
  return {
    paymentId: result.payment._id,
    receiptNo: result.payment.receiptNo,
    allocations: result.payment.allocations,
    prepaidFen: result.payment.prepaidFen,
    changeFen: input.tenderedFen !== undefined ? input.tenderedFen - input.amountFen : 0,
  };
}

async function canSeePayment(ctx: ActionContext, payment: PaymentDoc): Promise<boolean> {
  const roomIds = await myRoomIds(ctx);
  if (payment.roomIds.some((r) => roomIds.includes(r))) return true;
  const { roles } = await rolesIn(ctx, payment.communityId, ctx.openid);
  return hasRole(roles, ['cashier', 'finance', 'service']);
}

async function receiptView(ctx: ActionContext, payment: PaymentDoc): Promise<ReceiptView> {
  const comm = await community(ctx.db, payment.communityId);
  const labels = new Set(payment.allocations.map((a) => a.roomLabel));
  if (payment.prepaidRoomId) {
    const room = (await ctx.db.collection('rooms').doc(payment.prepaidRoomId).get())
      .data as RoomDoc;
    labels.add(roomLabel(room));
  }
  const words = amountInWords(payment.amountFen);
  return {
    paymentId: payment._id,
    receiptNo: payment.receiptNo,
    communityName: comm.name,
    payer: payment.payerName ?? '业主',
    roomLabels: [...labels],
    channel: payment.channel,
    channelLabel: CHANNEL_LABELS[payment.channel],
    amountFen: payment.amountFen,
    amountFigures: words.figures,
    amountCapital: words.capital,
    allocations: payment.allocations,
    prepaidFen: payment.prepaidFen,
    paidAt: new Date(payment.paidAt).toISOString(),
    cashier: payment.channel === 'wechat' ? '微信支付' : '物业服务中心',
    ...(payment.reference ? { reference: payment.reference } : {}),
    reversed:
      (await ctx.db.collection('payments').where({ reverses: payment._id }).count()).total > 0,
  };
}

const router = createRouter('payment', paymentContracts, {
  createOrder,
  orderStatus,
  recordOffline,
  requestRefund,
  decideRefund,
  retryRefund,
  refunds: listRefunds,
  async requestInvoice(input, ctx) {
    return requestInvoice(input, ctx, await myRoomIds(ctx));
  },
  myInvoices: (_input, ctx) => myInvoices(ctx),
  invoiceQueue,
  decideInvoice,
  searchReceipts,
  printReceipts,
  async roomBills(input, ctx) {
    let room: RoomDoc & { communityId: string };
    try {
      room = (await ctx.db.collection('rooms').doc(input.roomId).get()).data as RoomDoc & {
        communityId: string;
      };
    } catch (e) {
      if (isMissing(e)) throw new AppError('NOT_FOUND', 'roomId: 房屋不存在');
      throw e;
    }
    await requireRole(ctx, room.communityId, ['cashier', 'finance', 'service']);
    const _ = ctx.db.command;
    const label = roomLabel(room);
    const open = await fetchAll<BillDoc>(
      ctx.db
        .collection('bills')
        .where({ roomId: input.roomId, status: _.in(['unpaid', 'partial']) }),
    );
    const unpaid = sortOldestFirst(open.map((b) => ({ ...b, id: b._id })))
      .map((b) => summariseBill(b, label, ctx.now()))
      .filter((b) => b.outstandingFen > 0);
    let prepaidFen = 0;
    try {
      prepaidFen = (
        (await ctx.db.collection('prepaid_accounts').doc(input.roomId).get()).data as {
          balanceFen: number;
        }
      ).balanceFen;
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
    return { roomId: input.roomId, roomLabel: label, unpaid, prepaidFen };
  },
  async myReceipts(_input, ctx) {
    const roomIds = await myRoomIds(ctx);
    if (!roomIds.length) return { receipts: [] };
    const _ = ctx.db.command;
    const payments = await fetchAll<PaymentDoc>(
      ctx.db.collection('payments').where({ roomIds: _.in(roomIds) }),
    );
    payments.sort((a, b) => new Date(b.paidAt).getTime() - new Date(a.paidAt).getTime());
    return {
      receipts: payments.map((p) => ({
        paymentId: p._id,
        receiptNo: p.receiptNo,
        amountFen: p.amountFen,
        channel: p.channel,
        paidAt: new Date(p.paidAt).toISOString(),
        roomLabels: [...new Set(p.allocations.map((a) => a.roomLabel))],
      })),
    };
  },
  async receipt(input, ctx) {
    requireOpenid(ctx);
    let payment: PaymentDoc;
    try {
      payment = (await ctx.db.collection('payments').doc(input.paymentId).get()).data as PaymentDoc;
    } catch (e) {
      if (isMissing(e)) throw new AppError('NOT_FOUND', '未找到该收据');
      throw e;
    }
    // Someone else's receipt is "not found", never a hint that it exists.
    if (!(await canSeePayment(ctx, payment))) throw new AppError('NOT_FOUND', '未找到该收据');
    return receiptView(ctx, payment);
  },
});

/** The timer: close pending orders past their expiry (closeOrder), releasing their bills. */
async function closeExpired(): Promise<{ closed: number; paid: number; waiting: number }> {
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
  const db = cloud.database();
  const _ = db.command;
  const now = new Date();
  const stale = await fetchAll<PayOrderDoc>(
    db
      .collection('pay_orders')
      .where({ status: _.in(['pending', 'creating']), expireAt: _.lt(now) }),
  );
  const tally = { closed: 0, paid: 0, waiting: 0 };
  for (const order of stale) {
    const outcome = await closeOrApply(db, order, now);
    if (outcome === 'closed') tally.closed++;
    else if (outcome === 'paid') tally.paid++;
    else tally.waiting++;
  }
  return tally;
}

export async function main(event: unknown, context?: unknown): Promise<unknown> {
  const e = event as { Type?: string } | null;
  if (e && e.Type === 'Timer' && cloud.getWXContext().SOURCE === 'wx_trigger')
    return closeExpired();
  return router(event, context);
}
