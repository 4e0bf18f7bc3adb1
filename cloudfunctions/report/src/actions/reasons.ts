/**
 * Why owners do not pay: the fixed non-payment reasons of recorded calls and visits by channel,
 * and complaints (kind `complaint`) of rooms in arrears (docs/reports.md).
 */
import {
  NONPAYMENT_REASONS,
  NONPAYMENT_REASON_LABELS,
  type ContactChannel,
  type NonpaymentReason,
} from '../../../../miniprogram/domain/overdue/rules';
import { addDays, shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import type { ReasonRow, ReasonsReport } from '../../../../miniprogram/domain/report/contract';
import { AppError } from '../../../_shared/router';
import { OPEN, openReport, outstandingExpr, startOf } from '../repo/reports';
import type { Handlers } from '../../../_shared/router';
import type { reportContracts } from '../../../../miniprogram/domain/report/contract';

// ------------------------------------------------------------------------------ reasons

export const reasonsReport: Handlers<typeof reportContracts>['reasons'] = async (input, ctx) => {
  const name = await openReport(ctx, input.communityId);
  const today = shanghaiDate(ctx.now());
  const to = input.to ?? today;
  const from = input.from ?? addDays(to, -89);
  if (from > to) throw new AppError('INVALID_INPUT', 'from: 开始日期不能晚于结束日期');
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const range = _.gte(startOf(from)).and(_.lt(startOf(addDays(to, 1))));
  // Contacts recorded by the overdue function (`record`): one event each, with a fixed reason.
  const res = await ctx.db
    .collection('collection_events')
    .aggregate()
    .match({ communityId: input.communityId, kind: 'contact', at: range })
    .group({
      _id: { reason: '$reason', channel: '$channel' },
      contacts: $.sum(1),
      rooms: $.addToSet('$roomId'),
    })
    .limit(1000)
    .end();
  const merged = new Map<
    NonpaymentReason,
    { contacts: number; rooms: Set<string>; byChannel: ReasonRow['byChannel'] }
  >();
  for (const r of res.list as {
    _id: { reason: NonpaymentReason | null; channel: ContactChannel | null };
    contacts: number;
    rooms: string[];
  }[]) {
    const reason = r._id.reason;
    if (!reason || !(reason in NONPAYMENT_REASON_LABELS)) continue;
    const m = merged.get(reason) ?? { contacts: 0, rooms: new Set<string>(), byChannel: {} };
    m.contacts += r.contacts;
    for (const id of r.rooms) m.rooms.add(id);
    if (r._id.channel) m.byChannel[r._id.channel] = (m.byChannel[r._id.channel] ?? 0) + r.contacts;
    merged.set(reason, m);
  }
  const reasons: ReasonRow[] = [...merged]
    .map(([reason, m]) => ({
      reason,
      reasonText: NONPAYMENT_REASON_LABELS[reason],
      contacts: m.contacts,
      rooms: m.rooms.size,
      byChannel: m.byChannel,
    }))
    .sort(
      (a, b) =>
        b.contacts - a.contacts ||
        NONPAYMENT_REASONS.indexOf(a.reason) - NONPAYMENT_REASONS.indexOf(b.reason),
    );
  // Complaint tickets (suggestions are not complaints) filed in the range, per room.
  const complaints = { total: 0, fromArrearsRooms: 0 };
  const perRoomRes = await ctx.db
    .collection('complaints')
    .aggregate()
    .match({ communityId: input.communityId, kind: 'complaint', createdAt: range })
    .group({ _id: '$roomId', n: $.sum(1) })
    .limit(10000)
    .end();
  const perRoom = perRoomRes.list as { _id: string; n: number }[];
  complaints.total = perRoom.reduce((s, r) => s + r.n, 0);
  const ids = perRoom.map((r) => r._id).filter((id) => typeof id === 'string');
  // Which rooms owe: the stored amounts decide it exactly (a late fee grows since its settlement
  // only on a bill that owes principal, which owes already as stored).
  const inArrears = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const a = await ctx.db
      .collection('bills')
      .aggregate()
      .match({
        communityId: input.communityId,
        roomId: _.in(ids.slice(i, i + 500)),
        status: _.in(OPEN),
        dueDate: _.lte(today),
      })
      .project({ roomId: 1, out: outstandingExpr(ctx) })
      .match({ out: _.gt(0) })
      .group({ _id: '$roomId' })
      .limit(1000)
      .end();
    for (const r of a.list as { _id: string }[]) inArrears.add(r._id);
  }
  complaints.fromArrearsRooms = perRoom
    .filter((r) => inArrears.has(r._id))
    .reduce((s, r) => s + r.n, 0);
  const holdsRes = await ctx.db
    .collection('bill_holds')
    .aggregate()
    .match({ communityId: input.communityId, active: true })
    .group({ _id: '$reason', holds: $.sum(1), rooms: $.addToSet('$roomId') })
    .limit(100)
    .end();
  const holds: ReasonsReport['holds'] = {};
  for (const h of holdsRes.list as { _id: string; holds: number; rooms: string[] }[]) {
    holds[h._id] = { holds: h.holds, rooms: h.rooms.length };
  }
  return { communityName: name, from, to, reasons, complaints, holds };
};
