/**
 * Roster import (preview → confirm).
 *
 * Preview downloads the uploaded file (cloud fileID), validates every row, compares it with the
 * records and stores the report under an import id keyed by the community and the file's SHA-256.
 * Nothing else is written. Confirm re-reads the same file (the hash must still match), validates
 * again, re-plans against the records as they are now and applies in batches. It is idempotent:
 * once applied, confirming again returns the stored result; previewing the same file again shows
 * "unchanged" for every row. When the time budget runs out before everything is written, confirm
 * returns `done: false` and the next confirm continues (the re-plan skips what is written).
 */
import { downloadUpload } from '../../../_shared/uploads';
import { validateRoster } from '../../../../miniprogram/domain/community/roster';
import { audit, auditTarget } from '../../../_shared/audit';
import { sha256Hex } from '../../../_shared/ids';
import { fetchWhere } from '../../../_shared/paging';
import {
  getCommunity,
  today,
  type BuildingDoc,
  type OwnerDoc,
  type RelationDoc,
  type RoomDoc,
} from '../../../_shared/records';
import { requireRole } from '../../../_shared/roles';
import { AppError, type ActionContext } from '../../../_shared/router';
import { applyPlan } from '../repo/roster-apply';
import { planImport, planSize, type Snapshot, emptyCounts } from '../repo/roster-plan';
import { readTableFile, UnreadableFile, type TableFormat } from '../../../_shared/table-file';
import type {
  ImportCounts,
  ImportReport,
  ImportStatus,
} from '../../../../miniprogram/domain/community/contract';
import type { Handlers } from '../../../_shared/router';
import type { communityContracts } from '../../../../miniprogram/domain/community/contract';

export const REPORT_CAP = 500;

/** Roster files: the sheet with the roster's header row is the one read. */
export const ROSTER_FILE = { tooBig: '文件超过 10 MB，请拆分后分批导入', rosterHeader: true };

/** Of the function's 60 s timeout, what an import may spend before handing back. */
export const DEFAULT_BUDGET_MS = 40_000;

/** A confirm holds the job this long (longer than the function timeout). */
export const LEASE_MS = 70_000;

export interface ImportJobDoc {
  _id: string;
  communityId: string;
  contentHash: string;
  fileID: string;
  format: TableFormat;
  status: ImportStatus;
  report: ImportReport;
  /** The differences found by the first confirm round: what this import changed. */
  counts: ImportCounts | null;
  rounds: number;
  leaseUntil: Date | null;
  previewedAt: Date;
  previewedBy: string;
  appliedAt?: Date | null;
  appliedBy?: string | null;
}

export function importIdFor(communityId: string, hash: string): string {
  return `imp:${communityId}:${hash}`;
}

export const EMPTY_COUNTS: ImportCounts = emptyCounts();

/** The roster file an admin uploaded on 导入 to the community's import folder. */
function download(communityId: string, fileID: string): Promise<Buffer> {
  return downloadUpload('fileID', fileID, {
    folder: 'imports',
    prefix: `imports/${communityId}/`,
    refusal: '请在本页上传本小区的花名册文件后再预览',
  });
}

export async function loadBuildings(
  ctx: ActionContext,
  communityId: string,
): Promise<BuildingDoc[]> {
  const res = await ctx.db.collection('buildings').where({ communityId }).limit(1000).get();
  return res.data as BuildingDoc[];
}

export async function loadSnapshot(ctx: ActionContext, communityId: string): Promise<Snapshot> {
  const [rooms, owners, relations] = await Promise.all([
    fetchWhere<RoomDoc>(ctx, 'rooms', { communityId }),
    fetchWhere<OwnerDoc>(ctx, 'owners', { communityId }),
    fetchWhere<RelationDoc>(ctx, 'room_owners', { communityId }),
  ]);
  return { rooms, owners, relations };
}

export interface Evaluated {
  report: ImportReport;
  plan: ReturnType<typeof planImport> | null;
}

export async function evaluate(
  ctx: ActionContext,
  communityId: string,
  bytes: Buffer,
): Promise<Evaluated> {
  const contentHash = sha256Hex(bytes);
  const base: ImportReport = {
    importId: importIdFor(communityId, contentHash),
    contentHash,
    format: 'csv',
    status: 'invalid',
    dataRows: 0,
    fileErrors: [],
    errors: [],
    errorCount: 0,
    warnings: [],
    counts: { ...EMPTY_COUNTS },
    changes: [],
    changesTruncated: false,
  };
  let table;
  try {
    const read = await readTableFile(bytes, ROSTER_FILE);
    base.format = read.format;
    table = read.table;
    if (read.sheetName) base.warnings.push(`读取工作表「${read.sheetName}」`);
  } catch (e) {
    if (e instanceof UnreadableFile)
      return { report: { ...base, fileErrors: [e.message] }, plan: null };
    throw e;
  }
  const buildings = await loadBuildings(ctx, communityId);
  const v = validateRoster(table, {
    buildings: buildings.map((b) => ({ code: b.code, units: b.units })),
  });
  const report: ImportReport = {
    ...base,
    dataRows: v.dataRows,
    fileErrors: v.fileErrors,
    errors: v.errors.slice(0, REPORT_CAP),
    errorCount: v.errors.length,
    warnings: [...base.warnings, ...v.warnings],
  };
  if (v.fileErrors.length || v.errors.length) return { report, plan: null };
  const snap = await loadSnapshot(ctx, communityId);
  const plan = planImport(communityId, v.rows, snap, today(ctx));
  return {
    report: {
      ...report,
      status: 'ready',
      counts: plan.counts,
      changes: plan.changes.slice(0, REPORT_CAP),
      changesTruncated: plan.changes.length > REPORT_CAP,
    },
    plan,
  };
}

export async function getJob(ctx: ActionContext, importId: string): Promise<ImportJobDoc | null> {
  const res = await ctx.db.collection('import_jobs').where({ _id: importId }).limit(1).get();
  return (res.data[0] as ImportJobDoc | undefined) ?? null;
}

export const importPreview: Handlers<typeof communityContracts>['importPreview'] = async (
  input,
  ctx,
) => {
  const caller = await requireRole(ctx, input.communityId, ['admin']);
  await getCommunity(ctx, input.communityId);
  const bytes = await download(input.communityId, input.fileID);
  const { report } = await evaluate(ctx, input.communityId, bytes);
  const job = await getJob(ctx, report.importId);
  const now = ctx.now();
  if (job && job.status === 'applying' && job.leaseUntil && new Date(job.leaseUntil) > now) {
    return { ...report, status: 'applying' };
  }
  const doc: Omit<ImportJobDoc, '_id'> = {
    communityId: input.communityId,
    contentHash: report.contentHash,
    fileID: input.fileID,
    format: report.format,
    // An unfinished import stays "applying" so confirm resumes it.
    status: job?.status === 'applying' && report.status === 'ready' ? 'applying' : report.status,
    report,
    counts: job?.status === 'applying' ? job.counts : null,
    rounds: job?.status === 'applying' ? job.rounds : 0,
    leaseUntil: null,
    previewedAt: now,
    previewedBy: caller.openid,
    appliedAt: null,
    appliedBy: null,
  };
  await ctx.db.collection('import_jobs').doc(report.importId).set({ data: doc });
  return { ...report, status: doc.status };
};

export async function budgetMs(ctx: ActionContext): Promise<number> {
  const res = await ctx.db.collection('app_config').where({ _id: 'import' }).limit(1).get();
  const v = (res.data[0] as { budgetMs?: unknown } | undefined)?.budgetMs;
  return typeof v === 'number' && v >= 0 && v <= 55_000 ? v : DEFAULT_BUDGET_MS;
}

/** Takes the job for this invocation, or CONFLICT when another confirm holds it. */
export async function lease(
  ctx: ActionContext,
  importId: string,
  communityId: string,
): Promise<ImportJobDoc> {
  const now = ctx.now();
  const outcome = await ctx.db.runTransaction(async (t) => {
    let job: ImportJobDoc;
    try {
      job = (await t.collection('import_jobs').doc(importId).get()).data as ImportJobDoc;
    } catch {
      return { error: 'missing' as const };
    }
    if (job.communityId !== communityId) return { error: 'missing' as const };
    if (job.status === 'invalid') return { error: 'invalid' as const, job };
    if (job.status === 'applied') return { error: 'applied' as const, job };
    if (job.leaseUntil && new Date(job.leaseUntil) > now) return { error: 'busy' as const };
    const leaseUntil = new Date(now.getTime() + LEASE_MS);
    await t
      .collection('import_jobs')
      .doc(importId)
      .update({ data: { status: 'applying', leaseUntil, rounds: (job.rounds ?? 0) + 1 } });
    return {
      job: { ...job, status: 'applying' as const, leaseUntil, rounds: (job.rounds ?? 0) + 1 },
    };
  });
  if ('error' in outcome) {
    switch (outcome.error) {
      case 'missing':
        throw new AppError('NOT_FOUND', '没有找到这次导入，请重新上传文件并预览');
      case 'invalid':
        throw new AppError(
          'PRECONDITION_FAILED',
          `文件有 ${outcome.job.report.errorCount + outcome.job.report.fileErrors.length} 处错误，未导入任何数据；请修改后重新上传`,
        );
      case 'busy':
        throw new AppError('CONFLICT', '该文件正在导入中，请稍候再查看结果');
      case 'applied':
        throw new AlreadyApplied(outcome.job);
    }
  }
  return outcome.job;
}

export class AlreadyApplied extends Error {
  constructor(readonly job: ImportJobDoc) {
    super('already applied');
  }
}

export const importConfirm: Handlers<typeof communityContracts>['importConfirm'] = async (
  input,
  ctx,
) => {
  const started = Date.now();
  const caller = await requireRole(ctx, input.communityId, ['admin']);
  let job: ImportJobDoc;
  try {
    job = await lease(ctx, input.importId, input.communityId);
  } catch (e) {
    if (e instanceof AlreadyApplied) {
      return {
        importId: input.importId,
        status: 'applied',
        done: true,
        counts: e.job.counts ?? e.job.report.counts,
        remaining: 0,
        replayed: true,
      };
    }
    throw e;
  }
  const release = (data: Record<string, unknown>) =>
    ctx.db
      .collection('import_jobs')
      .doc(job._id)
      .update({ data: { leaseUntil: null, ...data } });
  try {
    const bytes = await download(job.communityId, job.fileID);
    if (sha256Hex(bytes) !== job.contentHash) {
      await release({ status: 'ready' });
      throw new AppError('CONFLICT', '云存储中的文件已被替换，请重新上传并预览');
    }
    const { report, plan } = await evaluate(ctx, input.communityId, bytes);
    if (!plan) {
      await release({ status: 'invalid', report });
      throw new AppError(
        'PRECONDITION_FAILED',
        `文件有 ${report.errorCount + report.fileErrors.length} 处错误（楼栋或数据可能已变化），未导入任何数据`,
      );
    }
    const counts = job.counts ?? plan.counts;
    if (!job.counts) {
      await ctx.db.collection('import_jobs').doc(job._id).update({ data: { counts } });
    }
    const deadline = started + (await budgetMs(ctx));
    const outcome = await applyPlan(ctx, plan, { deadline, importId: job._id });
    const community = await getCommunity(ctx, input.communityId);
    await audit(ctx, caller, {
      ...auditTarget('import', input.communityId, job._id, community.name),
      action: 'roster.import',
      summary: outcome.done
        ? `导入房屋与业主：新增 ${counts.added} 套、变更 ${counts.changed} 套、未变 ${counts.unchanged} 套；新增人员 ${counts.ownersAdded}、结束登记 ${counts.relationsEnded}${job.rounds > 1 ? `（第 ${job.rounds} 次继续完成）` : ''}`
        : `导入房屋与业主（分批进行中，第 ${job.rounds} 批，剩余约 ${outcome.remaining} 项）`,
      after: { counts, written: planSize(plan) - outcome.remaining, format: job.format },
    });
    if (outcome.done) {
      await release({ status: 'applied', appliedAt: ctx.now(), appliedBy: caller.openid });
    } else {
      await release({});
    }
    return {
      importId: job._id,
      status: outcome.done ? 'applied' : 'applying',
      done: outcome.done,
      counts,
      remaining: outcome.remaining,
      replayed: false,
    };
  } catch (e) {
    // Let the next confirm in at once rather than after the lease.
    await release({}).catch(() => undefined);
    throw e;
  }
};
