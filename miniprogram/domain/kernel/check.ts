/**
 * Checking an input against a contract, for both sides: the mini-program's forms (every problem
 * at once, each with its field) and the cloud functions' router (the same problems, as the
 * INVALID_INPUT reply). Imports no zod at run time (it calls the schema it is given), so code that
 * only needs the checking — or the router's error class — does not bundle the contracts' rules.
 */
import type * as z from './zod';
import type { FieldError } from './reply';

export type { FieldError };

/** Any input schema. */
export type Schema = z.ZodMiniType;

/** What `check` needs of a contract: its input schema. */
export interface Checkable<I extends Schema> {
  input: I;
}

export type Checked<T> = { ok: true; data: T } | { ok: false; errors: FieldError[] };

type Issue = z.core.$ZodRawIssue;

/**
 * Chinese sentences for the problems a rule did not word itself (a length, a missing field, a
 * wrong type). zod/mini carries no locale; rules with their own message keep it.
 */
export function defaultMessage(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return '请填写此项';
      return issue.expected === 'int' ? '应为整数' : '格式不正确';
    case 'too_small': {
      const n = Number(issue.minimum);
      if (issue.origin === 'string') return n <= 1 ? '请填写此项' : `至少 ${n} 个字`;
      if (issue.origin === 'array' || issue.origin === 'set') return `至少 ${n} 项`;
      return issue.inclusive ? `不能小于 ${n}` : `应大于 ${n}`;
    }
    case 'too_big': {
      const n = Number(issue.maximum);
      if (issue.origin === 'string') return `最多 ${n} 个字`;
      if (issue.origin === 'array' || issue.origin === 'set') return `最多 ${n} 项`;
      return issue.inclusive ? `不能大于 ${n}` : `应小于 ${n}`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `应为 ${String(issue.values[0])}`
        : `应为 ${issue.values.map(String).join('、')} 之一`;
    case 'not_multiple_of':
      return `应为 ${String(issue.divisor)} 的倍数`;
    case 'unrecognized_keys':
      return UNRECOGNIZED;
    default:
      return '格式不正确';
  }
}

const UNRECOGNIZED = '不支持的字段 (unrecognized field)';

/** The problems as fields and sentences: `templates.billReminder.templateId`, `readings.0.roomId`. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    const field = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) {
        out.push({ field: field ? `${field}.${k}` : k, message: UNRECOGNIZED });
      }
    } else {
      out.push({ field, message: issue.message });
    }
  }
  return out;
}

/**
 * Check an input against a contract: the parsed data, or every problem at once with its field
 * path. Forms call this before sending; the functions' router calls it on every event.
 */
export function check<I extends Schema>(c: Checkable<I>, input: unknown): Checked<z.output<I>> {
  const result = c.input.safeParse(input, { error: defaultMessage });
  if (result.success) return { ok: true, data: result.data as z.output<I> };
  return { ok: false, errors: fieldErrors(result.error.issues) };
}

/** The problems in one line, each naming its field: `taxId: …; email: …` (the reply message). */
export function describeErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.field || '(input)'}: ${e.message}`).join('; ');
}

/** The first sentence per field: what a form shows under each input. */
export function messagesByField(errors: readonly FieldError[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) if (!(e.field in out)) out[e.field] = e.message;
  return out;
}

/** `field: sentence`, the way a function's own refusal names the input field it is about. */
const FIELD_PREFIX = /^([A-Za-z][\w.]*):\s*(.+)$/s;

/**
 * The field a refusal's message names (`reference: 该交易参考号已登记过` → reference), as the
 * reply's `fields`; none when the message names no field.
 */
export function fieldsOfMessage(message: string): FieldError[] {
  const m = FIELD_PREFIX.exec(message);
  return m ? [{ field: m[1]!, message: m[2]! }] : [];
}

/**
 * A form's messages from a contract's problems: `fieldOf` names the form field a problem's path
 * belongs to (`pricing.unitPrice` → `price`), first sentence per field. A problem with no field of
 * the form goes to `fallback`, so a refused form never shows nothing.
 */
export function formErrors<K extends string>(
  errors: readonly FieldError[],
  fieldOf: (path: string) => K | undefined,
  fallback: K,
): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const e of errors) {
    const key = fieldOf(e.field) ?? fallback;
    if (out[key] === undefined) out[key] = e.message;
  }
  return out;
}

/** The first segment of a field path: `documents.0.fileId` → `documents`. */
export function topField(path: string): string {
  const dot = path.indexOf('.');
  return dot < 0 ? path : path.slice(0, dot);
}
