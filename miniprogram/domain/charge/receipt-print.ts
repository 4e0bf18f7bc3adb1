/**
 * A deposit's receipts as printable documents (docs/charges.md), laid out as the payments'
 * receipts are (payment/receipt-print.ts): the 押金收据 (YJ…) of its collection, and the red
 * receipt (YH…) of its release, in negative figures — what went back to the owner and each
 * deduction kept with its reason — naming the receipt it reverses.
 */
import { receiptBatchDoc, type PrintableReceipt } from '../payment/receipt-print';
import type { PrintDoc } from '../print/document';
import type { DepositView } from './contract';

export interface DepositPrint {
  deposit: Pick<DepositView, 'roomLabel' | 'kindLabel' | 'collected' | 'released' | 'refund'>;
  which: 'collect' | 'release';
  payer: string;
  /** Who took or paid back the money at the desk; '' when WeChat Pay collected it. */
  cashier: string;
  reference?: string;
}

/** The receipt to print, or null when that receipt has not been issued yet. */
export function depositPrintable(p: DepositPrint): PrintableReceipt | null {
  const d = p.deposit;
  const line = p.which === 'collect' ? d.collected : d.released;
  if (!line) return null;
  const row = (title: string, amountFen: number) => ({
    roomLabel: d.roomLabel,
    months: '—',
    title,
    amountFen,
  });
  const release = p.which === 'release' && d.refund;
  const allocations = release
    ? [
        row(`退还${d.kindLabel}（${d.refund!.channelLabel}）`, -d.refund!.refundFen),
        ...d.refund!.deductions.map((x) => row(`扣款：${x.reason}`, -x.amountFen)),
      ]
    : [row(d.kindLabel, line.amountFen)];
  return {
    receiptNo: line.receiptNo,
    amountFen: line.amountFen,
    channelLabel: line.channelLabel,
    payer: p.payer,
    roomLabels: [d.roomLabel],
    paidAt: line.at,
    allocations,
    prepaidFen: 0,
    ...(p.reference ? { reference: p.reference } : {}),
    cashier: p.cashier,
    ...(release && d.collected ? { reverses: d.collected.receiptNo } : {}),
    reversedBy: p.which === 'collect' && d.released ? [d.released] : [],
  };
}

export function depositReceiptDoc(
  r: PrintableReceipt,
  o: { communityName: string; servicePhone?: string; printedAt: Date },
): PrintDoc {
  return receiptBatchDoc([r], { ...o, perPage: 1 });
}
