/**
 * The owner's WeChat Pay round trip, shared by the confirmation and result pages:
 * `payment.createOrder` (the server computes the amount) → `wx.requestPayment` → `orderStatus`,
 * polled with backoff while WeChat Pay's notification is on its way. The pay sheet's own
 * "success" is never taken as proof of payment: only the server's order status is.
 */
import type { SheetOutcome } from '../utils/pay-view';
import { call } from './cloud';
import { requestReminders } from './subscribe';
import type { OrderStatusView, RequestPaymentParams } from '../domain/payment/contract';

export type { SheetOutcome };

export interface SheetResult {
  outcome: SheetOutcome;
  /** WeChat's errMsg on failure, for logs only. */
  errMsg: string;
}

/** Open the WeChat Pay sheet. Never rejects: the outcome says what the owner did. */
export function openPaySheet(payment: RequestPaymentParams): Promise<SheetResult> {
  return new Promise((resolve) => {
    wx.requestPayment({
      ...payment,
      success: () => resolve({ outcome: 'paid', errMsg: '' }),
      fail: (e: { errMsg?: string }) => {
        const errMsg = String(e?.errMsg ?? '');
        resolve({ outcome: /cancel/i.test(errMsg) ? 'cancel' : 'fail', errMsg });
      },
    });
  });
}

/** Waits before each status query: the first at once, then backing off (≈ 10 s in all). */
export const STATUS_BACKOFF_MS = [0, 800, 1500, 2500, 4000];

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Ask for the order's status until it is no longer pending or the backoff runs out; resolves
 * with the last answer. A failed query is tried again with the next wait; the last error is
 * thrown only when no answer came at all.
 */
export async function waitForOrder(
  outTradeNo: string,
  backoff: readonly number[] = STATUS_BACKOFF_MS,
): Promise<OrderStatusView> {
  let last: OrderStatusView | null = null;
  let lastError: unknown = null;
  for (const wait of backoff) {
    if (wait > 0) await delay(wait);
    try {
      last = await call('payment', 'orderStatus', { outTradeNo }, { loading: false });
      if (last.status !== 'pending') return last;
    } catch (err) {
      lastError = err;
    }
  }
  if (last) return last;
  throw lastError;
}

// Pages that show what is owed reload when they are shown after a payment.
let paymentsVersion = 0;

export function notePaymentMade(): void {
  paymentsVersion += 1;
}

export function currentPaymentsVersion(): number {
  return paymentsVersion;
}

/**
 * The subscribe-message consent (one-time subscriptions: each accepted tap allows one later
 * reminder). Must be called from a tap handler. Resolves with how many were accepted, or -1
 * when the sheet could not be shown; never rejects.
 */
export async function askForReminders(): Promise<number> {
  const answer = await requestReminders('pay');
  return answer.shown ? answer.accepted : -1;
}
