/**
 * The collection rate per period and building: household and amount rate, current period and
 * 清欠 (arrears collected) by channel.
 */
import { collectionRates } from '../../../../miniprogram/domain/report/rates';
import { kindRows, type KindSums } from '../../../../miniprogram/domain/report/kinds';
import { addDays, shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import type { CollectionRow } from '../../../../miniprogram/domain/report/contract';
import { type ActionContext } from '../../../_shared/router';
import { growthBy, lateFeeGrowth } from '../../../_shared/ledger/as-of';
import { openReport, outstandingExpr, startOf } from '../repo/reports';
import type { Handlers } from '../../../_shared/router';
import type { reportContracts } from '../../../../miniprogram/domain/report/contract';

// ------------------------------------------------------------------------------ collection
export interface BuildingSums {
  _id: string;
  rooms: number;
  arrears: number;
  due: number;
  paid: number;
  out: number;
}

export async function periodsOf(ctx: ActionContext, communityId: string): Promise<string[]> {
  const res = await ctx.db
    .collection('bills')
    .aggregate()
    .match({ communityId })
    .group({ _id: '$period' })
    .sort({ _id: -1 })
    .limit(1000)
    .end();
  return (res.list as { _id: string }[]).map((r) => r._id);
}

/** Allocations grouped per building and channel (one aggregation). */
export async function allocationsByBuilding(
  ctx: ActionContext,
  match: Record<string, unknown>,
  allocationMatch: Record<string, unknown>,
): Promise<{ building: string; channel: string; fen: number }[]> {
  const $ = ctx.db.command.aggregate;
  const res = await ctx.db
    .collection('payments')
    .aggregate()
    .match(match)
    .unwind('$allocations')
    .match(allocationMatch)
    .group({
      _id: { roomId: '$allocations.roomId', channel: '$channel' },
      fen: $.sum('$allocations.amountFen'),
    })
    .lookup({ from: 'rooms', localField: '_id.roomId', foreignField: '_id', as: 'room' })
    .unwind('$room')
    .group({
      _id: { building: '$room.building', channel: '$_id.channel' },
      fen: $.sum('$fen'),
    })
    .limit(10000)
    .end();
  return (res.list as { _id: { building: string; channel: string }; fen: number }[]).map((r) => ({
    building: String(r._id.building),
    channel: r._id.channel,
    fen: r.fen,
  }));
}

export function emptyRow(building: string): CollectionRow {
  return {
    building,
    billedRooms: 0,
    arrearsRooms: 0,
    dueFen: 0,
    collectedFen: 0,
    outstandingFen: 0,
    householdRateBp: 0,
    amountRateBp: 0,
    currentByChannel: {},
    recoveredByChannel: {},
    recoveredFen: 0,
  };
}

export const collectionReport: Handlers<typeof reportContracts>['collection'] = async (
  input,
  ctx,
) => {
  const name = await openReport(ctx, input.communityId);
  const today = shanghaiDate(ctx.now());
  const periods = await periodsOf(ctx, input.communityId);
  const thisMonth = today.slice(0, 7);
  const period = input.period ?? periods.find((p) => p <= thisMonth) ?? periods[0] ?? thisMonth;
  // 清欠 is counted from this period's start until the next period that has bills (or today).
  const later = periods.filter((p) => p > period).sort();
  const from = `${period}-01`;
  const to = later[0] && `${later[0]}-01` <= today ? `${later[0]}-01` : addDays(today, 1);
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const out = outstandingExpr(ctx);
  const billsRes = await ctx.db
    .collection('bills')
    .aggregate()
    .match({ communityId: input.communityId, period, status: _.neq('void') })
    .group({
      _id: '$roomId',
      due: $.sum($.add(['$amountDueFen', '$lateFeeFen'])),
      paid: $.sum('$paidFen'),
      out: $.sum(out),
    })
    .lookup({ from: 'rooms', localField: '_id', foreignField: '_id', as: 'room' })
    .unwind('$room')
    .group({
      _id: '$room.building',
      rooms: $.sum(1),
      arrears: $.sum($.cond([$.gt(['$out', 0]), 1, 0])),
      due: $.sum('$due'),
      paid: $.sum('$paid'),
      out: $.sum('$out'),
    })
    .sort({ _id: 1 })
    .limit(1000)
    .end();
  const kinds = await ctx.db
    .collection('bills')
    .aggregate()
    .match({ communityId: input.communityId, period, status: _.neq('void') })
    .group({
      _id: '$spaceKind',
      bills: $.sum(1),
      arrears: $.sum($.cond([$.gt([out, 0]), 1, 0])),
      due: $.sum($.add(['$amountDueFen', '$lateFeeFen'])),
      out: $.sum(out),
    })
    .limit(100)
    .end();
  const current = await allocationsByBuilding(
    ctx,
    { communityId: input.communityId, 'allocations.period': period },
    { 'allocations.period': period },
  );
  const recovered =
    from < to
      ? await allocationsByBuilding(
          ctx,
          {
            communityId: input.communityId,
            paidAt: _.gte(startOf(from)).and(_.lt(startOf(to))),
          },
          { 'allocations.period': _.lt(period) },
        )
      : [];
  // Today's late fees of the period's bills, by building and by kind (due and outstanding grow
  // alike; collected and the rooms in arrears do not: growth is only on bills owing principal).
  const growth = await lateFeeGrowth(ctx.db, input.communityId, today, {
    period,
    building: true,
  });
  const grownByBuilding = growthBy(growth, (g) => g.building ?? null);
  const grownByKind = growthBy(growth, (g) => g.spaceKind);
  const rows = new Map<string, CollectionRow>();
  const row = (b: string) => {
    if (!rows.has(b)) rows.set(b, emptyRow(b));
    return rows.get(b)!;
  };
  for (const s of billsRes.list as BuildingSums[]) {
    const r = row(String(s._id));
    const grown = grownByBuilding.get(r.building) ?? 0;
    r.billedRooms = s.rooms;
    r.arrearsRooms = s.arrears;
    r.dueFen = s.due + grown;
    // Collected counts what reached the period's bills, never more than was due on each.
    r.outstandingFen = s.out + grown;
    r.collectedFen = s.due - s.out;
  }
  for (const c of current) {
    const r = row(c.building);
    r.currentByChannel[c.channel] = (r.currentByChannel[c.channel] ?? 0) + c.fen;
  }
  for (const c of recovered) {
    const r = row(c.building);
    r.recoveredByChannel[c.channel] = (r.recoveredByChannel[c.channel] ?? 0) + c.fen;
    r.recoveredFen += c.fen;
  }
  const buildings = [...rows.values()].sort((a, b) =>
    a.building.localeCompare(b.building, 'zh-CN', { numeric: true }),
  );
  const total = emptyRow('');
  for (const r of buildings) {
    Object.assign(r, collectionRates(r));
    total.billedRooms += r.billedRooms;
    total.arrearsRooms += r.arrearsRooms;
    total.dueFen += r.dueFen;
    total.collectedFen += r.collectedFen;
    total.outstandingFen += r.outstandingFen;
    total.recoveredFen += r.recoveredFen;
    for (const [k, v] of Object.entries(r.currentByChannel))
      total.currentByChannel[k] = (total.currentByChannel[k] ?? 0) + v;
    for (const [k, v] of Object.entries(r.recoveredByChannel))
      total.recoveredByChannel[k] = (total.recoveredByChannel[k] ?? 0) + v;
  }
  Object.assign(total, collectionRates(total));
  return {
    communityName: name,
    period,
    window: { from, to },
    asOf: today,
    total,
    buildings,
    byKind: kindRows(
      (kinds.list as (Omit<KindSums, 'kind'> & { _id: string | null })[]).map((k) => {
        const grown = grownByKind.get(k._id ?? null) ?? 0;
        return { ...k, kind: k._id, due: k.due + grown, out: k.out + grown };
      }),
    ),
    periods,
  };
};
