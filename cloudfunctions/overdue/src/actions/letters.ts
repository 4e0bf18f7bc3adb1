/**
 * 催缴函: view, print as PDF, and record its delivery (closes the letter task).
 */
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import { type overdueContracts } from '../../../../miniprogram/domain/overdue/contract';
import { audit } from '../../../_shared/audit';
import { stableId } from '../../../_shared/ids';
import { printToCloud } from '../../../_shared/print-file';
import { requireRole } from '../../../_shared/roles';
import type { Handlers } from '../../../_shared/router';
import { addEvent, community, room, today } from '../repo/cases';
import { letterFor } from '../repo/letters';

export const letter: Handlers<typeof overdueContracts>['letter'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ['service']);
  const c = await community(ctx, input.communityId);
  const r = await room(ctx, c._id, input.roomId);
  return (await letterFor(ctx, c, r)).view;
};

export const letterPdf: Handlers<typeof overdueContracts>['letterPdf'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ['service']);
  const c = await community(ctx, input.communityId);
  const r = await room(ctx, c._id, input.roomId);
  const { view } = await letterFor(ctx, c, r);
  // Amounts on the letter are as of today: a new file each time, at a path no one can guess,
  // named by room and day (the letter number names the room in words, which a path need not).
  const { printed } = await printToCloud(
    view.doc,
    { communityId: c._id, name: `letter-${r._id}-${today(ctx)}.pdf` },
    ctx.now(),
  );
  return printed;
};

export const letterDelivered: Handlers<typeof overdueContracts>['letterDelivered'] = async (
  input,
  ctx,
) => {
  const caller = await requireRole(ctx, input.communityId, ['service']);
  const c = await community(ctx, input.communityId);
  const r = await room(ctx, c._id, input.roomId);
  const { letter, view } = await letterFor(ctx, c, r);
  if (letter.deliveredAt) return view;
  const methodText = { 'in-person': '本人签收', family: '家属代收', posted: '张贴/投递' }[
    input.method
  ];
  const now = ctx.now();
  const upd = await ctx.db
    .collection('collection_letters')
    .where({ _id: letter._id, deliveredAt: null })
    .update({
      data: {
        deliveredAt: now,
        delivery: {
          method: input.method,
          receivedBy: input.receivedBy,
          note: input.note,
          by: caller.openid,
          byName: caller.name,
        },
      },
    });
  if (Number(upd.stats.updated) === 1) {
    await addEvent(ctx, {
      _id: stableId('ev', r._id, 'letter-delivered', letter._id),
      communityId: c._id,
      roomId: r._id,
      kind: 'letter-delivered',
      stage: 'formal-notice',
      title: `催缴函已送达（${methodText}）`,
      detail: `函件编号 ${letter.letterNo}${input.receivedBy ? `，签收人 ${input.receivedBy}` : ''}`,
      channel: 'letter',
      reason: null,
      notes: input.note,
      nextStep: '',
      ownerResponse: '',
      by: caller.openid,
      byName: caller.name,
      at: now,
    });
    await ctx.db
      .collection('collection_tasks')
      .where({ communityId: c._id, roomId: r._id, kind: 'letter', status: 'open' })
      .update({
        data: {
          status: 'done',
          outcome: `已送达：${methodText}`,
          doneAt: now,
          doneBy: caller.openid,
        },
      });
    await audit(ctx, caller, {
      communityId: c._id,
      action: 'overdue.letterDelivered',
      targetType: 'collectionCase',
      targetId: r._id,
      targetLabel: roomLabel(r),
      summary: `催缴函 ${letter.letterNo} 送达：${methodText}`,
    });
  }
  return { ...view, deliveredAt: now.toISOString() };
};
