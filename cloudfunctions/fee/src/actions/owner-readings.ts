/**
 * 自助抄表: owners report this month's meter reading with a photo, for their verified rooms only,
 * in the last days of the month (the community's `readingWindowDays`). A report is held as
 * `submitted` — never billed — until staff accept or correct it (`review-owner.ts`); the owner may
 * replace it until then, or after staff rejected it. Once staff have read the meter, or for a
 * meter without an accepted reading (its first reading sets the base), owners are told why not.
 * docs/billing.md.
 */
import type { feeContracts } from '../../../../miniprogram/domain/fee/contract';
import type { OwnerMeterView } from '../../../../miniprogram/domain/fee/owner-readings.contract';
import { appliesTo, toQuantity } from '../../../../miniprogram/domain/fee';
import {
  ownerReadingWindow,
  reportBlock,
  reportBlockText,
  type ReadingWindow,
} from '../../../../miniprogram/domain/fee/owner-reading';
import { formatPeriod, shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { DEFAULT_SETTINGS } from '../../../../miniprogram/domain/settings/defaults';
import { myRoomIds } from '../../../_shared/bindings';
import { isDuplicate } from '../../../_shared/db';
import { fetchByIds } from '../../../_shared/paging';
import type { CommunityDoc } from '../../../_shared/records';
import { AppError, requireOpenid, type ActionContext } from '../../../_shared/router';
import type { Handlers } from '../../../_shared/router';
import { photoPlace } from '../repo/owner-photos';
import { requireUploads } from '../../../_shared/uploads';
import {
  assessReading,
  meterUnit,
  readingHistory,
  readingId,
  type PastReading,
  type ReadingDoc,
} from '../repo/readings';
import { ROOM_FIELDS, labelOf, type FeeRoomDoc } from '../repo/rooms';
import { loadStandards, standardStatus, type FeeStandardDoc } from '../repo/standards';

/** A meter of one of the caller's rooms, with what the views and the report need. */
interface Meter {
  room: FeeRoomDoc;
  standard: FeeStandardDoc;
  window: ReadingWindow;
  last: PastReading | null;
  reading: ReadingDoc | null;
}

/**
 * The meters of `roomIds` (the caller's verified rooms) in communities with owner readings on:
 * every metered standard not withdrawn that applies to the room, this month's reading, and the
 * last accepted one. `off`: communities among them with owner readings turned off.
 */
async function metersOf(
  ctx: ActionContext,
  roomIds: readonly string[],
): Promise<{ meters: Meter[]; off: Set<string> }> {
  const today = shanghaiDate(ctx.now());
  const rooms = await fetchByIds<FeeRoomDoc>(ctx, 'rooms', roomIds, {}, ROOM_FIELDS);
  const communities = await fetchByIds<CommunityDoc & { _id: string }>(ctx, 'communities', [
    ...new Set(rooms.map((r) => r.communityId)),
  ]);
  const off = new Set<string>();
  const candidates: Omit<Meter, 'last' | 'reading'>[] = [];
  for (const c of communities) {
    const window = ownerReadingWindow(
      today,
      c.readingWindowDays ?? DEFAULT_SETTINGS.readingWindowDays,
    );
    if (!window) {
      off.add(c._id);
      continue;
    }
    const standards = (await loadStandards(ctx, c._id)).filter(
      (s) => s.kind === 'meter' && standardStatus(s, today) !== 'withdrawn',
    );
    for (const room of rooms.filter((r) => r.communityId === c._id)) {
      for (const standard of standards) {
        const billable = {
          roomId: room._id,
          buildingId: room.building,
          useType: room.useType ?? 'residential',
        };
        if (appliesTo(standard.applicability, billable)) {
          candidates.push({ room, standard, window });
        }
      }
    }
  }
  const readings = new Map(
    (
      await fetchByIds<ReadingDoc>(
        ctx,
        'meter_readings',
        candidates.map((m) => readingId(m.room._id, m.standard.itemId, m.window.period)),
      )
    ).map((d) => [d._id, d]),
  );
  const history = new Map<string, PastReading | null>();
  for (const m of candidates) {
    const key = `${m.standard.communityId}:${m.standard.itemId}`;
    if (history.has(key)) continue;
    const past = await readingHistory(
      ctx,
      { communityId: m.standard.communityId, itemId: m.standard.itemId, period: m.window.period },
      candidates.filter((x) => x.standard === m.standard).map((x) => x.room._id),
    );
    for (const [roomId, list] of past) history.set(`${key}:${roomId}`, list[0] ?? null);
    history.set(key, null);
  }
  return {
    off,
    meters: candidates.map((m) => ({
      ...m,
      last: history.get(`${m.standard.communityId}:${m.standard.itemId}:${m.room._id}`) ?? null,
      reading: readings.get(readingId(m.room._id, m.standard.itemId, m.window.period)) ?? null,
    })),
  };
}

function meterView(m: Meter): OwnerMeterView {
  const r = m.reading;
  return {
    roomId: m.room._id,
    roomLabel: labelOf(m.room),
    itemId: m.standard.itemId,
    name: m.standard.name,
    unit: meterUnit(m.standard),
    period: m.window.period,
    windowFrom: m.window.from,
    windowTo: m.window.to,
    open: m.window.open,
    previous: m.last?.current ?? null,
    previousPeriod: m.last?.period ?? null,
    reading: r
      ? {
          current: r.ownerReading && r.status === 'submitted' ? r.ownerReading.current : r.current,
          status: r.status,
          byOwner: !!r.ownerReading,
          submittedAt: r.ownerReading ? r.ownerReading.submittedAt.toISOString() : null,
        }
      : null,
    blocked: reportBlock(m.window, r?.status ?? null, m.last?.current ?? null),
  };
}

/** The caller's verified rooms, or the one asked for (someone else's: not found). */
async function myRooms(ctx: ActionContext, roomId?: string): Promise<string[]> {
  const mine = await myRoomIds(ctx);
  if (roomId === undefined) return mine;
  if (!mine.includes(roomId)) throw new AppError('NOT_FOUND', 'roomId: 未找到该房屋');
  return [roomId];
}

export const myMeters: Handlers<typeof feeContracts>['myMeters'] = async (input, ctx) => {
  requireOpenid(ctx);
  const roomIds = await myRooms(ctx, input.roomId);
  const { meters } = await metersOf(ctx, roomIds);
  return {
    meters: meters
      .map(meterView)
      .sort((a, b) => a.roomLabel.localeCompare(b.roomLabel, 'zh') || (a.name < b.name ? -1 : 1)),
  };
};

export const submitReading: Handlers<typeof feeContracts>['submitReading'] = async (input, ctx) => {
  const openid = requireOpenid(ctx);
  const { meters, off } = await metersOf(ctx, await myRooms(ctx, input.roomId));
  const m = meters.find((x) => x.standard.itemId === input.itemId);
  if (!m) {
    throw off.size > 0
      ? new AppError('PRECONDITION_FAILED', '本小区暂未开通业主自助抄表，请联系物业')
      : new AppError('NOT_FOUND', 'itemId: 该房屋没有这项抄表');
  }
  const block = reportBlock(m.window, m.reading?.status ?? null, m.last?.current ?? null);
  if (block === 'staffRead') throw new AppError('CONFLICT', reportBlockText(block, m.window));
  if (block) throw new AppError('PRECONDITION_FAILED', reportBlockText(block, m.window));
  const last = m.last!;
  if (toQuantity(input.current, 'current').lt(toQuantity(last.current, 'previous'))) {
    throw new AppError(
      'INVALID_INPUT',
      `current: 读数低于上次读数 ${last.current}（${formatPeriod(last.period)}），请核对表盘上的数字；如已换表请联系物业`,
    );
  }
  await requireUploads('photo', [input.photo], photoPlace(openid));

  const now = ctx.now();
  const multiplier = last.multiplier ?? '1';
  const loss = last.loss ?? '0';
  const { usage, flags, median } = assessReading(
    { previous: last.current, current: input.current, multiplier, loss },
    [last],
  );
  const doc: ReadingDoc = {
    _id: readingId(m.room._id, m.standard.itemId, m.window.period),
    communityId: m.room.communityId,
    roomId: m.room._id,
    itemId: m.standard.itemId,
    period: m.window.period,
    previous: last.current,
    current: input.current,
    multiplier,
    loss,
    usage,
    readOn: shanghaiDate(now),
    status: 'submitted',
    flags,
    median,
    note: null,
    enteredBy: openid,
    enteredAt: now,
    ownerReading: { current: input.current, photo: input.photo, openid, submittedAt: now },
  };
  const staffRead = () => new AppError('CONFLICT', reportBlockText('staffRead', m.window));
  if (!m.reading) {
    try {
      await ctx.db.collection('meter_readings').add({ data: doc });
    } catch (e) {
      if (isDuplicate(e)) throw staffRead();
      throw e;
    }
  } else {
    const { _id, ...rest } = doc;
    const _ = ctx.db.command;
    // Only over the owners' own or a rejected reading: never over one staff entered meanwhile.
    const res = await ctx.db
      .collection('meter_readings')
      .where({ _id, status: _.in(['submitted', 'rejected']) })
      .update({ data: { ...rest, decidedBy: _.remove(), decidedAt: _.remove() } });
    if (res.stats.updated !== 1) throw staffRead();
  }
  return meterView({ ...m, reading: doc });
};
