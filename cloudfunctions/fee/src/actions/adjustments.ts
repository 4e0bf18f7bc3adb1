/**
 * 调价公示: a fee-standard adjustment is proposed (new price, reason, supporting documents,
 * approval, effective date), announced to owners by a second person — which adds the price as a
 * new version of the standard from its effective date, at least the notice period (default 30
 * days) after the announcement — and then takes effect on that date through the ordinary
 * versioning. Before it takes effect it can be withdrawn (its version removed, as long as nothing
 * was billed with it). See docs/disclosure.md.
 */
import { pricingText } from '../../../../miniprogram/domain/fee/billing';
import {
  ADJUSTMENT_STATUS_LABELS,
  adjustmentStatus,
  earliestEffective,
  noticeDaysLeft,
} from '../../../../miniprogram/domain/disclosure/rules';
import { type FeePricing, sortVersions, versionOn } from '../../../../miniprogram/domain/fee';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { audit, auditTarget, type AuditTarget } from '../../../_shared/audit';
import { ANY_STAFF, requireRole } from '../../../_shared/roles';
import { AppError, type ActionContext } from '../../../_shared/router';
import { fetchWhere, findById } from '../../../_shared/paging';
import { isDuplicate } from '../../../_shared/db';
import { viewsWithLinks } from '../../../_shared/storage';
import { requireUploads } from '../../../_shared/uploads';
import { type FeeStandardDoc, standardDocId } from '../repo/standards';
import { MANAGERS, appendVersion, summary } from '../repo/standard-versions';
import type {
  AdjustmentProposal,
  AdjustmentView,
  PublicAdjustmentView,
} from '../../../../miniprogram/domain/fee/adjustments.contract';
import type { Handlers } from '../../../_shared/router';
import type { feeContracts } from '../../../../miniprogram/domain/fee/contract';

export interface AdjustmentDoc extends AdjustmentProposal {
  _id: string;
  pricing: FeePricing;
  documents: { name: string; fileId: string }[];
  state: 'proposed' | 'announced' | 'withdrawn';
  proposedBy: string;
  proposedByName: string;
  proposedAt: Date;
  announcedBy?: string;
  announcedByName?: string;
  announcedAt?: Date;
  announcedOn?: string;
  versionId?: string;
  withdrawnBy?: string;
  withdrawnAt?: Date;
  withdrawReason?: string;
}

export function adjustmentId(communityId: string, requestId: string): string {
  return `adj_${communityId}_${requestId}`;
}

/** Supporting documents: owners and other staff cannot read the proposer's uploads by file id. */
const documentFiles = (d: AdjustmentDoc) => d.documents.map((x) => x.fileId);

function documentsOf(d: AdjustmentDoc, links: Map<string, string>): AdjustmentView['documents'] {
  return d.documents.map((x) => ({ name: x.name, url: links.get(x.fileId) ?? '' }));
}

export async function adjustmentViews(
  docs: AdjustmentDoc[],
  today: string,
): Promise<AdjustmentView[]> {
  return viewsWithLinks(docs, documentFiles, (d, links) => viewOf(d, today, links));
}

export async function adjustmentView(d: AdjustmentDoc, today: string): Promise<AdjustmentView> {
  return (await adjustmentViews([d], today))[0]!;
}

function viewOf(d: AdjustmentDoc, today: string, links: Map<string, string>): AdjustmentView {
  const status = adjustmentStatus(d, today);
  return {
    adjustmentId: d._id,
    communityId: d.communityId,
    itemId: d.itemId,
    standardName: d.standardName,
    currentPriceText: d.currentPriceText,
    priceText: d.priceText,
    effectiveFrom: d.effectiveFrom,
    approvalRef: d.approvalRef,
    approvedAt: d.approvedAt,
    reason: d.reason,
    documents: documentsOf(d, links),
    noticeDays: d.noticeDays,
    status,
    statusLabel: ADJUSTMENT_STATUS_LABELS[status],
    announcedOn: d.announcedOn ?? null,
    noticeEndsOn: d.announcedOn ? earliestEffective(d.announcedOn, d.noticeDays) : null,
    daysLeft: status === 'notice' ? noticeDaysLeft(d.effectiveFrom, today) : 0,
    versionId: d.versionId ?? null,
    withdrawReason: d.withdrawReason ?? null,
    proposedByName: d.proposedByName,
    announcedByName: d.announcedByName ?? '',
  };
}

/** Owners' view of announced adjustments (in notice first, then those in effect, newest first). */
export async function publicAdjustments(
  all: AdjustmentDoc[],
  today: string,
): Promise<PublicAdjustmentView[]> {
  const docs = all.filter((d) => d.state === 'announced' && d.announcedOn);
  const views = await viewsWithLinks(docs, documentFiles, (d, links): PublicAdjustmentView => {
    const status = adjustmentStatus(d, today) as 'notice' | 'effective';
    return {
      adjustmentId: d._id,
      itemId: d.itemId,
      standardName: d.standardName,
      currentPriceText: d.currentPriceText,
      priceText: d.priceText,
      effectiveFrom: d.effectiveFrom,
      announcedOn: d.announcedOn!,
      reason: d.reason,
      approvalRef: d.approvalRef,
      documents: documentsOf(d, links),
      status,
      daysLeft: status === 'notice' ? noticeDaysLeft(d.effectiveFrom, today) : 0,
    };
  });
  return views.sort(
    (a, b) =>
      (a.status === 'notice' ? 0 : 1) - (b.status === 'notice' ? 0 : 1) ||
      b.effectiveFrom.localeCompare(a.effectiveFrom),
  );
}

async function loadAdjustment(ctx: ActionContext, communityId: string, id: string) {
  const doc = await findById<AdjustmentDoc>(ctx, 'fee_adjustments', id);
  if (!doc || doc.communityId !== communityId) {
    throw new AppError('NOT_FOUND', 'adjustmentId: 未找到该调价方案');
  }
  return doc;
}

/** An adjustment in the audit log: known by the standard it changes. */
function adjustmentTarget(d: AdjustmentDoc): AuditTarget {
  return auditTarget('feeAdjustment', d.communityId, d._id, d.standardName);
}

function auditView(d: AdjustmentDoc): Record<string, unknown> {
  return {
    itemId: d.itemId,
    priceText: d.priceText,
    effectiveFrom: d.effectiveFrom,
    approvalRef: d.approvalRef,
    noticeDays: d.noticeDays,
    state: d.state,
    documents: d.documents.length,
  };
}

export const proposeAdjustment: Handlers<typeof feeContracts>['proposeAdjustment'] = async (
  input,
  ctx,
) => {
  const caller = await requireRole(ctx, input.communityId, MANAGERS);
  const today = shanghaiDate(ctx.now());
  const id = adjustmentId(input.communityId, input.requestId);
  const existing = await findById<AdjustmentDoc>(ctx, 'fee_adjustments', id);
  if (existing) {
    if (existing.itemId !== input.itemId || existing.effectiveFrom !== input.effectiveFrom) {
      throw new AppError('CONFLICT', 'requestId: 该编号已用于另一份调价方案');
    }
    return adjustmentView(existing, today);
  }
  const standard = await findById<FeeStandardDoc>(
    ctx,
    'fee_standards',
    standardDocId(input.communityId, input.itemId),
  );
  if (!standard) throw new AppError('NOT_FOUND', 'itemId: 收费标准不存在');
  if (input.pricing.kind !== standard.kind) {
    throw new AppError('INVALID_INPUT', `pricing.kind: 价格类型应为 ${standard.kind}`);
  }
  // Documents the proposer uploaded on 调价公示 for this proposal (adjustments/<community>/<requestId>-n).
  await requireUploads(
    'documents',
    input.documents.map((d) => d.fileId),
    {
      folder: 'adjustments',
      prefix: `adjustments/${input.communityId}/${input.requestId}-`,
      refusal: '请在本页为这份调价方案上传依据材料后再提交',
    },
  );
  const earliest = earliestEffective(today, input.noticeDays);
  if (input.effectiveFrom < earliest) {
    throw new AppError(
      'INVALID_INPUT',
      `effectiveFrom: 公示期 ${input.noticeDays} 天，今天公示最早自 ${earliest} 起生效`,
    );
  }
  let priceText: string;
  try {
    priceText = pricingText(input.pricing, 2);
  } catch (e) {
    throw new AppError('INVALID_INPUT', `pricing: ${(e as Error).message}`);
  }
  const versions = sortVersions(standard.versions);
  const current = versionOn(versions, today) ?? versions[0];
  const doc: AdjustmentDoc = {
    _id: id,
    communityId: input.communityId,
    itemId: input.itemId,
    standardName: standard.name,
    currentPriceText: current ? pricingText(current.pricing, 2) : '',
    pricing: input.pricing,
    priceText,
    effectiveFrom: input.effectiveFrom,
    approvalRef: input.approvalRef,
    approvedAt: input.approvedAt,
    reason: input.reason,
    documents: input.documents,
    noticeDays: input.noticeDays,
    state: 'proposed',
    proposedBy: caller.openid,
    proposedByName: caller.name,
    proposedAt: ctx.now(),
  };
  try {
    await ctx.db.collection('fee_adjustments').add({ data: doc });
  } catch (e) {
    if (isDuplicate(e)) {
      const again = await loadAdjustment(ctx, input.communityId, id);
      return adjustmentView(again, today);
    }
    throw e;
  }
  await audit(ctx, caller, {
    ...adjustmentTarget(doc),
    action: 'feeAdjustment.propose',
    summary: `拟调整「${standard.name}」为 ${priceText}，自 ${input.effectiveFrom} 起（公示 ${input.noticeDays} 天）`,
    after: auditView(doc),
  });
  return adjustmentView(doc, today);
};

export const announceAdjustment: Handlers<typeof feeContracts>['announceAdjustment'] = async (
  input,
  ctx,
) => {
  const caller = await requireRole(ctx, input.communityId, MANAGERS);
  const today = shanghaiDate(ctx.now());
  const adj = await loadAdjustment(ctx, input.communityId, input.adjustmentId);
  if (adj.state === 'announced') return adjustmentView(adj, today);
  if (adj.state === 'withdrawn') throw new AppError('CONFLICT', '该调价方案已撤回');
  if (adj.proposedBy === caller.openid) {
    throw new AppError('FORBIDDEN', '调价方案须由提出人以外的财务或管理员复核后公示');
  }
  const earliest = earliestEffective(today, adj.noticeDays);
  if (adj.effectiveFrom < earliest) {
    throw new AppError(
      'CONFLICT',
      `effectiveFrom: 公示期不足 ${adj.noticeDays} 天（今天公示最早自 ${earliest} 起生效），请撤回后按新日期重新提出`,
    );
  }
  const standard = await findById<FeeStandardDoc>(
    ctx,
    'fee_standards',
    standardDocId(adj.communityId, adj.itemId),
  );
  if (!standard) throw new AppError('NOT_FOUND', 'itemId: 收费标准不存在');
  // Claim the adjustment first (compare-and-set on its state): two reviewers tapping at once
  // announce it once. The version is then appended; if that fails the claim is released.
  const now = ctx.now();
  const claim = await ctx.db
    .collection('fee_adjustments')
    .where({ _id: adj._id, state: 'proposed' })
    .update({
      data: {
        state: 'announced',
        announcedBy: caller.openid,
        announcedByName: caller.name,
        announcedAt: now,
        announcedOn: today,
      },
    });
  if (claim.stats.updated !== 1) {
    const again = await loadAdjustment(ctx, input.communityId, adj._id);
    return adjustmentView(again, today);
  }
  let next: FeeStandardDoc;
  try {
    next = await appendVersion(ctx, caller.openid, standard, {
      effectiveFrom: adj.effectiveFrom,
      pricing: adj.pricing,
      approvalRef: adj.approvalRef,
      approvedAt: adj.approvedAt,
      note: `调价公示：${adj.reason}`.slice(0, 200),
      adjustmentId: adj._id,
    });
  } catch (e) {
    const _ = ctx.db.command;
    await ctx.db
      .collection('fee_adjustments')
      .doc(adj._id)
      .update({
        data: {
          state: 'proposed',
          announcedBy: _.remove(),
          announcedByName: _.remove(),
          announcedAt: _.remove(),
          announcedOn: _.remove(),
        },
      });
    throw e;
  }
  const versionId = next.versions[next.versions.length - 1]!.versionId;
  await ctx.db.collection('fee_adjustments').doc(adj._id).update({ data: { versionId } });
  const done: AdjustmentDoc = {
    ...adj,
    state: 'announced',
    announcedBy: caller.openid,
    announcedByName: caller.name,
    announcedAt: now,
    announcedOn: today,
    versionId,
  };
  await audit(
    ctx,
    caller,
    {
      ...adjustmentTarget(adj),
      action: 'feeAdjustment.announce',
      summary: `公示调价「${adj.standardName}」${adj.priceText}，自 ${adj.effectiveFrom} 起生效`,
      before: auditView(adj),
      after: auditView(done),
    },
    {
      ...auditTarget('feeStandard', adj.communityId, standard._id, standard.name),
      action: 'feeStandard.addVersion',
      summary: `「${standard.name}」调价，自 ${adj.effectiveFrom} 起生效（${adj.approvalRef}）`,
      before: summary(standard),
      after: summary(next),
    },
  );
  return adjustmentView(done, today);
};

export const withdrawAdjustment: Handlers<typeof feeContracts>['withdrawAdjustment'] = async (
  input,
  ctx,
) => {
  const caller = await requireRole(ctx, input.communityId, MANAGERS);
  const today = shanghaiDate(ctx.now());
  const adj = await loadAdjustment(ctx, input.communityId, input.adjustmentId);
  if (adj.state === 'withdrawn') return adjustmentView(adj, today);
  if (adj.state === 'announced') {
    if (adj.effectiveFrom <= today) {
      throw new AppError('CONFLICT', '该调价已生效，不能撤回；如需再调整请提出新的调价方案');
    }
    const standard = await findById<FeeStandardDoc>(
      ctx,
      'fee_standards',
      standardDocId(adj.communityId, adj.itemId),
    );
    if (standard) {
      if (standard.issuedThrough && standard.issuedThrough >= adj.effectiveFrom) {
        throw new AppError('CONFLICT', '已按新价格出账，不能撤回（已出账单不改写）');
      }
      const kept = standard.versions.filter((v) => v.adjustmentId !== adj._id);
      if (kept.length !== standard.versions.length) {
        const res = await ctx.db
          .collection('fee_standards')
          .where({ _id: standard._id, revision: standard.revision })
          .update({
            data: {
              versions: kept,
              revision: standard.revision + 1,
              updatedAt: ctx.now(),
              updatedBy: caller.openid,
            },
          });
        if (res.stats.updated !== 1) {
          throw new AppError('CONFLICT', '收费标准已被他人修改，请刷新后重试');
        }
      }
    }
  }
  const res = await ctx.db
    .collection('fee_adjustments')
    .where({ _id: adj._id, state: adj.state })
    .update({
      data: {
        state: 'withdrawn',
        withdrawnBy: caller.openid,
        withdrawnAt: ctx.now(),
        withdrawReason: input.reason,
      },
    });
  if (res.stats.updated !== 1) throw new AppError('CONFLICT', '调价方案已被他人处理，请刷新');
  const done: AdjustmentDoc = { ...adj, state: 'withdrawn', withdrawReason: input.reason };
  await audit(ctx, caller, {
    ...adjustmentTarget(adj),
    action: 'feeAdjustment.withdraw',
    summary: `撤回调价「${adj.standardName}」${adj.priceText}：${input.reason}`,
    before: auditView(adj),
    after: auditView(done),
  });
  return adjustmentView(done, today);
};

export const listAdjustments: Handlers<typeof feeContracts>['adjustments'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const today = shanghaiDate(ctx.now());
  const docs = await fetchWhere<AdjustmentDoc>(ctx, 'fee_adjustments', {
    communityId: input.communityId,
  });
  docs.sort((a, b) => new Date(b.proposedAt).getTime() - new Date(a.proposedAt).getTime());
  return { adjustments: await adjustmentViews(docs, today) };
};
