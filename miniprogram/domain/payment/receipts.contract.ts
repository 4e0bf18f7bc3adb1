/**
 * Contracts for staff receipt search and batch printing (payment function; docs/printing.md).
 * Spread into `paymentContracts` in api.ts.
 */
import { communityId, contract, date, id, z } from '../kernel/contract';

import { MAX_PRINT_RECEIPTS, MAX_RECEIPT_RANGE_DAYS } from './receipt-limits';

export { MAX_PRINT_RECEIPTS, MAX_RECEIPT_RANGE_DAYS };

/** A receipt number (收据 SJ…, 红字收据 HZ…). */
export const receiptNoSchema = z
  .string()
  .check(
    z.trim(),
    z.regex(/^(SJ|HZ)\d{4}-\d{6}$/, '收据编号格式应为 SJ2026-000123'),
    z.maxLength(13),
  );

/** Which receipts: a date range (Beijing days, inclusive), a room, explicit numbers, or a mix. */
const filter = {
  communityId,
  from: z.optional(date),
  to: z.optional(date),
  roomId: z.optional(id),
  receiptNos: z.optional(
    z.array(receiptNoSchema).check(z.minLength(1), z.maxLength(MAX_PRINT_RECEIPTS)),
  ),
};

const checkFilter = z.superRefine(
  (
    v: { from?: string; to?: string; roomId?: string; receiptNos?: string[] },
    ctx: z.core.$RefinementCtx,
  ): void => {
    if (!v.from && !v.to && !v.roomId && !v.receiptNos) {
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: '请选择日期范围、房屋或收据编号',
        input: v.from,
      });
    }
    if ((v.from && !v.to) || (!v.from && v.to)) {
      ctx.addIssue({
        code: 'custom',
        path: [v.from ? 'to' : 'from'],
        message: '请同时填写起止日期',
        input: v.from ?? v.to,
      });
    }
    if (v.from && v.to) {
      const days =
        (Date.parse(`${v.to}T00:00:00Z`) - Date.parse(`${v.from}T00:00:00Z`)) / 86_400_000;
      if (days < 0)
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: '结束日期不能早于开始日期',
          input: v.to,
        });
      else if (days >= MAX_RECEIPT_RANGE_DAYS) {
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `日期范围最多 ${MAX_RECEIPT_RANGE_DAYS} 天`,
          input: v.to,
        });
      }
    }
  },
);

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
  /** Temporary link (half an hour); the file itself is never readable by id from a client. */
  tempFileURL: string;
  fileName: string;
  count: number;
  pages: number;
  bytes: number;
}

export const receiptPrintContracts = {
  /** Finance/cashier: receipts of the community by date range, room or numbers (newest first). */
  searchReceipts: contract<ReceiptSearchResult>()(z.strictObject(filter).check(checkFilter), {
    idempotent: true,
  }),
  /** Finance/cashier: one PDF of the chosen receipts (at most 200), uploaded to cloud storage. */
  printReceipts: contract<PrintedReceipts>()(
    z
      .strictObject({
        ...filter,
        /** Receipts per A4 page: 1, or 2 with a cutting line between them (default). */
        perPage: z.optional(z.union([z.literal(1), z.literal(2)])),
      })
      .check(checkFilter),
  ),
};
