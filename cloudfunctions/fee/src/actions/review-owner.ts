/**
 * Staff take an owner's reading (自助抄表) onto the sheet: accept it as reported, or correct it
 * (the figure read off the photo, and why). Either way the reading then goes through the same
 * checks as one staff typed (a lower reading or a spike is flagged for finance to confirm), the
 * owner's own figure and photo stay on the reading, and the decision is audited.
 */
import type { feeContracts } from '../../../../miniprogram/domain/fee/contract';
import type { ReadingStatus } from '../../../../miniprogram/domain/fee/readings.contract';
import { audit } from '../../../_shared/audit';
import { findById } from '../../../_shared/paging';
import { requireRole } from '../../../_shared/roles';
import { AppError, type Handlers } from '../../../_shared/router';
import { fileLinks } from '../../../_shared/storage';
import {
  assessReading,
  meterStandard,
  meterUnit,
  readingHistory,
  readingView,
  type ReadingDoc,
} from '../repo/readings';
import { labelsOf } from '../repo/rooms';
import { MANAGERS } from '../repo/standard-versions';
import { flagMessage } from './readings';

export const reviewOwnerReading: Handlers<typeof feeContracts>['reviewOwnerReading'] = async (
  input,
  ctx,
) => {
  const caller = await requireRole(ctx, input.communityId, [...MANAGERS, 'service']);
  const doc = await findById<ReadingDoc>(ctx, 'meter_readings', input.readingId);
  if (!doc || doc.communityId !== input.communityId) {
    throw new AppError('NOT_FOUND', 'readingId: 读数不存在');
  }
  const owner = doc.ownerReading;
  if (doc.status !== 'submitted' || !owner) {
    throw new AppError('CONFLICT', `readingId: 该读数不是待核对的业主上报读数（${doc.status}）`);
  }
  const current = input.decision === 'accept' ? owner.current : input.current!;
  const earlier = (await readingHistory(ctx, doc, [doc.roomId])).get(doc.roomId) ?? [];
  const previous = earlier[0]?.current ?? doc.previous;
  const { usage, flags, median } = assessReading(
    { previous, current, multiplier: doc.multiplier, loss: doc.loss },
    earlier,
  );
  const status: ReadingStatus = flags.length > 0 ? 'flagged' : 'ok';
  const now = ctx.now();
  const change = {
    previous,
    current,
    usage,
    flags,
    median,
    status,
    enteredBy: caller.openid,
    enteredAt: now,
    reviewedBy: caller.openid,
    reviewedAt: now,
    reviewNote: input.note ?? null,
  };
  const res = await ctx.db
    .collection('meter_readings')
    .where({ _id: doc._id, status: 'submitted' })
    .update({ data: change });
  if (res.stats.updated !== 1) {
    throw new AppError('CONFLICT', 'readingId: 该读数刚刚已被处理，请刷新后查看');
  }
  const [labels, standard, links] = await Promise.all([
    labelsOf(ctx, input.communityId, [doc.roomId]),
    meterStandard(ctx, input.communityId, doc.itemId),
    fileLinks([owner.photo]),
  ]);
  const label = labels.get(doc.roomId) ?? doc.roomId;
  const accepted = input.decision === 'accept';
  await audit(ctx, caller, {
    communityId: input.communityId,
    action: accepted ? 'reading.acceptOwner' : 'reading.correctOwner',
    targetType: 'meterReading',
    targetId: doc._id,
    targetLabel: `${label} ${doc.itemId} ${doc.period}`,
    summary: accepted
      ? `采用业主上报读数 ${current}（用量 ${usage}）`
      : `更正业主上报读数 ${owner.current} → ${current}：${input.note ?? ''}`,
    before: { status: doc.status, current: owner.current },
    after: { status, current, usage, flags },
  });
  return {
    reading: readingView({ ...doc, ...change }, label, links.get(owner.photo)),
    message: flags.length > 0 ? flagMessage(flags, median, meterUnit(standard)) : null,
  };
};
