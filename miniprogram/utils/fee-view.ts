/**
 * View models for the owner's bill detail (账单明细) and the published standards (收费标准公示):
 * contract data turned into display strings so the WXML stays free of logic. Money arrives as
 * integer fen and is formatted only here (¥1,234.56).
 */
import type { TagType } from './bill-view';
import type { BillDetailView, BillLineView, PublicStandardsView } from '../domain/fee/contract';
import { billMonths, type BillStatus } from '../domain/fee/bill';
import { formatYuan } from '../domain/kernel/money';
import { formatDate, formatDateTime, formatMonths } from '../domain/kernel/time';

export interface BillLineRow {
  key: string;
  name: string;
  discount: boolean;
  amountText: string;
  /** The computation in plain words, e.g. "建筑面积 89.47 m² × 2.3500 元/m²/月 × 3 个月 = ¥630.76". */
  basis: string;
  rangeText: string;
  itemId: string;
  /** A metered charge: the line links to 自助抄表 for the bill's room. */
  metered: boolean;
}

export interface StandardRow {
  key: string;
  name: string;
  priceText: string;
  effectiveText: string;
  approvalText: string;
}

export interface BillDetailScreen {
  billId: string;
  roomId: string;
  communityId: string;
  title: string;
  roomLabel: string;
  communityName: string;
  periodText: string;
  statusText: string;
  tagType: TagType;
  payable: boolean;
  outstandingFen: number;
  headline: string;
  dueText: string;
  overdue: boolean;
  overdueText: string;
  lines: BillLineRow[];
  amountDueText: string;
  hasLateFee: boolean;
  lateFeeText: string;
  hasPrepaid: boolean;
  prepaidText: string;
  hasPaid: boolean;
  paidText: string;
  outstandingText: string;
  standards: StandardRow[];
  payments: { key: string; receiptNo: string; amountText: string; channel: string; when: string }[];
  methodsText: string;
  servicePhone: string;
  serviceHours: string;
  frontDesk: string;
  priceHotline: string;
  issuedText: string;
}

const STATUS_TEXT: Record<BillStatus, string> = {
  unpaid: '待缴费',
  partial: '部分已缴',
  paid: '已缴清',
  void: '已作废',
};

function rangeText(l: BillLineView): string {
  if (!l.from || !l.to) return '';
  return `${formatDate(l.from)} 至 ${formatDate(l.to)}`;
}

export function toBillDetailScreen(d: BillDetailView): BillDetailScreen {
  const open = d.status === 'unpaid' || d.status === 'partial';
  const overdue = open && d.overdueDays > 0;
  let tagType: TagType = 'primary';
  if (d.status === 'paid') tagType = 'success';
  else if (d.status === 'void') tagType = 'default';
  else if (overdue) tagType = 'warning';

  const standards: StandardRow[] = [];
  const seen = new Set<string>();
  for (const l of d.lines) {
    if (l.kind !== 'charge' || !l.standard || seen.has(l.itemId)) continue;
    seen.add(l.itemId);
    standards.push({
      key: l.itemId,
      name: l.standard.name,
      priceText: l.standard.priceText,
      effectiveText: `${formatDate(l.standard.effectiveFrom)}起执行`,
      approvalText: `${l.standard.approvalRef}（${formatDate(l.standard.approvedAt)}批准）`,
    });
  }

  const cover = billMonths({ period: d.period, items: d.lines });
  return {
    billId: d.billId,
    roomId: d.roomId,
    communityId: d.communityId,
    title: d.title,
    roomLabel: d.roomLabel,
    communityName: d.communityName,
    periodText: formatMonths(cover.from, cover.to),
    statusText: overdue ? '已逾期' : STATUS_TEXT[d.status],
    tagType,
    payable: open && d.outstandingFen > 0,
    outstandingFen: d.outstandingFen,
    headline: open ? '待缴金额' : d.status === 'paid' ? '已缴清' : '账单已作废',
    dueText: formatDate(d.dueDate),
    overdue,
    overdueText: overdue ? `已逾期 ${d.overdueDays} 天` : '',
    lines: d.lines.map((l, i) => ({
      key: `${l.itemId}-${l.kind}-${i}`,
      name: l.name,
      discount: l.kind === 'discount',
      amountText: formatYuan(l.amountFen),
      basis: l.basis,
      rangeText: rangeText(l),
      itemId: l.itemId,
      metered: l.metered,
    })),
    amountDueText: formatYuan(d.amountDueFen),
    hasLateFee: d.lateFeeFen > 0,
    lateFeeText: formatYuan(d.lateFeeFen),
    hasPrepaid: d.prepaidAppliedFen > 0,
    prepaidText: formatYuan(-d.prepaidAppliedFen),
    hasPaid: d.paidFen - d.prepaidAppliedFen > 0,
    paidText: formatYuan(-(d.paidFen - d.prepaidAppliedFen)),
    outstandingText: formatYuan(d.outstandingFen),
    standards,
    payments: d.payments.map((p) => ({
      key: p.paymentId,
      receiptNo: p.receiptNo,
      amountText: formatYuan(p.amountFen),
      channel: p.channelLabel,
      when: formatDateTime(p.paidAt),
    })),
    methodsText: d.paymentMethods.map((m) => m.label).join('、'),
    servicePhone: d.contacts.servicePhone,
    serviceHours: d.contacts.serviceHours,
    frontDesk: d.contacts.frontDesk,
    priceHotline: d.contacts.priceHotline,
    issuedText: d.issuedAt ? formatDateTime(d.issuedAt) : '',
  };
}

export interface PublicStandardRow {
  key: string;
  name: string;
  kindLabel: string;
  priceText: string;
  /** "2024年12月1日起执行" or, for a price not yet in force, "2026年12月1日起执行（已提前公示）". */
  effectiveText: string;
  upcomingNotYet: boolean;
  approvalText: string;
  applicabilityText: string;
  rules: string[];
  upcoming: { key: string; priceText: string; effectiveText: string; approvalText: string }[];
}

export interface StandardsScreen {
  communityName: string;
  standards: PublicStandardRow[];
  servicePhone: string;
  priceHotline: string;
  notice: string;
}

/** `today` ('YYYY-MM-DD', Beijing) decides whether a price is already in force. */
export function toStandardsScreen(v: PublicStandardsView, today: string): StandardsScreen {
  return {
    communityName: v.communityName,
    servicePhone: v.servicePhone,
    priceHotline: v.priceHotline,
    notice: v.notice,
    standards: v.standards.map((s) => {
      const notYet = s.effectiveFrom > today;
      return {
        key: s.itemId,
        name: s.name,
        kindLabel: s.kindLabel,
        priceText: s.priceText,
        effectiveText: `${formatDate(s.effectiveFrom)}起执行${notYet ? '（已提前公示）' : ''}`,
        upcomingNotYet: notYet,
        approvalText: `${s.approvalRef}（${formatDate(s.approvedAt)}批准）`,
        applicabilityText: s.applicabilityText,
        rules: s.rules,
        upcoming: s.upcoming.map((u, i) => ({
          key: `${s.itemId}-${i}`,
          priceText: u.priceText,
          effectiveText: `${formatDate(u.effectiveFrom)}起调整为`,
          approvalText: `${u.approvalRef}（${formatDate(u.approvedAt)}批准）`,
        })),
      };
    }),
  };
}
