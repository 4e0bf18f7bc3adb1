/**
 * Fee standards (收费标准), rooms as the fee calculation sees them, and the computed bill.
 * Plain data: what is stored in the database and passed between pages and cloud functions.
 *
 * Units, chosen once:
 * - money: integer fen (`…Fen`);
 * - unit prices: integer ten-thousandths of a yuan (`…E4`, 0.0001 元 = 0.01 分), so 2.35
 *   元/m²/月 is 23500 and 0.5283 元/kWh is 5283. An integer keeps prices exact, comparable and
 *   validatable like fen; `parsePriceE4` / `formatPriceE4` convert to and from "2.3500";
 * - areas: integer centi-square-metres (`…Cm2`, 8947 = 89.47 m²);
 * - meter readings and other quantities: decimal `Quantity` (number or string, ≤ 4 decimals);
 * - rates: basis points (`…Bp`, 10000 = 100%);
 * - dates `YYYY-MM-DD` (Asia/Shanghai calendar days, ranges inclusive), periods `YYYY-MM`.
 */
import type { Fen } from '../kernel/money';
import type { BillingCycle } from './period';
import type { RoundingMode } from '../kernel/exact';

export type FeeKind = 'area' | 'fixed' | 'meter' | 'oneOff' | 'parking';
export const FEE_KINDS: readonly FeeKind[] = ['area', 'fixed', 'meter', 'oneOff', 'parking'];

/** Item ids the system uses for its own lines; a fee standard may not take them. */
export const RESERVED_ITEM_IDS: readonly string[] = ['opening', 'prepaid', 'latefee'];

/** Prepaid: billed in the first month of its cycle. Postpaid: billed the month after it ends. */
export type BillingMode = 'prepaid' | 'postpaid';

/** 建筑面积 (gross floor area) or 套内面积 (net internal area). */
export type AreaBasis = 'building' | 'inner';

/** A unit price in ten-thousandths of a yuan (see the file comment). */
export type PriceE4 = number;

/** A decimal quantity (meter reading, multiplier, loss): number or string, ≤ 4 decimals, ≥ 0. */
export type Quantity = number | string;

export type Applicability =
  | { scope: 'all' }
  | { scope: 'buildings'; buildingIds: readonly string[] }
  | { scope: 'useTypes'; useTypes: readonly string[] }
  | { scope: 'rooms'; roomIds: readonly string[] }
  /** Parking spaces and storerooms of these kinds (车位、储藏室), billed with their holder's room. */
  | { scope: 'spaces'; spaceKinds: readonly string[] };

/**
 * One step of a tiered price. `upTo` is the cumulative usage where the step ends (the step covers
 * usage from the previous step's `upTo` up to this one); null on the last step (no upper bound).
 * "0–200 kWh at p1, 200–400 at p2, > 400 at p3" is [{upTo: 200, p1}, {upTo: 400, p2},
 * {upTo: null, p3}]. A flat price is one step with `upTo: null`.
 */
export interface PriceTier {
  upTo: number | null;
  unitPriceE4: PriceE4;
}

/** What one version of a standard charges; the kind never changes between versions. */
export type FeePricing =
  /** 单价 元/m²/月 × area. */
  | { kind: 'area'; areaBasis: AreaBasis; unitPriceE4: PriceE4 }
  /** 元/户/月. */
  | { kind: 'fixed'; unitPriceE4: PriceE4 }
  /** 元/个/月 per parking space of the room. */
  | { kind: 'parking'; unitPriceE4: PriceE4 }
  /** ((current − previous) × multiplier + loss) priced through `tiers` (元/unit). */
  | { kind: 'meter'; unit: string; tiers: readonly PriceTier[] }
  /** A one-off charge (deposit, decoration management …), raised on request. */
  | { kind: 'oneOff'; amountFen: Fen };

export interface FeeStandardVersion {
  versionId: string;
  /** First day this version applies; it applies until the next version's `effectiveFrom`. */
  effectiveFrom: string;
  pricing: FeePricing;
}

/** Vacancy discount (空置优惠): applies only to days covered by an approved vacancy record. */
export interface VacancyDiscountRule {
  /** Share of the charge waived, 10000 = 100% (no bill at all for a fully vacant cycle). */
  rateBp: number;
}

/** Prepayment discount (预缴优惠): paying at least `minMonths` ahead takes `rateBp` off. */
export interface PrepaymentDiscountTier {
  minMonths: number;
  rateBp: number;
}

/** A late-fee cap: a share of the principal, or a fixed amount. */
export type LateFeeCap = { kind: 'percentOfPrincipal'; bp: number } | { kind: 'fixed'; fen: Fen };

/**
 * Late fee (滞纳金), a contractual penalty: off unless `enabled`. Accrues `rateBpPerDay` of the
 * outstanding principal (never on earlier late fees) for each day after the due date beyond
 * `graceDays`, never above `cap` (courts reduce excessive penalties, so a cap is mandatory).
 */
export interface LateFeeRule {
  enabled: boolean;
  /** e.g. 30 = 0.3% a day (千分之三), 5 = 0.05% (万分之五). */
  rateBpPerDay: number;
  /** Days after the due date with no late fee; day `graceDays + 1` after the due date is the first. */
  graceDays: number;
  cap: LateFeeCap;
  rounding?: RoundingMode;
}

export interface FeeStandard {
  itemId: string;
  /** Shown to owners, e.g. "物业服务费". */
  name: string;
  kind: FeeKind;
  cycle: BillingCycle;
  /** First month of the cycle year (1 = calendar quarters/half-years/years). Default 1. */
  firstMonth?: number;
  billingMode: BillingMode;
  /** Day of the billing month the charge falls due, 1..31, clamped to the month's end. */
  dueDay: number;
  /** Rounding to the fen, once per line item. Default half-up. */
  rounding?: RoundingMode;
  applicability: Applicability;
  /** At least one; effective dates unique. */
  versions: readonly FeeStandardVersion[];
  /** Last day the standard applies (inclusive), when it has been withdrawn. */
  effectiveTo?: string;
  vacancyDiscount?: VacancyDiscountRule;
  prepaymentDiscount?: readonly PrepaymentDiscountTier[];
  lateFee?: LateFeeRule;
}

/** A room as the fee calculation needs it. */
export interface BillableRoom {
  roomId: string;
  buildingId: string;
  /** e.g. "residential", "commercial", "office", "parking". */
  useType: string;
  /** 建筑面积 in centi-m² (8947 = 89.47 m²); absent or null when not surveyed. */
  buildingAreaCm2?: number | null;
  /** 套内面积 in centi-m². */
  innerAreaCm2?: number | null;
  /** The paying owner; a room without one is not billed. */
  ownerId?: string | null;
  /** First day fees accrue (交付 / move-in), inclusive; absent = no start limit. */
  billableFrom?: string | null;
  /** Last day fees accrue (move-out / transfer), inclusive; absent = no end. */
  billableTo?: string | null;
  /** Parking spaces billed with this room (parking items). */
  parkingSpaces?: number;
  /**
   * Set when the target is a parking space or storeroom (domain/community/spaces.ts) rather than
   * a room: only standards with the `spaces` scope apply to it, and those apply to nothing else.
   */
  spaceKind?: string;
}

export type VacancyStatus = 'pending' | 'approved' | 'rejected' | 'revoked';

export interface VacancyRecord {
  roomId: string;
  /** Inclusive range of the vacancy. */
  from: string;
  to: string;
  status: VacancyStatus;
}

export interface MeterReading {
  previous: Quantity;
  current: Quantity;
  /** Meter ratio (倍率), default 1. */
  multiplier?: Quantity;
  /** Line loss / shared allocation added to the usage (损耗), default 0. */
  loss?: Quantity;
  /** Usage already billed in the same tier year/period (cumulative tiers); default 0. */
  priorUsage?: Quantity;
  /** Day the reading was taken; chooses the standard version (default: the window's last day). */
  readOn?: string;
}

/** Per-run inputs that are not part of the room or the standard. */
export interface BillContext {
  /** Meter readings by itemId. */
  readings?: Readonly<Record<string, MeterReading>>;
  /** Vacancy records of the room; only `approved` ones count. */
  vacancies?: readonly VacancyRecord[];
  /** One-off items to raise for this room in this run (e.g. a decoration deposit). */
  oneOffItemIds?: readonly string[];
}

/** One standard version's share of a line. */
export interface LineSegment {
  versionId: string;
  from: string;
  to: string;
  /** Display unit price, e.g. "2.3500". */
  unitPrice: string;
  /** Display time factor, e.g. "3 个月", "15/31 天", "14/30 天 + 2 个月"; "" for meters. */
  months: string;
}

export interface FeeLine {
  /** `${roomId}:${period}:${itemId}`: deterministic, for idempotent issuing. */
  key: string;
  itemId: string;
  name: string;
  kind: FeeKind;
  /** Display quantity: "89.47" (m²), "250" (kWh), "1" (户), "2" (个). */
  quantity: string;
  quantityUnit: string;
  /** Display unit price ("2.3500"); " / "-joined when the standard changed in the range. */
  unitPrice: string;
  /** e.g. "元/m²/月", "元/kWh". */
  priceUnit: string;
  /** Display time factor ("3 个月", "15/31 天"); null for meters and one-off charges. */
  months: string | null;
  /** The charged range (inclusive). */
  from: string;
  to: string;
  dueDate: string;
  amountFen: Fen;
  /** Plain-words computation: "建筑面积 89.47 m² × 2.3500 元/m²/月 × 3 个月 = ¥630.76". */
  basis: string;
  segments: LineSegment[];
}

export type DiscountKind = 'vacancy' | 'prepayment';

export interface FeeDiscount {
  /** `${lineKey}:${kind}`. */
  key: string;
  lineKey: string;
  itemId: string;
  kind: DiscountKind;
  name: string;
  rateBp: number;
  /** Positive: subtracted from the bill total; never above its line's amount. */
  amountFen: Fen;
  basis: string;
}

/** Why one standard produced no line for a room. */
export type ItemSkipReason =
  | 'notApplicable'
  | 'notInCycle'
  | 'notOccupied'
  | 'noVersion'
  | 'noArea'
  | 'noParking'
  | 'noReading'
  | 'invalidReading'
  | 'notRequested';

/** Why a room gets no bill this period. */
export type BillSkipReason = 'noOwner' | 'noArea' | 'vacant' | 'notApplicable' | 'nothingDue';

export interface ItemSkip {
  itemId: string;
  reason: ItemSkipReason;
}

export interface ComputedBill {
  /** `${roomId}:${period}`. */
  key: string;
  roomId: string;
  period: string;
  lines: FeeLine[];
  discounts: FeeDiscount[];
  /** Σ lines − Σ discounts, ≥ 0. */
  totalFen: Fen;
  /** Earliest line due date; null without lines. */
  dueDate: string | null;
  skippedItems: ItemSkip[];
  /** Set when no bill should be issued. */
  skipped?: BillSkipReason;
}
