/**
 * The billing run (账单生成): preview, then issue, for one community and billing month. The run
 * document `billing_runs/run_<communityId>_<period>` holds each pass's cursor and tallies, so
 * both resume where they stopped; see repo/run-engine.ts for the chunking and idempotency.
 */
import { randomUUID } from 'node:crypto';
import {
  ITEM_SKIP_LABELS,
  ROOM_SKIP_LABELS,
  type LineSkipReason,
  type RoomSkipReason,
  dueItems,
  emptyTally,
  passTotals,
  resolveRunPeriod,
  runDocId,
  standardsFingerprint,
} from '../../../../miniprogram/domain/fee/billing';
import { formatYuan } from '../../../../miniprogram/domain/kernel/money';
import { audit, auditTarget } from '../../../_shared/audit';
import { ANY_STAFF, requireRole } from '../../../_shared/roles';
import { AppError, type ActionContext } from '../../../_shared/router';
import { findById } from '../../../_shared/paging';
import { isDuplicate } from '../../../_shared/db';
import { iso } from '../../../_shared/records';
import { type FeeStandardDoc, loadStandards, standardDocId, toStandard } from '../repo/standards';
import { type PassDoc, type RunSetup, loadSetup, runPass } from '../repo/run-engine';
import { MANAGERS } from '../repo/standard-versions';
import type {
  BillingPassView,
  BillingRunItem,
  BillingRunStatus,
  BillingRunView,
} from '../../../../miniprogram/domain/fee/contract';
import type { Handlers } from '../../../_shared/router';
import type { feeContracts } from '../../../../miniprogram/domain/fee/contract';

interface RunSummaryDoc {
  bills: number;
  totalFen: number;
  prepaidAppliedFen: number;
  byBuilding: { building: string; bills: number; totalFen: number }[];
  byItem: { itemId: string; name: string; lines: number; amountFen: number; discountFen: number }[];
}

export interface RunDoc {
  _id: string;
  communityId: string;
  period: string;
  status: BillingRunStatus;
  items: BillingRunItem[];
  preview: PassDoc | null;
  issue: PassDoc | null;
  summary: RunSummaryDoc | null;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  issuedBy?: string;
  issuedAt?: Date;
}

function numericAware(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function passView(pass: PassDoc | null, names: Map<string, string>): BillingPassView | null {
  if (!pass) return null;
  const t = pass.tally;
  return {
    done: pass.done,
    roomsTotal: pass.roomsTotal,
    ...passTotals(t),
    byBuilding: Object.entries(t.byBuilding)
      .map(([building, v]) => ({ building, bills: v.bills, totalFen: v.totalFen }))
      .sort((a, b) => numericAware(a.building, b.building)),
    byItem: Object.entries(t.byItem)
      .map(([itemId, v]) => ({
        itemId,
        name: v.name,
        lines: v.lines,
        amountFen: v.amountFen,
        discountFen: v.discountFen,
      }))
      .sort((a, b) => numericAware(a.itemId, b.itemId)),
    skipped: Object.entries(t.skipped).map(([reason, count]) => ({
      reason,
      label: ROOM_SKIP_LABELS[reason as RoomSkipReason] ?? reason,
      count: count ?? 0,
    })),
    skippedRooms: t.skippedRooms.map((r) => ({
      roomId: r.roomId,
      roomLabel: r.roomLabel,
      reason: r.reason,
      label: ROOM_SKIP_LABELS[r.reason] ?? r.reason,
    })),
    itemSkips: Object.entries(t.itemSkips).flatMap(([itemId, counts]) =>
      Object.entries(counts).map(([reason, count]) => ({
        itemId,
        name: names.get(itemId) ?? itemId,
        reason,
        label: ITEM_SKIP_LABELS[reason as LineSkipReason] ?? reason,
        count: count ?? 0,
      })),
    ),
    itemSkipRooms: t.itemSkipRooms.map((r) => ({
      roomId: r.roomId,
      roomLabel: r.roomLabel,
      itemId: r.itemId,
      reason: r.reason,
      label: ITEM_SKIP_LABELS[r.reason] ?? r.reason,
    })),
    anomalies: t.anomalies.map((a) => ({
      roomId: a.roomId,
      roomLabel: a.roomLabel,
      itemId: a.itemId,
      name: a.name,
      previousFen: a.previousFen,
      currentFen: a.currentFen,
      changeBp: a.changeBp,
    })),
    anomalyCount: t.anomalyCount,
    startedAt: iso(pass.startedAt),
    finishedAt: iso(pass.finishedAt),
  };
}

function runView(run: RunDoc, currentFingerprint: string | null, created?: number): BillingRunView {
  const names = new Map(run.items.map((i) => [i.itemId, i.name]));
  return {
    runId: run._id,
    communityId: run.communityId,
    period: run.period,
    status: run.status,
    items: run.items,
    stale:
      currentFingerprint !== null &&
      run.preview !== null &&
      run.preview.fingerprint !== currentFingerprint,
    preview: passView(run.preview, names),
    issue: passView(run.issue, names),
    summary: run.summary,
    ...(created !== undefined ? { created } : {}),
    issuedAt: run.status === 'issued' && run.issuedAt ? new Date(run.issuedAt).toISOString() : null,
  };
}

function runItems(setup: RunSetup): BillingRunItem[] {
  return setup.due.map((d) => ({
    itemId: d.itemId,
    name: d.name,
    kind: d.kind,
    from: d.from,
    to: d.to,
    dueDate: d.dueDate,
    readingPeriod: d.readingPeriod,
  }));
}

async function freshPass(
  ctx: ActionContext,
  setup: RunSetup,
  extra: Partial<PassDoc> = {},
): Promise<PassDoc> {
  const total = await ctx.db.collection('rooms').where({ communityId: setup.communityId }).count();
  return {
    token: randomUUID(),
    fingerprint: setup.fingerprint,
    cursor: null,
    done: false,
    roomsTotal: total.total,
    tally: emptyTally(),
    startedAt: ctx.now(),
    finishedAt: null,
    ...extra,
  };
}

async function loadRun(ctx: ActionContext, runId: string): Promise<RunDoc | null> {
  return findById<RunDoc>(ctx, 'billing_runs', runId);
}

export const preview: Handlers<typeof feeContracts>['preview'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, MANAGERS);
  const setup = await loadSetup(ctx, input.communityId, input.period, runDocId);
  const _ = ctx.db.command;
  const now = ctx.now();
  let run = await loadRun(ctx, setup.runId);
  if (!run) {
    const doc: RunDoc = {
      _id: setup.runId,
      communityId: setup.communityId,
      period: setup.period,
      status: 'previewing',
      items: runItems(setup),
      preview: null,
      issue: null,
      summary: null,
      createdAt: now,
      createdBy: caller.openid,
      updatedAt: now,
    };
    try {
      await ctx.db.collection('billing_runs').add({ data: doc });
      run = doc;
    } catch (e) {
      if (!isDuplicate(e)) throw e;
      run = (await loadRun(ctx, setup.runId))!;
    }
  }
  let pass = run.preview;
  if (input.restart || !pass || pass.done || pass.fingerprint !== setup.fingerprint) {
    const fresh = await freshPass(ctx, setup);
    const items = runItems(setup);
    const res = await ctx.db
      .collection('billing_runs')
      .where({ _id: run._id, 'preview.token': pass?.token ?? null })
      .update({
        data: { preview: _.set(fresh), items: _.set(items), status: 'previewing', updatedAt: now },
      });
    if (res.stats.updated !== 1) {
      throw new AppError('CONFLICT', '其他同事刚刚开始了本期预览，请稍后刷新查看');
    }
    run = { ...run, preview: fresh, items, status: 'previewing' };
    pass = fresh;
  }
  const progress = await runPass(ctx, setup, 'preview', pass);
  run = { ...run, preview: progress.pass };
  if (progress.pass.done && progress.owned) {
    await ctx.db
      .collection('billing_runs')
      .where({ _id: run._id, 'preview.token': progress.pass.token })
      .update({ data: { status: 'previewed', updatedAt: ctx.now() } });
    run.status = 'previewed';
  }
  return runView(run, setup.fingerprint);
};

/** Marks the standards as billed through the run's windows (later prices only after that). */
async function bumpIssuedThrough(ctx: ActionContext, setup: RunSetup): Promise<void> {
  const _ = ctx.db.command;
  for (const d of setup.due) {
    const id = standardDocId(setup.communityId, d.itemId);
    await ctx.db
      .collection('fee_standards')
      .where(
        _.or([
          { _id: id, issuedThrough: null },
          { _id: id, issuedThrough: _.lt(d.to) },
        ]),
      )
      .update({ data: { issuedThrough: d.to } });
  }
}

/** What the run's bills add up to in the database (exact after crashes and repeats). */
async function runSummary(ctx: ActionContext, setup: RunSetup): Promise<RunSummaryDoc> {
  const _ = ctx.db.command;
  const $ = _.aggregate;
  const match = { communityId: setup.communityId, period: setup.period, runId: setup.runId };
  const byBuilding = (
    await ctx.db
      .collection('bills')
      .aggregate()
      .match(match)
      .group({
        _id: '$building',
        bills: $.sum(1),
        totalFen: $.sum('$amountDueFen'),
        prepaidFen: $.sum('$prepaidAppliedFen'),
      })
      .limit(1000)
      .end()
  ).list as { _id: string; bills: number; totalFen: number; prepaidFen: number }[];
  const byItemRaw = (
    await ctx.db
      .collection('bills')
      .aggregate()
      .match(match)
      .unwind('$items')
      .group({
        _id: { itemId: '$items.itemId', kind: '$items.kind' },
        lines: $.sum(1),
        amountFen: $.sum('$items.amountFen'),
      })
      .limit(1000)
      .end()
  ).list as { _id: { itemId: string; kind: string }; lines: number; amountFen: number }[];
  const names = new Map(setup.due.map((d) => [d.itemId, d.name]));
  const items = new Map<string, RunSummaryDoc['byItem'][number]>();
  for (const r of byItemRaw) {
    const it = items.get(r._id.itemId) ?? {
      itemId: r._id.itemId,
      name: names.get(r._id.itemId) ?? r._id.itemId,
      lines: 0,
      amountFen: 0,
      discountFen: 0,
    };
    if (r._id.kind === 'discount') it.discountFen += -r.amountFen;
    else {
      it.lines += r.lines;
      it.amountFen += r.amountFen;
    }
    items.set(r._id.itemId, it);
  }
  return {
    bills: byBuilding.reduce((s, b) => s + b.bills, 0),
    totalFen: byBuilding.reduce((s, b) => s + b.totalFen, 0),
    prepaidAppliedFen: byBuilding.reduce((s, b) => s + b.prepaidFen, 0),
    byBuilding: byBuilding
      .map((b) => ({ building: String(b._id), bills: b.bills, totalFen: b.totalFen }))
      .sort((a, b) => numericAware(a.building, b.building)),
    byItem: [...items.values()].sort((a, b) => numericAware(a.itemId, b.itemId)),
  };
}

export const issue: Handlers<typeof feeContracts>['issue'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, MANAGERS);
  const setup = await loadSetup(ctx, input.communityId, input.period, runDocId);
  let run = await loadRun(ctx, setup.runId);
  if (!run || !run.preview) {
    throw new AppError('PRECONDITION_FAILED', 'period: 请先预览本期账单，核对无误后再出账');
  }
  if (!run.preview.done) {
    throw new AppError('PRECONDITION_FAILED', 'period: 本期预览尚未完成，请继续预览后再出账');
  }
  if (run.preview.fingerprint !== setup.fingerprint) {
    throw new AppError('CONFLICT', 'period: 收费标准在预览之后有变更，请重新预览后再出账');
  }
  if (setup.due.length === 0) {
    throw new AppError('PRECONDITION_FAILED', 'period: 本期没有需要出账的收费项目');
  }
  const _ = ctx.db.command;
  let pass = run.issue;
  if (pass && pass.previewToken === run.preview.token) {
    if (pass.done) return runView(run, setup.fingerprint, 0);
  } else {
    const fresh = await freshPass(ctx, setup, { previewToken: run.preview.token });
    const res = await ctx.db
      .collection('billing_runs')
      .where({
        _id: run._id,
        'preview.token': run.preview.token,
        'issue.token': pass?.token ?? null,
      })
      .update({
        data: {
          issue: _.set(fresh),
          summary: null,
          status: 'issuing',
          issuedBy: caller.openid,
          updatedAt: ctx.now(),
        },
      });
    if (res.stats.updated !== 1) {
      throw new AppError('CONFLICT', '本期账单正由其他同事出账或重新预览，请稍后刷新查看');
    }
    await bumpIssuedThrough(ctx, setup);
    await audit(ctx, caller, {
      ...auditTarget('billingRun', setup.communityId, run._id, setup.period),
      action: 'billing.issue',
      summary: `开始出账 ${setup.period}：预览 ${run.preview.tally.bills} 户，合计 ${formatYuan(run.preview.tally.totalFen)}`,
      after: { items: setup.due.map((d) => d.itemId), fingerprint: setup.fingerprint },
    });
    run = { ...run, issue: fresh, summary: null, status: 'issuing' };
    pass = fresh;
  }
  const progress = await runPass(ctx, setup, 'issue', pass, input.maxRooms);
  run = { ...run, issue: progress.pass };
  if (progress.pass.done && progress.owned) {
    const summary = await runSummary(ctx, setup);
    const now = ctx.now();
    await ctx.db
      .collection('billing_runs')
      .where({ _id: run._id, 'issue.token': progress.pass.token })
      .update({
        data: { status: 'issued', summary: _.set(summary), issuedAt: now, updatedAt: now },
      });
    run = { ...run, status: 'issued', summary };
    await audit(ctx, caller, {
      ...auditTarget('billingRun', setup.communityId, run._id, setup.period),
      action: 'billing.issued',
      summary: `出账完成 ${setup.period}：共 ${summary.bills} 张账单，合计 ${formatYuan(summary.totalFen)}，预存抵扣 ${formatYuan(summary.prepaidAppliedFen)}`,
      after: { bills: summary.bills, totalFen: summary.totalFen },
    });
  }
  return runView(run, setup.fingerprint, progress.created);
};

function fingerprintFor(docs: FeeStandardDoc[], period: string): string {
  const due = new Set(dueItems(docs.map(toStandard), period).map((d) => d.itemId));
  return standardsFingerprint(docs.filter((d) => due.has(d.itemId)));
}

export const getRun: Handlers<typeof feeContracts>['run'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const docs = await loadStandards(ctx, input.communityId);
  const period = resolveRunPeriod(docs.map(toStandard), input.period);
  const run = await loadRun(ctx, runDocId(input.communityId, period));
  if (!run) throw new AppError('NOT_FOUND', `period: ${period} 还没有预览或出账记录`);
  return runView(run, fingerprintFor(docs, period));
};

export const listRuns: Handlers<typeof feeContracts>['runs'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const docs = await loadStandards(ctx, input.communityId);
  const runs = (
    await ctx.db
      .collection('billing_runs')
      .where({ communityId: input.communityId })
      .orderBy('period', 'desc')
      .limit(input.limit)
      .get()
  ).data as RunDoc[];
  return { runs: runs.map((r) => runView(r, fingerprintFor(docs, r.period))) };
};
