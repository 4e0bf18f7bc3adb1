/**
 * Discounts on a line: vacancy (空置优惠, only for days of an approved vacancy record) and
 * prepayment (预缴优惠, paying N months ahead). A discount is its own entry with its own basis,
 * rounded with the line's rounding mode and never above what is left of the line.
 */
import Big from 'big.js';
import { type Fen, formatYuan } from '../kernel/money';
import { billableRange, periodicCharge, roundingOf } from './line';
import { addDays, assertDate, type DateRange, intersectRanges } from './period';
import { mergeRanges } from './proration';
import { formatBp, fractionToFen } from './rounding';
import type {
  BillableRoom,
  DiscountKind,
  FeeDiscount,
  FeeLine,
  FeeStandard,
  PrepaymentDiscountTier,
  VacancyRecord,
} from './types';
import { roundToFen } from '../kernel/exact';

/** The room's approved vacancy ranges, merged. Pending, rejected and revoked ones never count. */
export function approvedVacancies(
  vacancies: readonly VacancyRecord[],
  roomId: string,
): DateRange[] {
  const approved = vacancies.filter((v) => v.roomId === roomId && v.status === 'approved');
  for (const v of approved) {
    assertDate(v.from, 'vacancy.from');
    assertDate(v.to, 'vacancy.to');
  }
  return mergeRanges(approved, (d) => addDays(d, 1));
}

function rangesText(ranges: readonly DateRange[]): string {
  return ranges.map((r) => `${r.from} 至 ${r.to}`).join('、');
}

function applyRate(baseFen: Fen, rateBp: number, standard: FeeStandard): Fen {
  return Math.min(baseFen, roundToFen(new Big(baseFen).times(rateBp), 10000, roundingOf(standard)));
}

export interface VacancyDiscountInput {
  line: FeeLine;
  standard: FeeStandard;
  room: BillableRoom;
  vacancies: readonly VacancyRecord[];
}

/**
 * The vacancy discount on a monthly-priced line (area, fixed, parking), or null. When approved
 * vacancy covers the whole charged range the base is the line amount; otherwise it is the charge
 * for the vacant days alone, computed and rounded like a line, shown in the basis.
 */
export function vacancyDiscount(input: VacancyDiscountInput): FeeDiscount | null {
  const { line, standard, room } = input;
  const rule = standard.vacancyDiscount;
  if (!rule || rule.rateBp === 0 || line.amountFen === 0) return null;
  if (standard.kind !== 'area' && standard.kind !== 'fixed' && standard.kind !== 'parking')
    return null;
  const charged = intersectRanges(line, billableRange(standard, room));
  if (!charged) return null;
  const vacant = approvedVacancies(input.vacancies, room.roomId)
    .map((r) => intersectRanges(r, charged))
    .filter((r): r is DateRange => r !== null);
  if (vacant.length === 0) return null;
  const rate = formatBp(rule.rateBp);
  const whole =
    vacant.length === 1 && vacant[0]?.from === charged.from && vacant[0]?.to === charged.to;
  let baseFen: Fen;
  let basis: string;
  if (whole) {
    baseFen = line.amountFen;
    basis = `空置 ${rangesText(vacant)}：${formatYuan(baseFen)} × ${rate}`;
  } else {
    const charge = periodicCharge(standard, room, vacant);
    if (typeof charge === 'string') return null;
    baseFen = Math.min(line.amountFen, fractionToFen(charge.exactFen, roundingOf(standard)));
    basis = `空置 ${rangesText(vacant)}：${charge.expression} = ${formatYuan(baseFen)}；× ${rate}`;
  }
  return discountOf(line, standard, 'vacancy', rule.rateBp, baseFen, basis);
}

/** The best rate among the tiers whose `minMonths` ≤ `months`; 0 when none applies. */
export function prepaymentRateBp(tiers: readonly PrepaymentDiscountTier[], months: number): number {
  return tiers.reduce((best, t) => (t.minMonths <= months && t.rateBp > best ? t.rateBp : best), 0);
}

/**
 * The prepayment discount on a line covering `months` months paid ahead, or null. `baseFen` is
 * what is left of the line after other discounts (default: the line amount).
 */
export function prepaymentDiscount(
  line: FeeLine,
  standard: FeeStandard,
  months: number,
  baseFen: Fen = line.amountFen,
): FeeDiscount | null {
  const rateBp = prepaymentRateBp(standard.prepaymentDiscount ?? [], months);
  if (rateBp === 0 || baseFen <= 0) return null;
  const basis = `预缴 ${months} 个月：${formatYuan(baseFen)} × ${formatBp(rateBp)}`;
  return discountOf(line, standard, 'prepayment', rateBp, baseFen, basis);
}

const DISCOUNT_NAMES: Record<DiscountKind, string> = {
  vacancy: '空置优惠',
  prepayment: '预缴优惠',
};

/**
 * A discount of `rateBp` on `baseFen` of a line, or null when it rounds to nothing; `basis` says
 * how the base was found and the amount is added to it.
 */
function discountOf(
  line: FeeLine,
  standard: FeeStandard,
  kind: DiscountKind,
  rateBp: number,
  baseFen: Fen,
  basis: string,
): FeeDiscount | null {
  const amountFen = applyRate(baseFen, rateBp, standard);
  if (amountFen === 0) return null;
  return {
    key: `${line.key}:${kind}`,
    lineKey: line.key,
    itemId: line.itemId,
    kind,
    name: DISCOUNT_NAMES[kind],
    rateBp,
    amountFen,
    basis: `${basis} = ${formatYuan(amountFen)}`,
  };
}
