import { z } from 'zod';
import { contract, fen, id } from '../kernel/contract';
import { receiptPrintContracts } from './receipts.contract';
import { type BillSummary } from '../fee/bill';

// ---------------------------------------------------------------- payments

export const PAYMENT_CHANNELS = [
  'wechat',
  'cash',
  'card',
  'transfer',
  'alipay',
  'autodebit',
  'other',
] as const;
export const OFFLINE_CHANNELS = [
  'cash',
  'card',
  'transfer',
  'alipay',
  'autodebit',
  'other',
] as const;
export type OfflineChannel = (typeof OFFLINE_CHANNELS)[number];

/** The object `wx.requestPayment` takes. */
export interface RequestPaymentParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'MD5' | 'HMAC-SHA256' | 'RSA';
  paySign: string;
}

export interface CreatedOrder {
  outTradeNo: string;
  amountFen: number;
  billIds: string[];
  payment: RequestPaymentParams;
  /** True when a pending order for the same bills and amount was handed back. */
  reused: boolean;
}

export type OrderStatus = 'pending' | 'paid' | 'closed' | 'failed' | 'exception';

export interface OrderStatusView {
  outTradeNo: string;
  status: OrderStatus;
  amountFen: number;
  paymentId?: string;
  receiptNo?: string;
}

export interface AllocationView {
  billId: string;
  roomId: string;
  roomLabel: string;
  period: string;
  title: string;
  amountFen: number;
}

export interface ReceiptView {
  paymentId: string;
  receiptNo: string;
  communityName: string;
  payer: string;
  roomLabels: string[];
  channel: (typeof PAYMENT_CHANNELS)[number];
  channelLabel: string;
  amountFen: number;
  amountFigures: string;
  amountCapital: string;
  allocations: AllocationView[];
  prepaidFen: number;
  paidAt: string;
  cashier: string;
  reference?: string;
  reversed: boolean;
}

export interface ReceiptSummary {
  paymentId: string;
  receiptNo: string;
  amountFen: number;
  channel: (typeof PAYMENT_CHANNELS)[number];
  paidAt: string;
  roomLabels: string[];
}

export type RefundStatus = 'pending-approval' | 'approved' | 'rejected' | 'failed' | 'done';

export interface RefundView {
  refundId: string;
  paymentId: string;
  receiptNo: string;
  channel: (typeof PAYMENT_CHANNELS)[number];
  amountFen: number;
  reason: string;
  status: RefundStatus;
  requestedBy: string;
  requestedAt: string;
  decidedBy?: string;
  /** The red reversal receipt (红字收据) once the ledger entries are written. */
  reversalReceiptNo?: string;
  failure?: string;
}

export type InvoiceStatus = 'requested' | 'issued' | 'rejected';

export interface InvoiceView {
  invoiceId: string;
  paymentId: string;
  receiptNo: string;
  amountFen: number;
  titleType: 'personal' | 'company';
  title: string;
  taxId?: string;
  email?: string;
  status: InvoiceStatus;
  requestedAt: string;
  invoiceNo?: string;
  fileID?: string;
  rejectReason?: string;
}

export interface RecordedPayment {
  paymentId: string;
  receiptNo: string;
  allocations: AllocationView[];
  prepaidFen: number;
  /** Cash only: change handed back, never recorded as payment. */
  changeFen: number;
}

export const paymentContracts = {
  ...receiptPrintContracts,
  /** Owner: start a WeChat Pay order for unpaid bills (default all, oldest first). */
  createOrder: contract<CreatedOrder>()(
    z
      .object({
        billIds: z.array(id).min(1).max(60).optional(),
        /** Pay part of the selected bills' outstanding total (oldest first). */
        amountFen: fen.optional(),
        /** Prepay (预存) into one of my rooms instead of paying bills: ¥1 to ¥50,000. */
        prepay: z
          .object({ roomId: id, amountFen: z.number().int().min(100).max(5_000_000) })
          .strict()
          .optional(),
      })
      .strict()
      .superRefine((v, ctx) => {
        if (v.prepay && (v.billIds || v.amountFen !== undefined)) {
          ctx.addIssue({ code: 'custom', path: ['prepay'], message: '预存与缴纳账单请分开支付' });
        }
      }),
  ),
  /** Owner: after returning from the pay sheet; asks WeChat Pay when the callback is late. */
  orderStatus: contract<OrderStatusView>()(
    z.object({ outTradeNo: z.string().regex(/^[0-9A-Za-z_-]{1,32}$/) }).strict(),
  ),
  /** Cashier: a payment taken at the front desk or by another channel. */
  recordOffline: contract<RecordedPayment>()(
    z
      .object({
        roomId: id,
        channel: z.enum(OFFLINE_CHANNELS),
        amountFen: fen,
        billIds: z.array(id).min(1).max(60).optional(),
        /** POS slip, transfer number, Alipay trade no. (required except for cash and other). */
        reference: z.string().trim().min(4).max(64).optional(),
        /** Cash handed over; the change is not recorded as payment. */
        tenderedFen: fen.optional(),
        payerName: z.string().trim().min(1).max(20).optional(),
        note: z.string().trim().max(200).optional(),
        /** A key the client makes once per form, so a double tap records one payment. */
        idempotencyKey: z.string().regex(/^[0-9A-Za-z_-]{8,40}$/),
      })
      .strict()
      .superRefine((v, ctx) => {
        if (v.channel !== 'cash' && v.channel !== 'other' && !v.reference) {
          ctx.addIssue({
            code: 'custom',
            path: ['reference'],
            message: '请填写交易参考号（POS 单号、转账流水号等）',
          });
        }
        if (v.tenderedFen !== undefined && v.channel !== 'cash') {
          ctx.addIssue({
            code: 'custom',
            path: ['tenderedFen'],
            message: '只有现金收款才填写实收金额',
          });
        }
        if (v.tenderedFen !== undefined && v.tenderedFen < v.amountFen) {
          ctx.addIssue({
            code: 'custom',
            path: ['tenderedFen'],
            message: '实收现金不能少于收款金额',
          });
        }
      }),
  ),
  /** Finance: refund all or part of a payment (admin approves above the community's threshold). */
  requestRefund: contract<RefundView>()(
    z
      .object({
        paymentId: id,
        amountFen: fen,
        reason: z.string().trim().min(2).max(200),
      })
      .strict(),
  ),
  /** Admin: approve or reject a refund waiting for approval. */
  decideRefund: contract<RefundView>()(
    z
      .object({ refundId: id, approve: z.boolean(), note: z.string().trim().max(200).optional() })
      .strict(),
  ),
  /** Finance/admin: retry a failed WeChat refund with the same refund number. */
  retryRefund: contract<RefundView>()(z.object({ refundId: id }).strict()),
  /** Finance/admin: refunds of their communities, newest first. */
  refunds: contract<{ refunds: RefundView[] }>()(
    z
      .object({
        status: z.enum(['pending-approval', 'approved', 'rejected', 'failed', 'done']).optional(),
      })
      .strict(),
  ),
  /** Owner: ask for an invoice (发票) for one of my payments. */
  requestInvoice: contract<InvoiceView>()(
    z
      .object({
        paymentId: id,
        titleType: z.enum(['personal', 'company']),
        title: z.string().trim().min(2).max(60),
        taxId: z.string().trim().max(20).optional(),
        email: z.string().trim().email().max(80).optional(),
      })
      .strict()
      .superRefine((v, ctx) => {
        if (v.titleType === 'company' && !v.taxId) {
          ctx.addIssue({ code: 'custom', path: ['taxId'], message: '单位抬头请填写税号' });
        }
      }),
  ),
  /** Owner: my invoice requests and issued invoices. */
  myInvoices: contract<{ invoices: InvoiceView[] }>()(z.object({}).strict()),
  /** Finance: the invoice queue. */
  invoiceQueue: contract<{ invoices: InvoiceView[] }>()(
    z.object({ status: z.enum(['requested', 'issued', 'rejected']).optional() }).strict(),
  ),
  /** Finance: mark an invoice issued with its number and file (cloud storage), or reject it. */
  decideInvoice: contract<InvoiceView>()(
    z
      .object({
        invoiceId: id,
        issue: z.boolean(),
        invoiceNo: z
          .string()
          .trim()
          .regex(/^[0-9A-Za-z]{8,20}$/)
          .optional(),
        fileID: z
          .string()
          .regex(/^cloud:\/\/.+/)
          .optional(),
        rejectReason: z.string().trim().min(2).max(200).optional(),
      })
      .strict()
      .superRefine((v, ctx) => {
        if (v.issue && !v.invoiceNo)
          ctx.addIssue({ code: 'custom', path: ['invoiceNo'], message: '请填写发票号码' });
        if (!v.issue && !v.rejectReason)
          ctx.addIssue({ code: 'custom', path: ['rejectReason'], message: '请填写退回原因' });
      }),
  ),
  /** Staff: a room's unpaid bills and prepaid balance (the cashier's collection screen). */
  roomBills: contract<{
    roomId: string;
    roomLabel: string;
    unpaid: BillSummary[];
    prepaidFen: number;
  }>()(z.object({ roomId: id }).strict()),
  /** Owner: my receipts (缴费记录), newest first. */
  myReceipts: contract<{ receipts: ReceiptSummary[] }>()(z.object({}).strict()),
  /** Owner of a paid room, or staff of its community: one receipt. */
  receipt: contract<ReceiptView>()(z.object({ paymentId: id }).strict()),
};
