/**
 * A disclosure's life: prepare (draft, refreshable) → review by someone other than the preparer
 * (approve, or return with a comment) → publish (only while the records it was reviewed on are
 * unchanged; then immutable). A period already published is corrected by preparing again with a
 * reason: the new version, once published, marks the previous one superseded.
 */
import {
  computeFigures,
  figuresFingerprint,
  periodEnded,
  periodLabel,
  periodRange,
  type DisclosureSnapshot,
  type ServiceProject,
} from '../../../../miniprogram/domain/disclosure/rules';
import { formatYuan } from '../../../../miniprogram/domain/kernel/money';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { audit } from '../../../_shared/audit';
import { isDuplicate, isMissing } from '../../../_shared/db';
import { getCommunity } from '../../../_shared/records';
import { ANY_STAFF, requireRole, type StaffCaller } from '../../../_shared/roles';
import { AppError, type ActionContext } from '../../../_shared/router';
import {
  type DisclosureDoc,
  disclosureId,
  disclosuresOf,
  entriesOf,
  feeIncome,
  getDisclosure,
  disclosureTarget,
  signoffOfDisclosure,
  staffViewOf,
  summaryOf,
} from '../repo/disclosures';
import {
  SIGNOFFS,
  signoff,
  signoffData,
  signoffId,
  type SignoffDoc,
} from '../../../_shared/signoffs';
import { WRITERS } from './entries';
import { expenseLines, incomeLines } from '../../../../miniprogram/domain/disclosure/rules';
import type { Handlers } from '../../../_shared/router';
import type { disclosureContracts } from '../../../../miniprogram/domain/disclosure/contract';

/** The figures as the records stand now (fee income from the ledger, entries of the period). */
export async function currentSnapshot(
  ctx: ActionContext,
  base: {
    communityId: string;
    period: string;
    version: number;
    projects: ServiceProject[];
    note: string;
    correctionReason: string | null;
  },
): Promise<DisclosureSnapshot> {
  const community = await getCommunity(ctx, base.communityId);
  const [fee, docs] = await Promise.all([
    feeIncome(ctx, base.communityId, base.period),
    entriesOf(ctx, base.communityId, base.period),
  ]);
  const expenses = expenseLines(docs);
  const incomes = incomeLines(docs);
  const { from, to } = periodRange(base.period);
  return {
    communityId: base.communityId,
    communityName: community.name,
    period: base.period,
    periodLabel: periodLabel(base.period),
    from,
    to,
    version: base.version,
    fee,
    figures: computeFigures(fee, expenses, incomes),
    expenses,
    incomes,
    projects: base.projects,
    note: base.note,
    correctionReason: base.correctionReason,
    servicePhone: community.servicePhone ?? '',
  };
}

/** Whether the records behind a draft changed since it was prepared. */
export async function isStale(ctx: ActionContext, d: DisclosureDoc): Promise<boolean> {
  if (d.status !== 'draft' && d.status !== 'reviewed') return false;
  const now = await currentSnapshot(ctx, { ...d.snapshot, communityId: d.communityId });
  return figuresFingerprint(now) !== d.fingerprint;
}

function auditFigures(d: Pick<DisclosureDoc, 'snapshot' | 'version' | 'status'>) {
  const t = d.snapshot.figures.totals;
  return {
    period: d.snapshot.period,
    version: d.version,
    status: d.status,
    feeNetFen: t.feeNetFen,
    commonIncomeFen: t.commonIncomeFen,
    expenseFen: t.expenseFen,
    balanceFen: t.balanceFen,
    expenses: d.snapshot.expenses.length,
    incomes: d.snapshot.incomes.length,
  };
}

async function periodDocs(ctx: ActionContext, communityId: string, period: string) {
  return (await disclosuresOf(ctx, communityId)).filter((d) => d.period === period);
}

export const prepare: Handlers<typeof disclosureContracts>['prepare'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, WRITERS);
  const today = shanghaiDate(ctx.now());
  if (!periodEnded(input.period, today)) {
    throw new AppError(
      'INVALID_INPUT',
      `period: ${periodLabel(input.period)}尚未结束（${periodRange(input.period).to}），期满后再编制公示`,
    );
  }
  const docs = await periodDocs(ctx, input.communityId, input.period);
  const open = docs.find((d) => d.status === 'draft' || d.status === 'reviewed');
  const live = docs.find((d) => d.status === 'published' && d.supersededBy === null);
  const publishedCount = docs.filter((d) => d.status === 'published').length;
  if (live && !input.correctionReason) {
    throw new AppError(
      'CONFLICT',
      `correctionReason: ${periodLabel(input.period)}已发布公示；如需更正，请填写更正原因后重新编制`,
    );
  }
  if (!live && input.correctionReason) {
    throw new AppError('INVALID_INPUT', 'correctionReason: 该期间尚未发布公示，无需填写更正原因');
  }
  const snapshot = await currentSnapshot(ctx, {
    communityId: input.communityId,
    period: input.period,
    version: publishedCount + 1,
    projects: input.projects,
    note: input.note,
    correctionReason: input.correctionReason ?? null,
  });
  const fingerprint = figuresFingerprint(snapshot);
  const fresh = { snapshot, fingerprint, status: 'draft' as const };
  // A fresh draft is the caller's: any earlier review no longer counts.
  const signed = (id: string) =>
    signoffData('disclosures', input.communityId, id, { prepared: signoff(caller, ctx.now()) });
  let doc: DisclosureDoc;
  if (open) {
    // The draft and who prepared it change together (a review in between conflicts).
    await ctx.db.runTransaction(async (t) => {
      const cur = (await t.collection('disclosures').doc(open._id).get()).data as DisclosureDoc;
      if (cur.status !== 'draft' && cur.status !== 'reviewed') {
        throw new AppError('CONFLICT', '公示状态已变化，请刷新后重试');
      }
      await t.collection('disclosures').doc(open._id).update({ data: fresh });
      await t
        .collection(SIGNOFFS)
        .doc(signoffId('disclosures', open._id))
        .set({ data: signed(open._id) });
    });
    doc = { ...open, ...fresh };
  } else {
    doc = {
      _id: disclosureId(input.communityId, input.period, docs.length + 1),
      communityId: input.communityId,
      period: input.period,
      version: publishedCount + 1,
      supersededBy: null,
      supersedes: live?._id ?? null,
      publishedAt: null,
      ...fresh,
    };
    try {
      await ctx.db.collection('disclosures').add({ data: doc });
    } catch (e) {
      if (isDuplicate(e)) throw new AppError('CONFLICT', '他人正在编制该期公示，请刷新后重试');
      throw e;
    }
    // Until this lands, a review of the new draft finds no preparer and is refused.
    await ctx.db
      .collection(SIGNOFFS)
      .doc(signoffId('disclosures', doc._id))
      .set({ data: signed(doc._id) });
  }
  const t = snapshot.figures.totals;
  await audit(ctx, caller, {
    ...disclosureTarget(doc),
    action: 'disclosure.prepare',
    summary: `编制${snapshot.periodLabel}收支公示${doc.version > 1 ? `（第 ${doc.version} 版更正：${input.correctionReason}）` : ''}：收入 ${formatYuan(t.totalIncomeFen)}，支出 ${formatYuan(t.expenseFen)}`,
    before: open ? auditFigures(open) : null,
    after: auditFigures(doc),
  });
  return staffViewOf(doc, signed(doc._id), false);
};

export const review: Handlers<typeof disclosureContracts>['review'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, WRITERS);
  const d = await getDisclosure(ctx, input.communityId, input.disclosureId);
  if (d.status !== 'draft') {
    throw new AppError('CONFLICT', `该公示当前为「${statusText(d)}」，不能复核`);
  }
  const approve = input.decision === 'approve';
  const reviewed = {
    ...signoff(caller, ctx.now(), input.comment),
    ...(approve ? {} : { returned: true }),
  };
  const sid = signoffId('disclosures', d._id);
  // Four eyes: the draft as reviewed and who prepared it are read and changed together, so a
  // fresh prepare by the reviewer in between makes this conflict rather than pass.
  const signed = await ctx.db.runTransaction(async (t) => {
    const cur = (await t.collection('disclosures').doc(d._id).get()).data as DisclosureDoc;
    if (cur.status !== 'draft' || cur.fingerprint !== d.fingerprint) {
      throw new AppError('CONFLICT', '公示已被他人修改，请刷新后重试');
    }
    let prior: SignoffDoc | undefined;
    try {
      prior = (await t.collection(SIGNOFFS).doc(sid).get()).data as SignoffDoc;
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
    if (!prior?.prepared) throw new AppError('CONFLICT', '公示正在编制，请稍后刷新再复核');
    if (prior.prepared.by === caller.openid) {
      throw new AppError('FORBIDDEN', '公示须由编制人以外的财务或管理员复核');
    }
    if (approve) {
      await t
        .collection('disclosures')
        .doc(d._id)
        .update({ data: { status: 'reviewed' } });
    }
    await t.collection(SIGNOFFS).doc(sid).update({ data: { reviewed } });
    return { ...prior, reviewed };
  });
  const done: DisclosureDoc = approve ? { ...d, status: 'reviewed' } : d;
  await audit(ctx, caller, {
    ...disclosureTarget(d),
    action: input.decision === 'approve' ? 'disclosure.approve' : 'disclosure.return',
    summary:
      input.decision === 'approve'
        ? `复核通过${d.snapshot.periodLabel}收支公示`
        : `退回${d.snapshot.periodLabel}收支公示：${input.comment}`,
    before: auditFigures(d),
    after: auditFigures(done),
  });
  return staffViewOf(done, signed, await isStale(ctx, done));
};

function statusText(d: DisclosureDoc): string {
  return { draft: '草稿', reviewed: '已复核', published: '已发布', discarded: '已作废' }[d.status];
}

export const publish: Handlers<typeof disclosureContracts>['publish'] = async (input, ctx) => {
  const caller: StaffCaller = await requireRole(ctx, input.communityId, WRITERS);
  const d = await getDisclosure(ctx, input.communityId, input.disclosureId);
  if (d.status === 'published') return staffViewOf(d, await signoffOfDisclosure(ctx, d._id));
  if (d.status !== 'reviewed') {
    throw new AppError('CONFLICT', `该公示当前为「${statusText(d)}」，复核通过后才能发布`);
  }
  if (await isStale(ctx, d)) {
    throw new AppError(
      'CONFLICT',
      '复核后收支记录或收费数据有变化，请重新编制并复核后再发布（已发布内容不会被改动）',
    );
  }
  const now = ctx.now();
  const previous = d.supersedes;
  const published = signoff(caller, now);
  const sid = signoffId('disclosures', d._id);
  // Publishing this version, recording who did, and superseding the previous one happen together.
  await ctx.db.runTransaction(async (t) => {
    const cur = (await t.collection('disclosures').doc(d._id).get()).data as DisclosureDoc;
    if (cur.status !== 'reviewed' || cur.fingerprint !== d.fingerprint) {
      throw new AppError('CONFLICT', '公示已被他人修改，请刷新后重试');
    }
    await t
      .collection('disclosures')
      .doc(d._id)
      .update({
        data: { status: 'published', publishedAt: now },
      });
    await t.collection(SIGNOFFS).doc(sid).update({ data: { published } });
    if (previous) {
      await t
        .collection('disclosures')
        .doc(previous)
        .update({ data: { supersededBy: d._id } });
    }
  });
  const done: DisclosureDoc = { ...d, status: 'published', publishedAt: now };
  await audit(ctx, caller, {
    ...disclosureTarget(d),
    action: 'disclosure.publish',
    summary: `发布${d.snapshot.periodLabel}收支公示${d.version > 1 ? `（第 ${d.version} 版，更正并替代 ${previous}）` : ''}`,
    before: auditFigures(d),
    after: auditFigures(done),
  });
  const signed = await signoffOfDisclosure(ctx, d._id);
  return staffViewOf(done, signed && { ...signed, published });
};

export const discard: Handlers<typeof disclosureContracts>['discard'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, WRITERS);
  const d = await getDisclosure(ctx, input.communityId, input.disclosureId);
  if (d.status === 'discarded') return staffViewOf(d, await signoffOfDisclosure(ctx, d._id));
  if (d.status === 'published') {
    throw new AppError('CONFLICT', '已发布的公示不能作废；如有错误，请发布更正版本');
  }
  const _ = ctx.db.command;
  const res = await ctx.db
    .collection('disclosures')
    .where({ _id: d._id, status: _.in(['draft', 'reviewed']) })
    .update({ data: { status: 'discarded', discardReason: input.reason } });
  if (res.stats.updated !== 1) throw new AppError('CONFLICT', '公示状态已变化，请刷新后重试');
  const done: DisclosureDoc = { ...d, status: 'discarded', discardReason: input.reason };
  const signed = await signoffOfDisclosure(ctx, d._id);
  await audit(ctx, caller, {
    ...disclosureTarget(d),
    action: 'disclosure.discard',
    summary: `作废${d.snapshot.periodLabel}收支公示草稿：${input.reason}`,
    before: auditFigures(d),
    after: auditFigures(done),
  });
  return staffViewOf(done, signed);
};

export const list: Handlers<typeof disclosureContracts>['list'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const docs = await disclosuresOf(ctx, input.communityId);
  return { disclosures: docs.map(summaryOf) };
};
