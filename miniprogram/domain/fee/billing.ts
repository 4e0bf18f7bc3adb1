/**
 * The billing run (账单生成) as pure data: which standards fall due in a period, deterministic
 * bill ids and keys, turning a computed bill into the stored bill, the anomaly check against the
 * previous period, the preview/issue tallies, and the words owners and staff read (明码标价).
 * No I/O and no clock: the `fee` cloud function loads and writes, everything decided is here.
 */
import type { BillDoc, BillLineItem } from './bill';
import {
  type BillSkipReason,
  type BillingCycle,
  type BillingMode,
  type ComputedBill,
  type FeeKind,
  type FeePricing,
  type FeeStandard,
  type ItemSkipReason,
  type Applicability,
  type LateFeeRule,
  addMonths,
  chargeWindow,
  cycleContaining,
  cycleMonths,
  formatBp,
  formatPriceE4,
} from '.';
import { formatYuan, fenToYuanString } from '../kernel/money';
import { SPACE_KIND_LABELS, type SpaceKind, spaceLabel } from '../community/spaces';
import type { PassTotals } from './contract';

/** The price complaint hotline printed with every published fee standard (明码标价). */
export const PRICE_HOTLINE = '12358';

export { RESERVED_ITEM_IDS } from './types';

/** The key of the opening-arrears bill (期初欠费) of a room. */
export const OPENING_KEY = 'opening';

/**
 * A bill's key is the set of standards it charges, sorted: `property`, `energy+property`. The
 * same room, period and items always give the same key (and `_id`), so issuing twice writes
 * nothing new; items added to a period later go into a second bill with their own key.
 */
export function billKeyOf(itemIds: readonly string[]): string {
  if (itemIds.length === 0) throw new RangeError('a bill needs at least one item');
  return [...new Set(itemIds)].sort().join('+');
}

export function billDocId(roomId: string, period: string, key: string): string {
  return `b_${roomId}_${period}_${key}`;
}

export function runDocId(communityId: string, period: string): string {
  return `run_${communityId}_${period}`;
}

/** The prepaid ledger entry that pays (part of) a bill from the room's balance. */
export function prepaidApplicationId(billId: string): string {
  return `pa_${billId}`;
}

/** The prepaid ledger entry of a room's imported opening balance (期初预存). */
export function openingPrepaidId(roomId: string): string {
  return `op_${roomId}`;
}

/** Standard items charged by a bill (charges, not discounts). */
export function billedItemIds(bill: {
  items: readonly Pick<BillLineItem, 'itemId' | 'kind'>[];
  itemIds?: string[];
}): string[] {
  if (bill.itemIds && bill.itemIds.length > 0) return bill.itemIds;
  return bill.items.filter((i) => (i.kind ?? 'charge') === 'charge').map((i) => i.itemId);
}

// ---------------------------------------------------------------- which standards fall due

export interface DueItem {
  itemId: string;
  name: string;
  kind: FeeKind;
  cycle: BillingCycle;
  billingMode: BillingMode;
  /** The charged range (inclusive). */
  from: string;
  to: string;
  dueDate: string;
  /** Meter items: the usage period of the reading billed (the cycle's last month). */
  readingPeriod: string | null;
  /** The period of the same item's previous bill (for the anomaly check). */
  previousPeriod: string;
}

/**
 * The standards a billing run for `period` charges, with their windows. One-off items are
 * raised on request, never by a run; withdrawn standards whose last day is before the window,
 * and standards whose first version starts after it (not yet in effect), are left out.
 */
export function dueItems(standards: readonly FeeStandard[], period: string): DueItem[] {
  const out: DueItem[] = [];
  for (const s of standards) {
    if (s.kind === 'oneOff') continue;
    const w = chargeWindow(s, period);
    if (!w || !w.cycle) continue;
    if (s.effectiveTo !== undefined && s.effectiveTo < w.from) continue;
    const first = s.versions.reduce<string | null>(
      (min, v) => (min === null || v.effectiveFrom < min ? v.effectiveFrom : min),
      null,
    );
    if (first === null || first > w.to) continue;
    out.push({
      itemId: s.itemId,
      name: s.name,
      kind: s.kind,
      cycle: s.cycle,
      billingMode: s.billingMode,
      from: w.from,
      to: w.to,
      dueDate: w.dueDate,
      readingPeriod: s.kind === 'meter' ? w.cycle.end : null,
      previousPeriod: addMonths(period, -cycleMonths(s.cycle)),
    });
  }
  return out;
}

/**
 * The billing period to run for a requested month: the month itself when something falls due
 * then; otherwise the first month of the prepaid cycle containing it (asking for 2026-08 runs
 * the quarter billed in 2026-07). When nothing matches, the month itself (nothing is due).
 */
export function resolveRunPeriod(standards: readonly FeeStandard[], period: string): string {
  if (dueItems(standards, period).length > 0) return period;
  let best: string | null = null;
  for (const s of standards) {
    if (s.kind === 'oneOff' || s.billingMode !== 'prepaid') continue;
    const start = cycleContaining(period, s.cycle, s.firstMonth ?? 1).start;
    if (dueItems([s], start).length > 0 && (best === null || start > best)) best = start;
  }
  return best ?? period;
}

// ---------------------------------------------------------------- computed bill → stored bill

/** What a room still owes for a period after the items already billed (earlier runs, imports). */
export function remainingBill(
  computed: ComputedBill,
  alreadyBilled: ReadonlySet<string>,
): ComputedBill {
  const lines = computed.lines.filter((l) => !alreadyBilled.has(l.itemId));
  const keys = new Set(lines.map((l) => l.key));
  const discounts = computed.discounts.filter((d) => keys.has(d.lineKey));
  const totalFen =
    lines.reduce((s, l) => s + l.amountFen, 0) - discounts.reduce((s, d) => s + d.amountFen, 0);
  const dueDate = lines.reduce<string | null>(
    (min, l) => (min === null || l.dueDate < min ? l.dueDate : min),
    null,
  );
  return { ...computed, lines, discounts, totalFen, dueDate };
}

export const CYCLE_LABELS: Record<BillingCycle, string> = {
  monthly: '月度',
  quarterly: '季度',
  halfYear: '半年',
  yearly: '年度',
};

/**
 * What a bill is for, e.g. "物业服务费、公共能耗费（季度）" when every line covers the same
 * cycle from the period's first day (prepaid), else "水费、电费". The months it covers are not in
 * the title: every page shows them from the lines' ranges (`billMonths`, one format).
 */
export function billTitle(
  period: string,
  lines: readonly { name: string; from: string }[],
  cycles: readonly BillingCycle[],
): string {
  const names = lines.map((l) => l.name);
  const shown = names.length > 3 ? `${names.slice(0, 3).join('、')}等` : names.join('、');
  const sameCycle = cycles.length > 0 && cycles.every((c) => c === cycles[0]);
  const fromStart = lines.every((l) => l.from === `${period}-01`);
  if (sameCycle && fromStart && cycles[0] && cycles[0] !== 'monthly') {
    return `${shown}（${CYCLE_LABELS[cycles[0]]}）`;
  }
  return shown;
}

export interface IssuedBill extends BillDoc {
  communityId: string;
  /** Building code of the room (for totals per building). */
  building: string;
  itemIds: string[];
  /** Revision of each standard when the bill was issued. */
  standardRevisions: Record<string, number>;
  prepaidAppliedFen: number;
  runId: string;
  issuedAt: Date;
  /** Late-fee rules in force when issued, by item (only enabled ones; accrual is separate). */
  lateFeeRules?: Record<string, LateFeeRule>;
}

/**
 * A bill as the run decides it, before the ledger issues it: everything but its money state
 * (paid, late fee, status), which only the ledger (`cloudfunctions/_shared/ledger`) sets.
 */
export type BillDraft = Omit<IssuedBill, 'lateFeeFen' | 'paidFen' | 'prepaidAppliedFen' | 'status'>;

export interface BillDocInput {
  computed: ComputedBill;
  communityId: string;
  building: string;
  runId: string;
  issuedAt: Date;
  standards: ReadonlyMap<string, { standard: FeeStandard; revision: number }>;
  /** Reading document ids of meter lines, by item. */
  readingIds?: Readonly<Record<string, string>>;
  /** A parking space or storeroom billed with its holder's room (`computed.roomId`). */
  space?: BillSpace;
}

/** The space a bill charges for, when it is not the room itself. */
export interface BillSpace {
  spaceId: string;
  number: string;
  kind: SpaceKind;
}

/**
 * A space's bill key: its items and the space number (`parkrent@B2-017`), so each space of a
 * room has its own bill, `_id` and prepaid marker beside the room's own bills.
 */
export function spaceBillKey(itemKey: string, number: string): string {
  return `${itemKey}@${number}`;
}

/**
 * The bill for a (remaining) computed bill: charge items with their basis in plain words, then
 * each discount as a negative item right after its line, so the items always add up to the
 * amount due. Deterministic `_id` and `key` from room, period and items.
 */
export function billDraftFor(input: BillDocInput): BillDraft {
  const { computed } = input;
  if (computed.lines.length === 0) throw new RangeError('nothing to bill');
  const itemIds = computed.lines.map((l) => l.itemId);
  const space = input.space;
  const key = space ? spaceBillKey(billKeyOf(itemIds), space.number) : billKeyOf(itemIds);
  const items: BillLineItem[] = [];
  const cycles: BillingCycle[] = [];
  const revisions: Record<string, number> = {};
  const lateFeeRules: Record<string, LateFeeRule> = {};
  for (const line of computed.lines) {
    const meta = input.standards.get(line.itemId);
    if (meta) {
      cycles.push(meta.standard.cycle);
      revisions[line.itemId] = meta.revision;
      if (meta.standard.lateFee?.enabled) lateFeeRules[line.itemId] = meta.standard.lateFee;
    }
    const readingId = input.readingIds?.[line.itemId];
    items.push({
      itemId: line.itemId,
      name: line.name,
      basis: line.basis,
      amountFen: line.amountFen,
      kind: 'charge',
      feeKind: line.kind,
      quantity: line.quantity,
      quantityUnit: line.quantityUnit,
      unitPrice: line.unitPrice,
      priceUnit: line.priceUnit,
      months: line.months,
      from: line.from,
      to: line.to,
      versionIds: [...new Set(line.segments.map((s) => s.versionId))],
      ...(readingId ? { readingId } : {}),
    });
    for (const d of computed.discounts.filter((x) => x.lineKey === line.key)) {
      items.push({
        itemId: d.itemId,
        name: d.name,
        basis: d.basis,
        amountFen: -d.amountFen,
        kind: 'discount',
        discountKind: d.kind,
        rateBp: d.rateBp,
      });
    }
  }
  const doc: BillDraft = {
    _id: billDocId(computed.roomId, computed.period, key),
    communityId: input.communityId,
    roomId: computed.roomId,
    period: computed.period,
    key,
    title: `${space ? `${spaceLabel(space)} · ` : ''}${billTitle(computed.period, computed.lines, cycles)}`,
    items,
    amountDueFen: computed.totalFen,
    dueDate: computed.dueDate ?? `${computed.period}-01`,
    building: input.building,
    itemIds: [...itemIds].sort(),
    standardRevisions: revisions,
    runId: input.runId,
    issuedAt: input.issuedAt,
  };
  if (Object.keys(lateFeeRules).length > 0) doc.lateFeeRules = lateFeeRules;
  if (space) {
    doc.spaceId = space.spaceId;
    doc.spaceLabel = spaceLabel(space);
    doc.spaceKind = space.kind;
  }
  return doc;
}

// ---------------------------------------------------------------- anomalies

export interface Anomaly {
  roomId: string;
  itemId: string;
  name: string;
  previousFen: number;
  currentFen: number;
  /** Signed change in basis points of the previous amount (2500 = +25%). */
  changeBp: number;
}

/** 20%: a line that moved more than this against the same item last period is shown to staff. */
export const ANOMALY_THRESHOLD_BP = 2000;

/**
 * Lines whose amount changed by more than `thresholdBp` against the same item's amount on the
 * room's previous bill (`previous`: itemId → fen). Items new this period are not anomalies.
 */
export function lineAnomalies(
  roomId: string,
  lines: readonly { itemId: string; name: string; amountFen: number }[],
  previous: ReadonlyMap<string, number>,
  thresholdBp = ANOMALY_THRESHOLD_BP,
): Anomaly[] {
  const out: Anomaly[] = [];
  for (const line of lines) {
    const before = previous.get(line.itemId);
    if (before === undefined || before <= 0) continue;
    const delta = line.amountFen - before;
    // |Δ| / before > threshold, in integers.
    if (Math.abs(delta) * 10000 > thresholdBp * before) {
      out.push({
        roomId,
        itemId: line.itemId,
        name: line.name,
        previousFen: before,
        currentFen: line.amountFen,
        changeBp: Math.round((delta * 10000) / before),
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------- run tallies

/** `invalidData`: the room's record could not be billed (e.g. a malformed date); see the log. */
export type RoomSkipReason = BillSkipReason | 'alreadyIssued' | 'invalidData';
export type LineSkipReason = ItemSkipReason | 'readingFlagged';

export const ROOM_SKIP_LABELS: Record<RoomSkipReason, string> = {
  noOwner: '无业主信息',
  noArea: '缺少面积',
  vacant: '空置（已批准全额减免）',
  notApplicable: '没有适用的收费项目',
  nothingDue: '本期无应收',
  alreadyIssued: '本期已出账',
  invalidData: '房屋资料有误，无法计费',
};

export const ITEM_SKIP_LABELS: Record<LineSkipReason, string> = {
  notApplicable: '不适用',
  notInCycle: '本期不收',
  notOccupied: '不在计费期内（未交付或已迁出）',
  noVersion: '该期间没有生效的标准',
  noArea: '缺少面积',
  noParking: '没有车位',
  noReading: '未录入读数',
  invalidReading: '读数无效',
  notRequested: '未申请',
  readingFlagged: '读数待确认',
};

/** Samples kept per list in a run document (the counts are always complete). */
export const SAMPLE_LIMIT = 200;

/** The totals of PassTotals, each a number that chunks of a pass add up. */
export const PASS_TOTALS = [
  'roomsScanned',
  'bills',
  'totalFen',
  'chargesFen',
  'discountsFen',
  'prepaidAppliedFen',
  'prepaidRooms',
] as const satisfies readonly (keyof PassTotals)[];

/** The totals of a tally, without its breakdowns. */
export function passTotals(t: PassTotals): PassTotals {
  const out = {} as PassTotals;
  for (const k of PASS_TOTALS) out[k] = t[k];
  return out;
}

export interface PassTally extends PassTotals {
  byBuilding: Record<string, { bills: number; totalFen: number }>;
  byItem: Record<string, { name: string; lines: number; amountFen: number; discountFen: number }>;
  skipped: Partial<Record<RoomSkipReason, number>>;
  skippedRooms: { roomId: string; roomLabel: string; reason: RoomSkipReason }[];
  itemSkips: Record<string, Partial<Record<LineSkipReason, number>>>;
  itemSkipRooms: { roomId: string; roomLabel: string; itemId: string; reason: LineSkipReason }[];
  anomalies: (Anomaly & { roomLabel: string })[];
  anomalyCount: number;
}

export function emptyTally(): PassTally {
  return {
    roomsScanned: 0,
    bills: 0,
    totalFen: 0,
    chargesFen: 0,
    discountsFen: 0,
    prepaidAppliedFen: 0,
    prepaidRooms: 0,
    byBuilding: {},
    byItem: {},
    skipped: {},
    skippedRooms: [],
    itemSkips: {},
    itemSkipRooms: [],
    anomalies: [],
    anomalyCount: 0,
  };
}

/** Adds a bill to the tally (a bill to issue in a preview, an issued one in an issue pass). */
export function tallyBill(
  t: PassTally,
  building: string,
  bill: Pick<ComputedBill, 'lines' | 'discounts' | 'totalFen'>,
  prepaidAppliedFen = 0,
): void {
  t.bills += 1;
  t.totalFen += bill.totalFen;
  const b = t.byBuilding[building] ?? { bills: 0, totalFen: 0 };
  b.bills += 1;
  b.totalFen += bill.totalFen;
  t.byBuilding[building] = b;
  for (const line of bill.lines) {
    t.chargesFen += line.amountFen;
    const it = t.byItem[line.itemId] ?? { name: line.name, lines: 0, amountFen: 0, discountFen: 0 };
    it.lines += 1;
    it.amountFen += line.amountFen;
    t.byItem[line.itemId] = it;
  }
  for (const d of bill.discounts) {
    t.discountsFen += d.amountFen;
    const it = t.byItem[d.itemId];
    if (it) it.discountFen += d.amountFen;
  }
  if (prepaidAppliedFen > 0) {
    t.prepaidAppliedFen += prepaidAppliedFen;
    t.prepaidRooms += 1;
  }
}

export interface RoomRef {
  roomId: string;
  roomLabel: string;
}

export function tallyRoomSkip(t: PassTally, room: RoomRef, reason: RoomSkipReason): void {
  t.skipped[reason] = (t.skipped[reason] ?? 0) + 1;
  if (reason !== 'alreadyIssued' && t.skippedRooms.length < SAMPLE_LIMIT) {
    t.skippedRooms.push({ ...room, reason });
  }
}

/** Item-level skips worth a look (not "does not apply to this room"). */
export function tallyItemSkip(
  t: PassTally,
  room: RoomRef,
  itemId: string,
  reason: LineSkipReason,
): void {
  const counts = t.itemSkips[itemId] ?? {};
  counts[reason] = (counts[reason] ?? 0) + 1;
  t.itemSkips[itemId] = counts;
  if (reason !== 'notApplicable' && t.itemSkipRooms.length < SAMPLE_LIMIT) {
    t.itemSkipRooms.push({ ...room, itemId, reason });
  }
}

export function tallyAnomalies(t: PassTally, room: RoomRef, anomalies: readonly Anomaly[]): void {
  t.anomalyCount += anomalies.length;
  for (const a of anomalies) {
    if (t.anomalies.length < SAMPLE_LIMIT) t.anomalies.push({ ...a, roomLabel: room.roomLabel });
  }
}

// ---------------------------------------------------------------- words (明码标价)

export const FEE_KIND_LABELS: Record<FeeKind, string> = {
  area: '按面积计费',
  fixed: '按户计费',
  meter: '按表计量',
  oneOff: '一次性收费',
  parking: '车位管理',
};

export const BILLING_MODE_LABELS: Record<BillingMode, string> = {
  prepaid: '预收（每期首月收取）',
  postpaid: '后收（每期结束后次月收取）',
};

/**
 * A price in words for owners: 2 decimals where exact ("2.35 元/m²/月", 4 when the price needs
 * them), tiers spelled out, one-off charges in yuan.
 */
export function pricingText(pricing: FeePricing, decimals: 2 | 4 = 2): string {
  switch (pricing.kind) {
    case 'area':
      return `${formatPriceE4(pricing.unitPriceE4, decimals)} 元/m²/月（按${pricing.areaBasis === 'building' ? '建筑面积' : '套内面积'}）`;
    case 'fixed':
      return `${formatPriceE4(pricing.unitPriceE4, decimals)} 元/户/月`;
    case 'parking':
      return `${formatPriceE4(pricing.unitPriceE4, decimals)} 元/个/月`;
    case 'meter': {
      const unit = pricing.unit;
      if (pricing.tiers.length === 1 && pricing.tiers[0]) {
        return `${formatPriceE4(pricing.tiers[0].unitPriceE4, decimals)} 元/${unit}`;
      }
      let lower = 0;
      return pricing.tiers
        .map((t, i) => {
          const price = `${formatPriceE4(t.unitPriceE4, decimals)} 元/${unit}`;
          const range = t.upTo === null ? `${lower} ${unit} 以上` : `${lower}–${t.upTo} ${unit}`;
          if (t.upTo !== null) lower = t.upTo;
          return `第${i + 1}档 ${range}：${price}`;
        })
        .join('；');
    }
    case 'oneOff':
      return `${fenToYuanString(pricing.amountFen)} 元/次`;
    default:
      return '';
  }
}

export function applicabilityText(a: Applicability, useTypeLabels: Record<string, string>): string {
  switch (a.scope) {
    case 'all':
      return '全体房屋';
    case 'buildings':
      return a.buildingIds.map((b) => `${b}栋`).join('、');
    case 'useTypes':
      return a.useTypes.map((u) => useTypeLabels[u] ?? u).join('、');
    case 'rooms':
      return `指定的 ${a.roomIds.length} 户`;
    case 'spaces':
      return a.spaceKinds.map((k) => SPACE_KIND_LABELS[k as SpaceKind] ?? k).join('、');
    default:
      return '';
  }
}

/** The optional rules of a standard, one sentence each. */
export function rulesText(s: FeeStandard): string[] {
  const out: string[] = [];
  out.push(
    `${CYCLE_LABELS[s.cycle]}收取，${s.billingMode === 'prepaid' ? '每期首月' : '每期结束后次月'} ${s.dueDay} 日前缴纳`,
  );
  if (s.vacancyDiscount && s.vacancyDiscount.rateBp > 0) {
    out.push(`空置优惠：经审批的空置期间减收 ${formatBp(s.vacancyDiscount.rateBp)}`);
  }
  for (const t of s.prepaymentDiscount ?? []) {
    out.push(`预缴优惠：一次预缴满 ${t.minMonths} 个月减收 ${formatBp(t.rateBp)}`);
  }
  if (s.lateFee?.enabled) {
    const cap =
      s.lateFee.cap.kind === 'fixed'
        ? `最高 ${formatYuan(s.lateFee.cap.fen)}`
        : `最高为欠费本金的 ${formatBp(s.lateFee.cap.bp)}`;
    out.push(
      `滞纳金：逾期超过 ${s.lateFee.graceDays} 天后按欠费本金每日 ${formatBp(s.lateFee.rateBpPerDay)} 计收，${cap}；有争议或投诉处理期间暂停计收`,
    );
  } else {
    out.push('不收取滞纳金');
  }
  return out;
}

/** A basis ready to show: the stored text, with "= ¥…" added when an older bill lacks it. */
export function basisWithAmount(item: Pick<BillLineItem, 'basis' | 'amountFen'>): string {
  if (/=\s*-?¥/.test(item.basis)) return item.basis;
  return `${item.basis} = ${formatYuan(item.amountFen)}`;
}

/**
 * A fingerprint of the standards a run uses: their ids and revisions. A preview is only issued
 * while the fingerprint is unchanged (no price or rule change slipped in between).
 */
export function standardsFingerprint(
  docs: readonly { itemId: string; revision: number }[],
): string {
  return docs
    .map((d) => `${d.itemId}@${d.revision}`)
    .sort()
    .join(',');
}
