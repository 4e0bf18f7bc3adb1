/**
 * Meter readings as stored (`mr_<roomId>_<itemId>_<period>`), a room's reading history, and how
 * staff see a reading; shared by the readings, the reading sheet and the billing run.
 */
import {
  type MeterReadingFields,
  type MeterReadingView,
} from '../../../../miniprogram/domain/fee/readings.contract';
import Big from 'big.js';
import {
  type ReadingFlag,
  addMonths,
  checkReading,
  toQuantity,
} from '../../../../miniprogram/domain/fee';
import { AppError, type ActionContext } from '../../../_shared/router';
import { findById } from '../../../_shared/paging';
import { iso } from '../../../_shared/records';
import { type FeeStandardDoc, standardDocId } from './standards';

export interface ReadingDoc extends MeterReadingFields {
  _id: string;
  communityId: string;
  enteredBy: string;
  enteredAt: Date;
  decidedBy?: string;
  decidedAt?: Date;
  decisionNote?: string;
  billedRunId?: string;
  /** What an owner reported (自助抄表), kept after staff accept or correct it. */
  ownerReading?: OwnerReadingDoc;
  reviewedBy?: string;
  reviewedAt?: Date;
  /** Why staff corrected an owner's reading (null: accepted as reported). */
  reviewNote?: string | null;
}

export interface OwnerReadingDoc {
  current: string;
  /** The owner's upload, `readings/<openid>/…` (checked when reported). */
  photo: string;
  openid: string;
  submittedAt: Date;
}

/** How far back the spike check looks (usage periods). */
export const HISTORY_PERIODS = 12;

export interface PastReading {
  period: string;
  previous: string;
  current: string;
  multiplier?: string;
  loss?: string;
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
          multiplier: '$multiplier',
          loss: '$loss',
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

export function readingView(
  doc: ReadingDoc,
  label: string,
  photoUrl?: string | null,
): MeterReadingView {
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
    ownerReading: doc.ownerReading
      ? {
          current: doc.ownerReading.current,
          submittedAt: iso(doc.ownerReading.submittedAt),
          photoUrl: photoUrl ?? null,
        }
      : null,
  };
}

/**
 * Usage and the data checks of a reading against the room's accepted history (newest first):
 * usage = (current − previous) × multiplier + loss; flags as `checkReading` finds them, comparing
 * with past usages as the meter shows them (current − previous).
 */
export function assessReading(
  r: { previous: string; current: string; multiplier: string; loss: string },
  earlier: readonly PastReading[],
): { usage: string; flags: ReadingFlag[]; median: string | null } {
  const check = checkReading(
    r.previous,
    r.current,
    earlier.map((e) =>
      toQuantity(e.current, 'current').minus(toQuantity(e.previous, 'previous')).abs().toFixed(),
    ),
  );
  const usage = toQuantity(r.current, 'current')
    .minus(toQuantity(r.previous, 'previous'))
    .times(new Big(r.multiplier))
    .plus(new Big(r.loss))
    .toFixed();
  return check.ok
    ? { usage, flags: [], median: null }
    : { usage, flags: check.flags, median: check.median };
}

/** The meter's unit (m³, kWh) as its latest price states it. */
export function meterUnit(doc: FeeStandardDoc): string {
  const p = [...doc.versions].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1))[0]
    ?.pricing;
  return p?.kind === 'meter' ? p.unit : '';
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
