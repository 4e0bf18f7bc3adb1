/**
 * Whether the owner's home offers 自助抄表: a metered fee standard (not withdrawn) applies to one
 * of their rooms in a community with owner readings on. One query over the fee standards; the
 * meters themselves are the fee function's (`fee.myMeters`).
 */
import type { RoomDoc } from '../../../_shared/records';
import type { ActionContext } from '../../../_shared/router';
import { fetchAll } from '../../../_shared/db';
import { appliesTo } from '../../../../miniprogram/domain/fee/applicability';
import type { Applicability } from '../../../../miniprogram/domain/fee/types';
import { ownerReadingWindow } from '../../../../miniprogram/domain/fee/owner-reading';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { DEFAULT_SETTINGS } from '../../../../miniprogram/domain/settings/defaults';
import type { OwnerHome } from '../../../../miniprogram/domain/owner/contract';
import type { CommunityDoc } from './my-rooms';

interface MeterStandardDoc {
  communityId: string;
  applicability: Applicability;
  effectiveTo?: string | null;
}

export async function meterReadingOf(
  ctx: ActionContext,
  rooms: readonly RoomDoc[],
  communities: Map<string, CommunityDoc>,
): Promise<OwnerHome['meterReading']> {
  const today = shanghaiDate(ctx.now());
  const windows = new Map(
    [...communities.values()].map((c) => [
      c._id,
      ownerReadingWindow(today, c.readingWindowDays ?? DEFAULT_SETTINGS.readingWindowDays),
    ]),
  );
  const on = [...windows].filter(([, w]) => w !== null).map(([id]) => id);
  if (on.length === 0) return null;
  const _ = ctx.db.command;
  const standards = await fetchAll<MeterStandardDoc>(
    ctx.db
      .collection('fee_standards')
      .where({ communityId: _.in(on), kind: 'meter' })
      .field({ communityId: true, applicability: true, effectiveTo: true }),
  );
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
