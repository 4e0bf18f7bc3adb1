/**
 * What the 收支公示 pages show, from the function's views: money formatted, dates in Chinese,
 * statuses in words. Pure (no wx), so it is unit-tested.
 */
import { EXPENSE_CATEGORY_LABELS, INCOME_KIND_LABELS } from '../domain/disclosure/rules';
import type {
  DisclosureStatus,
  DisclosureSummary,
  DisclosureView,
} from '../domain/disclosure/contract';
import type { PublicAdjustmentView } from '../domain/fee/adjustments.contract';
import { formatYuan } from '../domain/kernel/money';
import { formatDate } from '../domain/kernel/time';

export const DISCLOSURE_STATUS_TEXT: Record<DisclosureStatus, string> = {
  draft: '草稿',
  reviewed: '已复核',
  published: '已发布',
  discarded: '已作废',
};

const DISCLOSURE_STATUS_TAG: Record<DisclosureStatus, DisclosureRow['statusType']> = {
  draft: 'warning',
  reviewed: 'primary',
  published: 'success',
  discarded: 'default',
};

export interface DisclosureRow {
  id: string;
  title: string;
  sub: string;
  statusText: string;
  statusType: 'primary' | 'success' | 'warning' | 'default';
  superseded: boolean;
  incomeText: string;
  expenseText: string;
  balanceText: string;
  balanceLabel: string;
  deficit: boolean;
}

export function toDisclosureRow(d: DisclosureSummary): DisclosureRow {
  const t = d.totals;
  const statusText = d.superseded ? '已更正' : DISCLOSURE_STATUS_TEXT[d.status];
  return {
    id: d.disclosureId,
    title: `${d.periodLabel}收支公示${d.version > 1 ? `（第 ${d.version} 版）` : ''}`,
    sub: d.publishedAt
      ? `${formatDate(d.publishedAt)}发布${d.correctionReason ? ` · 更正：${d.correctionReason}` : ''}`
      : d.correctionReason
        ? `更正：${d.correctionReason}`
        : '',
    statusText,
    statusType: d.superseded ? 'default' : DISCLOSURE_STATUS_TAG[d.status],
    superseded: d.superseded,
    incomeText: formatYuan(t.totalIncomeFen),
    expenseText: formatYuan(t.expenseFen),
    balanceText: formatYuan(t.balanceFen),
    balanceLabel: t.balanceFen < 0 ? '收支差额' : '收支结余',
    deficit: t.balanceFen < 0,
  };
}

export interface DisclosureScreen {
  id: string;
  title: string;
  communityName: string;
  rangeText: string;
  versionText: string;
  superseded: boolean;
  supersededBy: string | null;
  correctionReason: string | null;
  totals: { label: string; value: string; strong?: boolean; warn?: boolean }[];
  categories: {
    key: string;
    label: string;
    color: string;
    amount: string;
    share: string;
    lines: number;
  }[];
  expenseTotal: string;
  channels: { key: string; label: string; amount: string }[];
  incomes: { key: string; label: string; description: string; amount: string; use: string }[];
  incomeTotal: string;
  projects: { key: string; title: string; detail: string }[];
  expenses: { key: string; date: string; label: string; description: string; amount: string }[];
  note: string;
  servicePhone: string;
  /** Screen reader / chart fallback: the chart in one sentence. */
  chartSummary: string;
  /** Staff only (empty for owners): where a draft stands, who prepared and reviewed it. */
  staffNote: string;
  stale: boolean;
  /** Published (current or superseded): the poster can be printed. */
  printable: boolean;
}

export function toDisclosureScreen(v: DisclosureView): DisclosureScreen {
  const s = v.snapshot;
  const t = s.figures.totals;
  return {
    id: v.disclosureId,
    title: `${s.periodLabel}收支公示`,
    communityName: s.communityName,
    rangeText: `${formatDate(s.from)} 至 ${formatDate(s.to)}`,
    versionText: s.version > 1 ? `第 ${s.version} 版（更正）` : '',
    superseded: v.superseded,
    supersededBy: v.supersededBy,
    printable: v.status === 'published',
    correctionReason: s.correctionReason,
    totals: [
      { label: '物业费实收', value: formatYuan(t.feeReceivedFen) },
      { label: '退款', value: formatYuan(-t.feeRefundedFen) },
      { label: '公共收益', value: formatYuan(t.commonIncomeFen) },
      { label: '收入合计', value: formatYuan(t.totalIncomeFen), strong: true },
      { label: '支出合计', value: formatYuan(t.expenseFen), strong: true },
      {
        label: t.balanceFen < 0 ? '收支差额' : '收支结余',
        value: formatYuan(t.balanceFen),
        strong: true,
        warn: t.balanceFen < 0,
      },
    ],
    categories: s.figures.expensesByCategory.map((c) => ({
      key: c.category,
      label: c.label,
      color: c.color,
      amount: formatYuan(c.amountFen),
      share: c.shareText,
      lines: c.lines,
    })),
    expenseTotal: formatYuan(t.expenseFen),
    channels: s.fee.byChannel.map((c) => ({
      key: c.channel,
      label: c.label,
      amount: formatYuan(c.amountFen),
    })),
    incomes: s.incomes.map((i) => ({
      key: i.entryId,
      label: INCOME_KIND_LABELS[i.kind],
      description: i.description,
      amount: formatYuan(i.amountFen),
      use: i.use,
    })),
    incomeTotal: formatYuan(t.commonIncomeFen),
    projects: s.projects.map((p, i) => ({ key: String(i), title: p.title, detail: p.detail })),
    expenses: s.expenses.map((e) => ({
      key: e.entryId,
      date: formatDate(e.date),
      label: EXPENSE_CATEGORY_LABELS[e.category],
      description: e.description,
      amount: formatYuan(e.amountFen),
    })),
    note: s.note,
    servicePhone: s.servicePhone,
    staffNote: v.preparedByName
      ? [
          `${DISCLOSURE_STATUS_TEXT[v.status]}`,
          `${v.preparedByName}编制`,
          v.reviewedByName ? `${v.reviewedByName}${v.status === 'draft' ? '退回' : '复核'}` : '',
          v.reviewComment ? `意见：${v.reviewComment}` : '',
          v.publishedByName && v.status === 'published' ? `${v.publishedByName}发布` : '',
        ]
          .filter(Boolean)
          .join(' · ')
      : '',
    stale: v.stale,
    chartSummary: s.figures.expensesByCategory
      .map((c) => `${c.label}${formatYuan(c.amountFen)}（${c.shareText}）`)
      .join('，'),
  };
}

export interface AdjustmentRow {
  id: string;
  title: string;
  change: string;
  effectiveText: string;
  noticeText: string;
  inNotice: boolean;
  reason: string;
  approvalRef: string;
  /** Each with its temporary link (`url`, '' when the file is gone). */
  documents: { key: string; name: string; url: string }[];
}

/** Announced price adjustments as owners see them on the standards page. */
export function toAdjustmentRows(list: readonly PublicAdjustmentView[]): AdjustmentRow[] {
  return list.map((a) => ({
    id: a.adjustmentId,
    title: a.standardName,
    change: `${a.currentPriceText} → ${a.priceText}`,
    effectiveText: `${formatDate(a.effectiveFrom)}起执行`,
    noticeText:
      a.status === 'notice'
        ? `公示中 · ${formatDate(a.announcedOn)}公示，距生效还有 ${a.daysLeft} 天`
        : `已于${formatDate(a.effectiveFrom)}生效（${formatDate(a.announcedOn)}公示）`,
    inNotice: a.status === 'notice',
    reason: a.reason,
    approvalRef: a.approvalRef,
    documents: a.documents.map((d, i) => ({ key: `${a.adjustmentId}-${i}`, ...d })),
  }));
}

/** "2024年12月1日 – 2026年12月31日" or "2027年3月1日起". */
export function historyRangeText(from: string, to: string | null): string {
  return to ? `${formatDate(from)} – ${formatDate(to)}` : `${formatDate(from)}起`;
}
