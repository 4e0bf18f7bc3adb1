/**
 * WeChat Pay orders: which bills an order pays and for how much (always computed here, never
 * taken from the client), and closing an order — or applying it, when WeChat Pay says it was paid.
 */
import { chosenBills, oldestFirst, owingBillsOf } from '../../../_shared/bills';
import type { DB } from 'wx-server-sdk';
import { outstandingFen, type BillDoc } from '../../../../miniprogram/domain/fee/bill';
import {
  applyWechatPayment,
  lastPaymentOf,
  releaseOrderHolds,
  type PayOrderDoc,
} from '../../../_shared/ledger';
import { settledByMessage } from '../../../../miniprogram/domain/payment/holds';
import { AppError, type ActionContext } from '../../../_shared/router';
import { closeAtWechatPay } from '../../../_shared/pay-close';

/** Orders expire after 30 minutes; prepay ids live 2 hours, so the pay sheet never outlives them. */
export const ORDER_TTL_MS = 30 * 60_000;

export const CALLBACK_FUNCTION = 'payNotify';

/** yyyyMMddHHmmss in UTC+8, as WeChat Pay wants times. */
export function wxTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace(/[-:T]/g, '');
}

/** Closes a pending order at WeChat Pay and locally; a paid one is applied instead. */
export async function closeOrApply(
  db: DB.Database,
  order: PayOrderDoc,
  now: Date,
): Promise<'closed' | 'paid' | 'too-soon'> {
  const outcome = await closeAtWechatPay(order);
  if (outcome === 'too-soon') return outcome;
  if (outcome !== 'closed') {
    await applyWechatPayment(db, outcome, now);
    return 'paid';
  }
  await db
    .collection('pay_orders')
    .doc(order._id)
    .update({ data: { status: 'closed', closedAt: now } });
  await releaseOrderHolds(db, order._id, order.billIds);
  return 'closed';
}

export interface OrderPlan {
  communityId: string;
  billIds: string[];
  roomIds: string[];
  amountFen: number;
  /** The bills as read when the order was priced, and what they owed then. */
  bills: BillDoc[];
  owingFen: number;
}

/** Bills to pay: the caller's chosen (or all) unpaid bills, oldest first; the amount is ours. */
export async function billPlan(
  input: { billIds?: string[]; amountFen?: number },
  roomIds: string[],
  ctx: ActionContext,
): Promise<OrderPlan> {
  const owingNow = await owingBillsOf(ctx, roomIds);
  await refuseSettled(ctx, roomIds, owingNow, input.billIds);
  const chosen = chosenBills(
    owingNow,
    input.billIds,
    '所选账单不存在、已缴清或不属于您的房屋，请刷新后重试',
  );
  if (!chosen.length)
    throw new AppError('PRECONDITION_FAILED', '您目前没有待缴的账单，感谢您的支持');
  if (new Set(chosen.map((b) => b.communityId)).size > 1) {
    throw new AppError('INVALID_INPUT', 'billIds: 请分别缴纳不同小区的账单');
  }
  const total = chosen.reduce((s, b) => s + outstandingFen(b), 0);
  const amountFen = input.amountFen ?? total;
  if (amountFen > total)
    throw new AppError('INVALID_INPUT', `amountFen: 不能超过所选账单的未缴金额 ${total} 分`);
  const billIds = oldestFirst(chosen).map((b) => b._id);
  return {
    communityId: chosen[0]!.communityId,
    billIds,
    roomIds: [...new Set(billIds.map((id) => chosen.find((b) => b._id === id)!.roomId))],
    amountFen,
    bills: chosen,
    owingFen: total,
  };
}

/**
 * A chosen bill of the caller's rooms that was settled meanwhile (the cashier took it a moment
 * ago): CONFLICT naming who paid, rather than a bare "not found".
 */
async function refuseSettled(
  ctx: ActionContext,
  roomIds: readonly string[],
  owingNow: readonly BillDoc[],
  billIds: readonly string[] | undefined,
): Promise<void> {
  const gone = (billIds ?? []).filter((id) => !owingNow.some((b) => b._id === id));
  for (const id of gone) {
    const res = await ctx.db.collection('bills').where({ _id: id }).limit(1).get();
    const bill = res.data[0] as BillDoc | undefined;
    if (bill && roomIds.includes(bill.roomId) && outstandingFen(bill) === 0)
      throw new AppError(
        'CONFLICT',
        settledByMessage(bill.period, await lastPaymentOf(ctx.db, id)),
      );
  }
}

/** Prepaying (预存) into one of the caller's rooms: no bills, all of it goes to the balance. */
export async function prepayPlan(
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
    bills: [],
    owingFen: 0,
  };
}
