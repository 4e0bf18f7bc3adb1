/**
 * Receipts as printable documents (PrintDoc): one receipt's blocks, and a batch of them for
 * staff to print — one per A4 page, or two per page with a cutting line between them.
 * A red reversal receipt (红字收据) says so in its title and names the receipt it reverses; a
 * receipt that has been reversed carries a 已冲红 notice with the red receipts' numbers.
 */
import { chineseCapital, formatYuan, type Fen } from '../kernel/money';
import type { PrintBlock, PrintDoc } from '../print/document';
import { formatDateTime } from '../kernel/time';

export interface PrintableReceipt {
  receiptNo: string;
  amountFen: Fen;
  channelLabel: string;
  payer: string;
  roomLabels: string[];
  /** When it was paid (ISO string or Date). */
  paidAt: string | Date;
  /** `months`: what the bill covers, as every page shows it (2026年7月–9月). */
  allocations: { roomLabel: string; months: string; title: string; amountFen: Fen }[];
  /** The part that went to the prepaid balance (预存). */
  prepaidFen: Fen;
  prepaidRoomLabel?: string;
  reference?: string;
  /** Who took the money at the desk; '' for an online payment (its channel says how). */
  cashier: string;
  /** For a red receipt: the number of the receipt it reverses. */
  reverses?: string;
  /** For a receipt: red receipts that reversed it (all or part). */
  reversedBy: { receiptNo: string; amountFen: Fen }[];
}

/** A red receipt: a payment's reversal (HZ) or a deposit's release (YH, docs/charges.md). */
export function isReversal(r: Pick<PrintableReceipt, 'receiptNo'>): boolean {
  return r.receiptNo.startsWith('HZ') || r.receiptNo.startsWith('YH');
}

/** The blocks of one receipt. */
export function receiptBlocks(r: PrintableReceipt, communityName: string): PrintBlock[] {
  const red = isReversal(r);
  const blocks: PrintBlock[] = [
    { kind: 'heading', text: `${communityName} ${red ? '红字收据（冲红）' : '电子收据'}` },
    { kind: 'paragraph', text: `收据编号：${r.receiptNo}`, align: 'right' },
  ];
  if (red && r.reverses) {
    blocks.push({
      kind: 'paragraph',
      text: `本红字收据冲销原收据 ${r.reverses} 中的 ${formatYuan(Math.abs(r.amountFen))}，金额以负数表示。`,
      bold: true,
    });
  }
  if (!red && r.reversedBy.length > 0) {
    const total = r.reversedBy.reduce((s, x) => s + Math.abs(x.amountFen), 0);
    const full = total >= r.amountFen;
    blocks.push({
      kind: 'paragraph',
      text: `【已冲红】本收据${full ? '已全额' : '已部分'}冲红 ${formatYuan(total)}，见红字收据 ${r.reversedBy
        .map((x) => x.receiptNo)
        .join('、')}。`,
      bold: true,
    });
  }
  const fields: { label: string; value: string }[] = [
    { label: '缴款人', value: r.payer },
    { label: '房号', value: r.roomLabels.join('、') || '—' },
    { label: '缴费方式', value: r.channelLabel },
  ];
  if (r.reference) fields.push({ label: '交易参考号', value: r.reference });
  fields.push({ label: red ? '冲红时间' : '缴费时间', value: formatDateTime(r.paidAt) });
  blocks.push({ kind: 'fields', rows: fields });

  const rows = r.allocations.map((a) => [a.roomLabel, a.months, a.title, formatYuan(a.amountFen)]);
  if (r.prepaidFen !== 0) {
    rows.push([r.prepaidRoomLabel ?? r.roomLabels[0] ?? '', '—', '预存', formatYuan(r.prepaidFen)]);
  }
  blocks.push({
    kind: 'table',
    columns: ['房号', '账期', '项目', '金额'],
    widths: [2.2, 2, 2.6, 1.6],
    align: ['left', 'center', 'left', 'right'],
    rows,
    footer: ['合计', '', '', formatYuan(r.amountFen)],
  });
  blocks.push({
    kind: 'fields',
    rows: [
      { label: '金额（大写）', value: chineseCapital(r.amountFen) },
      { label: '金额（小写）', value: formatYuan(r.amountFen) },
    ],
  });
  blocks.push({
    kind: 'signature',
    lines: [
      `收款单位（盖章）：${communityName}物业服务中心`,
      ...(r.cashier ? [`收款人：${r.cashier}`] : []),
    ],
  });
  return blocks;
}

export interface BatchOptions {
  communityName: string;
  servicePhone?: string;
  /** 1: one receipt per page; 2: two per page with a cutting line (default). */
  perPage?: 1 | 2;
  printedAt: Date;
}

/** A batch of receipts in one document, in the order given. */
export function receiptBatchDoc(receipts: PrintableReceipt[], o: BatchOptions): PrintDoc {
  const perPage = o.perPage ?? 2;
  const blocks: PrintBlock[] = [];
  receipts.forEach((r, i) => {
    if (i > 0) {
      if (perPage === 1 || i % 2 === 0) blocks.push({ kind: 'pageBreak' });
      else {
        blocks.push({ kind: 'spacer', height: 10 });
        blocks.push({
          kind: 'paragraph',
          text: '- - - - - - - - - - - - - - - - 沿此线裁开 - - - - - - - - - - - - - - - -',
          align: 'center',
        });
        blocks.push({ kind: 'spacer', height: 6 });
      }
    }
    blocks.push(...receiptBlocks(r, o.communityName));
  });
  const first = receipts[0]?.receiptNo;
  const last = receipts[receipts.length - 1]?.receiptNo;
  return {
    title:
      `${o.communityName} 收据 ${first ?? ''}${last && last !== first ? `–${last}` : ''}`.trim(),
    footer: [
      `${o.communityName}物业服务中心`,
      o.servicePhone ? `服务电话 ${o.servicePhone}` : '',
      `打印于 ${formatDateTime(o.printedAt)}`,
      `共 ${receipts.length} 张`,
    ]
      .filter(Boolean)
      .join(' · '),
    size: 'A4',
    blocks,
  };
}
