/** 房屋账户: the room ledger as the page shows it (pure: no wx, so it is unit-tested). */
import type { RoomLedger } from '../../domain/community/contract';
import {
  OCCUPANCY_END_LABELS,
  OCCUPANCY_END_REASONS,
  type LedgerBill,
  type LedgerPayment,
  type OccupancyEndReason,
} from '../../domain/community/account.contract';
import { OCCUPANCY_LABELS, RELATION_LABELS } from '../../domain/community/vocabulary';
import { CATEGORY_LABELS, KIND_LABELS, STATUS_LABELS } from '../../domain/complaint/rules';
import type { ComplaintCategory, TicketKind, TicketStatus } from '../../domain/complaint/rules';
import { HOLD_REASON_LABELS, PLAN_STATUS_LABELS } from '../../domain/overdue/vocabulary';
import { formatYuan } from '../../domain/kernel/money';
import { formatDate, formatDateTime, formatMonths } from '../../domain/kernel/time';
import type { TagType } from '../../utils/bill-view';

export interface LedgerBillRow {
  billId: string;
  title: string;
  subText: string;
  statusText: string;
  tagType: TagType;
  amountText: string;
  /** "待缴 ¥1,326.96" or "已缴 ¥965.00" */
  owedText: string;
  owed: boolean;
  overdue: boolean;
  noteText: string;
}

const BILL_STATUS: Record<LedgerBill['status'], string> = {
  unpaid: '待缴',
  partial: '部分已缴',
  paid: '已缴清',
  void: '已作废',
};

export function ledgerBillRow(b: LedgerBill): LedgerBillRow {
  const owed = b.outstandingFen > 0;
  const overdue = b.overdueDays > 0;
  const notes = [
    b.lateFeeFen > 0 ? `含滞纳金 ${formatYuan(b.lateFeeFen)}` : '',
    overdue ? `已逾期 ${b.overdueDays} 天` : '',
    b.held ? '暂停催缴' : '',
  ].filter(Boolean);
  return {
    billId: b.billId,
    title: b.title,
    subText: `${formatMonths(b.coverFrom, b.coverTo)} · 截止 ${formatDate(b.dueDate)}`,
    statusText: overdue ? '已逾期' : BILL_STATUS[b.status],
    tagType: b.status === 'paid' ? 'success' : overdue ? 'warning' : owed ? 'primary' : 'default',
    amountText: formatYuan(b.amountDueFen),
    owedText: owed ? `待缴 ${formatYuan(b.outstandingFen)}` : `已缴 ${formatYuan(b.paidFen)}`,
    owed,
    overdue,
    noteText: notes.join(' · '),
  };
}

export interface LedgerPaymentRow {
  paymentId: string;
  receiptNo: string;
  amountText: string;
  subText: string;
  tagText: string;
}

export function ledgerPaymentRow(p: LedgerPayment): LedgerPaymentRow {
  return {
    paymentId: p.paymentId,
    receiptNo: p.receiptNo,
    amountText: formatYuan(p.amountFen),
    subText: [
      formatDateTime(p.paidAt),
      p.channelLabel,
      p.cashier ? `收款人 ${p.cashier}` : '',
      p.prepaidFen > 0 ? `其中预存 ${formatYuan(p.prepaidFen)}` : '',
    ]
      .filter(Boolean)
      .join(' · '),
    tagText: p.reversal ? '红字收据' : p.reversed ? '已冲红' : '',
  };
}

export interface LedgerScreen {
  roomId: string;
  label: string;
  ownerText: string;
  facts: string;
  specialCare: boolean;
  endText: string;
  endWarn: string;
  asOfText: string;
  outstandingFen: number;
  overdueText: string;
  prepaidText: string;
  bills: LedgerBillRow[];
  owedCount: number;
  payments: LedgerPaymentRow[];
  orders: { key: string; text: string }[];
  plans: { key: string; statusText: string; text: string }[];
  holds: { key: string; text: string }[];
  people: { key: string; name: string; sub: string; active: boolean; specialCare: boolean }[];
  contacts: { key: string; timeText: string; title: string; detail: string }[];
  complaints: { ticketId: string; title: string; sub: string; statusText: string }[];
}

function range(from: string, to: string | null): string {
  return to ? `${formatDate(from)} 至 ${formatDate(to)}` : `自 ${formatDate(from)} 起`;
}

export function toLedgerScreen(l: RoomLedger): LedgerScreen {
  const r = l.room;
  const end = l.occupancyEnd;
  return {
    roomId: r.roomId,
    label: r.label,
    ownerText: r.owner ? `业主 ${r.owner.name} ${r.owner.mobile}` : '暂无业主登记',
    facts: [
      `建筑面积 ${r.buildingArea} m²`,
      OCCUPANCY_LABELS[r.occupancy],
      `已绑定 ${r.verifiedBindings} 人`,
    ].join(' · '),
    specialCare: r.specialCare,
    endText: end
      ? `${OCCUPANCY_END_LABELS[end.reason]}：入住至 ${formatDate(end.date)}，此后不再计费${end.note ? `（${end.note}）` : ''}`
      : '',
    endWarn: end?.billedThrough
      ? `已出账至 ${formatDate(end.billedThrough)}，其后部分已收费用请办理退款（冲红）`
      : '',
    asOfText: `截至 ${formatDate(l.asOf)}`,
    outstandingFen: l.outstandingFen,
    overdueText:
      l.overdueCount > 0 ? `其中已逾期 ${l.overdueCount} 笔 ${formatYuan(l.overdueFen)}` : '',
    prepaidText: formatYuan(l.prepaidFen),
    bills: l.bills.map(ledgerBillRow),
    owedCount: l.bills.filter((b) => b.outstandingFen > 0).length,
    payments: l.payments.map(ledgerPaymentRow),
    orders: l.openOrders.map((o) => ({
      key: o.outTradeNo,
      text: `${formatYuan(o.amountFen)}（${o.billIds.length} 笔账单）· ${formatDateTime(o.createdAt)} 发起，待业主完成支付`,
    })),
    plans: l.plans.map((p) => ({
      key: p.planId,
      statusText: PLAN_STATUS_LABELS[p.status],
      text: `${formatYuan(p.arrearsFen)} 分 ${p.installments.length} 期${
        p.installments[0] ? `，首期 ${formatDate(p.installments[0].dueDate)}` : ''
      }`,
    })),
    holds: l.holds.map((h, i) => ({
      key: `${h.reason}-${i}`,
      text: `${HOLD_REASON_LABELS[h.reason] ?? h.reason}，${range(h.from, h.to)}${h.note ? `（${h.note}）` : ''}`,
    })),
    people: r.people.map((p) => ({
      key: p.relationId,
      name: p.name,
      sub: [RELATION_LABELS[p.relation], p.mobile, p.active ? '' : '已结束']
        .filter(Boolean)
        .join(' · '),
      active: p.active,
      specialCare: p.specialCare,
    })),
    contacts: l.contacts.map((c, i) => ({
      key: `${c.at}-${i}`,
      timeText: formatDateTime(c.at),
      title: c.byName ? `${c.title} · ${c.byName}` : c.title,
      detail: c.detail,
    })),
    complaints: l.complaints.map((t) => ({
      ticketId: t.ticketId,
      title: `${KIND_LABELS[t.kind as TicketKind] ?? t.kind} · ${CATEGORY_LABELS[t.category as ComplaintCategory] ?? t.category}`,
      sub: `${t.ticketNo} · ${formatDateTime(t.createdAt)} · ${t.description}`,
      statusText: STATUS_LABELS[t.status as TicketStatus] ?? t.status,
    })),
  };
}

/** The reasons an admin chooses from when ending a room's occupancy. */
export const END_REASON_OPTIONS: { value: OccupancyEndReason; label: string }[] =
  OCCUPANCY_END_REASONS.map((value) => ({ value, label: OCCUPANCY_END_LABELS[value] }));
