import { OFFLINE_CHANNELS, type PaymentChannel } from './channels';
import {
  acrossFields,
  contract,
  fen,
  fileId,
  freeText,
  id,
  pageCursor,
  pageLimit,
  reasonText,
  text,
  z,
} from '../kernel/contract';
import { receiptPrintContracts } from './receipts.contract';
import { shiftContracts } from './shift.contract';
import { exceptionContracts, type OpenOrderView } from './exceptions.contract';
import { type BillSummary } from '../fee/bill';
import type { PrintedFile } from '../print/file';
import { validateTaxId } from './invoice';
import { formatYuan } from '../kernel/money';

// ---------------------------------------------------------------- payments

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

/** An allocation as receipts show it: with the months the bill covers (`YYYY-MM`). */
export interface CoveredAllocation extends AllocationView {
  coverFrom: string;
  coverTo: string;
}

export interface ReceiptView {
  paymentId: string;
  receiptNo: string;
  communityName: string;
  payer: string;
  roomLabels: string[];
  channel: PaymentChannel;
  channelLabel: string;
  amountFen: number;
  amountFigures: string;
  amountCapital: string;
  allocations: CoveredAllocation[];
  prepaidFen: number;
  /** The room the prepaid part was paid into. */
  prepaidRoomLabel?: string;
  paidAt: string;
  /** Who took the money at the desk; '' for an online payment (the channel says how). */
  cashier: string;
  reference?: string;
  reversed: boolean;
}

export interface ReceiptSummary {
  paymentId: string;
  receiptNo: string;
  amountFen: number;
  channel: PaymentChannel;
  paidAt: string;
  roomLabels: string[];
}

/** `closed`: a failed refund finance ended on the exceptions desk with a reason (no money moved). */
export type RefundStatus =
  'pending-approval' | 'approved' | 'rejected' | 'failed' | 'done' | 'closed';

export interface RefundView {
  refundId: string;
  paymentId: string;
  receiptNo: string;
  channel: PaymentChannel;
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
  /**
   * The issued invoice's file as a temporary link (2 hours): finance uploaded it, so neither the
   * owner nor another finance member may read it by file id.
   */
  fileUrl?: string;
  rejectReason?: string;
}

export interface RecordedPayment {
  paymentId: string;
  receiptNo: string;
  allocations: CoveredAllocation[];
  prepaidFen: number;
  /** Cash only: change handed back, never recorded as payment. */
  changeFen: number;
}

const billIds = z.array(id).check(z.minLength(1), z.maxLength(60));

/**
 * A company's tax ID as typed (spaces dropped, letters upper-cased): an 18-character unified
 * social credit code with its check character, or a 15/20-character taxpayer number.
 */
export const taxIdField = z.pipe(
  z.pipe(
    z.string().check(z.maxLength(64)),
    z.transform((s: string) => s.toUpperCase().replace(/\s+/g, '')),
  ),
  z.string().check(
    z.maxLength(64),
    z.superRefine((v, ctx) => {
      const checked = validateTaxId(v);
      if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.reason, input: v });
    }),
  ),
);

export const paymentContracts = {
  ...receiptPrintContracts,
  ...exceptionContracts,
  ...shiftContracts,
  /** Owner: start a WeChat Pay order for unpaid bills (default all, oldest first). */
  createOrder: contract<CreatedOrder>()(
    z
      .strictObject({
        billIds: z.optional(billIds),
        /** Pay part of the selected bills' outstanding total (oldest first). */
        amountFen: z.optional(fen),
        /** Prepay (预存) into one of my rooms instead of paying bills: ¥1 to ¥50,000. */
        prepay: z.optional(
          z.strictObject({
            roomId: id,
            amountFen: z.int().check(z.minimum(100), z.maximum(5_000_000)),
          }),
        ),
      })
      .check(
        z.refine((v) => !(v.prepay && (v.billIds || v.amountFen !== undefined)), {
          message: '预存与缴纳账单请分开支付',
          path: ['prepay'],
        }),
      ),
  ),
  /** Owner: after returning from the pay sheet; asks WeChat Pay when the callback is late. */
  orderStatus: contract<OrderStatusView>()(
    z.strictObject({
      outTradeNo: z.string().check(z.regex(/^[0-9A-Za-z_-]{1,32}$/), z.maxLength(32)),
    }),
    // may apply a payment WeChat Pay reports as paid, which the ledger does exactly once
    { idempotent: true },
  ),
  /** Cashier: a payment taken at the front desk or by another channel. */
  recordOffline: contract<RecordedPayment>()(
    z
      .strictObject({
        roomId: id,
        channel: z.enum(OFFLINE_CHANNELS),
        amountFen: fen,
        billIds: z.optional(billIds),
        /** POS slip, transfer number, Alipay trade no. (required except for cash and other). */
        reference: z.optional(text(64, 4, '交易参考号至少 4 位')),
        /** Cash handed over; the change is not recorded as payment. */
        tenderedFen: z.optional(fen),
        payerName: z.optional(text(20)),
        note: z.optional(freeText(200)),
        /** A key the client makes once per form, so a double tap records one payment. */
        idempotencyKey: z.string().check(z.regex(/^[0-9A-Za-z_-]{8,40}$/), z.maxLength(40)),
      })
      .check(
        z.superRefine((v, ctx) => {
          if (v.channel !== 'cash' && v.channel !== 'other' && !v.reference) {
            ctx.addIssue({
              code: 'custom',
              path: ['reference'],
              message: '请填写交易参考号（POS 单号、转账流水号等）',
              input: v.reference,
            });
          }
          if (v.tenderedFen !== undefined && v.channel !== 'cash') {
            ctx.addIssue({
              code: 'custom',
              path: ['tenderedFen'],
              message: '只有现金收款才填写实收金额',
              input: v.tenderedFen,
            });
          }
          if (v.tenderedFen !== undefined && v.tenderedFen < v.amountFen) {
            ctx.addIssue({
              code: 'custom',
              path: ['tenderedFen'],
              message: `实收现金不能少于收款金额 ${formatYuan(v.amountFen)}`,
              input: v.tenderedFen,
            });
          }
        }, acrossFields),
      ),
  ),
  /** Finance: refund all or part of a payment (admin approves above the community's threshold). */
  requestRefund: contract<RefundView>()(
    z.strictObject({
      paymentId: id,
      amountFen: fen,
      reason: reasonText(200, '请填写退款原因（至少 2 个字）'),
    }),
  ),
  /** Admin: approve or reject a refund waiting for approval. */
  decideRefund: contract<RefundView>()(
    z.strictObject({ refundId: id, approve: z.boolean(), note: z.optional(freeText(200)) }).check(
      z.refine((v) => v.approve || (v.note ?? '').length >= 2, {
        message: '请填写驳回原因（至少 2 个字）',
        path: ['note'],
      }),
    ),
  ),
  /** Finance/admin: retry a failed WeChat refund with the same refund number. */
  retryRefund: contract<RefundView>()(z.strictObject({ refundId: id })),
  /** Finance/admin: refunds of their communities, newest first, a page at a time. */
  refunds: contract<{ refunds: RefundView[]; nextCursor: string | null; total: number }>()(
    z.strictObject({
      status: z.optional(
        z.enum(['pending-approval', 'approved', 'rejected', 'failed', 'done', 'closed']),
      ),
      limit: pageLimit,
      cursor: pageCursor,
    }),
    { idempotent: true },
  ),
  /** Owner: ask for an invoice (发票) for one of my payments. */
  requestInvoice: contract<InvoiceView>()(
    z
      .strictObject({
        paymentId: id,
        titleType: z.enum(['personal', 'company']),
        title: text(60, 2, '请填写抬头（至少 2 个字）'),
        taxId: z.optional(taxIdField),
        email: z.optional(
          z.pipe(
            z.string().check(z.trim(), z.maxLength(80)),
            z.email('邮箱格式不正确').check(z.maxLength(80)),
          ),
        ),
      })
      .check(
        z.refine((v) => v.titleType !== 'company' || !!v.taxId, {
          message: '单位抬头请填写税号',
          path: ['taxId'],
          ...acrossFields,
        }),
      ),
  ),
  /** Owner: my invoice requests and issued invoices. */
  myInvoices: contract<{ invoices: InvoiceView[] }>()(z.strictObject({}), { idempotent: true }),
  /** Finance: the invoice queue (oldest request first), a page at a time. */
  invoiceQueue: contract<{ invoices: InvoiceView[]; nextCursor: string | null; total: number }>()(
    z.strictObject({
      status: z.optional(z.enum(['requested', 'issued', 'rejected'])),
      limit: pageLimit,
      cursor: pageCursor,
    }),
    { idempotent: true },
  ),
  /** Finance: mark an invoice issued with its number and file (cloud storage), or reject it. */
  decideInvoice: contract<InvoiceView>()(
    z
      .strictObject({
        invoiceId: id,
        issue: z.boolean(),
        invoiceNo: z.optional(
          z
            .string()
            .check(
              z.trim(),
              z.regex(/^[0-9A-Za-z]{8,20}$/, '发票号码为 8–20 位字母或数字'),
              z.maxLength(20),
            ),
        ),
        fileID: z.optional(fileId),
        rejectReason: z.optional(reasonText(200, '请填写退回原因（至少 2 个字）')),
      })
      .check(
        z.superRefine((v, ctx) => {
          if (v.issue === true && !v.invoiceNo)
            ctx.addIssue({
              code: 'custom',
              path: ['invoiceNo'],
              message: '请填写发票号码',
              input: v.invoiceNo,
            });
          if (v.issue === false && !v.rejectReason)
            ctx.addIssue({
              code: 'custom',
              path: ['rejectReason'],
              message: '请填写退回原因',
              input: v.rejectReason,
            });
        }, acrossFields),
      ),
  ),
  /**
   * Staff: a room's unpaid bills, prepaid balance and the owners' WeChat Pay orders holding some
   * of them (the cashier's collection screen).
   */
  roomBills: contract<{
    roomId: string;
    roomLabel: string;
    unpaid: BillSummary[];
    prepaidFen: number;
    orders: OpenOrderView[];
  }>()(z.strictObject({ roomId: id }), { idempotent: true }),
  /** Owner: my receipts (缴费记录), newest first. */
  myReceipts: contract<{ receipts: ReceiptSummary[] }>()(z.strictObject({}), {
    idempotent: true,
  }),
  /** Owner of a paid room, or staff of its community: one receipt. */
  receipt: contract<ReceiptView>()(z.strictObject({ paymentId: id }), { idempotent: true }),
  /** The same, as an A4 PDF the owner saves, forwards or prints (保存 PDF). */
  receiptPdf: contract<PrintedFile>()(z.strictObject({ paymentId: id })),
};
