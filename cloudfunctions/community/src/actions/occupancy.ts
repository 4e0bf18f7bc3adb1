/**
 * The end of a room's occupancy (`endOccupancy`, admin): the room was vacated, sold or demolished
 * on a date, and billing stops after it — the billing run prorates the last month by its days up
 * to that date inclusive (as it does for a move-in), from the room's `billableTo`. Audited; a
 * withdrawal (`endDate: null`) is audited too. Bills already issued are never rewritten: when they
 * cover days after the end, the record says through when, for a refund (冲红) at the desk.
 */
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import { OCCUPANCY_END_LABELS } from '../../../../miniprogram/domain/community/account.contract';
import type { BillDoc } from '../../../../miniprogram/domain/fee/bill';
import { audit } from '../../../_shared/audit';
import { fetchAll } from '../../../_shared/db';
import { getRoom } from '../../../_shared/records';
import { requireRole } from '../../../_shared/roles';
import { AppError, type Handlers } from '../../../_shared/router';
import type { communityContracts } from '../../../../miniprogram/domain/community/contract';
import { roomLedgerOf, type AccountRoomDoc } from './room-ledger';

export const endOccupancy: Handlers<typeof communityContracts>['endOccupancy'] = async (
  input,
  ctx,
) => {
  const caller = await requireRole(ctx, input.communityId, ['admin']);
  const room = (await getRoom(ctx, input.communityId, input.roomId)) as AccountRoomDoc;
  const label = roomLabel(room);
  /** Writes the room's end (or its withdrawal) and the audit entry saying so. */
  const record = async (
    end: AccountRoomDoc['occupancyEnd'],
    summary: string,
    after: Record<string, unknown> | null,
  ) => {
    await ctx.db
      .collection('rooms')
      .doc(room._id)
      .update({ data: { billableTo: end?.date ?? null, occupancyEnd: end, updatedAt: ctx.now() } });
    await audit(ctx, caller, {
      communityId: input.communityId,
      action: 'room.occupancyEnd',
      targetType: 'room',
      targetId: room._id,
      targetLabel: label,
      summary,
      before: room.occupancyEnd
        ? { endDate: room.occupancyEnd.date, reason: room.occupancyEnd.reason }
        : null,
      after,
    });
  };
  if (input.endDate === null) {
    if (room.occupancyEnd) {
      await record(
        null,
        `撤销${label}的结束入住登记（原定 ${room.occupancyEnd.date}），恢复计费`,
        null,
      );
    }
    return roomLedgerOf(ctx, input.communityId, input.roomId);
  }
  if (room.moveInDate && input.endDate < room.moveInDate) {
    throw new AppError('INVALID_INPUT', `endDate: 结束日期不能早于入住日期 ${room.moveInDate}`);
  }
  const bills = await fetchAll<Pick<BillDoc, 'items'>>(
    ctx.db
      .collection('bills')
      .where({
        communityId: input.communityId,
        roomId: room._id,
        status: ctx.db.command.neq('void'),
      })
      .field({ items: true }),
  );
  const lastBilled = bills
    .flatMap((b) => b.items ?? [])
    .map((i) => i.to ?? '')
    .reduce((max, d) => (d > max ? d : max), '');
  const billedThrough = lastBilled > input.endDate ? lastBilled : null;
  await record(
    {
      date: input.endDate,
      reason: input.reason,
      note: input.note,
      by: caller.openid,
      byName: caller.name,
      at: ctx.now(),
      billedThrough,
    },
    `${label}${OCCUPANCY_END_LABELS[input.reason]}，入住至 ${input.endDate}，此后不再计费` +
      (billedThrough ? `（已出账至 ${billedThrough}，多收部分请办理退款）` : ''),
    { endDate: input.endDate, reason: input.reason, note: input.note },
  );
  return roomLedgerOf(ctx, input.communityId, input.roomId);
};
