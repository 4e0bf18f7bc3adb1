/**
 * 账单生成 view models: a billing run's preview/issue pass and the run list as display strings.
 * Pure (no wx): money arrives as integer fen and is formatted here.
 */
import type { BillingPassView, BillingRunStatus, BillingRunView } from '../../domain/fee/contract';
import { formatYuan } from '../../domain/kernel/money';
import { formatDate, formatPeriod } from '../../domain/kernel/time';

export const RUN_STATUS_TEXT: Record<BillingRunStatus, string> = {
  previewing: '预览未完成',
  previewed: '已预览，待出账',
  issuing: '出账未完成',
  issued: '已出账',
};

/** Basis points as a signed percentage with one decimal: 2500 → '+25.0%', -3120 → '-31.2%'. */
export function bpText(bp: number): string {
  const abs = Math.abs(Math.trunc(bp));
  const sign = bp > 0 ? '+' : bp < 0 ? '-' : '';
  return `${sign}${Math.trunc(abs / 100)}.${Math.trunc((abs % 100) / 10)}%`;
}

export function buildingLabel(building: string): string {
  return /^\d+$/.test(building) ? `${building}栋` : building;
}

export interface PassScreen {
  done: boolean;
  /** 0–100, rooms scanned of rooms total. */
  percent: number;
  progressText: string;
  billsText: string;
  totalText: string;
  chargesText: string;
  discountsText: string;
  hasPrepaid: boolean;
  prepaidText: string;
  byBuilding: { key: string; label: string; bills: number; totalText: string }[];
  byItem: {
    key: string;
    name: string;
    lines: number;
    amountText: string;
    discountText: string;
    hasDiscount: boolean;
  }[];
  skipped: { key: string; label: string; count: number }[];
  skippedRooms: { key: string; roomLabel: string; label: string }[];
  itemSkips: { key: string; text: string; count: number }[];
  anomalies: {
    key: string;
    roomLabel: string;
    name: string;
    fromText: string;
    toText: string;
    changeText: string;
    up: boolean;
  }[];
  anomalyCount: number;
  moreAnomalies: boolean;
}

export function toPassScreen(p: BillingPassView): PassScreen {
  const percent =
    p.roomsTotal > 0
      ? Math.min(100, Math.floor((p.roomsScanned * 100) / p.roomsTotal))
      : p.done
        ? 100
        : 0;
  return {
    done: p.done,
    percent: p.done ? 100 : percent,
    progressText: `已处理 ${p.roomsScanned} / ${p.roomsTotal} 户`,
    billsText: `${p.bills} 户`,
    totalText: formatYuan(p.totalFen),
    chargesText: formatYuan(p.chargesFen),
    discountsText: formatYuan(-p.discountsFen),
    hasPrepaid: p.prepaidAppliedFen > 0,
    prepaidText: `${formatYuan(p.prepaidAppliedFen)}（${p.prepaidRooms} 户）`,
    byBuilding: p.byBuilding.map((b) => ({
      key: b.building,
      label: buildingLabel(b.building),
      bills: b.bills,
      totalText: formatYuan(b.totalFen),
    })),
    byItem: p.byItem.map((i) => ({
      key: i.itemId,
      name: i.name,
      lines: i.lines,
      amountText: formatYuan(i.amountFen),
      discountText: formatYuan(-i.discountFen),
      hasDiscount: i.discountFen > 0,
    })),
    skipped: p.skipped.map((s) => ({ key: s.reason, label: s.label, count: s.count })),
    skippedRooms: p.skippedRooms.slice(0, 30).map((r) => ({
      key: r.roomId,
      roomLabel: r.roomLabel,
      label: r.label,
    })),
    itemSkips: p.itemSkips.map((s) => ({
      key: `${s.itemId}-${s.reason}`,
      text: `${s.name}：${s.label}`,
      count: s.count,
    })),
    anomalies: p.anomalies.slice(0, 30).map((a) => ({
      key: `${a.roomId}-${a.itemId}`,
      roomLabel: a.roomLabel,
      name: a.name,
      fromText: formatYuan(a.previousFen),
      toText: formatYuan(a.currentFen),
      changeText: bpText(a.changeBp),
      up: a.changeBp > 0,
    })),
    anomalyCount: p.anomalyCount,
    moreAnomalies: p.anomalyCount > Math.min(30, p.anomalies.length),
  };
}

export interface RunScreen {
  period: string;
  periodText: string;
  status: BillingRunStatus;
  statusText: string;
  stale: boolean;
  itemsText: string;
  rangeText: string;
  dueText: string;
  preview: PassScreen | null;
  issue: PassScreen | null;
  /** After issuing: what the bills add up to in the database. */
  summaryText: string;
  canIssue: boolean;
  canResume: boolean;
  /** Why 重新预览 is not offered ('' when it is): an issued period, or one being issued. */
  previewBlocked: string;
}

export function toRunScreen(r: BillingRunView): RunScreen {
  const first = r.items[0];
  const summary = r.summary;
  return {
    period: r.period,
    periodText: formatPeriod(r.period),
    status: r.status,
    statusText:
      r.stale && r.status === 'previewed'
        ? '收费标准有变更，请重新预览'
        : RUN_STATUS_TEXT[r.status],
    stale: r.stale,
    itemsText: r.items.map((i) => i.name).join('、') || '本期无到期收费项目',
    rangeText: first ? `${formatDate(first.from)} 至 ${formatDate(first.to)}` : '',
    dueText: first ? formatDate(first.dueDate) : '',
    preview: r.preview ? toPassScreen(r.preview) : null,
    issue: r.issue ? toPassScreen(r.issue) : null,
    summaryText: summary ? `共 ${summary.bills} 户，合计 ${formatYuan(summary.totalFen)}` : '',
    canIssue:
      r.status === 'previewed' && !r.stale && !!r.preview?.done && (r.preview?.bills ?? 0) > 0,
    canResume: r.status === 'issuing',
    previewBlocked:
      r.status === 'issued'
        ? `本期已${r.issuedAt ? `于 ${formatDate(r.issuedAt)} ` : ''}出账，账单已发给业主，无需重新预览；已出账的房屋不会重复出账`
        : r.status === 'issuing'
          ? '本期出账尚未完成，请点“继续出账”'
          : '',
  };
}

export interface RunRow {
  key: string;
  period: string;
  periodText: string;
  statusText: string;
  issued: boolean;
  detailText: string;
}

export function toRunRow(r: BillingRunView): RunRow {
  const pass = r.status === 'issued' || r.status === 'issuing' ? r.issue : r.preview;
  const totals = r.summary
    ? `${r.summary.bills} 户 · ${formatYuan(r.summary.totalFen)}`
    : pass
      ? `${pass.bills} 户 · ${formatYuan(pass.totalFen)}`
      : '';
  return {
    key: r.runId,
    period: r.period,
    periodText: formatPeriod(r.period),
    statusText: RUN_STATUS_TEXT[r.status],
    issued: r.status === 'issued',
    detailText: [r.items.map((i) => i.name).join('、'), totals].filter(Boolean).join(' · '),
  };
}
