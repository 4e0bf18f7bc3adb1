/**
 * 部署设置: the form's rows, checked with the functions' contracts (settings.update for the
 * deployment settings, community.update for the community's profile), and the server's per-field
 * messages (pure: no wx).
 */
// type only: domain/subscribe pulls big.js in at run time
import { PAYMENT_METHOD_LABELS, type PaymentChannel } from '../../domain/payment/channels';
import type { KeywordType } from '../../domain/notice/subscribe';
import { CloudError } from '../../services/cloud';
import { check, messagesByField, topField } from '../../domain/kernel/check';
import { api, type ActionInput } from '../../domain/api';
import type { CommunityInfo } from '../../domain/community/contract';
import type {
  DeploymentSettings,
  TemplatePurpose,
  TemplateSetting,
} from '../../domain/settings/contract';
import { fenToYuanString, parseYuanInput } from '../../domain/kernel/money';

export const PURPOSES: { value: TemplatePurpose; label: string; hint: string }[] = [
  { value: 'billReminder', label: '账单提醒', hint: '新账单出账时通知业主' },
  { value: 'overdueReminder', label: '欠费提醒', hint: '逾期后的分级提醒' },
  { value: 'paymentResult', label: '缴费结果', hint: '缴费成功后发送收据' },
  { value: 'complaintProgress', label: '工单进度', hint: '投诉与报修的处理进度' },
];

export const KEYWORD_TYPE_TEXT: Record<KeywordType, string> = {
  thing: '事物',
  number: '数字',
  letter: '字母',
  symbol: '符号',
  character_string: '字符串',
  time: '时间',
  date: '日期',
  amount: '金额',
  phone_number: '电话',
  car_number: '车牌',
  name: '姓名',
  phrase: '汉字短语',
};

export const PAYMENT_METHOD_OPTIONS = (Object.keys(PAYMENT_METHOD_LABELS) as PaymentChannel[]).map(
  (value) => ({ value, label: PAYMENT_METHOD_LABELS[value] }),
);

export interface KeywordRow {
  key: string;
  type: KeywordType;
  typeText: string;
}

export interface TemplateRow {
  purpose: TemplatePurpose;
  label: string;
  hint: string;
  templateId: string;
  keywords: KeywordRow[];
}

export function keywordRow(key: string, type: KeywordType): KeywordRow {
  return { key, type, typeText: KEYWORD_TYPE_TEXT[type] };
}

/** Every keyword type (the Record above keeps the list complete). */
export const KEYWORD_TYPE_LIST = Object.keys(KEYWORD_TYPE_TEXT) as KeywordType[];

/** The type a key like `amount2` names, or null. */
export function typeOfKey(key: string): KeywordType | null {
  const m = /^([a-z_]+?)(\d+)$/.exec(key.trim());
  const t = m?.[1];
  return t && (KEYWORD_TYPE_LIST as string[]).includes(t) ? (t as KeywordType) : null;
}

export function templateRows(s: DeploymentSettings): TemplateRow[] {
  return PURPOSES.map((p) => {
    const t = s.templates[p.value];
    return {
      purpose: p.value,
      label: p.label,
      hint: p.hint,
      templateId: t?.templateId ?? '',
      keywords: (t?.keywords ?? []).map((k) => keywordRow(k.key, k.type)),
    };
  });
}

/** Rows with a template id become settings; an untouched empty row is left out. */
export function templatesInput(
  rows: TemplateRow[],
): Partial<Record<TemplatePurpose, TemplateSetting>> {
  const out: Partial<Record<TemplatePurpose, TemplateSetting>> = {};
  for (const r of rows) {
    if (!r.templateId.trim() && r.keywords.length === 0) continue;
    out[r.purpose] = {
      templateId: r.templateId.trim(),
      keywords: r.keywords.map((k) => ({ key: k.key.trim(), type: k.type })),
    };
  }
  return out;
}

export interface DeployForm {
  subMchId: string;
  refundText: string;
  chargeText: string;
  quietFrom: string;
  quietTo: string;
  bindingReview: 'auto' | 'staff';
  keepDaysText: string;
  windowDaysText: string;
  smsCapText: string;
  smsSignature: string;
  leadDaysText: string;
}

export function toDeployForm(s: DeploymentSettings): DeployForm {
  return {
    subMchId: s.subMchId,
    refundText: fenToYuanString(s.refundApprovalFen).replace(/\.00$/, ''),
    chargeText: fenToYuanString(s.chargeApprovalFen).replace(/\.00$/, ''),
    quietFrom: s.quietHours.from,
    quietTo: s.quietHours.to,
    bindingReview: s.bindingReview,
    keepDaysText: String(s.backupKeepDays),
    windowDaysText: String(s.readingWindowDays),
    smsCapText: String(s.smsDailyCap),
    smsSignature: s.smsSignature,
    leadDaysText: String(s.noticeLeadDays),
  };
}

/** A whole number typed in a field; anything else NaN, which the contract refuses by name. */
function wholeNumber(text: string): number {
  return /^\d{1,6}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
}

export type DeployInput = ActionInput<'settings', 'update'> & {
  refundApprovalFen: number;
  chargeApprovalFen: number;
  quietHours: { from: string; to: string };
  bindingReview: 'auto' | 'staff';
  templates: Partial<Record<TemplatePurpose, TemplateSetting>>;
};

/**
 * The settings.update input checked with that contract: the sub-merchant id, quiet hours and each
 * template (its id, 1–5 keywords named like thing1): every problem at once, keyed by the field's
 * path (`templates.billReminder.keywords.0.key`), as the server names them. The form adds the one
 * thing only it knows: the approval limit is typed in yuan.
 */
export function deployInput(
  communityId: string,
  f: DeployForm,
  rows: TemplateRow[],
): { ok: true; input: DeployInput } | { ok: false; errors: Record<string, string> } {
  const refundFen = parseYuanInput(f.refundText);
  const chargeFen = parseYuanInput(f.chargeText);
  const subMchId = f.subMchId.trim();
  const input: DeployInput = {
    communityId,
    ...(subMchId ? { subMchId } : {}),
    refundApprovalFen: refundFen ?? Number.NaN,
    chargeApprovalFen: chargeFen ?? Number.NaN,
    quietHours: { from: f.quietFrom.trim(), to: f.quietTo.trim() },
    bindingReview: f.bindingReview,
    backupKeepDays: wholeNumber(f.keepDaysText),
    readingWindowDays: wholeNumber(f.windowDaysText),
    smsDailyCap: wholeNumber(f.smsCapText),
    smsSignature: f.smsSignature.trim(),
    noticeLeadDays: wholeNumber(f.leadDaysText),
    templates: templatesInput(rows),
  };
  const checked = check(api.settings.update, input);
  const errors = checked.ok ? {} : messagesByField(checked.errors);
  if (refundFen === null) errors.refundApprovalFen = '请输入金额，如 1000';
  if (chargeFen === null) errors.chargeApprovalFen = '请输入金额，如 500';
  if (!checked.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input };
}

/**
 * The server names each problem's field (the reply's `fields`: `subMchId`,
 * `templates.billReminder.templateId` …) → one message per field path.
 */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof CloudError) || err.code !== 'INVALID_INPUT') return {};
  return messagesByField(err.fields.filter((f) => f.field !== ''));
}

/**
 * Per-row messages for the template editor: `templates.<purpose>.templateId`, `...keywords`,
 * and the keyword rows' own `templates.<purpose>.keywords.<i>.key` or `thing1: …` (named by key).
 */
export function templateErrors(
  errors: Record<string, string>,
  rows: TemplateRow[],
): Record<string, { templateId: string; keywords: string; rows: string[] }> {
  const out: Record<string, { templateId: string; keywords: string; rows: string[] }> = {};
  for (const r of rows) {
    const base = `templates.${r.purpose}`;
    const rowMsgs = r.keywords.map((k, i) => {
      const direct = Object.entries(errors).find(([f]) => f.startsWith(`${base}.keywords.${i}`));
      if (direct) return direct[1];
      return errors[`${base}.${k.key.trim()}`] ?? '';
    });
    out[r.purpose] = {
      templateId: errors[`${base}.templateId`] ?? '',
      keywords: errors[`${base}.keywords`] ?? errors[base] ?? '',
      rows: rowMsgs,
    };
  }
  return out;
}

/** The community's profile as the form edits it: everything but its id. */
export type ProfileForm = Omit<CommunityInfo, 'communityId'>;

export function toProfileForm(c: CommunityInfo): ProfileForm {
  return {
    name: c.name,
    address: c.address,
    servicePhone: c.servicePhone,
    serviceHours: c.serviceHours,
    frontDesk: c.frontDesk,
    paymentMethods: [...c.paymentMethods],
  };
}

export type ProfileErrors = Record<keyof ProfileForm, string>;

export const NO_PROFILE_ERRORS: ProfileErrors = {
  name: '',
  address: '',
  servicePhone: '',
  serviceHours: '',
  frontDesk: '',
  paymentMethods: '',
};

/** A community.update problem (the contract's or the function's) as the profile form's messages. */
export function profileErrors(
  errors: readonly { field: string; message: string }[],
): ProfileErrors {
  const out = { ...NO_PROFILE_ERRORS };
  for (const e of errors) {
    const key = topField(e.field) as keyof ProfileForm;
    if (key in out && !out[key]) out[key] = e.message;
  }
  return out;
}

/**
 * The profile's changes checked with community.update (the service phone's format, at least one
 * payment method …): the input to send, or a message per field.
 */
export function checkProfile(
  communityId: string,
  change: Partial<ProfileForm>,
): { ok: true; input: ActionInput<'community', 'update'> } | { ok: false; errors: ProfileErrors } {
  const input = { communityId, ...change };
  const checked = check(api.community.update, input);
  if (checked.ok) return { ok: true, input };
  return { ok: false, errors: profileErrors(checked.errors) };
}

/** Only what changed (community.update refuses an empty change). */
export function profileChanges(before: ProfileForm, after: ProfileForm): Partial<ProfileForm> {
  const out: Partial<ProfileForm> = {};
  for (const k of ['name', 'address', 'servicePhone', 'serviceHours', 'frontDesk'] as const) {
    if (after[k].trim() !== before[k]) out[k] = after[k].trim();
  }
  const a = [...after.paymentMethods].sort().join(',');
  if (a !== [...before.paymentMethods].sort().join(',')) out.paymentMethods = after.paymentMethods;
  return out;
}
