/**
 * The fee-standard forms of 收费标准 (admin/fees), pure: what is typed → a fee.saveStandard or
 * fee.addVersion input, with a Chinese message per field. Unit prices stay text (up to 4
 * decimals; the server stores integer 0.0001 元), never a float.
 */
import type { ActionInput } from '../../domain/api';
import type { BillingMode, FeeKind } from '../../domain/fee/types';
import type { BillingCycle } from '../../domain/fee/period';
import type { FeeStandardView } from '../../domain/fee/contract';
import { parseYuanInput } from '../../domain/kernel/money';
import type { RoundingMode } from '../../domain/kernel/exact';

export type SaveStandardInput = ActionInput<'fee', 'saveStandard'>;
export type AddVersionInput = ActionInput<'fee', 'addVersion'>;

export interface Option<T extends string> {
  value: T;
  label: string;
}

export const KIND_OPTIONS: Option<FeeKind>[] = [
  { value: 'area', label: '按面积' },
  { value: 'fixed', label: '按户定额' },
  { value: 'parking', label: '车位' },
  { value: 'meter', label: '按表计量' },
  { value: 'oneOff', label: '一次性' },
];
export const CYCLE_OPTIONS: Option<BillingCycle>[] = [
  { value: 'monthly', label: '月' },
  { value: 'quarterly', label: '季度' },
  { value: 'halfYear', label: '半年' },
  { value: 'yearly', label: '年' },
];
export const MODE_OPTIONS: Option<BillingMode>[] = [
  { value: 'prepaid', label: '预收' },
  { value: 'postpaid', label: '后收' },
];
export const ROUNDING_OPTIONS: Option<RoundingMode>[] = [
  { value: 'halfUp', label: '四舍五入' },
  { value: 'down', label: '舍去' },
  { value: 'up', label: '进位' },
];
export const BASIS_OPTIONS: Option<'building' | 'inner'>[] = [
  { value: 'building', label: '建筑面积' },
  { value: 'inner', label: '套内面积' },
];

/** The price unit shown after the unit-price field, by kind. */
export function priceUnit(kind: FeeKind, meterUnit = ''): string {
  switch (kind) {
    case 'area':
      return '元/m²/月';
    case 'fixed':
      return '元/户/月';
    case 'parking':
      return '元/个/月';
    case 'meter':
      return `元/${meterUnit || '单位'}`;
    default:
      return '元';
  }
}

export interface StandardForm {
  itemId: string;
  name: string;
  kind: FeeKind;
  areaBasis: 'building' | 'inner';
  unitPrice: string;
  meterUnit: string;
  /** oneOff: the amount in yuan */
  amount: string;
  cycle: BillingCycle;
  firstMonth: string;
  billingMode: BillingMode;
  dueDay: string;
  rounding: RoundingMode;
  /** Vacancy discount in percent, '' = none. */
  vacancyPercent: string;
  lateFeeOn: boolean;
  /** ‰ per day, e.g. '0.5' = 万分之五 */
  lateFeePermille: string;
  lateFeeGraceDays: string;
  /** cap as % of the principal */
  lateFeeCapPercent: string;
  effectiveFrom: string;
  approvalRef: string;
  approvedAt: string;
  description: string;
}

export type FormErrors = Partial<Record<keyof StandardForm, string>>;

export function emptyForm(today: string): StandardForm {
  return {
    itemId: '',
    name: '',
    kind: 'area',
    areaBasis: 'building',
    unitPrice: '',
    meterUnit: '',
    amount: '',
    cycle: 'quarterly',
    firstMonth: '1',
    billingMode: 'prepaid',
    dueDay: '15',
    rounding: 'halfUp',
    vacancyPercent: '',
    lateFeeOn: false,
    lateFeePermille: '0.5',
    lateFeeGraceDays: '30',
    lateFeeCapPercent: '100',
    effectiveFrom: today,
    approvalRef: '',
    approvedAt: today,
    description: '',
  };
}

/** An existing standard as the edit form (prices are not edited here: add a version). */
export function formOf(s: FeeStandardView, today: string): StandardForm {
  const f = emptyForm(today);
  return {
    ...f,
    itemId: s.itemId,
    name: s.name,
    kind: s.kind,
    cycle: s.cycle,
    firstMonth: String(s.firstMonth),
    billingMode: s.billingMode,
    dueDay: String(s.dueDay),
    rounding: s.rounding,
    vacancyPercent: s.vacancyDiscount ? percentText(s.vacancyDiscount.rateBp) : '',
    lateFeeOn: !!s.lateFee?.enabled,
    lateFeePermille: s.lateFee ? bpToPermilleInput(s.lateFee.rateBpPerDay) : f.lateFeePermille,
    lateFeeGraceDays: s.lateFee ? String(s.lateFee.graceDays) : f.lateFeeGraceDays,
    lateFeeCapPercent:
      s.lateFee?.cap.kind === 'percentOfPrincipal'
        ? percentText(s.lateFee.cap.bp)
        : f.lateFeeCapPercent,
    description: s.description ?? '',
  };
}

const PRICE = /^(0|[1-9]\d{0,6})(\.\d{1,4})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ITEM_ID = /^[a-z][a-z0-9_]{1,31}$/;

/** '30' or '30.5' (percent, ≤ 2 decimals) → basis points, or null. */
export function percentToBp(text: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
/** '0.5' (‰ per day, ≤ 1 decimal) → basis points per day (0.5‰ = 5 bp), or null. */
export function permilleToBp(text: string): number | null {
  const m = /^(\d{1,2})(?:\.(\d))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 10 + Number(m[2] ?? '0');
}
export function percentText(bp: number): string {
  const cents = bp % 100;
  return cents === 0
    ? String(bp / 100)
    : `${Math.trunc(bp / 100)}.${cents < 10 ? `0${cents}` : cents}`.replace(/0$/, '');
}
/** Basis points as the per-mille figure typed in the form: 30 bp → "3" (千分之三). */
export function bpToPermilleInput(bp: number): string {
  return bp % 10 === 0 ? String(bp / 10) : `${Math.trunc(bp / 10)}.${bp % 10}`;
}

type Pricing = NonNullable<SaveStandardInput['version']>['pricing'];

function pricingOf(f: StandardForm, errors: FormErrors): Pricing | null {
  const price = f.unitPrice.trim();
  if (f.kind === 'oneOff') {
    const fen = parseYuanInput(f.amount);
    if (fen === null || fen <= 0) {
      errors.amount = '请输入金额，最多 2 位小数';
      return null;
    }
    return { kind: 'oneOff', amountFen: fen };
  }
  if (!PRICE.test(price)) {
    errors.unitPrice = '请输入单价，最多 4 位小数（如 2.35）';
    return null;
  }
  if (f.kind === 'area') return { kind: 'area', areaBasis: f.areaBasis, unitPrice: price };
  if (f.kind === 'meter') {
    const unit = f.meterUnit.trim();
    if (!unit) {
      errors.meterUnit = '请填写计量单位，如 度、吨';
      return null;
    }
    return { kind: 'meter', unit, tiers: [{ upTo: null, unitPrice: price }] };
  }
  return { kind: f.kind, unitPrice: price };
}

function checkApproval(
  f: Pick<StandardForm, 'effectiveFrom' | 'approvalRef' | 'approvedAt'>,
  errors: FormErrors,
): void {
  if (!DATE.test(f.effectiveFrom)) errors.effectiveFrom = '请填写生效日期，如 2027-01-01';
  if (!DATE.test(f.approvedAt)) errors.approvedAt = '请填写批准日期，如 2026-12-01';
  else if (DATE.test(f.effectiveFrom) && f.approvedAt > f.effectiveFrom)
    errors.approvedAt = '批准日期不能晚于生效日期';
  if (f.approvalRef.trim().length < 2) errors.approvalRef = '请填写批准文号或业主大会决议名称';
}

export type Checked<T> = { ok: true; input: T } | { ok: false; errors: FormErrors };

/**
 * The saveStandard input for a new standard (`creating`, with its first price) or a changed
 * definition (without price fields; `revision` guards against a concurrent edit).
 */
export function checkStandard(
  f: StandardForm,
  communityId: string,
  creating: boolean,
  revision?: number,
): Checked<SaveStandardInput> {
  const errors: FormErrors = {};
  if (creating && !ITEM_ID.test(f.itemId.trim()))
    errors.itemId = '2–32 位小写字母、数字或 _，以字母开头（如 parking_fee）';
  if (!f.name.trim()) errors.name = '请填写收费项目名称';
  else if (f.name.trim().length > 20) errors.name = '名称最多 20 个字';
  const dueDay = Number(f.dueDay);
  if (!/^\d{1,2}$/.test(f.dueDay.trim()) || dueDay < 1 || dueDay > 31)
    errors.dueDay = '缴费日应为 1–31';
  const firstMonth = Number(f.firstMonth);
  if (!/^\d{1,2}$/.test(f.firstMonth.trim()) || firstMonth < 1 || firstMonth > 12)
    errors.firstMonth = '起始月应为 1–12';
  let vacancyDiscount: { rateBp: number } | null = null;
  if (f.vacancyPercent.trim() && f.kind !== 'oneOff') {
    const bp = percentToBp(f.vacancyPercent);
    if (bp === null || bp < 1 || bp > 10000) errors.vacancyPercent = '减收比例应为 0.01–100';
    else vacancyDiscount = { rateBp: bp };
  }
  let lateFee: SaveStandardInput['lateFee'] = null;
  if (f.lateFeeOn) {
    const rate = permilleToBp(f.lateFeePermille);
    const grace = Number(f.lateFeeGraceDays);
    const cap = percentToBp(f.lateFeeCapPercent);
    if (rate === null || rate < 1 || rate > 100) errors.lateFeePermille = '日费率应为 0.1‰–10‰';
    if (!/^\d{1,3}$/.test(f.lateFeeGraceDays.trim()) || grace > 365)
      errors.lateFeeGraceDays = '宽限天数应为 0–365';
    if (cap === null || cap > 10000) errors.lateFeeCapPercent = '上限应为本金的 0–100%';
    if (rate !== null && cap !== null)
      lateFee = {
        enabled: true,
        rateBpPerDay: rate,
        graceDays: grace,
        cap: { kind: 'percentOfPrincipal', bp: cap },
      };
  }
  let version: SaveStandardInput['version'];
  if (creating) {
    const pricing = pricingOf(f, errors);
    checkApproval(f, errors);
    if (pricing)
      version = {
        effectiveFrom: f.effectiveFrom,
        pricing,
        approvalRef: f.approvalRef.trim(),
        approvedAt: f.approvedAt,
      };
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    input: {
      communityId,
      itemId: f.itemId.trim(),
      name: f.name.trim(),
      kind: f.kind,
      cycle: f.cycle,
      firstMonth,
      billingMode: f.billingMode,
      dueDay,
      rounding: f.rounding,
      vacancyDiscount: f.kind === 'oneOff' ? null : vacancyDiscount,
      lateFee,
      description: f.description.trim() || null,
      ...(version ? { version } : {}),
      ...(revision ? { revision } : {}),
    },
  };
}

/** The addVersion input: a new price from a date, for a standard of `kind`. */
export function checkVersion(
  f: StandardForm,
  communityId: string,
  revision?: number,
): Checked<AddVersionInput> {
  const errors: FormErrors = {};
  const pricing = pricingOf(f, errors);
  checkApproval(f, errors);
  if (!pricing || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    input: {
      communityId,
      itemId: f.itemId,
      effectiveFrom: f.effectiveFrom,
      pricing,
      approvalRef: f.approvalRef.trim(),
      approvedAt: f.approvedAt,
      ...(revision ? { revision } : {}),
    },
  };
}

export interface StandardCard {
  itemId: string;
  name: string;
  kind: FeeKind;
  kindLabel: string;
  statusText: string;
  statusType: 'success' | 'primary' | 'default';
  summary: string;
  rules: string[];
  issuedText: string;
  revision: number;
  versions: {
    key: string;
    priceText: string;
    rangeText: string;
    approvalText: string;
    current: boolean;
  }[];
}

const STATUS: Record<
  FeeStandardView['status'],
  { text: string; type: StandardCard['statusType'] }
> = {
  active: { text: '执行中', type: 'success' },
  upcoming: { text: '待生效', type: 'primary' },
  withdrawn: { text: '已停用', type: 'default' },
};

export function toStandardCard(s: FeeStandardView): StandardCard {
  return {
    itemId: s.itemId,
    name: s.name,
    kind: s.kind,
    kindLabel: s.kindLabel,
    statusText: STATUS[s.status].text,
    statusType: STATUS[s.status].type,
    summary: `${s.cycleLabel}收费 · ${s.billingModeLabel} · 每期 ${s.dueDay} 日前缴纳 · ${s.applicabilityText}`,
    rules: s.rules,
    issuedText: s.issuedThrough ? `已出账至 ${s.issuedThrough}` : '尚未出账',
    revision: s.revision,
    versions: [...s.versions].reverse().map((v) => ({
      key: v.versionId,
      priceText: v.priceText,
      rangeText: `${v.effectiveFrom} 起${v.effectiveTo ? `，至 ${v.effectiveTo}` : ''}`,
      approvalText: `${v.approvalRef}（${v.approvedAt} 批准）`,
      current: v.versionId === s.currentVersionId,
    })),
  };
}
