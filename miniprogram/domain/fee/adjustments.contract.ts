/** Contracts of the fee-standard adjustment workflow (调价公示), actions of the `fee` function. */
import { z } from 'zod';
import type { AdjustmentStatus } from '../disclosure/rules';
import { contract } from '../kernel/contract';
import { feeDate, feeItemId, pricingInput } from './fields.contract';

const communityId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, '小区编号格式不正确');
const docId = z.string().min(1).max(128);
/** A client-generated key: the same request sent twice records once. */
const requestId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'requestId 应为 8–64 位字母数字');
const fileId = z
  .string()
  .min(1)
  .max(512)
  .regex(/^cloud:\/\//, '请上传凭证图片（cloud:// 文件）');

// ---------------------------------------------------------------- fee adjustments (fee function)

export interface AdjustmentView {
  adjustmentId: string;
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
  documents: { name: string; fileId: string }[];
  noticeDays: number;
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
  documents: { name: string; fileId: string }[];
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
      .object({
        communityId,
        requestId,
        itemId: feeItemId,
        pricing: pricingInput,
        effectiveFrom: feeDate,
        approvalRef: z.string().trim().min(2, '请填写批准文号或决议名称').max(100),
        approvedAt: feeDate,
        reason: z.string().trim().min(10, '请说明调价原因及依据（至少 10 个字）').max(500),
        documents: z
          .array(z.object({ name: z.string().trim().min(1).max(60), fileId }).strict())
          .min(1, '请上传至少一份依据材料（如业主大会决议、成本测算）')
          .max(9),
        noticeDays: z.number().int().min(30, '公示期不少于 30 天').max(365).default(30),
      })
      .strict()
      .superRefine((v, ctx) => {
        if (v.approvedAt > v.effectiveFrom) {
          ctx.addIssue({
            code: 'custom',
            path: ['approvedAt'],
            message: '批准日期不能晚于生效日期',
          });
        }
      }),
  ),
  /**
   * Finance, admin other than the proposer: announce (公示) the proposal to owners. Refused
   * unless the effective date is at least `noticeDays` after today; adds the price as a new
   * version of the standard from that date. Audited.
   */
  announceAdjustment: contract<AdjustmentView>()(
    z.object({ communityId, adjustmentId: docId }).strict(),
  ),
  /**
   * Finance, admin: withdraw a proposal, or an announced change before it takes effect (its
   * version is removed while nothing has been billed with it). Audited.
   */
  withdrawAdjustment: contract<AdjustmentView>()(
    z
      .object({
        communityId,
        adjustmentId: docId,
        reason: z.string().trim().min(2, '请填写撤回原因').max(200),
      })
      .strict(),
  ),
  /** Any staff role: the community's adjustments, newest first. */
  adjustments: contract<{ adjustments: AdjustmentView[] }>()(z.object({ communityId }).strict()),
};
