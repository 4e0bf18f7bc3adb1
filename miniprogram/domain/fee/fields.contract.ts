/** The fee contracts' field rules (dates, periods, item ids, prices, pricing, late fees). */
import { RESERVED_ITEM_IDS, type FeePricing } from './types';
import { ROOM_USE_TYPES } from '../community/vocabulary';
import { SPACE_KINDS } from '../community/spaces';
import { assertTiers } from './tiers';
import { buildingCode, date, docId, freeText, period, text, z } from '../kernel/contract';
import { parsePriceE4 } from './rounding';
import { ROUNDING_MODES } from '../kernel/exact';

// ---------------------------------------------------------------- fee standards and billing
// See docs/billing.md. Staff actions name their community: finance and admin manage standards,
// readings, vacancies and runs; every staff role may read. Money is integer fen; unit prices are
// entered as text with up to 4 decimals ("2.35") and stored as integer 0.0001 元 (`…E4`).

/** A fee date (the kernel's calendar date). */
export const feeDate = date;
/** A billing period (the kernel's). */
export const feePeriod = period;
export const feeItemId = z.string().check(
  z.regex(
    /^[a-z][a-z0-9_]{1,31}$/,
    '项目编号为 2–32 位小写字母、数字或 _，以字母开头（如 property）',
  ),
  z.maxLength(32),
  z.refine((v) => !RESERVED_ITEM_IDS.includes(v), { message: '该编号为系统保留，请换一个' }),
);
/** The unit-price text as typed ("2.35"), up to 4 decimals. */
export const priceTextRule = z
  .string()
  .check(
    z.trim(),
    z.regex(/^(0|[1-9]\d{0,6})(\.\d{1,4})?$/, '单价应为数字，最多 4 位小数（如 2.35）'),
    z.maxLength(12),
  );
/** …and as stored: integer 0.0001 元. */
export const priceText = z.pipe(
  priceTextRule,
  z.transform((v: string) => parsePriceE4(v)),
);
export const quantityText = z.pipe(
  z.pipe(
    z.union([z.string().check(z.trim(), z.maxLength(17)), z.number()]),
    z.transform((v: string | number) => String(v)),
  ),
  z
    .string()
    .check(
      z.regex(/^(0|[1-9]\d{0,11})(\.\d{1,4})?$/, '应为非负数，最多 4 位小数'),
      z.maxLength(17),
    ),
);
export const bpField = z.int().check(z.minimum(1), z.maximum(10000));

const pricingShape = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('area'),
    areaBasis: z._default(z.enum(['building', 'inner']), 'building'),
    unitPrice: priceText,
  }),
  z.strictObject({ kind: z.literal('fixed'), unitPrice: priceText }),
  z.strictObject({ kind: z.literal('parking'), unitPrice: priceText }),
  z.strictObject({
    kind: z.literal('meter'),
    unit: text(8, 1, '请填写计量单位，如 度、吨'),
    tiers: z
      .array(
        z.strictObject({
          upTo: z.nullable(z.int().check(z.positive(), z.maximum(1_000_000_000))),
          unitPrice: priceText,
        }),
      )
      .check(z.minLength(1), z.maxLength(10)),
  }),
  z.strictObject({
    kind: z.literal('oneOff'),
    amountFen: z.int().check(z.minimum(0), z.maximum(10_000_000_00)),
  }),
]);

/** A price as typed (unit prices as text) → as stored (`unitPriceE4`), tiers checked. */
export const pricingInput = z.pipe(
  pricingShape,
  z
    .transform((p: z.output<typeof pricingShape>): FeePricing => {
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
    .check(
      z.superRefine((p: FeePricing, ctx) => {
        if (p.kind !== 'meter') return;
        try {
          assertTiers(p.tiers);
        } catch (e) {
          ctx.addIssue({
            code: 'custom',
            path: ['tiers'],
            message: (e as Error).message,
            input: p,
          });
        }
      }),
    ),
);

export const applicabilityInput = z.discriminatedUnion('scope', [
  z.strictObject({ scope: z.literal('all') }),
  z.strictObject({
    scope: z.literal('buildings'),
    buildingIds: z.array(buildingCode).check(z.minLength(1), z.maxLength(200)),
  }),
  z.strictObject({
    scope: z.literal('useTypes'),
    useTypes: z.array(z.enum(ROOM_USE_TYPES)).check(z.minLength(1)),
  }),
  z.strictObject({
    scope: z.literal('rooms'),
    roomIds: z.array(docId).check(z.minLength(1), z.maxLength(5000)),
  }),
  z.strictObject({
    scope: z.literal('spaces'),
    spaceKinds: z.array(z.enum(SPACE_KINDS)).check(z.minLength(1)),
  }),
]);

export const lateFeeInput = z.strictObject({
  enabled: z.boolean(),
  /** Per day, in basis points: 30 = 0.3% (千分之三); at most 1% a day. */
  rateBpPerDay: z.int().check(z.minimum(0), z.maximum(100)),
  graceDays: z
    .int('宽限天数应为 0–365')
    .check(z.minimum(0, '宽限天数应为 0–365'), z.maximum(365, '宽限天数应为 0–365')),
  /** Mandatory: courts reduce excessive penalties. */
  cap: z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('percentOfPrincipal'),
      bp: z.int().check(z.minimum(0), z.maximum(10000)),
    }),
    z.strictObject({
      kind: z.literal('fixed'),
      fen: z.int().check(z.minimum(0), z.maximum(10_000_000_00)),
    }),
  ]),
  rounding: z.optional(z.enum(ROUNDING_MODES)),
});

/** The approval behind a price (业主大会决议、备案号 …), shown to owners. */
export const approvalRef = text(100, 2, '请填写批准文号或决议名称');

export const versionFields = {
  /** First day the price applies; later than every existing version and every issued period. */
  effectiveFrom: feeDate,
  pricing: pricingInput,
  approvalRef,
  approvedAt: feeDate,
  note: z.optional(freeText(200)),
};

/**
 * 批准日期 never after 生效日期 (a price is approved before it applies), as a check of an object
 * with both dates: the problem is named on its `approvedAt`.
 */
export function approvedBeforeEffective() {
  return z.refine<{ approvedAt: string; effectiveFrom: string }>(
    (v) => v.approvedAt <= v.effectiveFrom,
    { message: '批准日期不能晚于生效日期', path: ['approvedAt'] },
  );
}
