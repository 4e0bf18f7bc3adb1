/** The fee contracts' field rules (dates, periods, item ids, prices, pricing, late fees). */
import { z } from 'zod';
import { type FeePricing } from './types';
import { RESERVED_ITEM_IDS } from './billing';
import { ROOM_USE_TYPES } from '../community/vocabulary';
import { assertTiers } from './tiers';
import { buildingCode, docId } from '../kernel/contract';
import { isDate, isPeriod } from './period';
import { parsePriceE4 } from './rounding';
import { ROUNDING_MODES } from '../kernel/exact';

// ---------------------------------------------------------------- fee standards and billing
// See docs/billing.md. Staff actions name their community: finance and admin manage standards,
// readings, vacancies and runs; every staff role may read. Money is integer fen; unit prices are
// entered as text with up to 4 decimals ("2.35") and stored as integer 0.0001 元 (`…E4`).

export const feeDate = z
  .string()
  .refine((v) => isDate(v), { message: '日期应为 YYYY-MM-DD 格式的有效日期' });
export const feePeriod = z
  .string()
  .refine((v) => isPeriod(v), { message: '账期应为 YYYY-MM（如 2026-12）' });
export const feeItemId = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{1,31}$/,
    '项目编号为 2–32 位小写字母、数字或 _，以字母开头（如 property）',
  )
  .refine((v) => !RESERVED_ITEM_IDS.includes(v), { message: '该编号为系统保留，请换一个' });
export const priceText = z
  .string()
  .trim()
  .regex(/^(0|[1-9]\d{0,6})(\.\d{1,4})?$/, '单价应为数字，最多 4 位小数（如 2.35）')
  .transform((v) => parsePriceE4(v));
export const quantityText = z
  .union([z.string().trim(), z.number()])
  .transform((v) => String(v))
  .pipe(z.string().regex(/^(0|[1-9]\d{0,11})(\.\d{1,4})?$/, '应为非负数，最多 4 位小数'));
export const bpField = z.number().int().min(1).max(10000);

export const pricingInput = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('area'),
        areaBasis: z.enum(['building', 'inner']).default('building'),
        unitPrice: priceText,
      })
      .strict(),
    z.object({ kind: z.literal('fixed'), unitPrice: priceText }).strict(),
    z.object({ kind: z.literal('parking'), unitPrice: priceText }).strict(),
    z
      .object({
        kind: z.literal('meter'),
        unit: z.string().trim().min(1).max(8),
        tiers: z
          .array(
            z
              .object({
                upTo: z.number().int().positive().max(1_000_000_000).nullable(),
                unitPrice: priceText,
              })
              .strict(),
          )
          .min(1)
          .max(10),
      })
      .strict(),
    z
      .object({ kind: z.literal('oneOff'), amountFen: z.number().int().min(0).max(10_000_000_00) })
      .strict(),
  ])
  .transform((p): FeePricing => {
    switch (p.kind) {
      case 'area':
        return { kind: 'area', areaBasis: p.areaBasis, unitPriceE4: p.unitPrice };
      case 'fixed':
      case 'parking':
        return { kind: p.kind, unitPriceE4: p.unitPrice };
      case 'meter':
        return {
          kind: 'meter',
          unit: p.unit,
          tiers: p.tiers.map((t) => ({ upTo: t.upTo, unitPriceE4: t.unitPrice })),
        };
      default:
        return { kind: 'oneOff', amountFen: p.amountFen };
    }
  })
  .superRefine((p, ctx) => {
    if (p.kind !== 'meter') return;
    try {
      assertTiers(p.tiers);
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: ['tiers'], message: (e as Error).message });
    }
  });

export const applicabilityInput = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('all') }).strict(),
  z
    .object({ scope: z.literal('buildings'), buildingIds: z.array(buildingCode).min(1).max(200) })
    .strict(),
  z
    .object({ scope: z.literal('useTypes'), useTypes: z.array(z.enum(ROOM_USE_TYPES)).min(1) })
    .strict(),
  z.object({ scope: z.literal('rooms'), roomIds: z.array(docId).min(1).max(5000) }).strict(),
]);

export const lateFeeInput = z
  .object({
    enabled: z.boolean(),
    /** Per day, in basis points: 30 = 0.3% (千分之三); at most 1% a day. */
    rateBpPerDay: z.number().int().min(0).max(100),
    graceDays: z.number().int().min(0).max(365),
    /** Mandatory: courts reduce excessive penalties. */
    cap: z.discriminatedUnion('kind', [
      z
        .object({ kind: z.literal('percentOfPrincipal'), bp: z.number().int().min(0).max(10000) })
        .strict(),
      z
        .object({ kind: z.literal('fixed'), fen: z.number().int().min(0).max(10_000_000_00) })
        .strict(),
    ]),
    rounding: z.enum(ROUNDING_MODES).optional(),
  })
  .strict();

export const versionFields = {
  /** First day the price applies; later than every existing version and every issued period. */
  effectiveFrom: feeDate,
  pricing: pricingInput,
  /** The approval behind the price (业主大会决议、备案号 …), shown to owners. */
  approvalRef: z.string().trim().min(2, '请填写批准文号或决议名称').max(100),
  approvedAt: feeDate,
  note: z.string().trim().max(200).optional(),
};

export function approvedBeforeEffective(
  v: { approvedAt: string; effectiveFrom: string },
  ctx: z.RefinementCtx,
  path: (string | number)[] = [],
): void {
  if (v.approvedAt > v.effectiveFrom) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'approvedAt'],
      message: '批准日期不能晚于生效日期',
    });
  }
}
