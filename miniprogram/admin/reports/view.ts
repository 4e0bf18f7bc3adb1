/** Report view models: plain data for the reports page, money and rates as display text. */
import { AGING_BUCKETS, AGING_LABELS } from '../../domain/ledger/aging';
import { CHANNEL_LABELS } from '../../domain/payment/channels';
import { CONTACT_CHANNELS, CONTACT_CHANNEL_LABELS } from '../../domain/overdue/vocabulary';
import { formatRate, holdLabel } from '../../domain/report/rates';
import { formatDate, formatPeriod } from '../../domain/kernel/time';
import type {
  AgingReport,
  ArrearsReport,
  CollectionReport,
  CollectionRow,
  ReasonsReport,
} from '../../domain/report/contract';
import { CHART_COLORS, type BarDatum, type BarLayoutOptions } from './chart';
import { formatYuan, formatYuanWhole } from '../../domain/kernel/money';

export const REPORT_TABS = [
  { value: 'collection', label: '收缴率' },
  { value: 'aging', label: '账龄' },
  { value: 'arrears', label: '欠费排行' },
  { value: 'reasons', label: '未缴原因' },
] as const;
export type ReportTab = (typeof REPORT_TABS)[number]['value'];

const channelLabel = (c: string) => (CHANNEL_LABELS as Record<string, string>)[c] ?? c;

function channels(map: Record<string, number>): { label: string; amountText: string }[] {
  return Object.entries(map)
    .filter(([, v]) => v !== 0)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => ({ label: channelLabel(k), amountText: formatYuan(v) }));
}

export interface CollectionRowView {
  name: string;
  rooms: string;
  householdRate: string;
  amountRate: string;
  due: string;
  collected: string;
  outstanding: string;
  recovered: string;
}

function rowView(r: CollectionRow): CollectionRowView {
  return {
    name: r.building ? `${r.building}栋` : '合计',
    rooms: `${r.billedRooms - r.arrearsRooms}/${r.billedRooms}`,
    householdRate: formatRate(r.householdRateBp),
    amountRate: formatRate(r.amountRateBp),
    due: formatYuan(r.dueFen),
    collected: formatYuan(r.collectedFen),
    outstanding: formatYuan(r.outstandingFen),
    recovered: formatYuan(r.recoveredFen),
  };
}

export function collectionView(r: CollectionReport) {
  return {
    period: r.period,
    periodText: formatPeriod(r.period),
    windowText: `${formatDate(r.window.from)} 至 ${formatDate(r.window.to)}（不含）`,
    asOf: formatDate(r.asOf),
    /** The period chips: the value sent, and its text (2026年10月). */
    periods: r.periods.map((p) => ({ value: p, text: formatPeriod(p) })),
    total: rowView(r.total),
    buildings: r.buildings.filter((b) => b.billedRooms > 0 || b.recoveredFen !== 0).map(rowView),
    current: channels(r.total.currentByChannel),
    recovered: channels(r.total.recoveredByChannel),
    // 按类型: shown once anything but rooms was billed (parking spaces, storerooms)
    byKind: r.byKind.some((k) => k.kind !== 'room')
      ? r.byKind.map((k) => ({
          label: k.label,
          bills: `${k.bills - k.arrearsBills}/${k.bills}`,
          amountRate: formatRate(k.amountRateBp),
          collected: formatYuan(k.collectedFen),
          outstanding: formatYuan(k.outstandingFen),
        }))
      : [],
    empty: r.total.billedRooms === 0,
  };
}

/** How a chart is titled and its value axis marked. */
export type ChartAxis = Pick<BarLayoutOptions, 'title' | 'max' | 'tickText' | 'axisLabel'>;

/** The collection chart's axis: a rate from 0 to 100%. */
export const COLLECTION_AXIS: ChartAxis = {
  title: '各楼栋金额收缴率',
  max: 100,
  tickText: (v) => `${v}%`,
  axisLabel: '金额收缴率',
};

/** The aging chart's axis: outstanding yuan (bar values are fen). */
export const AGING_AXIS: ChartAxis = {
  title: '欠费账龄分布',
  tickText: (v) => formatYuanWhole(v),
  axisLabel: '欠费金额（元）',
};

/** Amount rate per building, as bars on a 0–100% scale. */
export function collectionChart(r: CollectionReport): BarDatum[] {
  return r.buildings
    .filter((b) => b.billedRooms > 0)
    .map((b) => ({
      label: `${b.building}栋`,
      value: b.amountRateBp / 100,
      valueText: formatRate(b.amountRateBp),
      color:
        b.amountRateBp >= 9000
          ? CHART_COLORS[0]
          : b.amountRateBp >= 7000
            ? CHART_COLORS[2]
            : CHART_COLORS[3],
    }));
}

export function agingView(r: AgingReport) {
  const headers = AGING_BUCKETS.map((b) => AGING_LABELS[b]);
  const row = (x: AgingReport['total']) => ({
    name: x.building ? `${x.building}栋` : '合计',
    cells: AGING_BUCKETS.map((b) => formatYuan(x.buckets[b].fen)),
    total: formatYuan(x.totalFen),
    rooms: x.rooms,
  });
  return {
    asOf: formatDate(r.asOf),
    headers,
    total: row(r.total),
    buildings: r.buildings.map(row),
    /** Total first, then each building. */
    rows: [row(r.total), ...r.buildings.map(row)],
    empty: r.total.totalFen === 0,
  };
}

/** Outstanding per aging bucket (community total). */
export function agingChart(r: AgingReport): BarDatum[] {
  return AGING_BUCKETS.map((b, i) => ({
    label: AGING_LABELS[b].replace(' 天', '').replace('天以上', '+'),
    value: r.total.buckets[b].fen,
    valueText: formatYuanWhole(r.total.buckets[b].fen),
    color: CHART_COLORS[Math.min(i + 1, CHART_COLORS.length - 1)],
  }));
}

export function arrearsView(r: ArrearsReport) {
  return {
    asOf: formatDate(r.asOf),
    entries: r.entries.map((e, i) => ({
      rank: i + 1,
      roomId: e.roomId,
      roomLabel: e.roomLabel,
      amountText: formatYuan(e.outstandingFen),
      detail: `${e.bills} 笔 · 最早 ${formatDate(e.oldestDueDate)} 到期 · 逾期 ${e.overdueDays} 天`,
      stage: e.escalationLabel,
      contact: e.lastContactReasonText,
      contactWhen: e.lastContactAt
        ? `${e.lastContactChannel ? CONTACT_CHANNEL_LABELS[e.lastContactChannel] : ''} ${formatDate(e.lastContactAt)}`.trim()
        : '',
      holds: e.holds.map((h) => holdLabel(h)).join('、') || '—',
    })),
    empty: r.entries.length === 0,
  };
}

export function reasonsView(r: ReasonsReport) {
  return {
    rangeText: `${formatDate(r.from)} 至 ${formatDate(r.to)}`,
    reasons: r.reasons.map((x) => ({
      reason: x.reason,
      reasonText: x.reasonText,
      contacts: x.contacts,
      rooms: x.rooms,
      channels: CONTACT_CHANNELS.filter((c) => x.byChannel[c])
        .map((c) => `${CONTACT_CHANNEL_LABELS[c]} ${x.byChannel[c]}`)
        .join('、'),
    })),
    complaintsText: `${r.complaints.total} 件，其中欠费房屋 ${r.complaints.fromArrearsRooms} 件`,
    holds: Object.entries(r.holds).map(([k, v]) => ({ label: holdLabel(k), ...v })),
  };
}
