/**
 * The cashier's desk: a room's open bills and prepaid balance, and a payment recorded in cash,
 * by card, transfer… applied through the ledger like any other.
 */
import {
  chosenBills,
  oldestFirst,
  openBillsOf,
  owingBillsOf,
  withCover,
} from '../../../_shared/bills';
import { getDoc } from '../../../_shared/records';
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import type { RoomDoc } from '../../../_shared/records';
import { outstandingFen, summariseBill } from '../../../../miniprogram/domain/fee/bill';
import { isDuplicate, isMissing } from '../../../_shared/db';
import { applyPayment } from '../../../_shared/ledger';
import { requireRole } from '../../../_shared/roles';
import { AppError, requireOpenid } from '../../../_shared/router';
import { type paymentContracts } from '../../../../miniprogram/domain/payment/contract';
import type { Handlers } from '../../../_shared/router';

/** A chosen bill that is not an open bill of the room. */
export const NOT_OWING = '所选账单不属于该房屋或已缴清，请刷新后重试';

export const recordOffline: Handlers<typeof paymentContracts>['recordOffline'] = async (
  input,
  ctx,
) => {
  const openid = requireOpenid(ctx);
  const room = await getDoc<RoomDoc>(ctx, 'rooms', input.roomId, 'roomId: 房屋不存在');
  await requireRole(ctx, room.communityId, ['cashier']);
  const target = chosenBills(await owingBillsOf(ctx, [input.roomId]), input.billIds, NOT_OWING);
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
};
