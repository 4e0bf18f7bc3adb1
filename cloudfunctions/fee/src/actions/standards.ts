/**
 * Fee standards (收费标准): list, create or change the definition, and add a price version.
 */
import { formatDate, shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { audit, auditTarget } from '../../../_shared/audit';
import { ANY_STAFF, requireRole } from '../../../_shared/roles';
import { AppError } from '../../../_shared/router';
import { findById } from '../../../_shared/paging';
import { isDuplicate } from '../../../_shared/db';
import {
  type FeeStandardDoc,
  loadStandards,
  standardDocId,
  standardView,
  chargeDefinition,
} from '../repo/standards';
import {
  MANAGERS,
  type SaveStandardInput,
  appendVersion,
  summary,
  today,
  validated,
  versionDoc,
} from '../repo/standard-versions';
import type { Handlers } from '../../../_shared/router';
import type { feeContracts } from '../../../../miniprogram/domain/fee/contract';

/** A price as comparable text (its fields in one order), to tell a price change from none. */
function canonical(pricing: unknown): string {
  return JSON.stringify(pricing, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

export function definitionOf(input: SaveStandardInput) {
  return {
    itemId: input.itemId,
    name: input.name,
    kind: input.kind,
    cycle: input.cycle,
    firstMonth: input.firstMonth,
    billingMode: input.billingMode,
    dueDay: input.dueDay,
    rounding: input.rounding,
    applicability: input.applicability,
    vacancyDiscount: input.vacancyDiscount ?? null,
    prepaymentDiscount: input.prepaymentDiscount ?? [],
    lateFee: input.lateFee ?? null,
    effectiveTo: input.effectiveTo ?? null,
    description: input.description ?? null,
  };
}

/** The definition fields of a stored standard, in the shape of the input. */
export function pickDefinition(
  doc: FeeStandardDoc,
): Omit<SaveStandardInput, 'communityId' | 'version' | 'revision'> {
  return {
    ...chargeDefinition(doc),
    vacancyDiscount: doc.vacancyDiscount ?? null,
    prepaymentDiscount: doc.prepaymentDiscount ? [...doc.prepaymentDiscount] : [],
    lateFee: doc.lateFee ?? null,
    effectiveTo: doc.effectiveTo ?? null,
    description: doc.description ?? null,
  };
}

export const listStandards: Handlers<typeof feeContracts>['standards'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const day = today(ctx);
  const views = (await loadStandards(ctx, input.communityId)).map((d) => standardView(d, day));
  return {
    standards: input.includeWithdrawn ? views : views.filter((v) => v.status !== 'withdrawn'),
  };
};

export const saveStandard: Handlers<typeof feeContracts>['saveStandard'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, MANAGERS);
  const id = standardDocId(input.communityId, input.itemId);
  const existing = await findById<FeeStandardDoc>(ctx, 'fee_standards', id);
  const now = ctx.now();
  if (!existing) {
    if (!input.version) {
      throw new AppError(
        'INVALID_INPUT',
        'version: 新建收费标准时请填写首个价格（生效日期、单价、批准文号）',
      );
    }
    const doc: FeeStandardDoc = {
      _id: id,
      communityId: input.communityId,
      ...definitionOf(input),
      versions: [versionDoc('v1', input.version, ctx)],
      revision: 1,
      issuedThrough: null,
      createdAt: now,
      createdBy: caller.openid,
      updatedAt: now,
      updatedBy: caller.openid,
    } as FeeStandardDoc;
    validated(doc);
    try {
      await ctx.db.collection('fee_standards').add({ data: doc });
    } catch (e) {
      if (isDuplicate(e)) throw new AppError('CONFLICT', 'itemId: 该收费项目编号已存在');
      throw e;
    }
    await audit(ctx, caller, {
      ...auditTarget('feeStandard', input.communityId, id, doc.name),
      action: 'feeStandard.create',
      summary: `新建收费标准「${doc.name}」`,
      after: summary(doc),
    });
    return standardView(doc, today(ctx));
  }

  if (input.version) {
    // The same create again (a repeated tap) returns the standard; anything else is a clash.
    const first = existing.versions[0];
    const same =
      existing.versions.length === 1 &&
      first !== undefined &&
      JSON.stringify(definitionOf(input)) ===
        JSON.stringify(definitionOf({ ...input, ...pickDefinition(existing) })) &&
      JSON.stringify([first.effectiveFrom, first.pricing, first.approvalRef, first.approvedAt]) ===
        JSON.stringify([
          input.version.effectiveFrom,
          input.version.pricing,
          input.version.approvalRef,
          input.version.approvedAt,
        ]);
    if (same) return standardView(existing, today(ctx));
    throw new AppError(
      'CONFLICT',
      'itemId: 该收费项目编号已存在；修改定义请不带 version，调价请用 addVersion',
    );
  }
  if (input.revision !== undefined && input.revision !== existing.revision) {
    throw new AppError('CONFLICT', 'revision: 收费标准已被他人修改，请刷新后重试');
  }
  if (existing.kind !== input.kind) {
    throw new AppError('INVALID_INPUT', 'kind: 收费方式不能修改，请新建一个收费项目');
  }
  const definition = definitionOf(input);
  if (existing.issuedThrough) {
    const changed = (['cycle', 'billingMode', 'firstMonth'] as const).find(
      (k) => (existing[k] ?? (k === 'firstMonth' ? 1 : undefined)) !== definition[k],
    );
    if (changed) {
      throw new AppError(
        'CONFLICT',
        `${changed}: 该项目已出账（至 ${existing.issuedThrough}），不能修改计费周期或收费时点；请停用后新建收费项目`,
      );
    }
    if (definition.effectiveTo && definition.effectiveTo < existing.issuedThrough) {
      throw new AppError(
        'CONFLICT',
        `effectiveTo: 停止日期不能早于已出账的最后一天 ${existing.issuedThrough}`,
      );
    }
  }
  const next: FeeStandardDoc = {
    ...existing,
    ...definition,
    revision: existing.revision + 1,
    updatedAt: now,
    updatedBy: caller.openid,
  } as FeeStandardDoc;
  validated(next);
  const res = await ctx.db
    .collection('fee_standards')
    .where({ _id: id, revision: existing.revision })
    .update({
      data: { ...definition, revision: next.revision, updatedAt: now, updatedBy: caller.openid },
    });
  if (res.stats.updated !== 1) {
    throw new AppError('CONFLICT', 'revision: 收费标准已被他人修改，请刷新后重试');
  }
  await audit(ctx, caller, {
    ...auditTarget('feeStandard', input.communityId, id, next.name),
    action: 'feeStandard.update',
    summary: `修改收费标准「${next.name}」`,
    before: summary(existing),
    after: summary(next),
  });
  return standardView(next, today(ctx));
};

export const addVersion: Handlers<typeof feeContracts>['addVersion'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, MANAGERS);
  const id = standardDocId(input.communityId, input.itemId);
  const existing = await findById<FeeStandardDoc>(ctx, 'fee_standards', id);
  if (!existing) throw new AppError('NOT_FOUND', 'itemId: 收费标准不存在');
  if (input.revision !== undefined && input.revision !== existing.revision) {
    throw new AppError('CONFLICT', 'revision: 收费标准已被他人修改，请刷新后重试');
  }
  // A standard already billed changes its price only through 调价公示 (proposeAdjustment →
  // announced by a second person → 30 days' notice): one person cannot skip that here.
  const last = [...existing.versions]
    .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom))
    .slice(-1)[0];
  if (existing.issuedThrough && (!last || canonical(last.pricing) !== canonical(input.pricing))) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `pricing: 该收费标准已出账（至 ${formatDate(existing.issuedThrough)}），调价须通过“调价公示”办理：提出调价、由另一位管理人员复核公示，公示期满后生效`,
    );
  }
  const next = await appendVersion(ctx, caller.openid, existing, input);
  await audit(ctx, caller, {
    ...auditTarget('feeStandard', input.communityId, id, existing.name),
    action: 'feeStandard.addVersion',
    summary: `「${existing.name}」调价，自 ${input.effectiveFrom} 起生效（${input.approvalRef}）`,
    before: summary(existing),
    after: summary(next),
  });
  return standardView(next, shanghaiDate(ctx.now()));
};
