/**
 * Fee standards as stored: `fee_standards/fs_<communityId>_<itemId>`, the domain FeeStandard plus
 * the community, approval details per version, a revision bumped by every change, and
 * `issuedThrough`, the last day billed with it (versions may only start after that day).
 */
import {
  BILLING_MODE_LABELS,
  CYCLE_LABELS,
  FEE_KIND_LABELS,
  applicabilityText,
  pricingText,
  rulesText,
} from '../../../../miniprogram/domain/fee/billing';
import { ROOM_USE_LABELS } from '../../../../miniprogram/domain/community/vocabulary';
import {
  type FeeStandard,
  type FeeStandardVersion,
  addDays,
  sortVersions,
  versionOn,
} from '../../../../miniprogram/domain/fee';
import type { ActionContext } from '../../../_shared/router';
import { fetchWhere } from '../../../_shared/paging';
import { iso } from '../../../_shared/records';
import type {
  FeeStandardStatus,
  FeeStandardView,
  FeeVersionView,
} from '../../../../miniprogram/domain/fee/contract';

export interface StandardVersionDoc extends FeeStandardVersion {
  approvalRef: string;
  approvedAt: string;
  note?: string | null;
  /** Set when the price came from an announced adjustment (调价公示, docs/disclosure.md). */
  adjustmentId?: string;
  createdAt?: Date;
  createdBy?: string;
}

export interface FeeStandardDoc extends Omit<FeeStandard, 'versions'> {
  _id: string;
  communityId: string;
  versions: StandardVersionDoc[];
  revision: number;
  description?: string | null;
  issuedThrough?: string | null;
  createdAt?: Date;
  createdBy?: string;
  updatedAt?: Date;
  updatedBy?: string;
}

export function standardDocId(communityId: string, itemId: string): string {
  return `fs_${communityId}_${itemId}`;
}

/** What defines a stored standard's charge: item, kind, cycle, due day, rounding, who pays. */
export function chargeDefinition(doc: FeeStandardDoc) {
  return {
    itemId: doc.itemId,
    name: doc.name,
    kind: doc.kind,
    cycle: doc.cycle,
    firstMonth: doc.firstMonth ?? 1,
    billingMode: doc.billingMode,
    dueDay: doc.dueDay,
    rounding: doc.rounding ?? 'halfUp',
    applicability: doc.applicability,
  };
}

/** The domain standard of a stored one (only the fields the calculation reads). */
export function toStandard(doc: FeeStandardDoc): FeeStandard {
  const s: FeeStandard = {
    ...chargeDefinition(doc),
    versions: doc.versions.map((v) => ({
      versionId: v.versionId,
      effectiveFrom: v.effectiveFrom,
      pricing: v.pricing,
    })),
  };
  if (doc.effectiveTo) s.effectiveTo = doc.effectiveTo;
  if (doc.vacancyDiscount) s.vacancyDiscount = doc.vacancyDiscount;
  if (doc.prepaymentDiscount && doc.prepaymentDiscount.length > 0) {
    s.prepaymentDiscount = doc.prepaymentDiscount;
  }
  if (doc.lateFee) s.lateFee = doc.lateFee;
  return s;
}

export async function loadStandards(
  ctx: ActionContext,
  communityId: string,
): Promise<FeeStandardDoc[]> {
  const docs = await fetchWhere<FeeStandardDoc>(ctx, 'fee_standards', { communityId });
  // Long-standing items first (物业服务费 before a charge added last month), then by id: the
  // order lines appear in on bills.
  const since = (d: FeeStandardDoc) => sortVersions(d.versions)[0]?.effectiveFrom ?? '';
  return docs.sort(
    (a, b) =>
      since(a).localeCompare(since(b)) || (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0),
  );
}

export function standardStatus(doc: FeeStandardDoc, today: string): FeeStandardStatus {
  if (doc.effectiveTo && doc.effectiveTo < today) return 'withdrawn';
  const first = sortVersions(doc.versions)[0];
  if (first && first.effectiveFrom > today) return 'upcoming';
  return 'active';
}

export function versionViews(doc: FeeStandardDoc): FeeVersionView[] {
  const sorted = sortVersions(doc.versions);
  return sorted.map((v, i) => {
    const next = sorted[i + 1];
    const end = next ? addDays(next.effectiveFrom, -1) : (doc.effectiveTo ?? null);
    return {
      versionId: v.versionId,
      effectiveFrom: v.effectiveFrom,
      effectiveTo: end,
      pricing: v.pricing,
      priceText: pricingText(v.pricing, 4),
      approvalRef: v.approvalRef,
      approvedAt: v.approvedAt,
      note: v.note ?? null,
      createdAt: iso(v.createdAt),
    };
  });
}

export function standardView(doc: FeeStandardDoc, today: string): FeeStandardView {
  const s = toStandard(doc);
  return {
    communityId: doc.communityId,
    itemId: doc.itemId,
    name: doc.name,
    kind: doc.kind,
    kindLabel: FEE_KIND_LABELS[doc.kind],
    cycle: doc.cycle,
    cycleLabel: CYCLE_LABELS[doc.cycle],
    firstMonth: doc.firstMonth ?? 1,
    billingMode: doc.billingMode,
    billingModeLabel: BILLING_MODE_LABELS[doc.billingMode],
    dueDay: doc.dueDay,
    rounding: doc.rounding ?? 'halfUp',
    applicability: doc.applicability,
    applicabilityText: applicabilityText(doc.applicability, ROOM_USE_LABELS),
    vacancyDiscount: doc.vacancyDiscount ?? null,
    prepaymentDiscount: doc.prepaymentDiscount ? [...doc.prepaymentDiscount] : [],
    lateFee: doc.lateFee ?? null,
    effectiveTo: doc.effectiveTo ?? null,
    description: doc.description ?? null,
    revision: doc.revision,
    issuedThrough: doc.issuedThrough ?? null,
    status: standardStatus(doc, today),
    currentVersionId: versionOn(doc.versions, today)?.versionId ?? null,
    versions: versionViews(doc),
    rules: rulesText(s),
    updatedAt: iso(doc.updatedAt ?? doc.createdAt),
  };
}
