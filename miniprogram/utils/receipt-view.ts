/** View models for payments and receipts: contract data as display strings. */
import { CHANNEL_LABELS } from '../domain/payment/channels';
import { type OfflineChannel } from '../domain/payment/channels';
import type { CoveredAllocation, ReceiptSummary, ReceiptView } from '../domain/payment/contract';
import { formatYuan } from '../domain/kernel/money';
import { formatDateTime, formatMonths } from '../domain/kernel/time';

type Channel = ReceiptSummary['channel'];

export const CHANNEL_TEXT: Record<Channel, string> = CHANNEL_LABELS;

export interface ReceiptItemView {
  paymentId: string;
  receiptNo: string;
  amountFen: number;
  amountText: string;
  channelText: string;
  timeText: string;
  roomsText: string;
}

export function toReceiptItemView(r: ReceiptSummary): ReceiptItemView {
  return {
    paymentId: r.paymentId,
    receiptNo: r.receiptNo,
    amountFen: r.amountFen,
    amountText: formatYuan(r.amountFen),
    channelText: CHANNEL_TEXT[r.channel] ?? '其他',
    timeText: formatDateTime(r.paidAt),
    roomsText: r.roomLabels.length > 0 ? r.roomLabels.join('、') : '预存款',
  };
}

export interface ReceiptYear {
  year: string;
  count: number;
  totalText: string;
  items: ReceiptItemView[];
}

/** Receipts grouped by the year they were paid (Beijing time), each with its total. */
export function groupByYear(items: ReceiptItemView[]): ReceiptYear[] {
  const years: ReceiptYear[] = [];
  const totals = new Map<string, number>();
  for (const item of items) {
    const year = item.timeText.slice(0, 4);
    let group = years.find((y) => y.year === year);
    if (!group) {
      group = { year, count: 0, totalText: '', items: [] };
      years.push(group);
    }
    group.items.push(item);
    group.count += 1;
    totals.set(year, (totals.get(year) ?? 0) + item.amountFen);
  }
  for (const y of years) y.totalText = formatYuan(totals.get(y.year) ?? 0);
  return years;
}

export interface ReceiptLineView {
  key: string;
  title: string;
  periodText: string;
  roomLabel: string;
  amountText: string;
}

/** One receipt, ready for the 电子收据 layout and the saved picture. */
export interface ReceiptDocView {
  paymentId: string;
  receiptNo: string;
  communityName: string;
  /** 收款单位 */
  issuer: string;
  payer: string;
  roomsText: string;
  timeText: string;
  channelText: string;
  reference: string;
  /** Who took the money at the desk; '' for an online payment (no 收款人 line then). */
  cashier: string;
  lines: ReceiptLineView[];
  hasPrepaid: boolean;
  prepaidText: string;
  /** What the prepaid part is for: "预存至 1栋1单元1501，用于以后的账单". */
  prepaidNote: string;
  amountFen: number;
  amountFigures: string;
  amountCapital: string;
  reversed: boolean;
}

export function allocationLine(a: CoveredAllocation, i: number): ReceiptLineView {
  return {
    key: `${a.billId}-${i}`,
    title: a.title,
    periodText: formatMonths(a.coverFrom, a.coverTo),
    roomLabel: a.roomLabel,
    amountText: formatYuan(a.amountFen),
  };
}

export function toReceiptDocView(r: ReceiptView): ReceiptDocView {
  return {
    paymentId: r.paymentId,
    receiptNo: r.receiptNo,
    communityName: r.communityName,
    issuer: `${r.communityName}物业服务中心`,
    payer: r.payer,
    roomsText: r.roomLabels.join('、'),
    timeText: formatDateTime(r.paidAt),
    channelText: r.channelLabel || CHANNEL_TEXT[r.channel] || '其他',
    reference: r.reference ?? '',
    cashier: r.cashier,
    lines: r.allocations.map(allocationLine),
    hasPrepaid: r.prepaidFen > 0,
    prepaidText: formatYuan(r.prepaidFen),
    prepaidNote: r.prepaidRoomLabel
      ? `预存至 ${r.prepaidRoomLabel}，用于以后的账单`
      : '用于该房屋以后的账单',
    amountFen: r.amountFen,
    amountFigures: r.amountFigures || formatYuan(r.amountFen),
    amountCapital: r.amountCapital,
    reversed: r.reversed,
  };
}

export interface ChannelOption {
  value: OfflineChannel;
  label: string;
  /** POS slip, transfer number…: required by the server except for cash and other. */
  needsReference: boolean;
}

export const OFFLINE_CHANNEL_OPTIONS: ChannelOption[] = [
  { value: 'cash', label: '现金', needsReference: false },
  { value: 'card', label: 'POS 刷卡', needsReference: true },
  { value: 'transfer', label: '银行转账', needsReference: true },
  { value: 'alipay', label: '支付宝', needsReference: true },
  { value: 'autodebit', label: '银行代扣', needsReference: true },
  { value: 'other', label: '其他', needsReference: false },
];
