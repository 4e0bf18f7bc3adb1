/**
 * Receipts: an owner's list, and one receipt for the owner of its rooms or staff.
 */
import { CHANNEL_LABELS } from '../../../../miniprogram/domain/payment/channels';
import { getDoc } from '../../../_shared/records';
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import type { RoomDoc } from '../../../_shared/records';
import { amountInWords } from '../../../../miniprogram/domain/payment/receipt';
import { fetchAll } from '../../../_shared/db';
import { type PaymentDoc } from '../../../_shared/ledger';
import { AppError, requireOpenid, type ActionContext } from '../../../_shared/router';
import type { ReceiptView } from '../../../../miniprogram/domain/payment/contract';
import { type paymentContracts } from '../../../../miniprogram/domain/payment/contract';
import type { Handlers } from '../../../_shared/router';
import { canSeePayment, community } from '../repo/payments';
import { myRoomIds } from '../../../_shared/bindings';

export async function receiptView(ctx: ActionContext, payment: PaymentDoc): Promise<ReceiptView> {
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

export const myReceipts: Handlers<typeof paymentContracts>['myReceipts'] = async (_input, ctx) => {
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
};

export const receipt: Handlers<typeof paymentContracts>['receipt'] = async (input, ctx) => {
  requireOpenid(ctx);
  const payment = await getDoc<PaymentDoc>(ctx, 'payments', input.paymentId, '未找到该收据');
  // Someone else's receipt is "not found", never a hint that it exists.
  if (!(await canSeePayment(ctx, payment))) throw new AppError('NOT_FOUND', '未找到该收据');
  return receiptView(ctx, payment);
};
