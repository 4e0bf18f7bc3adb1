/**
 * The 调价 (price adjustment) proposal form, pure: the new price typed as text becomes the
 * fee.proposeAdjustment pricing input of the standard's kind (area keeps its area basis, meter
 * its unit, with one flat tier), and the earliest effective date the notice period allows.
 */
import { DEFAULT_NOTICE_DAYS, earliestEffective } from '../../domain/disclosure/rules';
import type { FeePricing } from '../../domain/fee/types';
import type { ActionInput } from '../../domain/api';
import { parseYuanInput } from '../../domain/kernel/money';

export type ProposeInput = ActionInput<'fee', 'proposeAdjustment'>;

const PRICE = /^(0|[1-9]\d{0,11})(\.\d{1,4})?$/;

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

export type ProposeResult =
  | { ok: true; input: ProposeInput }
  | { ok: false; errors: Partial<Record<keyof AdjustForm, string>> };

/** The pricing input for the new price, in the shape of the current one. */
export function pricingFor(current: FeePricing, price: string): ProposeInput['pricing'] | null {
  const text = price.trim();
  switch (current.kind) {
    case 'area':
      return PRICE.test(text)
        ? { kind: 'area', areaBasis: current.areaBasis, unitPrice: text }
        : null;
    case 'fixed':
    case 'parking':
      return PRICE.test(text) ? { kind: current.kind, unitPrice: text } : null;
    case 'meter':
      return PRICE.test(text)
        ? { kind: 'meter', unit: current.unit, tiers: [{ upTo: null, unitPrice: text }] }
        : null;
    default: {
      const fen = parseYuanInput(text);
      return fen === null ? null : { kind: 'oneOff', amountFen: fen };
    }
  }
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
  const errors: Partial<Record<keyof AdjustForm, string>> = {};
  if (!f.itemId || !current) errors.itemId = '请选择收费项目';
  const pricing = current ? pricingFor(current, f.price) : null;
  if (current && !pricing) errors.price = '请填写新单价（最多 4 位小数）';
  const notice = Number(f.noticeDays);
  if (!Number.isInteger(notice) || notice < DEFAULT_NOTICE_DAYS || notice > 365) {
    errors.noticeDays = `公示期为 ${DEFAULT_NOTICE_DAYS}–365 天`;
  }
  const earliest = earliestFor(today, f.noticeDays);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.effectiveFrom)) errors.effectiveFrom = '请选择生效日期';
  else if (f.effectiveFrom < earliest) errors.effectiveFrom = `须公示期满后生效，最早 ${earliest}`;
  if (f.approvalRef.trim().length < 2) errors.approvalRef = '请填写批准文号或决议名称';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.approvedAt)) errors.approvedAt = '请选择批准日期';
  else if (f.effectiveFrom && f.approvedAt > f.effectiveFrom)
    errors.approvedAt = '批准日期不能晚于生效日期';
  if (f.reason.trim().length < 10) errors.reason = '请说明调价原因及依据（至少 10 个字）';
  if (f.documents.length === 0) errors.documents = '请上传至少一份依据材料';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    input: {
      communityId,
      requestId,
      itemId: f.itemId,
      pricing: pricing!,
      effectiveFrom: f.effectiveFrom,
      approvalRef: f.approvalRef.trim(),
      approvedAt: f.approvedAt,
      reason: f.reason.trim(),
      documents: f.documents,
      noticeDays: notice,
    },
  };
}
