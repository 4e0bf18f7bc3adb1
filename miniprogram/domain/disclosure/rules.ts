/**
 * 收支公示 (income and expense disclosure): the vocabulary, the disclosure periods (quarters and
 * half-years), the figures of a disclosure computed from fee income (the ledger), expenses and
 * common-area income, the expense chart's layout and the printable poster. Pure: no clock, no I/O.
 * See docs/disclosure.md.
 */
import { codesOf } from '../kernel/codes';
import { allocate, formatYuan, type Fen } from '../kernel/money';
import { addDays, daysBetween } from '../kernel/time';
import type { PrintBlock, PrintDoc } from '../print/document';

export const EXPENSE_CATEGORY_LABELS = {
  staff: '人员费用',
  cleaning: '保洁费用',
  security: '秩序维护（安保）',
  greening: '绿化养护',
  repairs: '维修养护',
  utilities: '公共区域水电',
  management: '管理费用',
  tax: '税费',
  other: '其他支出',
};
export type ExpenseCategory = keyof typeof EXPENSE_CATEGORY_LABELS;
export const EXPENSE_CATEGORIES = codesOf(EXPENSE_CATEGORY_LABELS);

export const INCOME_KIND_LABELS = {
  ads: '广告收益',
  parking: '停车收益',
  venue: '场地租赁',
  other: '其他公共收益',
};
export type IncomeKind = keyof typeof INCOME_KIND_LABELS;
export const INCOME_KINDS = codesOf(INCOME_KIND_LABELS);

/** Colours of the expense chart, one per category (also the legend). */
export const CATEGORY_COLORS: Record<ExpenseCategory, string> = {
  staff: '#0e8f7e',
  cleaning: '#3a9bd9',
  security: '#6c63c7',
  greening: '#4caf50',
  repairs: '#e08a2c',
  utilities: '#d9534f',
  management: '#8d6e63',
  tax: '#607d8b',
  other: '#b0a06b',
};

// ---------------------------------------------------------------- periods

/** A disclosure period: `2026Q3` (a quarter) or `2026H2` (a half-year). */
export type DisclosurePeriod = string;

const PERIOD_RE = /^(\d{4})(Q[1-4]|H[12])$/;

export function isDisclosurePeriod(value: string): boolean {
  return PERIOD_RE.test(value);
}

/** First and last calendar day (YYYY-MM-DD, inclusive) of a disclosure period. */
export function periodRange(period: DisclosurePeriod): { from: string; to: string } {
  const m = PERIOD_RE.exec(period);
  if (!m) throw new RangeError(`not a disclosure period: ${period}`);
  const year = Number(m[1]);
  const part = m[2]!;
  const n = Number(part.slice(1));
  const months = part[0] === 'Q' ? 3 : 6;
  const firstMonth = (n - 1) * months + 1;
  const lastMonth = firstMonth + months - 1;
  const lastDay = new Date(Date.UTC(year, lastMonth, 0)).getUTCDate();
  const mm = (x: number) => String(x).padStart(2, '0');
  return {
    from: `${year}-${mm(firstMonth)}-01`,
    to: `${year}-${mm(lastMonth)}-${mm(lastDay)}`,
  };
}

/** 2026Q3 → "2026年第三季度"; 2026H1 → "2026年上半年". */
export function periodLabel(period: DisclosurePeriod): string {
  const m = PERIOD_RE.exec(period);
  if (!m) return period;
  const part = m[2]!;
  if (part[0] === 'H') return `${m[1]}年${part === 'H1' ? '上' : '下'}半年`;
  return `${m[1]}年第${['一', '二', '三', '四'][Number(part[1]) - 1]}季度`;
}

/** The instants bounding a period in Asia/Shanghai: [start, end). */
export function periodInstants(period: DisclosurePeriod): { start: Date; end: Date } {
  const { from, to } = periodRange(period);
  const start = new Date(`${from}T00:00:00+08:00`);
  const end = new Date(new Date(`${to}T00:00:00+08:00`).getTime() + 24 * 3600 * 1000);
  return { start, end };
}

/** A period may be disclosed once it has ended (its last day is before `today`). */
export function periodEnded(period: DisclosurePeriod, today: string): boolean {
  return periodRange(period).to < today;
}

/** The latest quarter that has ended by `today` (the usual one to disclose). */
export function lastEndedQuarter(today: string): DisclosurePeriod {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const q = Math.floor((month - 1) / 3); // current quarter index 0..3
  return q === 0 ? `${year - 1}Q4` : `${year}Q${q}`;
}

// ---------------------------------------------------------------- figures

export interface FeeIncome {
  /** Payments received in the period (all channels), before refunds. */
  receivedFen: Fen;
  /** Refunds (冲红) in the period, as a positive amount. */
  refundedFen: Fen;
  payments: number;
  refunds: number;
  /** Received per channel (label → fen), for the detail table. */
  byChannel: { channel: string; label: string; amountFen: Fen }[];
}

export interface ExpenseLine {
  entryId: string;
  category: ExpenseCategory;
  date: string;
  description: string;
  amountFen: Fen;
  vouchers: number;
}

export interface IncomeLine {
  entryId: string;
  kind: IncomeKind;
  date: string;
  description: string;
  amountFen: Fen;
  /** How the income was used (e.g. 计入公共维修资金、用于小区绿化补种). */
  use: string;
}

/** A recorded expense or income as stored (the fields the snapshot lines are made of). */
export interface EntryFields {
  _id: string;
  type: 'expense' | 'income';
  category: string;
  date: string;
  description: string;
  amountFen: Fen;
  use: string;
  vouchers: readonly string[];
}

const byDateThenId = (a: EntryFields, b: EntryFields) =>
  a.date.localeCompare(b.date) || a._id.localeCompare(b._id);

/** The entries of one type, in date order. */
const entriesOf = (entries: readonly EntryFields[], type: EntryFields['type']) =>
  entries.filter((d) => d.type === type).sort(byDateThenId);

/** What every line of a snapshot says of its entry: when, what and how much. */
const lineOf = (d: EntryFields) => ({
  date: d.date,
  description: d.description,
  amountFen: d.amountFen,
});

/** The expense lines of a snapshot, in date order. */
export function expenseLines(entries: readonly EntryFields[]): ExpenseLine[] {
  return entriesOf(entries, 'expense').map((d) => ({
    entryId: d._id,
    category: d.category as ExpenseCategory,
    ...lineOf(d),
    vouchers: d.vouchers.length,
  }));
}

/** The common-area income lines of a snapshot, in date order, each with its use. */
export function incomeLines(entries: readonly EntryFields[]): IncomeLine[] {
  return entriesOf(entries, 'income').map((d) => ({
    entryId: d._id,
    kind: d.category as IncomeKind,
    ...lineOf(d),
    use: d.use,
  }));
}

export interface CategoryTotal {
  category: ExpenseCategory;
  label: string;
  color: string;
  amountFen: Fen;
  /** Share of total expenses in tenths of a percent; the shares sum to exactly 1000. */
  sharePermille: number;
  shareText: string;
  lines: number;
}

export interface IncomeTotal {
  kind: IncomeKind;
  label: string;
  amountFen: Fen;
}

export interface DisclosureTotals {
  feeReceivedFen: Fen;
  feeRefundedFen: Fen;
  /** Fee income net of refunds: received − refunded. */
  feeNetFen: Fen;
  commonIncomeFen: Fen;
  /** Fee income (net) + common-area income. */
  totalIncomeFen: Fen;
  expenseFen: Fen;
  /** Total income − expenses (negative when expenses exceed income). */
  balanceFen: Fen;
}

export interface DisclosureFigures {
  totals: DisclosureTotals;
  /** Every category with an amount, largest first (categories without expenses are left out). */
  expensesByCategory: CategoryTotal[];
  incomeByKind: IncomeTotal[];
}

function assertAmount(fen: number, what: string): void {
  if (!Number.isSafeInteger(fen) || fen < 0) {
    throw new RangeError(`${what} must be a non-negative integer number of fen, got ${fen}`);
  }
}

/** A share in per mille (tenths of a percent) as percent text: 125 → "12.5%". */
export function permilleAsPercent(permille: number): string {
  return `${Math.floor(permille / 10)}.${permille % 10}%`;
}

/**
 * The figures of a disclosure. Shares are split by the largest-remainder method (kernel `allocate`),
 * so they add up to exactly 100.0%.
 */
export function computeFigures(
  fee: FeeIncome,
  expenses: readonly ExpenseLine[],
  incomes: readonly IncomeLine[],
): DisclosureFigures {
  assertAmount(fee.receivedFen, 'receivedFen');
  assertAmount(fee.refundedFen, 'refundedFen');
  const byCat = new Map<ExpenseCategory, { amountFen: number; lines: number }>();
  for (const e of expenses) {
    assertAmount(e.amountFen, `expense ${e.entryId}`);
    const t = byCat.get(e.category) ?? { amountFen: 0, lines: 0 };
    t.amountFen += e.amountFen;
    t.lines += 1;
    byCat.set(e.category, t);
  }
  const cats = EXPENSE_CATEGORIES.filter((c) => (byCat.get(c)?.amountFen ?? 0) > 0);
  const expenseFen = cats.reduce((s, c) => s + byCat.get(c)!.amountFen, 0);
  const permille =
    expenseFen > 0
      ? allocate(
          1000,
          cats.map((c) => byCat.get(c)!.amountFen),
        )
      : [];
  const expensesByCategory = cats
    .map((c, i) => ({
      category: c,
      label: EXPENSE_CATEGORY_LABELS[c],
      color: CATEGORY_COLORS[c],
      amountFen: byCat.get(c)!.amountFen,
      sharePermille: permille[i]!,
      shareText: permilleAsPercent(permille[i]!),
      lines: byCat.get(c)!.lines,
    }))
    .sort(
      (a, b) =>
        b.amountFen - a.amountFen ||
        EXPENSE_CATEGORIES.indexOf(a.category) - EXPENSE_CATEGORIES.indexOf(b.category),
    );
  const byKind = new Map<IncomeKind, number>();
  for (const i of incomes) {
    assertAmount(i.amountFen, `income ${i.entryId}`);
    byKind.set(i.kind, (byKind.get(i.kind) ?? 0) + i.amountFen);
  }
  const incomeByKind = INCOME_KINDS.filter((k) => byKind.has(k)).map((k) => ({
    kind: k,
    label: INCOME_KIND_LABELS[k],
    amountFen: byKind.get(k)!,
  }));
  const commonIncomeFen = incomeByKind.reduce((s, i) => s + i.amountFen, 0);
  const feeNetFen = fee.receivedFen - fee.refundedFen;
  const totalIncomeFen = feeNetFen + commonIncomeFen;
  return {
    totals: {
      feeReceivedFen: fee.receivedFen,
      feeRefundedFen: fee.refundedFen,
      feeNetFen,
      commonIncomeFen,
      totalIncomeFen,
      expenseFen,
      balanceFen: totalIncomeFen - expenseFen,
    },
    expensesByCategory,
    incomeByKind,
  };
}

// ---------------------------------------------------------------- the snapshot

export interface ServiceProject {
  title: string;
  detail: string;
}

/** What a published disclosure shows, frozen at publication. */
export interface DisclosureSnapshot {
  communityId: string;
  communityName: string;
  period: DisclosurePeriod;
  periodLabel: string;
  from: string;
  to: string;
  version: number;
  fee: FeeIncome;
  figures: DisclosureFigures;
  expenses: ExpenseLine[];
  incomes: IncomeLine[];
  projects: ServiceProject[];
  /** A note from the property company (e.g. how a deficit is covered). */
  note: string;
  /** Set on a correction: why this version replaces the previous one. */
  correctionReason: string | null;
  servicePhone: string;
}

/**
 * A fingerprint of the figures and lines, so a reviewed draft can be published only while the
 * records it was reviewed on are unchanged.
 */
export function figuresFingerprint(s: Pick<DisclosureSnapshot, 'fee' | 'expenses' | 'incomes'>) {
  const parts = [
    `fee:${s.fee.receivedFen}/${s.fee.refundedFen}/${s.fee.payments}/${s.fee.refunds}`,
    ...s.expenses.map((e) => `e:${e.entryId}:${e.amountFen}`).sort(),
    ...s.incomes.map((i) => `i:${i.entryId}:${i.amountFen}`).sort(),
  ];
  return parts.join('|');
}

// ---------------------------------------------------------------- the chart

export interface BarRow {
  label: string;
  color: string;
  /** Bar rectangle in CSS px. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Text right of the bar: amount and share. */
  valueText: string;
  labelY: number;
}

export interface BarChartLayout {
  width: number;
  height: number;
  labelWidth: number;
  /** Width of the track a full bar fills. */
  barSpace: number;
  rows: BarRow[];
}

/**
 * A horizontal bar chart of expenses by category (easy to read for elderly owners: the label on
 * the left, the bar, then amount and share). The largest bar spans the space left for bars;
 * every non-zero amount gets at least 2 px so it stays visible.
 */
export function barChartLayout(
  categories: readonly Pick<CategoryTotal, 'label' | 'color' | 'amountFen' | 'shareText'>[],
  opts: { width: number; rowHeight?: number; labelWidth?: number; valueWidth?: number },
): BarChartLayout {
  const rowHeight = opts.rowHeight ?? 34;
  const labelWidth = opts.labelWidth ?? 96;
  const valueWidth = opts.valueWidth ?? 118;
  const barSpace = Math.max(20, opts.width - labelWidth - valueWidth - 8);
  const max = categories.reduce((m, c) => Math.max(m, c.amountFen), 0);
  const barHeight = Math.round(rowHeight * 0.5);
  const rows = categories.map((c, i) => {
    const top = i * rowHeight + 8;
    const w = max > 0 ? Math.max(2, Math.round((c.amountFen / max) * barSpace)) : 0;
    return {
      label: c.label,
      color: c.color,
      x: labelWidth,
      y: top + Math.round((rowHeight - barHeight) / 2),
      width: c.amountFen > 0 ? w : 0,
      height: barHeight,
      valueText: `${formatYuan(c.amountFen)} · ${c.shareText}`,
      labelY: top + rowHeight / 2,
    };
  });
  return {
    width: opts.width,
    height: categories.length * rowHeight + 16,
    labelWidth,
    barSpace,
    rows,
  };
}

// ---------------------------------------------------------------- the poster

/** The disclosure as a poster to print and put up in the lobby (A4, via the PDF renderer). */
export function disclosurePoster(
  s: DisclosureSnapshot,
  opts: { publishedOn: string; superseded?: boolean },
): PrintDoc {
  const t = s.figures.totals;
  const blocks: PrintBlock[] = [
    { kind: 'heading', text: `${s.communityName}物业服务收支情况公示`, level: 1 },
    {
      kind: 'paragraph',
      text: `公示期间：${s.periodLabel}（${s.from} 至 ${s.to}）${s.version > 1 ? ` · 第 ${s.version} 版（更正）` : ''}`,
      align: 'center',
    },
  ];
  if (opts.superseded) {
    blocks.push({
      kind: 'paragraph',
      text: '本版本已被更正，请以最新版本为准。',
      align: 'center',
      bold: true,
    });
  }
  if (s.correctionReason) {
    blocks.push({ kind: 'paragraph', text: `更正说明：${s.correctionReason}` });
  }
  blocks.push(
    { kind: 'heading', text: '一、收支总览', level: 2 },
    {
      kind: 'fields',
      rows: [
        { label: '物业费实收', value: formatYuan(t.feeReceivedFen) },
        { label: '其中退款', value: formatYuan(t.feeRefundedFen) },
        { label: '物业费净收入', value: formatYuan(t.feeNetFen) },
        { label: '公共收益', value: formatYuan(t.commonIncomeFen) },
        { label: '收入合计', value: formatYuan(t.totalIncomeFen) },
        { label: '支出合计', value: formatYuan(t.expenseFen) },
        {
          label: t.balanceFen < 0 ? '收支差额（不足）' : '收支结余',
          value: formatYuan(t.balanceFen),
        },
      ],
    },
    { kind: 'heading', text: '二、支出明细（按类别）', level: 2 },
  );
  if (s.figures.expensesByCategory.length === 0) {
    blocks.push({ kind: 'paragraph', text: '本期无支出。' });
  } else {
    blocks.push({
      kind: 'table',
      columns: ['类别', '金额', '占比', '笔数'],
      widths: [3, 3, 2, 1],
      align: ['left', 'right', 'right', 'right'],
      rows: s.figures.expensesByCategory.map((c) => [
        c.label,
        formatYuan(c.amountFen),
        c.shareText,
        String(c.lines),
      ]),
      footer: [
        '合计',
        formatYuan(t.expenseFen),
        '100.0%',
        String(s.figures.expensesByCategory.reduce((n, c) => n + c.lines, 0)),
      ],
    });
  }
  blocks.push({ kind: 'heading', text: '三、公共收益及使用情况', level: 2 });
  if (s.incomes.length === 0) {
    blocks.push({ kind: 'paragraph', text: '本期无公共收益。' });
  } else {
    blocks.push({
      kind: 'table',
      columns: ['项目', '说明', '金额', '使用情况'],
      widths: [2, 3, 2, 4],
      align: ['left', 'left', 'right', 'left'],
      rows: s.incomes.map((i) => [
        INCOME_KIND_LABELS[i.kind],
        i.description,
        formatYuan(i.amountFen),
        i.use,
      ]),
      footer: ['合计', '', formatYuan(t.commonIncomeFen), ''],
    });
  }
  blocks.push({ kind: 'heading', text: '四、服务项目开展情况', level: 2 });
  if (s.projects.length === 0) {
    blocks.push({ kind: 'paragraph', text: '本期无专项服务项目。' });
  } else {
    s.projects.forEach((p, i) =>
      blocks.push({
        kind: 'paragraph',
        text: `${i + 1}. ${p.title}${p.detail ? `：${p.detail}` : ''}`,
      }),
    );
  }
  if (s.note) blocks.push({ kind: 'paragraph', text: `说明：${s.note}` });
  blocks.push(
    {
      kind: 'paragraph',
      text: `如对公示内容有疑问，欢迎咨询物业服务中心${s.servicePhone ? ` ${s.servicePhone}` : ''}，我们将如实解答，接受全体业主监督。`,
    },
    { kind: 'signature', lines: [`${s.communityName}物业服务中心`, opts.publishedOn] },
  );
  return {
    title: `${s.communityName}${s.periodLabel}收支公示${s.version > 1 ? `（第${s.version}版）` : ''}`,
    blocks,
    footer: `${s.communityName} · ${s.periodLabel}收支公示`,
    size: 'A4',
  };
}

// ---------------------------------------------------------------- fee standard adjustments

/**
 * Price changes are announced at least this many days before they take effect (the default
 * notice period; a longer one may be chosen, never a shorter one).
 */
export const DEFAULT_NOTICE_DAYS = 30;

/** The first day a price announced on `announcedOn` may take effect. */
export function earliestEffective(announcedOn: string, noticeDays = DEFAULT_NOTICE_DAYS): string {
  return addDays(announcedOn, noticeDays);
}

export type AdjustmentStatus = 'proposed' | 'notice' | 'effective' | 'withdrawn';

export const ADJUSTMENT_STATUS_LABELS: Record<AdjustmentStatus, string> = {
  proposed: '待公示',
  notice: '公示期',
  effective: '已生效',
  withdrawn: '已撤回',
};

/** Where an adjustment stands on `today`: announced ones are in notice until their date. */
export function adjustmentStatus(
  a: { state: 'proposed' | 'announced' | 'withdrawn'; effectiveFrom: string },
  today: string,
): AdjustmentStatus {
  if (a.state === 'withdrawn') return 'withdrawn';
  if (a.state === 'proposed') return 'proposed';
  return a.effectiveFrom <= today ? 'effective' : 'notice';
}

/** Whole days left in the notice period (0 once effective). */
export function noticeDaysLeft(effectiveFrom: string, today: string): number {
  return Math.max(0, daysBetween(today, effectiveFrom));
}
