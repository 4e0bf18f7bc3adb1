/**
 * The `charge` function's actions (docs/charges.md): one-off charges raised by staff on a room —
 * previewed, approved by a second person above the community's threshold, billed through the
 * ledger and then paid and receipted as any bill — and deposits (押金) collected with a receipt,
 * held as a liability and refunded, whole or less deductions the owner acknowledges, with a red
 * receipt.
 */
import { OFFLINE_CHANNELS, type PaymentChannel } from '../payment/channels';
import type { RequestPaymentParams } from '../payment/contract';
import type { PrintedFile } from '../print/file';
import {
  acrossFields,
  communityId,
  contract,
  date,
  fen,
  freeText,
  id,
  pageCursor,
  pageLimit,
  reasonText,
  requestId,
  text,
  z,
} from '../kernel/contract';
import {
  CHARGE_REASONS,
  DEPOSIT_KINDS,
  type ChargeReason,
  type ChargeStatus,
  type Deduction,
  type DepositKind,
  type DepositStatus,
} from './rules';

export interface ChargePreview {
  roomLabel: string;
  title: string;
  amountFen: number;
  dueDate: string;
  thresholdFen: number;
  /** True when a second person (finance or admin) must approve before it is billed. */
  needsApproval: boolean;
}

export interface ChargeView {
  chargeId: string;
  roomId: string;
  roomLabel: string;
  reason: ChargeReason;
  title: string;
  note: string;
  amountFen: number;
  dueDate: string;
  status: ChargeStatus;
  statusLabel: string;
  raisedByName: string;
  raisedAt: string;
  decidedByName: string | null;
  decisionNote: string | null;
  /** The bill once issued, and whether it has been paid. */
  billId: string | null;
  billStatus: string | null;
}

export interface DepositReceiptLine {
  receiptNo: string;
  /** Collected (positive) or released, refunded plus deducted (negative: the red receipt). */
  amountFen: number;
  channel: PaymentChannel | null;
  channelLabel: string;
  at: string;
}

export interface DepositRefundView {
  deductions: Deduction[];
  deductedFen: number;
  refundFen: number;
  channel: PaymentChannel;
  channelLabel: string;
  requestedAt: string;
  /** When the owner acknowledged the deductions (none needed without deductions). */
  acknowledgedAt: string | null;
  failure: string | null;
}

export interface DepositView {
  depositId: string;
  roomId: string;
  roomLabel: string;
  kind: DepositKind;
  kindLabel: string;
  note: string;
  amountFen: number;
  /** What the company holds now (a liability): the amount while held, 0 before and after. */
  heldFen: number;
  status: DepositStatus;
  statusLabel: string;
  requestedAt: string;
  /** While the owner's WeChat Pay order is live: until when (the desk waits or closes it). */
  payingUntil: string | null;
  collected: DepositReceiptLine | null;
  /** The red receipt (红字收据) once released. */
  released: DepositReceiptLine | null;
  refund: DepositRefundView | null;
}

export interface DepositTotals {
  collectedFen: number;
  /** Released: refunded to owners plus deducted. */
  releasedFen: number;
  refundedFen: number;
  deductedFen: number;
  heldFen: number;
}

export interface CreatedDepositOrder {
  outTradeNo: string;
  amountFen: number;
  payment: RequestPaymentParams;
}

/** The channels a deposit is refunded through: WeChat (only what WeChat collected) or recorded. */
const REFUND_CHANNELS = ['wechat', ...OFFLINE_CHANNELS] as const;

const chargeFields = {
  communityId,
  roomId: id,
  reason: z.enum(CHARGE_REASONS),
  /** The reason in words, for 其他 (2–30 characters; it becomes the bill's title). */
  otherText: z.optional(text(30, 2, '请写明收费原因（2–30 字）')),
  amountFen: fen,
  dueDate: z.optional(date),
  note: z._default(freeText(200), ''),
};

/** 其他 needs its reason in words. */
const otherNeedsText = z.superRefine((v: { reason?: unknown; otherText?: unknown }, ctx) => {
  if (v.reason === 'other' && !v.otherText)
    ctx.addIssue({
      code: 'custom',
      message: '请写明收费原因（2–30 字）',
      path: ['otherText'],
      input: v,
    });
}, acrossFields);

/** Money that moves by card, transfer, Alipay … names its reference (cash, other and WeChat need none). */
const referenceUnlessCash = z.superRefine((v: { channel?: unknown; reference?: unknown }, ctx) => {
  if (
    typeof v.channel === 'string' &&
    !['cash', 'other', 'wechat'].includes(v.channel) &&
    !v.reference
  )
    ctx.addIssue({
      code: 'custom',
      path: ['reference'],
      message: '请填写交易参考号（POS 单号、转账流水号等）',
      input: v,
    });
}, acrossFields);

const deduction = z.strictObject({
  reason: reasonText(60, '请写明扣款原因（至少 2 个字）'),
  amountFen: fen,
});

export const chargeContracts = {
  /** Staff: what a charge will bill, and whether it needs a second person's approval. */
  previewCharge: contract<ChargePreview>()(z.strictObject(chargeFields).check(otherNeedsText), {
    idempotent: true,
  }),
  /**
   * Staff: raise a charge. At or below the threshold it is billed at once; above it waits for
   * finance or an admin other than the raiser. Idempotent by `requestId`. Audited.
   */
  raiseCharge: contract<ChargeView>()(
    z.strictObject({ ...chargeFields, requestId }).check(otherNeedsText),
  ),
  /** Finance, admin (not the raiser): approve (billed now) or reject with a reason. Audited. */
  decideCharge: contract<ChargeView>()(
    z.strictObject({ chargeId: id, approve: z.boolean(), note: z.optional(freeText(200)) }).check(
      z.superRefine((v: { approve?: unknown; note?: unknown }, ctx) => {
        if (v.approve === false && (typeof v.note !== 'string' || v.note.length < 2))
          ctx.addIssue({
            code: 'custom',
            message: '请填写驳回原因（至少 2 个字）',
            path: ['note'],
            input: v,
          });
      }, acrossFields),
    ),
  ),
  /**
   * Staff: the community's charges, newest first, a page at a time (`limit`, `cursor` from the
   * last page's `nextCursor`; `total` counts them all), and the approval threshold.
   */
  charges: contract<{
    charges: ChargeView[];
    nextCursor: string | null;
    total: number;
    thresholdFen: number;
  }>()(
    z.strictObject({
      communityId,
      status: z.optional(z.enum(['pending-approval', 'billed', 'rejected'])),
      limit: pageLimit,
      cursor: pageCursor,
    }),
    { idempotent: true },
  ),
  /** Cashier, finance: ask a room for a deposit (the owner can pay it by WeChat). Audited. */
  requestDeposit: contract<DepositView>()(
    z.strictObject({
      communityId,
      roomId: id,
      kind: z.enum(DEPOSIT_KINDS),
      amountFen: fen,
      note: z._default(freeText(200), ''),
      requestId,
    }),
  ),
  /** Cashier, finance: take a requested deposit at the desk; a 押金收据 is numbered. Audited. */
  collectDeposit: contract<DepositView>()(
    z
      .strictObject({
        depositId: id,
        channel: z.enum(OFFLINE_CHANNELS),
        reference: z.optional(text(64, 4, '交易参考号至少 4 位')),
        payerName: z.optional(text(20)),
      })
      .check(referenceUnlessCash),
  ),
  /**
   * Cashier, finance: close the owner's live WeChat Pay order of a requested deposit (WeChat Pay
   * allows it 5 minutes after the order was made), so the desk can take it; an order found paid
   * collects the deposit instead. Audited.
   */
  closeDepositOrder: contract<DepositView>()(
    z.strictObject({ depositId: id, reason: reasonText(200, '请填写关闭原因（至少 2 个字）') }),
  ),
  /**
   * Staff: the community's deposits, newest first, a page at a time (`limit`, `cursor`; `total`
   * counts those of the status), with the community's held / collected / released totals.
   */
  deposits: contract<{
    deposits: DepositView[];
    nextCursor: string | null;
    total: number;
    totals: DepositTotals;
  }>()(
    z.strictObject({
      communityId,
      status: z.optional(z.enum(['requested', 'held', 'awaiting-ack', 'refunding', 'refunded'])),
      limit: pageLimit,
      cursor: pageCursor,
    }),
    { idempotent: true },
  ),
  /**
   * Finance: refund a held deposit, whole or less deductions with reasons. Without deductions it
   * is paid back at once; with them it waits for the owner's acknowledgement. WeChat refunds go
   * back through WeChat Pay (only for a deposit WeChat collected), others are recorded. Audited.
   */
  refundDeposit: contract<DepositView>()(
    z
      .strictObject({
        depositId: id,
        deductions: z._default(z.array(deduction).check(z.maxLength(10)), []),
        channel: z.enum(REFUND_CHANNELS),
        reference: z.optional(text(64, 4, '交易参考号至少 4 位')),
      })
      .check(referenceUnlessCash),
  ),
  /** Finance: try a refund again after WeChat Pay refused it (same refund number). */
  retryDepositRefund: contract<DepositView>()(z.strictObject({ depositId: id })),
  /** Owner: the deposits of my rooms (requested, held, refunded). */
  myDeposits: contract<{ deposits: DepositView[] }>()(z.strictObject({}), { idempotent: true }),
  /** Owner: pay a requested deposit by WeChat Pay (the amount is ours). */
  payDeposit: contract<CreatedDepositOrder>()(z.strictObject({ depositId: id })),
  /**
   * Staff of the community, or the room's owner: a deposit's 押金收据 (`collect`) or red receipt
   * (`release`) as a PDF, a half-hour link.
   */
  depositReceipt: contract<PrintedFile>()(
    z.strictObject({ depositId: id, which: z.enum(['collect', 'release']) }),
  ),
  /** Owner: agree to the deductions of a refund; the rest is paid back. Audited. */
  ackDeduction: contract<DepositView>()(z.strictObject({ depositId: id })),
};
