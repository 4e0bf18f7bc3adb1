/** Contracts of the fee-standard adjustment workflow (调价公示), actions of the `fee` function. */
import { DEFAULT_NOTICE_DAYS, type AdjustmentStatus } from '../disclosure/rules';
import {
  communityId,
  contract,
  docId,
  fileId,
  reasonText,
  requestId,
  text,
  z,
} from '../kernel/contract';
import {
  approvalRef,
  approvedBeforeEffective,
  feeDate,
  feeItemId,
  pricingInput,
} from './fields.contract';

// ---------------------------------------------------------------- fee adjustments (fee function)

/**
 * What a proposed price change says: which standard, from and to what price, when and why (its
 * documents are stored as files and shown as links, so each side names them itself).
 */
export interface AdjustmentProposal {
  communityId: string;
  itemId: string;
  standardName: string;
  /** The price in force when proposed, and the proposed one, in words. */
  currentPriceText: string;
  priceText: string;
  effectiveFrom: string;
  approvalRef: string;
  approvedAt: string;
  reason: string;
  noticeDays: number;
}

export interface AdjustmentView extends AdjustmentProposal {
  adjustmentId: string;
  /** Each document's temporary link (2 hours); '' when the file is gone. */
  documents: { name: string; url: string }[];
  status: AdjustmentStatus;
  statusLabel: string;
  /** Announced (公示) on, and the first day the notice period allows. */
  announcedOn: string | null;
  noticeEndsOn: string | null;
  daysLeft: number;
  versionId: string | null;
  withdrawReason: string | null;
  proposedByName: string;
  announcedByName: string;
}

/** What owners see on the public standards page: announced changes and their history. */
export interface PublicAdjustmentView {
  adjustmentId: string;
  itemId: string;
  standardName: string;
  currentPriceText: string;
  priceText: string;
  effectiveFrom: string;
  announcedOn: string;
  reason: string;
  approvalRef: string;
  /** Each document's temporary link (2 hours); '' when the file is gone. */
  documents: { name: string; url: string }[];
  status: 'notice' | 'effective';
  daysLeft: number;
}

/** 调价公示: actions of the `fee` function, sharing its field rules (one definition of a price). */
export const adjustmentContracts = {
  /**
   * Finance, admin: propose a new price of a standard with the reason, supporting documents
   * (files in cloud storage), the approval and the date it should apply. Nothing changes for
   * owners until it is announced. Idempotent by `requestId`. Audited.
   */
  proposeAdjustment: contract<AdjustmentView>()(
    z
      .strictObject({
        communityId,
        requestId,
        itemId: feeItemId,
        pricing: pricingInput,
        effectiveFrom: feeDate,
        approvalRef,
        approvedAt: feeDate,
        reason: text(500, 10, '请说明调价原因及依据（至少 10 个字）'),
        documents: z
          .array(z.strictObject({ name: text(60), fileId }))
          .check(
            z.minLength(1, '请上传至少一份依据材料（如业主大会决议、成本测算）'),
            z.maxLength(9),
          ),
        noticeDays: z._default(
          z
            .int()
            .check(
              z.minimum(DEFAULT_NOTICE_DAYS, `公示期不少于 ${DEFAULT_NOTICE_DAYS} 天`),
              z.maximum(365, '公示期最多 365 天'),
            ),
          DEFAULT_NOTICE_DAYS,
        ),
      })
      .check(approvedBeforeEffective()),
  ),
  /**
   * Finance, admin other than the proposer: announce (公示) the proposal to owners. Refused
   * unless the effective date is at least `noticeDays` after today; adds the price as a new
   * version of the standard from that date. Audited.
   */
  announceAdjustment: contract<AdjustmentView>()(
    z.strictObject({ communityId, adjustmentId: docId }),
  ),
  /**
   * Finance, admin: withdraw a proposal, or an announced change before it takes effect (its
   * version is removed while nothing has been billed with it). Audited.
   */
  withdrawAdjustment: contract<AdjustmentView>()(
    z.strictObject({
      communityId,
      adjustmentId: docId,
      reason: reasonText(200, '请写明撤回原因（至少 2 个字）'),
    }),
  ),
  /** Any staff role: the community's adjustments, newest first. */
  adjustments: contract<{ adjustments: AdjustmentView[] }>()(z.strictObject({ communityId })),
};
