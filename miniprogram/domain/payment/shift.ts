/**
 * The cashier's shift (交班日结), pure: what a shift's entries add up to — money by channel,
 * receipts given (first and last number), red receipts (voided, 冲红), deposits taken and paid
 * back (押金收取 / 押金退还: a liability, so their own lines, never fee income) and the cash that
 * should be in the drawer — and the shift-close sheet as a `PrintDoc`. The payment function reads
 * the entries (payments and deposit entries carrying the shift's id) and hands them here; the
 * page shows the same totals.
 */
import { CHANNEL_LABELS, type PaymentChannel } from './channels';
import { formatYuan } from '../kernel/money';
import { formatDateTime } from '../kernel/time';
import type { PrintDoc } from '../print/document';

export type ShiftStatus = 'open' | 'closed' | 'confirmed';

export const SHIFT_STATUS_LABELS: Record<ShiftStatus, string> = {
  open: '当班中',
  closed: '已交班，待财务确认',
  confirmed: '财务已确认',
};

/** One entry of a shift: a desk payment (收据 SJ) or a red reversal (红字收据 HZ, negative). */
export interface ShiftEntry {
  paymentId: string;
  receiptNo: string;
  channel: PaymentChannel;
  amountFen: number;
  paidAt: string;
  /** For a red receipt: the receipt number it reverses. */
  reversesReceiptNo?: string;
  /** For a red receipt of a receipt given in an earlier, closed shift: that shift's number. */
  correctionOfShiftNo?: number;
}

/**
 * A deposit entry of a shift: a collection (押金收据 YJ) or a release (红字收据 YH). `amountFen`
 * is the money that changed hands at the desk, positive: the deposit taken, or the refund paid
 * back (deductions stay with the company and move no money).
 */
export interface ShiftDepositEntry {
  entryId: string;
  receiptNo: string;
  kind: 'collect' | 'release';
  channel: PaymentChannel;
  amountFen: number;
  at: string;
  /** For a refund of a deposit collected in an earlier, closed shift: that shift's number. */
  correctionOfShiftNo?: number;
}

/** One deposit line of a shift (押金收取 or 押金退还). */
export interface ShiftDepositLine {
  count: number;
  amountFen: number;
  /** Of it, in cash (into the drawer for collections, out of it for refunds). */
  cashFen: number;
  first: string | null;
  last: string | null;
  items: {
    receiptNo: string;
    channel: PaymentChannel;
    label: string;
    amountFen: number;
    correctionOfShiftNo?: number;
  }[];
}

export interface ShiftChannelTotal {
  channel: PaymentChannel;
  label: string;
  receivedFen: number;
  /** Red receipts in this shift on this channel (a positive amount taken back). */
  reversedFen: number;
  netFen: number;
  count: number;
}

export interface ShiftTotals {
  byChannel: ShiftChannelTotal[];
  receivedFen: number;
  reversedFen: number;
  netFen: number;
  receipts: { count: number; first: string | null; last: string | null };
  /** Red receipts given in this shift, each naming the receipt it voids (all or part). */
  voided: {
    count: number;
    amountFen: number;
    items: {
      receiptNo: string;
      reversesReceiptNo: string;
      amountFen: number;
      correctionOfShiftNo?: number;
    }[];
  };
  /** Deposits taken and paid back in this shift: not fee income, but cash in the drawer. */
  deposits: { collected: ShiftDepositLine; refunded: ShiftDepositLine };
  /**
   * Cash that should be in the drawer: cash taken less cash handed back, deposits included
   * (cash deposits in, cash deposit refunds out).
   */
  expectedCashFen: number;
}

const byNo = (a: { receiptNo: string }, b: { receiptNo: string }) =>
  a.receiptNo < b.receiptNo ? -1 : a.receiptNo > b.receiptNo ? 1 : 0;

function depositLine(entries: readonly ShiftDepositEntry[]): ShiftDepositLine {
  const sorted = [...entries].sort(byNo);
  return {
    count: sorted.length,
    amountFen: sorted.reduce((s, e) => s + e.amountFen, 0),
    cashFen: sorted.filter((e) => e.channel === 'cash').reduce((s, e) => s + e.amountFen, 0),
    first: sorted[0]?.receiptNo ?? null,
    last: sorted[sorted.length - 1]?.receiptNo ?? null,
    items: sorted.map((e) => ({
      receiptNo: e.receiptNo,
      channel: e.channel,
      label: CHANNEL_LABELS[e.channel],
      amountFen: e.amountFen,
      ...(e.correctionOfShiftNo !== undefined
        ? { correctionOfShiftNo: e.correctionOfShiftNo }
        : {}),
    })),
  };
}

/** How many entries the totals count (the close checks the shift joined no more). */
export function shiftEntryCount(t: ShiftTotals): number {
  return t.receipts.count + t.voided.count + t.deposits.collected.count + t.deposits.refunded.count;
}

/** Totals frozen at a close made before deposits were counted read as having none. */
export function withDepositLines(
  t: Omit<ShiftTotals, 'deposits'> & Partial<ShiftTotals>,
): ShiftTotals {
  return { ...t, deposits: t.deposits ?? shiftTotals([]).deposits };
}

export function shiftTotals(
  entries: readonly ShiftEntry[],
  depositEntries: readonly ShiftDepositEntry[] = [],
): ShiftTotals {
  const channels = new Map<PaymentChannel, ShiftChannelTotal>();
  for (const e of entries) {
    const t = channels.get(e.channel) ?? {
      channel: e.channel,
      label: CHANNEL_LABELS[e.channel],
      receivedFen: 0,
      reversedFen: 0,
      netFen: 0,
      count: 0,
    };
    if (e.amountFen >= 0) {
      t.receivedFen += e.amountFen;
      t.count += 1;
    } else t.reversedFen -= e.amountFen;
    t.netFen += e.amountFen;
    channels.set(e.channel, t);
  }
  const receipts = entries.filter((e) => e.amountFen >= 0).sort(byNo);
  const red = entries.filter((e) => e.amountFen < 0).sort(byNo);
  const sum = (xs: readonly { amountFen: number }[]) => xs.reduce((s, x) => s + x.amountFen, 0);
  const deposits = {
    collected: depositLine(depositEntries.filter((e) => e.kind === 'collect')),
    refunded: depositLine(depositEntries.filter((e) => e.kind === 'release')),
  };
  const byChannel = [...channels.values()].sort(
    (a, b) =>
      Object.keys(CHANNEL_LABELS).indexOf(a.channel) -
      Object.keys(CHANNEL_LABELS).indexOf(b.channel),
  );
  return {
    byChannel,
    receivedFen: sum(receipts),
    reversedFen: -sum(red),
    netFen: sum(entries),
    receipts: {
      count: receipts.length,
      first: receipts[0]?.receiptNo ?? null,
      last: receipts[receipts.length - 1]?.receiptNo ?? null,
    },
    voided: {
      count: red.length,
      amountFen: -sum(red),
      items: red.map((e) => ({
        receiptNo: e.receiptNo,
        reversesReceiptNo: e.reversesReceiptNo ?? '',
        amountFen: -e.amountFen,
        ...(e.correctionOfShiftNo !== undefined
          ? { correctionOfShiftNo: e.correctionOfShiftNo }
          : {}),
      })),
    },
    deposits,
    expectedCashFen:
      (channels.get('cash')?.netFen ?? 0) + deposits.collected.cashFen - deposits.refunded.cashFen,
  };
}

/** A shift as staff see it (the cashier's open shift, a list row, the sheet). */
export interface ShiftView {
  shiftId: string;
  communityId: string;
  no: number;
  cashier: string;
  cashierName: string;
  status: ShiftStatus;
  statusLabel: string;
  openedAt: string | null;
  closedAt?: string;
  totals: ShiftTotals;
  declaredCashFen?: number;
  /** Declared minus expected cash: negative short (短款), positive over (长款). */
  differenceFen?: number;
  note?: string;
  confirmedAt?: string;
  confirmedByName?: string;
  confirmNote?: string;
}

/** Declared minus expected; a note is required when they differ. */
export function cashDifference(declaredFen: number, expectedFen: number): number {
  return declaredFen - expectedFen;
}

/** A deposit line in words: `2 笔 ¥3,000.00（现金 ¥2,000.00）` and `YJ… 至 YJ…`, or 无. */
export function depositLineParts(line: ShiftDepositLine): { text: string; range: string } {
  if (!line.count) return { text: '无', range: '' };
  const cash = line.cashFen !== line.amountFen ? `（现金 ${formatYuan(line.cashFen)}）` : '';
  return {
    text: `${line.count} 笔 ${formatYuan(line.amountFen)}${cash}`,
    range: line.first === line.last ? (line.first ?? '') : `${line.first} 至 ${line.last}`,
  };
}

export function depositLineText(line: ShiftDepositLine): string {
  const { text, range } = depositLineParts(line);
  return range ? `${text}，${range}` : text;
}

/** The cash the deposits moved in the drawer (in less out). */
export function depositCashFen(t: ShiftTotals): number {
  return t.deposits.collected.cashFen - t.deposits.refunded.cashFen;
}

export function differenceText(differenceFen: number): string {
  if (differenceFen === 0) return '无差异';
  return differenceFen < 0
    ? `短款 ${formatYuan(-differenceFen)}`
    : `长款 ${formatYuan(differenceFen)}`;
}

/** The shift-close sheet (交班日结单), one A4 page with signatures for both sides. */
export function shiftSheetDoc(
  shift: ShiftView,
  community: { name: string },
  printedAt: Date,
): PrintDoc {
  const t = shift.totals;
  const fields = [
    { label: '收款员', value: shift.cashierName },
    { label: '班次', value: `第 ${shift.no} 班` },
    { label: '开班时间', value: shift.openedAt ? formatDateTime(shift.openedAt) : '—' },
    { label: '交班时间', value: shift.closedAt ? formatDateTime(shift.closedAt) : '未交班' },
    {
      label: '收据',
      value: t.receipts.count
        ? `${t.receipts.count} 张，${t.receipts.first} 至 ${t.receipts.last}`
        : '无',
    },
    {
      label: '红字收据（作废）',
      value: t.voided.count ? `${t.voided.count} 张，合计 ${formatYuan(t.voided.amountFen)}` : '无',
    },
    { label: '押金收取', value: depositLineText(t.deposits.collected) },
    { label: '押金退还', value: depositLineText(t.deposits.refunded) },
    {
      label: '应交现金',
      value:
        formatYuan(t.expectedCashFen) +
        (depositCashFen(t) ? `（含押金现金 ${formatYuan(depositCashFen(t))}）` : ''),
    },
    {
      label: '实交现金',
      value: shift.declaredCashFen !== undefined ? formatYuan(shift.declaredCashFen) : '—',
    },
    {
      label: '差额',
      value: shift.differenceFen !== undefined ? differenceText(shift.differenceFen) : '—',
    },
    ...(shift.note ? [{ label: '差额说明', value: shift.note }] : []),
    { label: '状态', value: shift.statusLabel },
  ];
  const blocks: PrintDoc['blocks'] = [
    { kind: 'heading', text: `${community.name} 收款员交班日结单` },
    { kind: 'fields', rows: fields },
    {
      kind: 'table',
      columns: ['收款方式', '笔数', '收款', '冲红', '净额'],
      widths: [3, 1, 2, 2, 2],
      align: ['left', 'right', 'right', 'right', 'right'],
      rows: t.byChannel.map((c) => [
        c.label,
        String(c.count),
        formatYuan(c.receivedFen),
        formatYuan(c.reversedFen),
        formatYuan(c.netFen),
      ]),
      footer: [
        '合计',
        String(t.receipts.count),
        formatYuan(t.receivedFen),
        formatYuan(t.reversedFen),
        formatYuan(t.netFen),
      ],
    },
  ];
  if (t.voided.count) {
    blocks.push({
      kind: 'table',
      columns: ['红字收据', '冲红原收据', '金额', '说明'],
      widths: [3, 3, 2, 3],
      align: ['left', 'left', 'right', 'left'],
      rows: t.voided.items.map((v) => [
        v.receiptNo,
        v.reversesReceiptNo,
        formatYuan(v.amountFen),
        v.correctionOfShiftNo !== undefined ? `更正第 ${v.correctionOfShiftNo} 班` : '',
      ]),
    });
  }
  const { collected, refunded } = t.deposits;
  if (collected.count + refunded.count) {
    const rows = (line: ShiftDepositLine, what: string) =>
      line.items.map((d) => [
        d.receiptNo,
        what,
        d.label,
        formatYuan(d.amountFen),
        d.correctionOfShiftNo !== undefined ? `第 ${d.correctionOfShiftNo} 班收取` : '',
      ]);
    blocks.push({
      kind: 'table',
      columns: ['押金收据', '类别', '方式', '金额', '说明'],
      widths: [3, 2, 2, 2, 2],
      align: ['left', 'left', 'left', 'right', 'left'],
      rows: [...rows(collected, '押金收取'), ...rows(refunded, '押金退还')],
    });
  }
  blocks.push({
    kind: 'signature',
    lines: [
      `交班人：${shift.cashierName}`,
      `接收（财务）：${shift.confirmedByName ?? '____________'}`,
      shift.confirmedAt ? `确认时间：${formatDateTime(shift.confirmedAt)}` : '确认时间：',
    ],
  });
  return {
    title: `交班日结单 ${shift.cashierName} 第${shift.no}班`,
    blocks,
    footer: `${community.name} · 打印于 ${formatDateTime(printedAt)}`,
  };
}
