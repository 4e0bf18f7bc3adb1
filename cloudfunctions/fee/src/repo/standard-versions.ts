/**
 * Who manages fee standards, and adding a price version to a standard: always from an effective
 * date after the last billed day, so an issued bill is never contradicted by the standard it came
 * from (used by the standards actions and by announced price adjustments).
 */
import {
  DEFAULT_NOTICE_DAYS,
  earliestEffective,
} from '../../../../miniprogram/domain/disclosure/rules';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import {
  type FeePricing,
  type FeeStandard,
  assertStandard,
  sortVersions,
} from '../../../../miniprogram/domain/fee';
import { AppError, type ActionContext } from '../../../_shared/router';
import { type FeeStandardDoc, type StandardVersionDoc, toStandard } from './standards';

/** Finance manages standards; admin implies it. */
export const MANAGERS = ['finance'] as const;

export interface VersionInput {
  effectiveFrom: string;
  pricing: FeePricing;
  approvalRef: string;
  approvedAt: string;
  note?: string;
}

export interface SaveStandardInput {
  communityId: string;
  itemId: string;
  name: string;
  kind: FeeStandard['kind'];
  cycle: FeeStandard['cycle'];
  firstMonth: number;
  billingMode: FeeStandard['billingMode'];
  dueDay: number;
  rounding: NonNullable<FeeStandard['rounding']>;
  applicability: FeeStandard['applicability'];
  vacancyDiscount?: FeeStandard['vacancyDiscount'] | null;
  prepaymentDiscount?: FeeStandard['prepaymentDiscount'];
  lateFee?: FeeStandard['lateFee'] | null;
  effectiveTo?: string | null;
  description?: string | null;
  version?: VersionInput;
  revision?: number;
}

export function validated(doc: FeeStandardDoc, field = 'standard'): void {
  try {
    assertStandard(toStandard(doc));
  } catch (e) {
    throw new AppError('INVALID_INPUT', `${field}: ${(e as Error).message}`);
  }
}

export function versionDoc(id: string, v: VersionInput, ctx: ActionContext): StandardVersionDoc {
  return {
    versionId: id,
    effectiveFrom: v.effectiveFrom,
    pricing: v.pricing,
    approvalRef: v.approvalRef,
    approvedAt: v.approvedAt,
    note: v.note ?? null,
    createdAt: ctx.now(),
    createdBy: ctx.openid,
  };
}

export function summary(doc: FeeStandardDoc): Record<string, unknown> {
  const last = sortVersions(doc.versions).slice(-1)[0];
  return {
    name: doc.name,
    kind: doc.kind,
    cycle: doc.cycle,
    billingMode: doc.billingMode,
    dueDay: doc.dueDay,
    applicability: doc.applicability,
    vacancyDiscount: doc.vacancyDiscount ?? null,
    lateFee: doc.lateFee ?? null,
    effectiveTo: doc.effectiveTo ?? null,
    versions: doc.versions.length,
    latestPrice: last ? { effectiveFrom: last.effectiveFrom, pricing: last.pricing } : null,
  };
}

export function today(ctx: ActionContext): string {
  return shanghaiDate(ctx.now());
}

/**
 * Appends a price version to a standard (compare-and-set on its revision) after the checks every
 * price change passes: same kind, after the last version and the last billed day, before the
 * standard's end, and — for a standard already in force — announced at least the notice period
 * ahead (DEFAULT_NOTICE_DAYS; docs/disclosure.md). Used by addVersion and announceAdjustment.
 */
export async function appendVersion(
  ctx: ActionContext,
  by: string,
  existing: FeeStandardDoc,
  input: VersionInput & { adjustmentId?: string },
): Promise<FeeStandardDoc> {
  if (input.pricing.kind !== existing.kind) {
    throw new AppError('INVALID_INPUT', `pricing.kind: 价格类型应为 ${existing.kind}`);
  }
  const sorted = sortVersions(existing.versions);
  const last = sorted.slice(-1)[0];
  if (last && input.effectiveFrom <= last.effectiveFrom) {
    throw new AppError(
      'INVALID_INPUT',
      `effectiveFrom: 新价格的生效日期应晚于现行价格的生效日期 ${last.effectiveFrom}`,
    );
  }
  if (existing.issuedThrough && input.effectiveFrom <= existing.issuedThrough) {
    throw new AppError(
      'CONFLICT',
      `effectiveFrom: ${existing.issuedThrough} 及以前的账期已出账，调价只能从之后生效（已出账单不改写）`,
    );
  }
  if (existing.effectiveTo && input.effectiveFrom > existing.effectiveTo) {
    throw new AppError('INVALID_INPUT', `effectiveFrom: 该标准已于 ${existing.effectiveTo} 停止`);
  }
  const day = today(ctx);
  const inForce = (sorted[0]?.effectiveFrom ?? day) <= day;
  const earliest = earliestEffective(day, DEFAULT_NOTICE_DAYS);
  if (inForce && input.effectiveFrom < earliest) {
    throw new AppError(
      'INVALID_INPUT',
      `effectiveFrom: 调价须提前公示至少 ${DEFAULT_NOTICE_DAYS} 天，最早自 ${earliest} 起生效`,
    );
  }
  const now = ctx.now();
  const version: StandardVersionDoc = {
    ...versionDoc(`v${existing.versions.length + 1}`, input, ctx),
    ...(input.adjustmentId ? { adjustmentId: input.adjustmentId } : {}),
  };
  const next: FeeStandardDoc = {
    ...existing,
    versions: [...existing.versions, version],
    revision: existing.revision + 1,
    updatedAt: now,
    updatedBy: by,
  };
  validated(next, 'pricing');
  const res = await ctx.db
    .collection('fee_standards')
    .where({ _id: existing._id, revision: existing.revision })
    .update({
      data: { versions: next.versions, revision: next.revision, updatedAt: now, updatedBy: by },
    });
  if (res.stats.updated !== 1) {
    throw new AppError('CONFLICT', 'revision: 收费标准已被他人修改，请刷新后重试');
  }
  return next;
}
