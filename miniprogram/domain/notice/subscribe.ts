/**
 * Subscribe-message payloads built to WeChat's keyword rules, so a send is never rejected with
 * 47003. Each template is configured per deployment as its keywords (e.g. `thing1`, `amount2`)
 * and their types; values are trimmed where WeChat allows trimming (thing: by whole characters,
 * never half a surrogate pair) and refused where a cut would change the meaning (amount, date).
 */
import { fenToYuanString, type Fen } from '../kernel/money';
import { formatDate, formatDateTime } from '../kernel/time';

export const KEYWORD_TYPES = [
  'thing',
  'number',
  'letter',
  'symbol',
  'character_string',
  'time',
  'date',
  'amount',
  'phone_number',
  'car_number',
  'name',
  'phrase',
] as const;
export type KeywordType = (typeof KEYWORD_TYPES)[number];

export interface TemplateKeyword {
  /** As in the template, e.g. `thing1`; its prefix must be the type. */
  key: string;
  type: KeywordType;
}

export interface TemplateConfig {
  templateId: string;
  keywords: TemplateKeyword[];
}

const CJK = /^[\u3400-\u9fff\uf900-\ufaff]+$/;
const chars = (s: string) => Array.from(s);

/** Shortens to at most `max` characters, ending in … when cut; whole characters only. */
export function trimThing(text: string, max = 20): string {
  const cs = chars(text.replace(/\s+/g, ' ').trim());
  if (cs.length <= max) return cs.join('');
  return `${cs.slice(0, max - 1).join('')}…`;
}

/** ¥630.76: one currency symbol and at most 10 digits. */
export function amountKeyword(fen: Fen): string {
  return `¥${fenToYuanString(fen)}`;
}

/** 2026年12月15日 for a `YYYY-MM-DD` date. */
export function dateKeyword(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RangeError(`date must be YYYY-MM-DD: ${date}`);
  return formatDate(date);
}

/** 2026年12月15日 15:01 in Asia/Shanghai. */
export function timeKeyword(at: Date): string {
  return formatDateTime(at);
}

/** Checks (and, for thing, trims) one value against its keyword type; null when acceptable. */
export function fitKeyword(
  type: KeywordType,
  raw: string,
): { value: string } | { problem: string } {
  const value = raw.trim();
  const n = chars(value).length;
  if (n === 0) return { problem: '不能为空' };
  switch (type) {
    case 'thing':
      return { value: trimThing(value, 20) };
    case 'number':
      return /^\d+(\.\d+)?$/.test(value) && value.replace('.', '').length <= 32
        ? { value }
        : { problem: '须为 32 位以内数字' };
    case 'letter':
      return /^[A-Za-z]{1,32}$/.test(value) ? { value } : { problem: '须为 32 位以内字母' };
    case 'symbol':
      return /^[^\w\s\u3400-\u9fff]{1,5}$/.test(value)
        ? { value }
        : { problem: '须为 5 位以内符号' };
    case 'character_string':
      return /^[\x21-\x7e]{1,32}$/.test(value)
        ? { value }
        : { problem: '须为 32 位以内数字、字母或符号' };
    case 'time':
      return /^(\d{4}年\d{1,2}月\d{1,2}日 )?\d{1,2}:\d{2}(:\d{2})?$/.test(value)
        ? { value }
        : { problem: '时间格式应为 15:01 或 2026年12月15日 15:01' };
    case 'date':
      return /^\d{4}年\d{1,2}月\d{1,2}日( \d{1,2}:\d{2})?$/.test(value)
        ? { value }
        : { problem: '日期格式应为 2026年12月15日' };
    case 'amount':
      return /^[¥￥$]?\d{1,10}(\.\d{1,2})?元?$/.test(value) && /^[¥￥$]|元$/.test(value)
        ? { value }
        : { problem: '金额应为一个币种符号加 10 位以内数字，如 ¥630.76' };
    case 'phone_number':
      return /^[+\d-]{1,17}$/.test(value)
        ? { value }
        : { problem: '电话须为 17 位以内数字、+ 或 -' };
    case 'car_number':
      return n <= 8 ? { value } : { problem: '车牌须为 8 位以内' };
    case 'name':
      return (CJK.test(value) && n <= 10) || (/^[A-Za-z ]+$/.test(value) && n <= 20)
        ? { value }
        : { problem: '姓名须为 10 个以内汉字或 20 个以内字母' };
    case 'phrase':
      return CJK.test(value) && n <= 5 ? { value } : { problem: '须为 5 个以内汉字' };
  }
}

export type SubscribePayload = Record<string, { value: string }>;

/**
 * Builds the `data` of `subscribeMessage.send` for a template from values by keyword key.
 * Every keyword must have a value and every value must fit; otherwise the problems say which.
 */
export function buildPayload(
  template: TemplateConfig,
  values: Record<string, string>,
): { ok: true; data: SubscribePayload } | { ok: false; problems: string[] } {
  const data: SubscribePayload = {};
  const problems: string[] = [];
  for (const kw of template.keywords) {
    const raw = values[kw.key];
    if (raw === undefined) {
      problems.push(`${kw.key}: 缺少取值`);
      continue;
    }
    const fit = fitKeyword(kw.type, raw);
    if ('problem' in fit) problems.push(`${kw.key}: ${fit.problem}`);
    else data[kw.key] = { value: fit.value };
  }
  for (const key of Object.keys(values)) {
    if (!template.keywords.some((k) => k.key === key)) problems.push(`${key}: 模板中没有该关键词`);
  }
  return problems.length ? { ok: false, problems } : { ok: true, data };
}

/** A template's keyword list is well formed: keys like `thing1` whose prefix is their type. */
export function validateTemplate(template: TemplateConfig): string[] {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(template.templateId))
    problems.push('templateId: 模板 ID 格式不正确');
  if (template.keywords.length === 0 || template.keywords.length > 5)
    problems.push('keywords: 须有 1 到 5 个关键词');
  const seen = new Set<string>();
  for (const kw of template.keywords) {
    const m = /^([a-z_]+?)(\d+)$/.exec(kw.key);
    if (!m || m[1] !== kw.type) problems.push(`${kw.key}: 关键词名须为类型加序号，如 ${kw.type}1`);
    if (seen.has(kw.key)) problems.push(`${kw.key}: 重复的关键词`);
    seen.add(kw.key);
  }
  return problems;
}
