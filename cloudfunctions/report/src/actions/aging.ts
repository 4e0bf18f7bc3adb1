/**
 * Arrears aging: what is owed, per building, in the 0–30, 31–90, 91–180, 181–365 and >365 day
 * buckets. Amounts are today's (late fees as owners are shown them today, whatever `asOf`);
 * `asOf` chooses the bills (due by then) and their bucket.
 */
import {
  AGING_BUCKETS,
  agingBucket,
  agingCutoffs,
  overdueDaysOn,
  type AgingBucket,
} from '../../../../miniprogram/domain/ledger/aging';
import { addDays, shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import type { AgingRow } from '../../../../miniprogram/domain/report/contract';
import { lateFeeGrowth } from '../../../_shared/ledger/as-of';
import { OPEN, openReport, outstandingExpr } from '../repo/reports';
import type { Handlers } from '../../../_shared/router';
import type { reportContracts } from '../../../../miniprogram/domain/report/contract';

// ------------------------------------------------------------------------------ aging
export function emptyAging(building: string): AgingRow {
  return {
    building,
    buckets: Object.fromEntries(
      AGING_BUCKETS.map((b) => [b, { fen: 0, rooms: 0, bills: 0 }]),
    ) as AgingRow['buckets'],
    totalFen: 0,
    rooms: 0,
  };
}

export const agingReport: Handlers<typeof reportContracts>['aging'] = async (input, ctx) => {
  const name = await openReport(ctx, input.communityId);
  const today = shanghaiDate(ctx.now());
  const asOf = input.asOf ?? today;
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const cut = agingCutoffs(asOf);
  const match = {
    communityId: input.communityId,
    status: _.in(OPEN),
    dueDate: _.lte(asOf),
  };
  const bucketExpr = $.switch({
    branches: cut.slice(0, 4).map((c) => ({ case: $.gte(['$dueDate', c.minDue]), then: c.bucket })),
    default: '365+',
  });
  const perBucket = await ctx.db
    .collection('bills')
    .aggregate()
    .match(match)
    .project({ roomId: 1, out: outstandingExpr(ctx), bucket: bucketExpr })
    .match({ out: _.gt(0) })
    .group({ _id: { roomId: '$roomId', bucket: '$bucket' }, fen: $.sum('$out'), bills: $.sum(1) })
    .lookup({ from: 'rooms', localField: '_id.roomId', foreignField: '_id', as: 'room' })
    .unwind('$room')
    .group({
      _id: { building: '$room.building', bucket: '$_id.bucket' },
      fen: $.sum('$fen'),
      rooms: $.sum(1),
      bills: $.sum('$bills'),
    })
    .limit(10000)
    .end();
  // Households in arrears per building (a room can sit in several buckets).
  const perRoom = await ctx.db
    .collection('bills')
    .aggregate()
    .match(match)
    .project({ roomId: 1, out: outstandingExpr(ctx) })
    .match({ out: _.gt(0) })
    .group({ _id: '$roomId' })
    .lookup({ from: 'rooms', localField: '_id', foreignField: '_id', as: 'room' })
    .unwind('$room')
    .group({ _id: '$room.building', rooms: $.sum(1) })
    .limit(1000)
    .end();
  const rows = new Map<string, AgingRow>();
  const row = (b: string) => {
    if (!rows.has(b)) rows.set(b, emptyAging(b));
    return rows.get(b)!;
  };
  const total = emptyAging('');
  for (const r of perBucket.list as {
    _id: { building: string; bucket: AgingBucket };
    fen: number;
    rooms: number;
    bills: number;
  }[]) {
    for (const target of [row(String(r._id.building)), total]) {
      const cell = target.buckets[r._id.bucket];
      cell.fen += r.fen;
      cell.rooms += r.rooms;
      cell.bills += r.bills;
      target.totalFen += r.fen;
    }
  }
  // Today's late fees (growth only on bills owing principal: already counted in rooms and bills).
  const growth = await lateFeeGrowth(ctx.db, input.communityId, today, {
    dueBefore: addDays(asOf, 1),
    building: true,
  });
  for (const g of growth) {
    if (typeof g.building !== 'string') continue; // no room: left out above too
    const bucket = agingBucket(overdueDaysOn(g.dueDate, asOf));
    for (const target of [row(g.building), total]) {
      target.buckets[bucket].fen += g.growthFen;
      target.totalFen += g.growthFen;
    }
  }
  for (const r of perRoom.list as { _id: string; rooms: number }[]) {
    row(String(r._id)).rooms = r.rooms;
    total.rooms += r.rooms;
  }
  return {
    communityName: name,
    asOf,
    total,
    buildings: [...rows.values()].sort((a, b) =>
      a.building.localeCompare(b.building, 'zh-CN', { numeric: true }),
    ),
  };
};
