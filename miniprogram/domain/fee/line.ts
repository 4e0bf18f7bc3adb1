/**
 * One line item of a bill: exact arithmetic with big.js, rounded to the fen once, with its basis
 * in plain words. Unit prices show 4 decimals (2.3500 元/m²/月) and money always 2 (¥630.76).
 */
import Big from 'big.js';
import { type Fen, fenToYuanString, formatYuan } from '../kernel/money';
import { meterUsage } from './meter';
import { type DateRange, type MonthSlice, intersectRanges, sliceByMonth } from './period';
import { monthsFactorText, monthsFraction, monthsText } from './proration';
import {
  type Fraction,
  addFractions,
  assertAreaCm2,
  formatAreaCm2,
  formatPriceE4,
  formatQuantity,
  fraction,
  fractionToFen,
  scaleFraction,
  toQuantity,
} from './rounding';
import { splitTiers, tiersAmountE4 } from './tiers';
import type {
  BillableRoom,
  FeeLine,
  FeePricing,
  FeeStandard,
  FeeStandardVersion,
  ItemSkipReason,
  LineSegment,
  MeterReading,
} from './types';
import { resolveVersions, versionOn } from './versions';
import type { RoundingMode } from '../kernel/exact';

export type LineOutcome = { line: FeeLine } | { skipped: ItemSkipReason };

export interface LineInput {
  /** Deterministic line key, `${roomId}:${period}:${itemId}` (see lineKey). */
  key: string;
  standard: FeeStandard;
  room: BillableRoom;
  /** The range being charged (a whole cycle in a billing run), inclusive. */
  window: DateRange;
  dueDate: string;
  /** Required for meter items. */
  reading?: MeterReading;
}

const OPEN_RANGE: DateRange = { from: '1900-01-01', to: '2999-12-31' };

export function roundingOf(standard: FeeStandard): RoundingMode {
  return standard.rounding ?? 'halfUp';
}

/** Days the room is billable (move-in … move-out) within the standard's life. */
export function billableRange(standard: FeeStandard, room: BillableRoom): DateRange {
  const roomRange = {
    from: room.billableFrom ?? OPEN_RANGE.from,
    to: room.billableTo ?? OPEN_RANGE.to,
  };
  const life = { from: OPEN_RANGE.from, to: standard.effectiveTo ?? OPEN_RANGE.to };
  return intersectRanges(roomRange, life) ?? { from: OPEN_RANGE.to, to: OPEN_RANGE.from };
}

interface PeriodicQuantity {
  /** Quantity in natural units (m², 户, 个). */
  quantity: Big;
  display: string;
  quantityUnit: string;
  /** "建筑面积 89.47 m²" or "" (1 户 goes unsaid). */
  quantityText: string;
  priceUnit: string;
  priceDecimals: 2 | 4;
}

function periodicQuantity(
  pricing: FeePricing,
  room: BillableRoom,
): PeriodicQuantity | ItemSkipReason {
  switch (pricing.kind) {
    case 'area': {
      const cm2 = pricing.areaBasis === 'building' ? room.buildingAreaCm2 : room.innerAreaCm2;
      if (cm2 == null || cm2 === 0) return 'noArea';
      assertAreaCm2(cm2);
      const label = pricing.areaBasis === 'building' ? '建筑面积' : '套内面积';
      const text = formatAreaCm2(cm2);
      return {
        quantity: new Big(cm2).div(100),
        display: text,
        quantityUnit: 'm²',
        quantityText: `${label} ${text} m²`,
        priceUnit: '元/m²/月',
        priceDecimals: 4,
      };
    }
    case 'fixed':
      return {
        quantity: new Big(1),
        display: '1',
        quantityUnit: '户',
        quantityText: '',
        priceUnit: '元/户/月',
        priceDecimals: 2,
      };
    case 'parking': {
      const spaces = room.parkingSpaces ?? 0;
      if (!Number.isSafeInteger(spaces) || spaces < 0) {
        throw new RangeError(`parkingSpaces must be a non-negative integer, got ${spaces}`);
      }
      if (spaces === 0) return 'noParking';
      return {
        quantity: new Big(spaces),
        display: String(spaces),
        quantityUnit: '个',
        quantityText: `车位 ${spaces} 个`,
        priceUnit: '元/个/月',
        priceDecimals: 2,
      };
    }
    default:
      throw new RangeError(`${pricing.kind} is not a monthly-priced fee`);
  }
}

interface PeriodicGroup {
  version: FeeStandardVersion;
  slices: MonthSlice[];
  quantity: PeriodicQuantity;
  unitPriceE4: number;
}

/** A monthly-priced charge over some ranges: exact amount (fen) and its parts. */
export interface PeriodicCharge {
  groups: PeriodicGroup[];
  /** Exact amount in fen, before rounding. */
  exactFen: Fraction;
  /** "建筑面积 89.47 m² × 2.3500 元/m²/月 × 3 个月" (without "= ¥…"). */
  expression: string;
}

/**
 * The exact charge of a monthly-priced standard (area, fixed, parking) over `ranges`: each range
 * is split at version effective dates, then by calendar month; each month counts
 * days ÷ days in that month. Nothing is rounded here.
 */
export function periodicCharge(
  standard: FeeStandard,
  room: BillableRoom,
  ranges: readonly DateRange[],
): PeriodicCharge | ItemSkipReason {
  const groups: PeriodicGroup[] = [];
  for (const range of ranges) {
    for (const segment of resolveVersions(standard.versions, range.from, range.to)) {
      const slices = sliceByMonth(segment);
      const last = groups[groups.length - 1];
      if (last && last.version.versionId === segment.version.versionId) {
        last.slices.push(...slices);
        continue;
      }
      const pricing = segment.version.pricing;
      if (pricing.kind !== standard.kind) {
        throw new RangeError(
          `standard ${standard.itemId} mixes ${standard.kind} and ${pricing.kind}`,
        );
      }
      const quantity = periodicQuantity(pricing, room);
      if (typeof quantity === 'string') return quantity;
      const unitPriceE4 = 'unitPriceE4' in pricing ? pricing.unitPriceE4 : 0;
      groups.push({ version: segment.version, slices, quantity, unitPriceE4 });
    }
  }
  if (groups.length === 0) return 'noVersion';
  // price (0.0001 元) × quantity × months ÷ 100 = fen
  const exactFen = groups
    .map((g) =>
      scaleFraction(monthsFraction(g.slices), g.quantity.quantity.times(g.unitPriceE4), 100),
    )
    .reduce((sum, f) => addFractions(sum, f), fraction(0));
  return { groups, exactFen, expression: periodicExpression(groups) };
}

function periodicExpression(groups: readonly PeriodicGroup[]): string {
  const priceTime = (g: PeriodicGroup) =>
    `${formatPriceE4(g.unitPriceE4, g.quantity.priceDecimals)} ${g.quantity.priceUnit} × ${monthsFactorText(g.slices)}`;
  const withQuantity = (q: string, rest: string) => (q ? `${q} × ${rest}` : rest);
  const first = groups[0];
  if (!first) return '';
  if (groups.length === 1) return withQuantity(first.quantity.quantityText, priceTime(first));
  const sameQuantity = groups.every((g) => g.quantity.quantityText === first.quantity.quantityText);
  if (sameQuantity) {
    return withQuantity(first.quantity.quantityText, `(${groups.map(priceTime).join(' + ')})`);
  }
  return groups.map((g) => withQuantity(g.quantity.quantityText, priceTime(g))).join(' + ');
}

function joinUnique(values: readonly string[]): string {
  return [...new Set(values)].join(' / ');
}

function periodicLine(input: LineInput): LineOutcome {
  const { standard, room } = input;
  const range = intersectRanges(input.window, billableRange(standard, room));
  if (!range) return { skipped: 'notOccupied' };
  const charge = periodicCharge(standard, room, [range]);
  if (typeof charge === 'string') return { skipped: charge };
  const amountFen = fractionToFen(charge.exactFen, roundingOf(standard));
  const groups = charge.groups;
  const first = groups[0] as PeriodicGroup;
  const lastGroup = groups[groups.length - 1] as PeriodicGroup;
  const allSlices = groups.flatMap((g) => g.slices);
  const segments: LineSegment[] = groups.map((g) => ({
    versionId: g.version.versionId,
    from: (g.slices[0] as MonthSlice).from,
    to: (g.slices[g.slices.length - 1] as MonthSlice).to,
    unitPrice: formatPriceE4(g.unitPriceE4, g.quantity.priceDecimals),
    months: monthsText(g.slices),
  }));
  return {
    line: {
      key: input.key,
      itemId: standard.itemId,
      name: standard.name,
      kind: standard.kind,
      quantity: joinUnique(groups.map((g) => g.quantity.display)),
      quantityUnit: first.quantity.quantityUnit,
      unitPrice: joinUnique(segments.map((s) => s.unitPrice)),
      priceUnit: first.quantity.priceUnit,
      months: monthsText(allSlices),
      from: (first.slices[0] as MonthSlice).from,
      to: (lastGroup.slices[lastGroup.slices.length - 1] as MonthSlice).to,
      dueDate: input.dueDate,
      amountFen,
      basis: `${charge.expression} = ${formatYuan(amountFen)}`,
      segments,
    },
  };
}

function meterLine(input: LineInput): LineOutcome {
  const { standard, reading, window } = input;
  if (!reading) return { skipped: 'noReading' };
  const usage = meterUsage(reading);
  if (usage.lt(0)) return { skipped: 'invalidReading' };
  const readOn = reading.readOn ?? window.to;
  const version = versionOn(standard.versions, readOn);
  if (!version || (standard.effectiveTo !== undefined && readOn > standard.effectiveTo)) {
    return { skipped: 'noVersion' };
  }
  const pricing = version.pricing;
  if (pricing.kind !== 'meter') {
    throw new RangeError(`standard ${standard.itemId} mixes meter and ${pricing.kind}`);
  }
  const prior = toQuantity(reading.priorUsage ?? 0, 'priorUsage');
  const uses = splitTiers(pricing.tiers, usage, prior);
  const amountFen = fractionToFen(fraction(tiersAmountE4(uses), 100), roundingOf(standard));
  const unit = pricing.unit;
  const price = (e4: number) => `${formatPriceE4(e4)} 元/${unit}`;

  const prev = formatQuantity(toQuantity(reading.previous, 'previous'));
  const cur = formatQuantity(toQuantity(reading.current, 'current'));
  const multiplier = toQuantity(reading.multiplier ?? 1, 'multiplier');
  const loss = toQuantity(reading.loss ?? 0, 'loss');
  let expression = multiplier.eq(1)
    ? `${cur} − ${prev}`
    : `(${cur} − ${prev}) × ${formatQuantity(multiplier)}`;
  if (loss.gt(0)) expression += ` + ${formatQuantity(loss)}`;
  const usageText = `用量 ${expression} = ${formatQuantity(usage)} ${unit}`;
  let priced: string;
  const firstTier = pricing.tiers[0];
  if (pricing.tiers.length === 1 && firstTier) {
    priced = `${usageText} × ${price(firstTier.unitPriceE4)}`;
  } else {
    const priorText = prior.gt(0) ? `（本阶梯周期已用 ${formatQuantity(prior)} ${unit}）` : '';
    const parts = uses.map(
      (u) => `${formatQuantity(u.quantity)} ${unit} × ${price(u.unitPriceE4)}`,
    );
    priced = `${usageText}${priorText}：${parts.length > 0 ? parts.join(' + ') : `0 ${unit}`}`;
  }
  const prices = uses.length > 0 ? uses.map((u) => u.unitPriceE4) : [firstTier?.unitPriceE4 ?? 0];
  return {
    line: {
      key: input.key,
      itemId: standard.itemId,
      name: standard.name,
      kind: 'meter',
      quantity: formatQuantity(usage),
      quantityUnit: unit,
      unitPrice: joinUnique(prices.map((p) => formatPriceE4(p))),
      priceUnit: `元/${unit}`,
      months: null,
      from: window.from,
      to: window.to,
      dueDate: input.dueDate,
      amountFen,
      basis: `${priced} = ${formatYuan(amountFen)}`,
      segments: [
        {
          versionId: version.versionId,
          from: window.from,
          to: window.to,
          unitPrice: joinUnique(prices.map((p) => formatPriceE4(p))),
          months: '',
        },
      ],
    },
  };
}

function oneOffLine(input: LineInput): LineOutcome {
  const { standard, window } = input;
  const version = versionOn(standard.versions, window.from);
  if (!version || (standard.effectiveTo !== undefined && window.from > standard.effectiveTo)) {
    return { skipped: 'noVersion' };
  }
  const pricing = version.pricing;
  if (pricing.kind !== 'oneOff') {
    throw new RangeError(`standard ${standard.itemId} mixes oneOff and ${pricing.kind}`);
  }
  const amountFen: Fen = pricing.amountFen;
  const unitPrice = fenToYuanString(amountFen);
  return {
    line: {
      key: input.key,
      itemId: standard.itemId,
      name: standard.name,
      kind: 'oneOff',
      quantity: '1',
      quantityUnit: '次',
      unitPrice,
      priceUnit: '元/次',
      months: null,
      from: window.from,
      to: window.to,
      dueDate: input.dueDate,
      amountFen,
      basis: `一次性收费 ${formatYuan(amountFen)}`,
      segments: [
        { versionId: version.versionId, from: window.from, to: window.to, unitPrice, months: '' },
      ],
    },
  };
}

/**
 * Computes one standard's line for a room over `window`: monthly-priced kinds (area, fixed,
 * parking) are prorated by days to the room's billable range and split at version changes;
 * meters charge the reading's usage through the tiers of the version in force on the reading
 * day; one-off charges take the version in force on the window's first day. Applicability and
 * billing cycles are decided by the caller (computeBill).
 */
export function computeLine(input: LineInput): LineOutcome {
  switch (input.standard.kind) {
    case 'area':
    case 'fixed':
    case 'parking':
      return periodicLine(input);
    case 'meter':
      return meterLine(input);
    case 'oneOff':
      return oneOffLine(input);
    default:
      throw new RangeError(`unknown fee kind ${String(input.standard.kind)}`);
  }
}
