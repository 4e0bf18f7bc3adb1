/**
 * The fee-standard forms of 收费标准 (admin/fees), pure: what is typed → a fee.saveStandard or
 * fee.addVersion input, checked with that contract (its rules and words), with a message per form
 * field. The form itself only turns typed text into the contract's units — yuan into fen, percent
 * and per-mille into basis points, days into numbers — and words the limits of those in the units
 * typed. Unit prices stay text (up to 4 decimals; the server stores integer 0.0001 元), never a
 * float.
 */
import { api, type ActionInput } from '../../domain/api';
import { check, formErrors, type FieldError } from '../../domain/kernel/check';
import type { Applicability, BillingMode, FeeKind } from '../../domain/fee/types';
import { SPACE_KINDS, SPACE_KIND_LABELS, type SpaceKind } from '../../domain/community/spaces';
import type { BillingCycle } from '../../domain/fee/period';
import type { FeeStandardView } from '../../domain/fee/contract';
import { parseYuanInput } from '../../domain/kernel/money';
import { formatDate } from '../../domain/kernel/time';
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
/** 适用对象: every room, or the parking spaces / storerooms of one kind (docs/spaces.md). */
export type ScopeChoice = 'all' | SpaceKind;
export const SCOPE_OPTIONS: Option<ScopeChoice>[] = [
  { value: 'all', label: '全体房屋' },
  ...SPACE_KINDS.map((k) => ({ value: k, label: SPACE_KIND_LABELS[k] })),
];

export function applicabilityOf(choice: ScopeChoice): Applicability {
  return choice === 'all' ? { scope: 'all' } : { scope: 'spaces', spaceKinds: [choice] };
}

/** The chip a stored scope shows as; '' for scopes this form does not offer (kept as they are). */
export function scopeChoiceOf(a: Applicability): ScopeChoice | '' {
  if (a.scope === 'all') return 'all';
  if (a.scope === 'spaces' && a.spaceKinds.length === 1) return a.spaceKinds[0] as SpaceKind;
  return '';
}

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
  /** Sent as it is: an edit keeps the standard's scope (buildings, spaces …) unless changed. */
  applicability: Applicability;
  scope: ScopeChoice | '';
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
    applicability: { scope: 'all' },
    scope: 'all',
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
    applicability: s.applicability,
    scope: scopeChoiceOf(s.applicability),
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

/** The pricing input as typed: unit prices as text, a one-off amount in fen (null: not yuan). */
function pricingOf(f: StandardForm): Pricing | null {
  const price = f.unitPrice.trim();
  if (f.kind === 'oneOff') {
    const fen = parseYuanInput(f.amount);
    return fen === null ? null : { kind: 'oneOff', amountFen: fen };
  }
  if (f.kind === 'area') return { kind: 'area', areaBasis: f.areaBasis, unitPrice: price };
  if (f.kind === 'meter') {
    return { kind: 'meter', unit: f.meterUnit.trim(), tiers: [{ upTo: null, unitPrice: price }] };
  }
  return { kind: f.kind, unitPrice: price };
}

/** A whole number typed (digits only), or NaN for the contract to refuse. */
function wholeNumber(text: string): number {
  const t = text.trim();
  return /^\d{1,9}$/.test(t) ? Number(t) : Number.NaN;
}

/** Limits of the fields typed in other units than the contract's, worded in the units typed. */
const IN_FORM_UNITS: Partial<Record<keyof StandardForm, string>> = {
  vacancyPercent: '减收比例应为 0.01–100',
  lateFeePermille: '日费率应为 0.1‰–10‰',
  lateFeeCapPercent: '上限应为本金的 0–100%',
  amount: '请输入金额，最多 2 位小数',
};

/**
 * The form field a saveStandard / addVersion problem belongs to (a price inside `version` or
 * not); undefined for fields the form does not show.
 */
export function standardField(path: string): keyof StandardForm | undefined {
  const parts = path.split('.');
  if (parts[0] === 'version') parts.shift();
  const [top, second] = parts;
  switch (top) {
    case 'itemId':
    case 'name':
    case 'kind':
    case 'cycle':
    case 'firstMonth':
    case 'billingMode':
    case 'dueDay':
    case 'rounding':
    case 'description':
    case 'effectiveFrom':
    case 'approvalRef':
    case 'approvedAt':
      return top;
    case 'vacancyDiscount':
      return 'vacancyPercent';
    case 'lateFee':
      return second === 'graceDays'
        ? 'lateFeeGraceDays'
        : second === 'cap'
          ? 'lateFeeCapPercent'
          : 'lateFeePermille';
    case 'pricing':
      return second === 'amountFen' ? 'amount' : second === 'unit' ? 'meterUnit' : 'unitPrice';
    default:
      return undefined;
  }
}

/** The contract's (or the function's) problems as the form's messages. */
export function standardErrors(errors: readonly FieldError[]): FormErrors {
  const out = formErrors(errors, standardField, 'name');
  for (const [field, words] of Object.entries(IN_FORM_UNITS) as [keyof StandardForm, string][]) {
    if (out[field] !== undefined) out[field] = words;
  }
  return out;
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
  const formOnly: FormErrors = {};
  let vacancyDiscount: { rateBp: number } | null = null;
  if (f.vacancyPercent.trim() && f.kind !== 'oneOff') {
    vacancyDiscount = { rateBp: percentToBp(f.vacancyPercent) ?? Number.NaN };
  }
  let lateFee: SaveStandardInput['lateFee'] = null;
  if (f.lateFeeOn) {
    const rate = permilleToBp(f.lateFeePermille);
    // a late fee switched on charges something: 0.1‰ a day at least
    if (rate === 0) formOnly.lateFeePermille = IN_FORM_UNITS.lateFeePermille;
    lateFee = {
      enabled: true,
      rateBpPerDay: rate ?? Number.NaN,
      graceDays: wholeNumber(f.lateFeeGraceDays),
      cap: { kind: 'percentOfPrincipal', bp: percentToBp(f.lateFeeCapPercent) ?? Number.NaN },
    };
  }
  const pricing = creating ? pricingOf(f) : null;
  if (creating && !pricing) formOnly.amount = IN_FORM_UNITS.amount;
  const input = {
    communityId,
    itemId: f.itemId.trim(),
    name: f.name.trim(),
    kind: f.kind,
    applicability: f.applicability,
    cycle: f.cycle,
    firstMonth: wholeNumber(f.firstMonth),
    billingMode: f.billingMode,
    dueDay: wholeNumber(f.dueDay),
    rounding: f.rounding,
    vacancyDiscount: f.kind === 'oneOff' ? null : vacancyDiscount,
    lateFee,
    description: f.description.trim() || null,
    ...(creating
      ? {
          version: {
            effectiveFrom: f.effectiveFrom,
            pricing: pricing ?? undefined,
            approvalRef: f.approvalRef.trim(),
            approvedAt: f.approvedAt,
          },
        }
      : {}),
    ...(revision ? { revision } : {}),
  };
  return finish(check(api.fee.saveStandard, input), formOnly, input as SaveStandardInput);
}

/** The addVersion input: a new price from a date, for a standard of `kind`. */
export function checkVersion(
  f: StandardForm,
  communityId: string,
  revision?: number,
): Checked<AddVersionInput> {
  const pricing = pricingOf(f);
  const formOnly: FormErrors = pricing ? {} : { amount: IN_FORM_UNITS.amount };
  const input = {
    communityId,
    itemId: f.itemId,
    effectiveFrom: f.effectiveFrom,
    pricing: pricing ?? undefined,
    approvalRef: f.approvalRef.trim(),
    approvedAt: f.approvedAt,
    ...(revision ? { revision } : {}),
  };
  return finish(check(api.fee.addVersion, input), formOnly, input as AddVersionInput);
}

/** The contract's messages and the form's own (which win), or the input when there are none. */
function finish<T>(
  checked: { ok: true } | { ok: false; errors: FieldError[] },
  formOnly: FormErrors,
  input: T,
): Checked<T> {
  const errors: FormErrors = {
    ...(checked.ok ? {} : standardErrors(checked.errors)),
    ...formOnly,
  };
  // an amount that is not yuan was left out of the price: its problem is the amount's
  if (formOnly.amount) delete errors.unitPrice;
  if (!checked.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input };
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
  /** Billed already: a price change goes through 调价公示, not a direct version. */
  billed: boolean;
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
    issuedText: s.issuedThrough ? `已出账至 ${formatDate(s.issuedThrough)}` : '尚未出账',
    billed: Boolean(s.issuedThrough),
    revision: s.revision,
    versions: [...s.versions].reverse().map((v) => ({
      key: v.versionId,
      priceText: v.priceText,
      rangeText: `${formatDate(v.effectiveFrom)}起${v.effectiveTo ? `，至 ${formatDate(v.effectiveTo)}` : ''}`,
      approvalText: `${v.approvalRef}（${formatDate(v.approvedAt)}批准）`,
      current: v.versionId === s.currentVersionId,
    })),
  };
}
