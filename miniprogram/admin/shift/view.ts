/**
 * A shift (交班日结) as the two shift pages show it: totals by channel, receipts, red receipts,
 * deposits taken and paid back (their own lines, not fee income) and the cash count, all as text
 * made by the kernel (money.ts, time.ts).
 */
import { formatYuan } from '../../domain/kernel/money';
import { formatDateTime } from '../../domain/kernel/time';
import {
  depositCashFen,
  depositLineParts,
  differenceText,
  type ShiftView,
} from '../../domain/payment/shift';

export interface ShiftCard {
  shiftId: string;
  title: string;
  statusLabel: string;
  status: ShiftView['status'];
  timeText: string;
  channels: {
    channel: string;
    label: string;
    countText: string;
    netText: string;
    reversedText: string;
  }[];
  netText: string;
  receiptsCount: string;
  receiptsRange: string;
  voidedText: string;
  voided: { receiptNo: string; text: string }[];
  depositIn: { text: string; range: string };
  depositOut: { text: string; range: string };
  /** Each refund paid back: the method, and the shift the deposit was taken in when earlier. */
  depositRefunds: { receiptNo: string; text: string }[];
  expectedCashFen: number;
  expectedText: string;
  /** The deposits' cash within the expected amount (empty when none). */
  depositCashText: string;
  declaredText: string;
  differenceText: string;
  short: boolean;
  note: string;
  confirmText: string;
}

export function toShiftCard(s: ShiftView): ShiftCard {
  const t = s.totals;
  return {
    shiftId: s.shiftId,
    title: `${s.cashierName} · 第 ${s.no} 班`,
    statusLabel: s.statusLabel,
    status: s.status,
    timeText: s.openedAt
      ? `${formatDateTime(s.openedAt)} 开班${s.closedAt ? ` · ${formatDateTime(s.closedAt)} 交班` : ''}`
      : '本班次还没有收款',
    channels: t.byChannel.map((c) => ({
      channel: c.channel,
      label: c.label,
      countText: `${c.count} 笔`,
      netText: formatYuan(c.netFen),
      reversedText: c.reversedFen ? `冲红 ${formatYuan(c.reversedFen)}` : '',
    })),
    netText: formatYuan(t.netFen),
    receiptsCount: t.receipts.count ? `${t.receipts.count} 张` : '无',
    receiptsRange: t.receipts.count ? `${t.receipts.first} 至 ${t.receipts.last}` : '',
    voidedText: t.voided.count ? `${t.voided.count} 张，${formatYuan(t.voided.amountFen)}` : '无',
    voided: t.voided.items.map((v) => ({
      receiptNo: v.receiptNo,
      text: `冲红 ${v.reversesReceiptNo} ${formatYuan(v.amountFen)}${
        v.correctionOfShiftNo !== undefined ? `（更正第 ${v.correctionOfShiftNo} 班）` : ''
      }`,
    })),
    depositIn: depositLineParts(t.deposits.collected),
    depositOut: depositLineParts(t.deposits.refunded),
    depositRefunds: t.deposits.refunded.items.map((d) => ({
      receiptNo: d.receiptNo,
      text: `${d.label}退还 ${formatYuan(d.amountFen)}${
        d.correctionOfShiftNo !== undefined ? `（第 ${d.correctionOfShiftNo} 班收取）` : ''
      }`,
    })),
    expectedCashFen: t.expectedCashFen,
    expectedText: formatYuan(t.expectedCashFen),
    depositCashText: depositCashFen(t) ? `含押金现金 ${formatYuan(depositCashFen(t))}` : '',
    declaredText: s.declaredCashFen !== undefined ? formatYuan(s.declaredCashFen) : '',
    differenceText: s.differenceFen !== undefined ? differenceText(s.differenceFen) : '',
    short: (s.differenceFen ?? 0) !== 0,
    note: s.note ?? '',
    confirmText: s.confirmedAt
      ? `${s.confirmedByName ?? '财务'} 于 ${formatDateTime(s.confirmedAt)} 确认${s.confirmNote ? `：${s.confirmNote}` : ''}`
      : '',
  };
}
