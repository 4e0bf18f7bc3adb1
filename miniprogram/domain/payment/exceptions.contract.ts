/**
 * Contracts for the payment exceptions desk (支付异常, finance) and for WeChat Pay orders the
 * cashier sees and closes at the desk (payment function; docs/payments.md). Spread into
 * `paymentContracts`.
 */
import { communityId, contract, pageCursor, pageLimit, reasonText, z } from '../kernel/contract';

/**
 * What went wrong with money WeChat Pay moved: a notification whose amount is below or above our
 * order (short-/over-paid), or whose sub-merchant is not the order's; a paid notification for an
 * order we have no record of; a refund WeChat Pay refused; WeChat money for a deposit that did not
 * match its order or was already taken at the desk (docs/charges.md: refunded or closed).
 */
export const PAY_EXCEPTION_KINDS = [
  'short-paid',
  'over-paid',
  'merchant-mismatch',
  'unknown-order',
  'refund-failed',
  'deposit',
] as const;
export type PayExceptionKind = (typeof PAY_EXCEPTION_KINDS)[number];

export const PAY_EXCEPTION_LABELS: Record<PayExceptionKind, string> = {
  'short-paid': '少付：微信实收少于订单金额',
  'over-paid': '多付：微信实收多于订单金额',
  'merchant-mismatch': '商户号不符',
  'unknown-order': '未知订单：系统中没有该订单',
  'refund-failed': '退款失败',
  deposit: '押金支付异常：金额不符或押金已在前台收取',
};

/**
 * refund: send the money back (a failed refund: try it again with the same refund number);
 * apply: take what WeChat Pay collected as the payment of the order's bills (a shortfall leaves
 * them partly paid, an excess goes to the room's prepaid balance); close: end it with a reason
 * (handled another way). Every resolution is audited.
 */
export const EXCEPTION_ACTIONS = ['refund', 'apply', 'close'] as const;
export type ExceptionAction = (typeof EXCEPTION_ACTIONS)[number];

export const EXCEPTION_ACTION_LABELS: Record<ExceptionAction, string> = {
  refund: '原路退款',
  apply: '按实收入账',
  close: '关闭',
};

/** The resolutions that make sense for a kind (money of an unknown order has no bills to pay). */
export function actionsFor(kind: PayExceptionKind): ExceptionAction[] {
  if (kind === 'short-paid' || kind === 'over-paid') return ['apply', 'refund', 'close'];
  return ['refund', 'close'];
}

export type PayExceptionStatus = 'open' | 'resolved';

export interface PayExceptionView {
  exceptionId: string;
  kind: PayExceptionKind;
  status: PayExceptionStatus;
  /** The money in question: what WeChat Pay collected, or the refund that failed. */
  amountFen: number;
  /** What our order asked for (short/over-paid, merchant mismatch). */
  orderFen?: number;
  outTradeNo?: string;
  /** The receipt of the payment a failed refund belongs to. */
  receiptNo?: string;
  roomLabels: string[];
  reason: string;
  /** When it was recorded (ISO) and how long it has been open, in minutes. */
  at: string;
  ageMinutes: number;
  actions: ExceptionAction[];
  /** The last attempt that did not go through (a refund WeChat Pay refused). */
  lastFailure?: string;
  resolution?: {
    action: ExceptionAction;
    reason: string;
    by: string;
    at: string;
    receiptNo?: string;
  };
}

/** A live WeChat Pay order holding some of a room's bills, as the cashier's desk shows it. */
export interface OpenOrderView {
  outTradeNo: string;
  /** Who started it, masked ("业主 张**"). */
  payer: string;
  amountFen: number;
  periods: string[];
  startedAt: string;
  expireAt: string;
  /** WeChat Pay allows closing an order 5 minutes after it was made. */
  closableAt: string;
}

export const exceptionContracts = {
  /**
   * Finance: a page of the community's payment exceptions — notifications and failed refunds
   * merged in time order (open: oldest first; resolved: newest first) — with the tab's `total`
   * and the open count (工作台's badge). Pass `nextCursor` back as `cursor` for the next page.
   */
  exceptions: contract<{
    exceptions: PayExceptionView[];
    nextCursor: string | null;
    total: number;
    openCount: number;
  }>()(
    z.strictObject({
      communityId,
      status: z.optional(z.enum(['open', 'resolved'])),
      limit: pageLimit,
      cursor: pageCursor,
    }),
    { idempotent: true },
  ),
  /** Finance: resolve one exception by refunding, applying or closing it, with a reason. */
  resolveException: contract<PayExceptionView>()(
    z.strictObject({
      communityId,
      exceptionId: z
        .string()
        .check(z.maxLength(120), z.regex(/^[0-9A-Za-z_:-]{1,120}$/, '异常编号格式不正确')),
      /** What to do (`action` names the function's action). */
      resolution: z.enum(EXCEPTION_ACTIONS),
      reason: reasonText(200, '请填写处理说明（至少 2 个字）'),
    }),
  ),
  /**
   * Cashier/finance: close an owner's pending WeChat Pay order that holds bills at the desk (not
   * within 5 minutes of its creation; an order found paid is applied instead).
   */
  closeOrder: contract<{ outTradeNo: string; outcome: 'closed' | 'paid' }>()(
    z.strictObject({
      outTradeNo: z
        .string()
        .check(z.maxLength(32), z.regex(/^[0-9A-Za-z_-]{1,32}$/, '订单号格式不正确')),
      reason: reasonText(100, '请填写关闭原因（至少 2 个字）'),
    }),
  ),
};
