/**
 * The 收支公示 admin forms, pure: which periods can be disclosed, an expense/income entry as the
 * disclosure.addEntry input checked with that contract (amounts typed in yuan become integer fen,
 * never through a float), and the service projects typed one per line.
 */
import {
  EXPENSE_CATEGORIES,
  EXPENSE_CATEGORY_LABELS,
  INCOME_KINDS,
  INCOME_KIND_LABELS,
  lastEndedQuarter,
  periodLabel,
  type ServiceProject,
} from '../../domain/disclosure/rules';
import { api, type ActionInput } from '../../domain/api';
import { check, formErrors, topField } from '../../domain/kernel/check';
import { parseYuanInput } from '../../domain/kernel/money';

export type EntryInput = ActionInput<'disclosure', 'addEntry'>;

export interface PeriodOption {
  value: string;
  label: string;
}

/** The last four ended quarters and the last two ended half-years, newest first. */
export function periodOptions(today: string): PeriodOption[] {
  const quarters: string[] = [];
  let q = lastEndedQuarter(today);
  for (let i = 0; i < 4; i++) {
    quarters.push(q);
    const y = Number(q.slice(0, 4));
    const n = Number(q.slice(5));
    q = n === 1 ? `${y - 1}Q4` : `${y}Q${n - 1}`;
  }
  const year = Number(today.slice(0, 4));
  const halves =
    today.slice(5, 7) >= '07' ? [`${year}H1`, `${year - 1}H2`] : [`${year - 1}H2`, `${year - 1}H1`];
  return [...quarters, ...halves].map((value) => ({ value, label: periodLabel(value) }));
}

export interface CategoryOption {
  value: string;
  label: string;
}

export function categoryOptions(type: 'expense' | 'income'): CategoryOption[] {
  return type === 'expense'
    ? EXPENSE_CATEGORIES.map((c) => ({ value: c, label: EXPENSE_CATEGORY_LABELS[c] }))
    : INCOME_KINDS.map((k) => ({ value: k, label: INCOME_KIND_LABELS[k] }));
}

export interface EntryForm {
  type: 'expense' | 'income';
  category: string;
  date: string;
  amount: string;
  description: string;
  use: string;
  vouchers: string[];
}

export type EntryErrors = Partial<Record<keyof EntryForm, string>>;

export type EntryResult = { ok: true; input: EntryInput } | { ok: false; errors: EntryErrors };

const ENTRY_FIELDS: readonly (keyof EntryForm)[] = [
  'type',
  'category',
  'date',
  'description',
  'use',
  'vouchers',
];

/** The form field an addEntry problem belongs to (`amountFen` is typed as `amount`). */
export function entryField(path: string): keyof EntryForm | undefined {
  const top = topField(path);
  if (top === 'amountFen') return 'amount';
  return ENTRY_FIELDS.find((f) => f === top);
}

/** The contract's (or the function's) problems as the form's messages. */
export function entryErrors(errors: readonly { field: string; message: string }[]): EntryErrors {
  return formErrors(errors, entryField, 'category');
}

/**
 * The entry checked with disclosure.addEntry, every problem at once; the form adds what only it
 * knows: the amount typed in yuan, and today (the function refuses a later date).
 */
export function validateEntry(
  f: EntryForm,
  communityId: string,
  requestId: string,
  today: string,
): EntryResult {
  const fen = parseYuanInput(f.amount);
  const input = {
    communityId,
    requestId,
    type: f.type,
    category: f.category,
    date: f.date,
    amountFen: fen ?? Number.NaN,
    description: f.description.trim(),
    ...(f.type === 'income' ? { use: f.use.trim() } : {}),
    vouchers: f.vouchers,
  };
  const checked = check(api.disclosure.addEntry, input);
  const errors: EntryErrors = checked.ok ? {} : entryErrors(checked.errors);
  if (fen === null) errors.amount = '请填写金额（元），如 1234.56';
  if (!errors.date && f.date > today) errors.date = '日期不能晚于今天';
  if (!checked.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input };
}

/** "标题：说明" per line (the part after the first colon is optional). Blank lines are skipped. */
export function parseProjects(text: string): ServiceProject[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .map((l) => {
      const i = l.search(/[:：]/);
      return i < 0
        ? { title: l.slice(0, 40), detail: '' }
        : {
            title: l.slice(0, i).trim().slice(0, 40),
            detail: l
              .slice(i + 1)
              .trim()
              .slice(0, 200),
          };
    })
    .filter((p) => p.title.length > 0);
}

/** A fresh key per form, so a repeated tap records one entry. */
export function newRequestId(): string {
  const rand = Math.random().toString(36).slice(2, 10).padEnd(8, '0');
  return `d${Date.now().toString(36)}${rand}`.slice(0, 40);
}
