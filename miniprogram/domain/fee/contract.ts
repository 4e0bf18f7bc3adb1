import {
  buildingCode,
  communityId,
  contract,
  docId,
  freeText,
  pageCursor,
  pageLimit,
  reasonText,
  roomNumber,
  text,
  unitCode,
  z,
  type Page,
} from '../kernel/contract';
import {
  type Applicability,
  type BillingMode,
  FEE_KINDS,
  type FeeKind,
  type FeePricing,
  type LateFeeRule,
  type PrepaymentDiscountTier,
  type VacancyDiscountRule,
  type VacancyStatus,
} from './types';
import { BILLING_CYCLES, type BillingCycle } from './period';
import { type PublicAdjustmentView, adjustmentContracts } from './adjustments.contract';
import { type RoundingMode } from './rounding';
import {
  applicabilityInput,
  approvedBeforeEffective,
  bpField,
  feeDate,
  feeItemId,
  feePeriod,
  lateFeeInput,
  quantityText,
  versionFields,
} from './fields.contract';
import { openingPeriodRequired, openingPreviewContracts } from './opening.contract';
import { readingSheetContracts, type MeterReadingView } from './readings.contract';
import { ownerReadingContracts } from './owner-readings.contract';
import { type BillStatus } from './bill';
import { ROUNDING_MODES } from '../kernel/exact';

export type FeeStandardStatus = 'active' | 'upcoming' | 'withdrawn';

export interface FeeVersionView {
  versionId: string;
  effectiveFrom: string;
  /** Last day (the day before the next version, or the standard's end); null: open. */
  effectiveTo: string | null;
  pricing: FeePricing;
  /** As owners read it: "2.35 元/m²/月（按建筑面积）". */
  priceText: string;
  approvalRef: string;
  approvedAt: string;
  note: string | null;
  createdAt: string | null;
}

export interface FeeStandardView {
  communityId: string;
  itemId: string;
  name: string;
  kind: FeeKind;
  kindLabel: string;
  cycle: BillingCycle;
  cycleLabel: string;
  firstMonth: number;
  billingMode: BillingMode;
  billingModeLabel: string;
  dueDay: number;
  rounding: RoundingMode;
  applicability: Applicability;
  applicabilityText: string;
  vacancyDiscount: VacancyDiscountRule | null;
  prepaymentDiscount: PrepaymentDiscountTier[];
  lateFee: LateFeeRule | null;
  effectiveTo: string | null;
  description: string | null;
  /** Bumped by every change; pass it back to detect a concurrent edit. */
  revision: number;
  /** Last day already billed with this standard: versions may only start after it. */
  issuedThrough: string | null;
  status: FeeStandardStatus;
  currentVersionId: string | null;
  versions: FeeVersionView[];
  rules: string[];
  updatedAt: string | null;
}

export interface ReadingRowResult {
  roomId: string;
  readingId: string;
  outcome: 'saved' | 'flagged' | 'unchanged';
  usage: string;
  flags: ('lowerThanPrevious' | 'spike')[];
  median: string | null;
  /** Why it was flagged, in words. */
  message: string | null;
}

export interface SavedReadings {
  saved: number;
  flagged: number;
  unchanged: number;
  results: ReadingRowResult[];
}

export type VacancyView = {
  vacancyId: string;
  roomId: string;
  roomLabel: string;
  from: string;
  to: string;
  status: VacancyStatus;
  approvalRef: string;
  note: string | null;
  createdAt: string | null;
  revokedAt: string | null;
  reason: string | null;
};

export interface BillingAnomalyView {
  roomId: string;
  roomLabel: string;
  itemId: string;
  name: string;
  previousFen: number;
  currentFen: number;
  /** Signed change, basis points (2500 = +25%). */
  changeBp: number;
}

/** What a billing pass (preview or issue) adds up as it goes through the rooms. */
export interface PassTotals {
  roomsScanned: number;
  /** Preview: bills to issue; issue: bills created by this run. */
  bills: number;
  totalFen: number;
  chargesFen: number;
  discountsFen: number;
  prepaidAppliedFen: number;
  prepaidRooms: number;
}

export interface BillingPassView extends PassTotals {
  done: boolean;
  /** Rooms of the community when the pass started. */
  roomsTotal: number;
  byBuilding: { building: string; bills: number; totalFen: number }[];
  byItem: { itemId: string; name: string; lines: number; amountFen: number; discountFen: number }[];
  skipped: { reason: string; label: string; count: number }[];
  /** The first skipped rooms (up to 200) with the reason. */
  skippedRooms: { roomId: string; roomLabel: string; reason: string; label: string }[];
  itemSkips: { itemId: string; name: string; reason: string; label: string; count: number }[];
  itemSkipRooms: {
    roomId: string;
    roomLabel: string;
    itemId: string;
    reason: string;
    label: string;
  }[];
  anomalies: BillingAnomalyView[];
  anomalyCount: number;
  startedAt: string | null;
  finishedAt: string | null;
}

export type BillingRunStatus = 'previewing' | 'previewed' | 'issuing' | 'issued';

export interface BillingRunItem {
  itemId: string;
  name: string;
  kind: FeeKind;
  from: string;
  to: string;
  dueDate: string;
  readingPeriod: string | null;
}

export interface BillingRunView {
  runId: string;
  communityId: string;
  /** The billing month run (a requested month inside a prepaid cycle runs the cycle's first). */
  period: string;
  status: BillingRunStatus;
  items: BillingRunItem[];
  /** Standards changed since the preview: preview again before issuing. */
  stale: boolean;
  preview: BillingPassView | null;
  issue: BillingPassView | null;
  /** After issuing: what the run's bills add up to in the database. */
  summary: {
    bills: number;
    totalFen: number;
    prepaidAppliedFen: number;
    byBuilding: { building: string; bills: number; totalFen: number }[];
    byItem: {
      itemId: string;
      name: string;
      lines: number;
      amountFen: number;
      discountFen: number;
    }[];
  } | null;
  /** Issue only: bills created by this call. */
  created?: number;
  /** When the run finished issuing (null before). */
  issuedAt: string | null;
}

export interface OpeningRowResult {
  row: number;
  roomId: string;
  roomLabel: string;
  outcome: 'created' | 'unchanged';
}

export interface OpeningImportResult {
  kind: 'arrears' | 'prepaid';
  created: number;
  unchanged: number;
  totalFen: number;
  results: OpeningRowResult[];
}

export interface BillLineView {
  itemId: string;
  name: string;
  kind: 'charge' | 'discount';
  amountFen: number;
  /** "建筑面积 89.47 m² × 2.3500 元/m²/月 × 3 个月 = ¥630.76". */
  basis: string;
  quantity: string | null;
  quantityUnit: string | null;
  unitPrice: string | null;
  priceUnit: string | null;
  months: string | null;
  from: string | null;
  to: string | null;
  /** A metered item's charge: the owner may report the meter themselves (自助抄表). */
  metered: boolean;
  /** The standard the line came from (charges only, when still on record). */
  standard: {
    name: string;
    priceText: string;
    effectiveFrom: string;
    approvalRef: string;
    approvedAt: string;
  } | null;
}

export interface BillDetailView {
  billId: string;
  roomId: string;
  roomLabel: string;
  communityId: string;
  communityName: string;
  period: string;
  title: string;
  status: BillStatus;
  dueDate: string;
  overdueDays: number;
  amountDueFen: number;
  lateFeeFen: number;
  paidFen: number;
  outstandingFen: number;
  /** Paid from the prepaid balance (预存抵扣) when the bill was issued. */
  prepaidAppliedFen: number;
  lines: BillLineView[];
  payments: {
    paymentId: string;
    receiptNo: string;
    amountFen: number;
    channelLabel: string;
    paidAt: string;
  }[];
  paymentMethods: { method: string; label: string }[];
  contacts: {
    servicePhone: string;
    serviceHours: string;
    frontDesk: string;
    /** The price complaint hotline, 12358. */
    priceHotline: string;
  };
  issuedAt: string | null;
}

export interface PublicStandardView {
  itemId: string;
  name: string;
  kindLabel: string;
  /** The price in force today, 2 decimals where exact: "2.35 元/m²/月（按建筑面积）". */
  priceText: string;
  effectiveFrom: string;
  approvalRef: string;
  approvedAt: string;
  applicabilityText: string;
  rules: string[];
  /** Announced changes (advance notice): later prices and when they apply. */
  upcoming: { priceText: string; effectiveFrom: string; approvalRef: string; approvedAt: string }[];
  /** Every price the standard has had, oldest first (调价历史). */
  history: {
    priceText: string;
    effectiveFrom: string;
    effectiveTo: string | null;
    approvalRef: string;
  }[];
}

export interface PublicStandardsView {
  communityId: string;
  communityName: string;
  standards: PublicStandardView[];
  /** Announced price adjustments (调价公示): in their notice period, then their history. */
  adjustments: PublicAdjustmentView[];
  servicePhone: string;
  priceHotline: string;
  notice: string;
}

const revision = z.optional(z.int().check(z.minimum(1)));

export const feeContracts = {
  ...readingSheetContracts,
  ...ownerReadingContracts,
  ...openingPreviewContracts,
  /** Any staff role: the community's fee standards with every version. */
  standards: contract<{ standards: FeeStandardView[] }>()(
    z.strictObject({ communityId, includeWithdrawn: z._default(z.boolean(), true) }),
    { idempotent: true },
  ),
  /**
   * Finance, admin: create a standard (with its first version) or change its definition (rules,
   * name, applicability, withdrawal). Prices change only through addVersion. Audited.
   */
  saveStandard: contract<FeeStandardView>()(
    z
      .strictObject({
        communityId,
        itemId: feeItemId,
        name: text(20, 1, '请填写收费项目名称'),
        kind: z.enum(FEE_KINDS),
        cycle: z.enum(BILLING_CYCLES),
        firstMonth: z._default(
          z
            .int('起始月应为 1–12')
            .check(z.minimum(1, '起始月应为 1–12'), z.maximum(12, '起始月应为 1–12')),
          1,
        ),
        billingMode: z.enum(['prepaid', 'postpaid']),
        dueDay: z
          .int('缴费日应为 1–31')
          .check(z.minimum(1, '缴费日应为 1–31'), z.maximum(31, '缴费日应为 1–31')),
        rounding: z._default(z.enum(ROUNDING_MODES), 'halfUp'),
        applicability: z._default(applicabilityInput, { scope: 'all' }),
        vacancyDiscount: z.optional(z.nullable(z.strictObject({ rateBp: bpField }))),
        prepaymentDiscount: z.optional(
          z
            .array(
              z.strictObject({
                minMonths: z.int().check(z.minimum(1), z.maximum(120)),
                rateBp: bpField,
              }),
            )
            .check(z.maxLength(6)),
        ),
        lateFee: z.optional(z.nullable(lateFeeInput)),
        /** Withdraw the standard after this day (inclusive). */
        effectiveTo: z.optional(z.nullable(feeDate)),
        description: z.optional(z.nullable(freeText(200))),
        /** Required when creating: the first price. */
        version: z.optional(z.strictObject(versionFields).check(approvedBeforeEffective())),
        /** The revision the form was loaded with (optional optimistic check). */
        revision,
      })
      .check(
        z.superRefine((v, ctx) => {
          if (v.version && v.version.pricing.kind !== v.kind) {
            ctx.addIssue({
              code: 'custom',
              path: ['version', 'pricing', 'kind'],
              message: `价格类型应与收费方式一致（${v.kind}）`,
              input: v.version.pricing.kind,
            });
          }
          if (v.kind === 'oneOff' && v.vacancyDiscount) {
            ctx.addIssue({
              code: 'custom',
              path: ['vacancyDiscount'],
              message: '一次性收费没有空置优惠',
              input: v.vacancyDiscount,
            });
          }
        }),
      ),
  ),
  /** Finance, admin: a new price from a date (never rewrites issued bills). Audited. */
  addVersion: contract<FeeStandardView>()(
    z
      .strictObject({ communityId, itemId: feeItemId, ...versionFields, revision })
      .check(approvedBeforeEffective()),
  ),
  /**
   * Finance, admin, service: enter or import meter readings of one item for one usage period
   * (the month the reading closes). Readings lower than the previous one or above 5× the room's
   * median usage are flagged for confirmation instead of billed.
   */
  saveReadings: contract<SavedReadings>()(
    z.strictObject({
      communityId,
      itemId: feeItemId,
      period: feePeriod,
      readings: z
        .array(
          z.strictObject({
            roomId: docId,
            current: quantityText,
            /** Default: the room's last reading. Required for a room's first reading. */
            previous: z.optional(quantityText),
            multiplier: z.optional(quantityText),
            loss: z.optional(quantityText),
            readOn: z.optional(feeDate),
            note: z.optional(freeText(100)),
          }),
        )
        .check(
          z.minLength(1),
          z.maxLength(500),
          z.superRefine((rows, ctx) => {
            const seen = new Set<string>();
            rows.forEach((r, i) => {
              if (seen.has(r.roomId)) {
                ctx.addIssue({
                  code: 'custom',
                  path: [i, 'roomId'],
                  message: '同一房屋重复录入',
                  input: r.roomId,
                });
              }
              seen.add(r.roomId);
            });
          }),
        ),
    }),
  ),
  /** Finance, admin: confirm (bill it) or reject flagged readings, with a note. Audited. */
  confirmReadings: contract<{ readings: MeterReadingView[] }>()(
    z.strictObject({
      communityId,
      readingIds: z.array(docId).check(z.minLength(1), z.maxLength(200)),
      decision: z.enum(['confirm', 'reject']),
      note: text(100, 2, '请填写核实说明（至少 2 个字），会记入操作日志'),
    }),
  ),
  /** Any staff role: readings of an item and usage period. */
  readings: contract<Page<MeterReadingView>>()(
    z.strictObject({
      communityId,
      itemId: feeItemId,
      period: feePeriod,
      status: z.optional(z.enum(['submitted', 'ok', 'flagged', 'confirmed', 'rejected', 'billed'])),
      limit: pageLimit,
      cursor: pageCursor,
    }),
    { idempotent: true },
  ),
  /** Finance, admin: an approved vacancy (空置) of a room, for vacancy discounts. Audited. */
  recordVacancy: contract<VacancyView>()(
    z
      .strictObject({
        communityId,
        roomId: text(128, 1, '请先查找并选择房屋'),
        from: feeDate,
        to: feeDate,
        approvalRef: text(100, 2, '请填写审批单号或说明'),
        note: z.optional(freeText(200)),
      })
      .check(
        z.refine((v) => v.from <= v.to, { message: '结束日期不能早于开始日期', path: ['to'] }),
      ),
  ),
  /** Finance, admin: revoke a vacancy record (periods already billed keep their discount). */
  revokeVacancy: contract<VacancyView>()(
    z.strictObject({
      communityId,
      vacancyId: docId,
      reason: reasonText(100, '请填写撤销原因（至少 2 个字）'),
    }),
  ),
  /** Any staff role: vacancy records. */
  vacancies: contract<Page<VacancyView>>()(
    z.strictObject({
      communityId,
      roomId: z.optional(docId),
      status: z.optional(z.enum(['approved', 'revoked'])),
      limit: pageLimit,
      cursor: pageCursor,
    }),
  ),
  /**
   * Finance, admin: compute every room's bill for a period without writing bills: totals per
   * building and item, rooms skipped and why, anomalies (> 20% vs the previous period). Resumable:
   * call again while `preview.done` is false; `restart` starts over.
   */
  preview: contract<BillingRunView>()(
    z.strictObject({ communityId, period: feePeriod, restart: z._default(z.boolean(), false) }),
  ),
  /**
   * Finance, admin: issue the previewed period. Idempotent (deterministic bill ids); resumable in
   * chunks: call again while `issue.done` is false. `maxRooms` stops early (small chunks).
   */
  issue: contract<BillingRunView>()(
    z.strictObject({
      communityId,
      period: feePeriod,
      maxRooms: z.optional(z.int().check(z.minimum(1), z.maximum(100_000))),
    }),
  ),
  /** Any staff role: a run's state and figures. */
  run: contract<BillingRunView>()(z.strictObject({ communityId, period: feePeriod }), {
    idempotent: true,
  }),
  /** Any staff role: recent runs, newest period first. */
  runs: contract<{ runs: BillingRunView[] }>()(
    z.strictObject({
      communityId,
      limit: z._default(z.int().check(z.minimum(1), z.maximum(50)), 12),
    }),
    { idempotent: true },
  ),
  /**
   * Finance, admin: opening balances when the system is first set up — arrears (期初欠费, one
   * bill per room under `period`) or prepaid balances (期初预存, with a ledger entry). Every row
   * is checked first; any problem rejects the whole file. Idempotent per room.
   */
  importOpening: contract<OpeningImportResult>()(
    z
      .strictObject({
        communityId,
        kind: z.enum(['arrears', 'prepaid']),
        /** Arrears: the period they are recorded under (e.g. the month before go-live). */
        period: z.optional(feePeriod),
        /** Arrears: due date (default: the period's last day). */
        dueDate: z.optional(feeDate),
        rows: z
          .array(
            z
              .strictObject({
                roomId: z.optional(docId),
                building: z.optional(buildingCode),
                unit: z.optional(unitCode),
                number: z.optional(roomNumber),
                amountFen: z.int().check(z.positive(), z.maximum(10_000_000_00)),
                note: z.optional(freeText(100)),
              })
              .check(
                z.refine((r) => r.roomId !== undefined || !!(r.building && r.unit && r.number), {
                  message: '请填写 roomId，或楼栋、单元、房号',
                  path: ['roomId'],
                }),
              ),
          )
          .check(z.minLength(1), z.maxLength(500)),
      })
      .check(openingPeriodRequired),
  ),
  /**
   * Owner of a bound room (verified binding), or staff of its community: a bill with every line
   * explained, the standard it came from, payments, and how to pay. Anyone else: NOT_FOUND.
   */
  billDetail: contract<BillDetailView>()(z.strictObject({ billId: docId }), { idempotent: true }),
  /** Bound owners and staff of the community: the published fee standards (明码标价, 12358). */
  publicStandards: contract<PublicStandardsView>()(z.strictObject({ communityId }), {
    idempotent: true,
  }),
  // 调价公示: propose, announce (notice period), withdraw — see adjustments.contract.ts
  ...adjustmentContracts,
};
