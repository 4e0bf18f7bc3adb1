/**
 * Meter readings as stored (`mr_<roomId>_<itemId>_<period>`), a room's reading history, and how
 * staff see a reading; shared by the readings, the reading sheet and the billing run.
 */
import {
  type MeterReadingView,
  type ReadingStatus,
} from '../../../../miniprogram/domain/fee/readings.contract';
import { type ReadingFlag, addMonths } from '../../../../miniprogram/domain/fee';
import { AppError, type ActionContext } from '../../../_shared/router';
import { findById } from '../../../_shared/paging';
import { iso } from '../../../_shared/records';
import { type FeeStandardDoc, standardDocId } from './standards';

export interface ReadingDoc {
  _id: string;
  communityId: string;
  roomId: string;
  itemId: string;
  /** Usage month: the month the reading closes. */
  period: string;
  previous: string;
  current: string;
  multiplier: string;
  loss: string;
  usage: string;
  readOn: string | null;
  status: ReadingStatus;
  flags: ReadingFlag[];
  median: string | null;
  note: string | null;
  enteredBy: string;
  enteredAt: Date;
  decidedBy?: string;
  decidedAt?: Date;
  decisionNote?: string;
  billedRunId?: string;
}

/** How far back the spike check looks (usage periods). */
export const HISTORY_PERIODS = 12;

export interface PastReading {
  period: string;
  previous: string;
  current: string;
}

/**
 * The rooms' usable readings in the HISTORY_PERIODS before `period`, newest first, in one
 * aggregation: the default previous reading and the spike check (saveReadings) and the
 * reading sheet's "上次读数" all come from here.
 */
export async function readingHistory(
  ctx: ActionContext,
  input: { communityId: string; itemId: string; period: string },
  roomIds: readonly string[],
): Promise<Map<string, PastReading[]>> {
  if (roomIds.length === 0) return new Map();
  const _ = ctx.db.command;
  const since = addMonths(input.period, -HISTORY_PERIODS);
  const history = (
    await ctx.db
      .collection('meter_readings')
      .aggregate()
      .match({
        communityId: input.communityId,
        itemId: input.itemId,
        roomId: _.in([...roomIds]),
        period: _.lt(input.period).and(_.gte(since)),
        status: _.in(['ok', 'confirmed', 'billed']),
      })
      .sort({ period: -1 })
      .group({
        _id: '$roomId',
        readings: _.aggregate.push({
          period: '$period',
          previous: '$previous',
          current: '$current',
        }),
      })
      .limit(1000)
      .end()
  ).list as { _id: string; readings: PastReading[] }[];
  // $push keeps the sorted order locally; sort again so no backend's grouping order matters.
  return new Map(
    history.map((h) => [h._id, h.readings.sort((a, b) => (a.period < b.period ? 1 : -1))]),
  );
}

export function readingId(roomId: string, itemId: string, period: string): string {
  return `mr_${roomId}_${itemId}_${period}`;
}

export function readingView(doc: ReadingDoc, label: string): MeterReadingView {
  return {
    readingId: doc._id,
    roomId: doc.roomId,
    roomLabel: label,
    itemId: doc.itemId,
    period: doc.period,
    previous: doc.previous,
    current: doc.current,
    multiplier: doc.multiplier,
    loss: doc.loss,
    usage: doc.usage,
    readOn: doc.readOn,
    status: doc.status,
    flags: doc.flags,
    median: doc.median,
    note: doc.note,
    enteredAt: iso(doc.enteredAt),
  };
}

export async function meterStandard(
  ctx: ActionContext,
  communityId: string,
  itemId: string,
): Promise<FeeStandardDoc> {
  const doc = await findById<FeeStandardDoc>(
    ctx,
    'fee_standards',
    standardDocId(communityId, itemId),
  );
  if (!doc) throw new AppError('NOT_FOUND', 'itemId: 收费标准不存在');
  if (doc.kind !== 'meter') throw new AppError('INVALID_INPUT', 'itemId: 该收费项目不按表计量');
  return doc;
}
