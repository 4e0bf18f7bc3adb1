/**
 * Receipts: an owner's list, and one receipt — on screen or as a PDF — for the owner of its rooms
 * or staff. The payer is named as registered (masked for anyone but that person) and the cashier
 * for money taken at the desk (repo/parties.ts).
 */
import { CHANNEL_LABELS } from '../../../../miniprogram/domain/payment/channels';
import { getDoc } from '../../../_shared/records';
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import type { RoomDoc } from '../../../_shared/records';
import { amountInWords } from '../../../../miniprogram/domain/payment/receipt';
import { receiptBatchDoc } from '../../../../miniprogram/domain/payment/receipt-print';
import { fetchAll } from '../../../_shared/db';
import { type PaymentDoc } from '../../../_shared/ledger';
import { printToCloud } from '../../../_shared/print-file';
import { AppError, requireOpenid, type ActionContext } from '../../../_shared/router';
import type { ReceiptView } from '../../../../miniprogram/domain/payment/contract';
import { type paymentContracts } from '../../../../miniprogram/domain/payment/contract';
import type { Handlers } from '../../../_shared/router';
import { canSeePayment, community } from '../repo/payments';
import { payerFor, receiptParties } from '../../../_shared/receipt-parties';
import { myRoomIds, myVerifiedBindings } from '../../../_shared/bindings';
import { withCover } from '../../../_shared/bills';
import { communityInfo, printableReceipts } from './receipt-print';

/** The people on record the caller is (their bindings' owner ids): whose names they see whole. */
async function myOwnerIds(ctx: ActionContext): Promise<string[]> {
  return (await myVerifiedBindings(ctx)).flatMap((b) => (b.ownerId ? [b.ownerId] : []));
}

export async function receiptView(ctx: ActionContext, payment: PaymentDoc): Promise<ReceiptView> {
  const comm = await community(ctx.db, payment.communityId);
  const labels = new Set(payment.allocations.map((a) => a.roomLabel));
  let prepaidRoomLabel = '';
  if (payment.prepaidRoomId) {
    const room = (await ctx.db.collection('rooms').doc(payment.prepaidRoomId).get())
      .data as RoomDoc;
    prepaidRoomLabel = roomLabel(room);
    labels.add(prepaidRoomLabel);
  }
  const words = amountInWords(payment.amountFen);
  const who = (await receiptParties(ctx, payment.communityId, [payment])).get(payment._id)!;
  return {
    paymentId: payment._id,
    receiptNo: payment.receiptNo,
    communityName: comm.name,
    payer: payerFor(who, await myOwnerIds(ctx)),
    roomLabels: [...labels],
    channel: payment.channel,
    channelLabel: CHANNEL_LABELS[payment.channel],
    amountFen: payment.amountFen,
    amountFigures: words.figures,
    amountCapital: words.capital,
    allocations: await withCover(ctx, payment.allocations),
    prepaidFen: payment.prepaidFen,
    ...(prepaidRoomLabel ? { prepaidRoomLabel } : {}),
    paidAt: new Date(payment.paidAt).toISOString(),
    cashier: who.cashier,
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
  const rooms = await fetchAll<RoomDoc>(ctx.db.collection('rooms').where({ _id: _.in(roomIds) }));
  const labelOf = new Map(rooms.map((r) => [r._id, roomLabel(r)]));
  return {
    receipts: payments.map((p) => ({
      paymentId: p._id,
      receiptNo: p.receiptNo,
      amountFen: p.amountFen,
      channel: p.channel,
      paidAt: new Date(p.paidAt).toISOString(),
      // a prepayment has no bills: it names the room it was paid into
      roomLabels: [
        ...new Set([
          ...p.allocations.map((a) => a.roomLabel),
          ...(p.prepaidRoomId && labelOf.has(p.prepaidRoomId)
            ? [labelOf.get(p.prepaidRoomId)!]
            : []),
        ]),
      ],
    })),
  };
};

/** A receipt the caller may see, or NOT_FOUND (someone else's is never hinted at). */
async function visiblePayment(ctx: ActionContext, paymentId: string): Promise<PaymentDoc> {
  requireOpenid(ctx);
  const payment = await getDoc<PaymentDoc>(ctx, 'payments', paymentId, '未找到该收据');
  if (!(await canSeePayment(ctx, payment))) throw new AppError('NOT_FOUND', '未找到该收据');
  return payment;
}

export const receipt: Handlers<typeof paymentContracts>['receipt'] = async (input, ctx) => {
  return receiptView(ctx, await visiblePayment(ctx, input.paymentId));
};

export const receiptPdf: Handlers<typeof paymentContracts>['receiptPdf'] = async (input, ctx) => {
  const payment = await visiblePayment(ctx, input.paymentId);
  const comm = await communityInfo(ctx, payment.communityId);
  const [printable] = await printableReceipts(
    ctx,
    payment.communityId,
    [payment],
    await myOwnerIds(ctx),
  );
  const now = ctx.now();
  const doc = receiptBatchDoc([printable!], {
    communityName: comm.name,
    ...(comm.servicePhone ? { servicePhone: comm.servicePhone } : {}),
    perPage: 1,
    printedAt: now,
  });
  // a new file each time, at a path no one can guess; the owner gets the link only
  const { printed } = await printToCloud(
    doc,
    { communityId: payment.communityId, name: `receipt-${payment.receiptNo}.pdf` },
    now,
  );
  return printed;
};
