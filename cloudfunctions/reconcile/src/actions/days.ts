/**
 * Reconciliation days: the list finance works through, and closing a day (关账). A closed day
 * keeps the totals it was closed with; anything that reaches it later is written by the ledger
 * as a new entry with a reason and listed in the day's `corrections` (see `_shared/ledger/`).
 */
import { addDays, shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import type { Correction, ReconDayView } from '../../../../miniprogram/domain/reconcile/contract';
import { audit, auditTarget } from '../../../_shared/audit';
import { fetchAll } from '../../../_shared/db';
import { reconDayId, type ReconDayCorrection } from '../../../_shared/ledger';
import { requireRole } from '../../../_shared/roles';
import { AppError, type ActionContext } from '../../../_shared/router';
import { community, dayRange } from '../repo/common';
import { type RunDoc, runId, runView } from '../repo/wechat';
import type { Handlers } from '../../../_shared/router';
import type { reconcileContracts } from '../../../../miniprogram/domain/reconcile/contract';

export interface DayDoc {
  _id: string;
  communityId: string;
  date: string;
  status: 'open' | 'closed';
  closedAt?: Date;
  closedBy?: string;
  note?: string;
  closedTotals?: Record<string, number>;
  corrections?: ReconDayCorrection[];
}

export function corrections(doc: DayDoc | undefined): Correction[] {
  return (doc?.corrections ?? []).map((c) => ({ ...c, at: new Date(c.at).toISOString() }));
}

export function dayView(
  date: string,
  doc: DayDoc | undefined,
  run: RunDoc | undefined,
  bankOpenLines: number,
): ReconDayView {
  const wx = run ? runView(run, doc?.status ?? 'open') : null;
  return {
    date,
    status: doc?.status ?? 'open',
    wechat: wx
      ? {
          matchedCount: wx.matchedCount,
          openItems: wx.openItems,
          items: wx.items.length,
          netFen: wx.statement.netFen,
        }
      : null,
    bankOpenLines,
    ...(doc?.closedAt ? { closedAt: new Date(doc.closedAt).toISOString() } : {}),
    ...(doc?.closedBy ? { closedBy: doc.closedBy } : {}),
    ...(doc?.note ? { note: doc.note } : {}),
    ...(doc?.closedTotals ? { closedTotals: doc.closedTotals } : {}),
    corrections: corrections(doc),
  };
}

export async function openBankLines(
  ctx: ActionContext,
  communityId: string,
  from: string,
  to: string,
): Promise<Map<string, number>> {
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const res = await ctx.db
    .collection('bank_lines')
    .aggregate()
    .match({
      communityId,
      status: _.in(['unmatched', 'ambiguous']),
      date: _.gte(from).and(_.lte(to)),
    })
    .group({ _id: '$date', n: $.sum(1) })
    .limit(1000)
    .end();
  return new Map((res.list as { _id: string; n: number }[]).map((r) => [r._id, r.n]));
}

export const days: Handlers<typeof reconcileContracts>['days'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ['finance']);
  const today = shanghaiDate(ctx.now());
  const to = input.to ?? addDays(today, -1);
  const from = input.from ?? addDays(to, -29);
  if (from > to) throw new AppError('INVALID_INPUT', 'from: 开始日期不能晚于结束日期');
  if (addDays(from, 92) < to) throw new AppError('INVALID_INPUT', 'from: 一次最多查看 92 天');
  const _ = ctx.db.command;
  const range = { communityId: input.communityId, date: _.gte(from).and(_.lte(to)) };
  const [dayDocs, runs, bank] = await Promise.all([
    fetchAll<DayDoc>(ctx.db.collection('recon_days').where(range)),
    fetchAll<RunDoc>(ctx.db.collection('recon_runs').where(range)),
    openBankLines(ctx, input.communityId, from, to),
  ]);
  const byDate = new Map(dayDocs.map((d) => [d.date, d]));
  const runByDate = new Map(runs.map((r) => [r.date, r]));
  const out: ReconDayView[] = [];
  for (let d = to; d >= from; d = addDays(d, -1)) {
    out.push(dayView(d, byDate.get(d), runByDate.get(d), bank.get(d) ?? 0));
  }
  return { days: out, today };
};

export const closeDay: Handlers<typeof reconcileContracts>['closeDay'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['finance']);
  if (input.date >= shanghaiDate(ctx.now()))
    throw new AppError('INVALID_INPUT', 'date: 只能关账今天以前的日期');
  const id = reconDayId(input.communityId, input.date);
  const existing = (await ctx.db.collection('recon_days').where({ _id: id }).limit(1).get())
    .data[0] as DayDoc | undefined;
  const bank = await openBankLines(ctx, input.communityId, input.date, input.date);
  const runRes = await ctx.db
    .collection('recon_runs')
    .where({ _id: runId(input.communityId, input.date) })
    .limit(1)
    .get();
  const run = runRes.data[0] as RunDoc | undefined;
  if (existing?.status === 'closed')
    return dayView(input.date, existing, run, bank.get(input.date) ?? 0);
  const comm = await community(ctx, input.communityId);
  if (comm.payment?.subMchId) {
    if (!run) throw new AppError('PRECONDITION_FAILED', '请先完成当日微信支付对账，再关账');
    const open = runView(run, 'open').openItems;
    if (open > 0)
      throw new AppError(
        'PRECONDITION_FAILED',
        `当日微信支付对账还有 ${open} 项差异未处理，请处理后再关账`,
      );
  }
  const openLines = bank.get(input.date) ?? 0;
  if (openLines > 0)
    throw new AppError(
      'PRECONDITION_FAILED',
      `当日还有 ${openLines} 条银行流水未匹配，请认领或忽略后再关账`,
    );
  // The day's totals by channel, frozen as closed (one aggregation).
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const { start, end } = dayRange(input.date);
  const totals = await ctx.db
    .collection('payments')
    .aggregate()
    .match({ communityId: input.communityId, paidAt: _.gte(start).and(_.lt(end)) })
    .group({ _id: '$channel', fen: $.sum('$amountFen') })
    .limit(100)
    .end();
  const closedTotals = Object.fromEntries(
    (totals.list as { _id: string; fen: number }[]).map((t) => [t._id, t.fen]),
  );
  const now = ctx.now();
  const doc: Omit<DayDoc, '_id'> = {
    communityId: input.communityId,
    date: input.date,
    status: 'closed',
    closedAt: now,
    closedBy: caller.openid,
    ...(input.note ? { note: input.note } : {}),
    closedTotals,
    corrections: existing?.corrections ?? [],
  };
  await ctx.db.collection('recon_days').doc(id).set({ data: doc });
  await audit(ctx, caller, {
    ...auditTarget('reconDay', input.communityId, id, input.date),
    action: 'recon.closeDay',
    summary: `关账 ${input.date}${input.note ? `：${input.note}` : ''}`,
    after: { closedTotals },
  });
  return dayView(input.date, { _id: id, ...doc }, run, 0);
};
