/**
 * Whether the owner's home offers 自助抄表: a metered fee standard (not withdrawn) applies to one
 * of their rooms in a community with owner readings on. The metered standards come with the
 * caller's bindings (`myRooms({ home: true })`); the meters themselves are the fee function's
 * (`fee.myMeters`).
 */
import type { RoomDoc } from '../../../_shared/records';
import type { ActionContext } from '../../../_shared/router';
import { appliesTo } from '../../../../miniprogram/domain/fee/applicability';
import { ownerReadingWindow } from '../../../../miniprogram/domain/fee/owner-reading';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { DEFAULT_SETTINGS } from '../../../../miniprogram/domain/settings/defaults';
import type { OwnerHome } from '../../../../miniprogram/domain/owner/contract';
import type { CommunityDoc, MeterStandardDoc } from './my-rooms';

export function meterReadingOf(
  ctx: ActionContext,
  rooms: readonly RoomDoc[],
  communities: Map<string, CommunityDoc>,
  meters: readonly MeterStandardDoc[],
): OwnerHome['meterReading'] {
  const today = shanghaiDate(ctx.now());
  const windows = new Map(
    [...communities.values()].map((c) => [
      c._id,
      ownerReadingWindow(today, c.readingWindowDays ?? DEFAULT_SETTINGS.readingWindowDays),
    ]),
  );
  const standards = meters.filter((s) => windows.get(s.communityId));
  if (standards.length === 0) return null;
  const room = rooms.find((r) =>
    standards.some(
      (s) =>
        s.communityId === r.communityId &&
        !(s.effectiveTo && s.effectiveTo < today) &&
        appliesTo(s.applicability, { roomId: r._id, buildingId: r.building, useType: r.useType }),
    ),
  );
  const w = room ? windows.get(room.communityId) : null;
  return w ? { from: w.from, to: w.to, open: w.open } : null;
}
