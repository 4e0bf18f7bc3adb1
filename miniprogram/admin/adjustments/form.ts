/**
 * The 调价 (price adjustment) proposal form, pure: the new price typed as text becomes the
 * fee.proposeAdjustment pricing input of the standard's kind (area keeps its area basis, meter
 * its unit, with one flat tier), checked with that contract (the price's format, the approval,
 * the reason, the documents, the notice period: its rules and words), plus what only the form
 * knows: which standard is picked, a one-off amount typed in yuan, and the earliest effective
 * date the notice period allows (the function refuses an earlier one when it is announced).
 */
import { DEFAULT_NOTICE_DAYS, earliestEffective } from '../../domain/disclosure/rules';
import type { FeePricing } from '../../domain/fee/types';
import { api, type ActionInput } from '../../domain/api';
import { check, formErrors, topField } from '../../domain/kernel/check';
import { parseYuanInput } from '../../domain/kernel/money';

export type ProposeInput = ActionInput<'fee', 'proposeAdjustment'>;

export interface AdjustForm {
  itemId: string;
  price: string;
  effectiveFrom: string;
  approvalRef: string;
  approvedAt: string;
  reason: string;
  noticeDays: string;
  documents: { name: string; fileId: string }[];
}

export type AdjustErrors = Partial<Record<keyof AdjustForm, string>>;

export type ProposeResult = { ok: true; input: ProposeInput } | { ok: false; errors: AdjustErrors };

/**
 * The pricing input for the new price, in the shape of the current one; the unit price stays the
 * text typed (the contract checks it). Null only when a one-off amount is not a yuan figure.
 */
export function pricingFor(current: FeePricing, price: string): ProposeInput['pricing'] | null {
  const text = price.trim();
  switch (current.kind) {
    case 'area':
      return { kind: 'area', areaBasis: current.areaBasis, unitPrice: text };
    case 'fixed':
    case 'parking':
      return { kind: current.kind, unitPrice: text };
    case 'meter':
      return { kind: 'meter', unit: current.unit, tiers: [{ upTo: null, unitPrice: text }] };
    default: {
      const fen = parseYuanInput(text);
      return fen === null ? null : { kind: 'oneOff', amountFen: fen };
    }
  }
}

const FORM_FIELDS: readonly (keyof AdjustForm)[] = [
  'itemId',
  'effectiveFrom',
  'approvalRef',
  'approvedAt',
  'reason',
  'noticeDays',
  'documents',
];

/** The form field a proposeAdjustment problem belongs to (the price for any `pricing…`). */
export function proposalField(path: string): keyof AdjustForm | undefined {
  const top = topField(path);
  if (top === 'pricing') return 'price';
  return FORM_FIELDS.find((f) => f === top);
}

/** The contract's (or the function's) problems as the form's messages. */
export function proposalErrors(
  errors: readonly { field: string; message: string }[],
): AdjustErrors {
  return formErrors(errors, proposalField, 'itemId');
}

export function earliestFor(today: string, noticeDays: string): string {
  const n = Number(noticeDays);
  return earliestEffective(
    today,
    Number.isInteger(n) && n >= DEFAULT_NOTICE_DAYS ? n : DEFAULT_NOTICE_DAYS,
  );
}

export function validateProposal(
  f: AdjustForm,
  current: FeePricing | null,
  communityId: string,
  requestId: string,
  today: string,
): ProposeResult {
  const pricing = current ? pricingFor(current, f.price) : null;
  const noticeText = f.noticeDays.trim();
  const input = {
    communityId,
    requestId,
    itemId: f.itemId,
    pricing: pricing ?? undefined,
    effectiveFrom: f.effectiveFrom,
    approvalRef: f.approvalRef.trim(),
    approvedAt: f.approvedAt,
    reason: f.reason.trim(),
    documents: f.documents,
    noticeDays: noticeText === '' ? Number.NaN : Number(noticeText),
  };
  const checked = check(api.fee.proposeAdjustment, input);
  const errors: AdjustErrors = checked.ok ? {} : proposalErrors(checked.errors);
  // what only the form knows: a standard to adjust, a one-off amount in yuan
  if (!f.itemId || !current) {
    errors.itemId = '请选择收费项目';
    delete errors.price;
  } else if (!pricing) errors.price = '请填写新金额（元），如 50 或 50.50';
  // the function refuses to announce a change that takes effect inside the notice period
  const earliest = earliestFor(today, f.noticeDays);
  if (!errors.effectiveFrom && f.effectiveFrom < earliest) {
    errors.effectiveFrom = `须公示期满后生效，最早 ${earliest}`;
  }
  if (!checked.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: input as ProposeInput };
}
