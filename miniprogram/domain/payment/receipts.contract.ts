/**
 * Contracts for staff receipt search and batch printing (payment function; docs/printing.md).
 * Spread into `paymentContracts` in api.ts.
 */
import { z } from 'zod';
import { contract } from '../kernel/contract';

import { MAX_PRINT_RECEIPTS, MAX_RECEIPT_RANGE_DAYS } from './receipt-limits';

export { MAX_PRINT_RECEIPTS, MAX_RECEIPT_RANGE_DAYS };

const id = z.string().min(1).max(64);
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '请使用 YYYY-MM-DD 格式的日期')
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
      new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    '日期不存在',
  );
const receiptNoSchema = z
  .string()
  .trim()
  .regex(/^(SJ|HZ)\d{4}-\d{6}$/, '收据编号格式应为 SJ2026-000123');

/** Which receipts: a date range (Beijing days, inclusive), a room, explicit numbers, or a mix. */
const filter = {
  communityId: id,
  from: day.optional(),
  to: day.optional(),
  roomId: id.optional(),
  receiptNos: z.array(receiptNoSchema).min(1).max(MAX_PRINT_RECEIPTS).optional(),
};

function checkFilter(
  v: { from?: string; to?: string; roomId?: string; receiptNos?: string[] },
  ctx: z.RefinementCtx,
): void {
  if (!v.from && !v.to && !v.roomId && !v.receiptNos) {
    ctx.addIssue({
      code: 'custom',
      path: ['from'],
      message: '请选择日期范围、房屋或收据编号',
    });
  }
  if ((v.from && !v.to) || (!v.from && v.to)) {
    ctx.addIssue({ code: 'custom', path: [v.from ? 'to' : 'from'], message: '请同时填写起止日期' });
  }
  if (v.from && v.to) {
    const days = (Date.parse(`${v.to}T00:00:00Z`) - Date.parse(`${v.from}T00:00:00Z`)) / 86_400_000;
    if (days < 0)
      ctx.addIssue({ code: 'custom', path: ['to'], message: '结束日期不能早于开始日期' });
    else if (days >= MAX_RECEIPT_RANGE_DAYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `日期范围最多 ${MAX_RECEIPT_RANGE_DAYS} 天`,
      });
    }
  }
}

export type ReceiptKindLabel = 'receipt' | 'reversal';

/** One receipt in the staff list. */
export interface ReceiptListItem {
  paymentId: string;
  receiptNo: string;
  /** receipt: 收据 (SJ); reversal: 红字收据 (HZ, a negative amount) */
  kind: ReceiptKindLabel;
  amountFen: number;
  channel: string;
  channelLabel: string;
  paidAt: string;
  roomLabels: string[];
  payer: string;
  /** For a receipt: the red receipts that reversed it (all or part). */
  reversedBy: string[];
  /** For a red receipt: the receipt it reverses. */
  reverses?: string;
}

export interface ReceiptSearchResult {
  receipts: ReceiptListItem[];
  /** How many match in all; more than `receipts.length` when the list was cut at the limit. */
  total: number;
  limit: number;
}

export interface PrintedReceipts {
  fileID: string;
  tempFileURL: string;
  fileName: string;
  count: number;
  pages: number;
  bytes: number;
}

export const receiptPrintContracts = {
  /** Finance/cashier: receipts of the community by date range, room or numbers (newest first). */
  searchReceipts: contract<ReceiptSearchResult>()(
    z.object(filter).strict().superRefine(checkFilter),
  ),
  /** Finance/cashier: one PDF of the chosen receipts (at most 200), uploaded to cloud storage. */
  printReceipts: contract<PrintedReceipts>()(
    z
      .object({
        ...filter,
        /** Receipts per A4 page: 1, or 2 with a cutting line between them (default). */
        perPage: z.union([z.literal(1), z.literal(2)]).optional(),
      })
      .strict()
      .superRefine(checkFilter),
  ),
};
