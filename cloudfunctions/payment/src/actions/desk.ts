/**
 * The cashier's desk: a room's open bills, prepaid balance and the owners' WeChat Pay orders that
 * hold some of them; a payment recorded in cash, by card, transfer… applied through the ledger
 * like any other (refused, naming the payer, while an owner's order claims a bill); and closing
 * such an order once WeChat Pay allows it.
 */
import { oldestFirst, openBillsOf, owingBillsOf, withCover } from '../../../_shared/bills';
import { getDoc } from '../../../_shared/records';
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import type { RoomDoc } from '../../../_shared/records';
import { summariseBill, type BillDoc } from '../../../../miniprogram/domain/fee/bill';
import { formatClock } from '../../../../miniprogram/domain/kernel/time';
import { isDuplicate } from '../../../_shared/db';
import {
  HeldError,
  applyPayment,
  liveHolders,
  prepaidBalance,
  type PayOrderDoc,
} from '../../../_shared/ledger';
import { audit } from '../../../_shared/audit';
import { closableAt } from '../../../../miniprogram/domain/payment/holds';
import type { OpenOrderView } from '../../../../miniprogram/domain/payment/exceptions.contract';
import { closeOrApply } from '../repo/orders';
import { requireRole } from '../../../_shared/roles';
import { AppError, requireOpenid } from '../../../_shared/router';
import { type paymentContracts } from '../../../../miniprogram/domain/payment/contract';
import type { Handlers } from '../../../_shared/router';

export const recordOffline: Handlers<typeof paymentContracts>['recordOffline'] = async (
  input,
  ctx,
) => {
  const openid = requireOpenid(ctx);
  const room = await getDoc<RoomDoc>(ctx, 'rooms', input.roomId, 'roomId: 房屋不存在');
  await requireRole(ctx, room.communityId, ['cashier']);
  // Bills the cashier chose are read (and checked: this room's, still owing) inside the
  // ledger's transaction; without a choice, every bill the room owes now.
  const billIds = input.billIds ?? (await owingBillsOf(ctx, [input.roomId])).map((b) => b._id);
  const apply = () =>
    applyPayment(ctx.db, {
      paymentId: `off_${room.communityId}_${input.idempotencyKey}`,
      communityId: room.communityId,
      channel: input.channel,
      amountFen: input.amountFen,
      billIds,
      prepaidRoomId: input.roomId,
      roomId: input.roomId,
      roomLabels: { [room._id]: roomLabel(room) },
      recordedBy: openid,
      paidAt: ctx.now(),
      payerName: input.payerName,
      reference: input.reference,
      note: input.note,
      // Money beyond the chosen bills becomes prepaid only when the cashier chose no bills.
      requireFullAllocation: input.billIds !== undefined,
      respectLocks: true,
      // money taken at the desk joins the cashier's open shift (交班日结, shifts.ts)
      shiftOf: openid,
    });
  const result = await apply()
    .catch(async (e: unknown) => {
      // An owner's order past its expiry (or already over) no longer blocks the desk: close it,
      // or apply it if WeChat Pay says it was paid, and try once more. A live one stands.
      if (!(e instanceof HeldError)) throw e;
      const orders = await liveHolders(ctx.db, [e.bill]);
      const expired = orders.filter(
        (o) => o.status !== 'exception' && o.expireAt.getTime() <= ctx.now().getTime(),
      );
      if (orders.length > expired.length) throw e;
      for (const o of expired) await closeOrApply(ctx.db, o, ctx.now());
      return apply();
    })
    .catch((e: unknown) => {
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
    allocations: await withCover(ctx, result.payment.allocations),
    prepaidFen: result.payment.prepaidFen,
    changeFen: input.tenderedFen !== undefined ? input.tenderedFen - input.amountFen : 0,
  };
};

export const roomBills: Handlers<typeof paymentContracts>['roomBills'] = async (input, ctx) => {
  const room = await getDoc<RoomDoc>(ctx, 'rooms', input.roomId, 'roomId: 房屋不存在');
  await requireRole(ctx, room.communityId, ['cashier', 'finance', 'service']);
  const label = roomLabel(room);
  const open = await openBillsOf(ctx, [input.roomId]);
  const unpaid = oldestFirst(open)
    .map((b) => summariseBill(b, label, ctx.now()))
    .filter((b) => b.outstandingFen > 0);
  const orders = (await liveHolders(ctx.db, open)).map((o) => openOrderView(o, open));
  const prepaidFen = await prepaidBalance(ctx.db, room.communityId, input.roomId);
  return { roomId: input.roomId, roomLabel: label, unpaid, prepaidFen, orders };
};

function openOrderView(order: PayOrderDoc, bills: readonly BillDoc[]): OpenOrderView {
  const held = bills.filter((b) => b.payHold?.outTradeNo === order._id);
  return {
    outTradeNo: order._id,
    payer: held[0]?.payHold?.payer ?? '业主',
    amountFen: order.amountFen,
    periods: held.map((b) => b.period),
    startedAt: new Date(order.createdAt).toISOString(),
    expireAt: new Date(order.expireAt).toISOString(),
    closableAt: closableAt({ at: order.createdAt }).toISOString(),
  };
}

/** Cashier/finance: close an owner's pending order that holds bills at the desk (audited). */
export const closeOrder: Handlers<typeof paymentContracts>['closeOrder'] = async (input, ctx) => {
  const order = await getDoc<PayOrderDoc>(
    ctx,
    'pay_orders',
    input.outTradeNo,
    'outTradeNo: 未找到该订单',
  );
  const caller = await requireRole(ctx, order.communityId, ['cashier', 'finance']);
  if (order.status === 'paid') return { outTradeNo: order._id, outcome: 'paid' as const };
  if (order.status !== 'pending' && order.status !== 'creating')
    throw new AppError('PRECONDITION_FAILED', '该订单已关闭或正由财务处理，无需再关闭');
  const outcome = await closeOrApply(ctx.db, order, ctx.now());
  if (outcome === 'too-soon') {
    throw new AppError(
      'CONFLICT',
      `微信支付规定订单发起 5 分钟后才能关闭，请在 ${formatClock(closableAt({ at: order.createdAt }))} 后再试，或请业主完成支付`,
    );
  }
  await audit(ctx, caller, {
    communityId: order.communityId,
    action: outcome === 'paid' ? 'order.closeFoundPaid' : 'order.close',
    targetType: 'payOrder',
    targetId: order._id,
    summary:
      outcome === 'paid'
        ? `关闭订单时发现业主已支付，已按微信支付结果入账（${order.amountFen} 分）`
        : `关闭业主的待支付微信订单（${order.amountFen} 分）：${input.reason}`,
  });
  return { outTradeNo: order._id, outcome };
};
