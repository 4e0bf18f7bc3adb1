/**
 * The ledger: the only code that writes a bill's money fields and status (and the only code that
 * writes `bills` at all). Everything that changes what a bill owes or has been paid asks it:
 *
 * - issue.ts    the billing run's bills (paid from prepaid first) and opening arrears
 * - apply.ts    a payment (WeChat Pay, queryOrder, cashier, bank line) applied exactly once
 * - reverse.ts  a red reversal (冲红) of part or all of a payment; its bills reopen
 * - as-of.ts   late fees as of today, derived for readers and settled by the writers
 * - late-fee.ts the month-end late-fee settlement and finance's waiver
 * - hold.ts     bills claimed by a live WeChat Pay order (the claim is on the bill itself)
 * - receipts.ts receipt numbers, given right after a payment commits
 * - aging.ts    the overdue marks the daily run keeps on open bills
 * - prepaid.ts  prepaid balances (预存): stored balance plus the billing run's pending entries
 * - deposits.ts deposits (押金): collected, held (a liability, never a bill) and released
 * - state.ts    the pure rules: the money state each operation leaves, status via `billStatus`
 */
export { markOverdue } from './aging';
export {
  billAsOf,
  billsAsOf,
  derivedLateFee,
  lateFeeView,
  lateFeeViewOf,
  today,
  type LateFeeView,
} from './as-of';
export {
  applyPayment,
  applyToOrder,
  applyWechatPayment,
  parseTimeEnd,
  type ApplyInput,
  type ApplyResult,
  type WechatApplyOutcome,
  type WechatPaid,
} from './apply';
export { mismatchKind, recordPayException, type PayExceptionDoc } from './exceptions';
export {
  HeldError,
  claimBillsForOrder,
  lastPaymentOf,
  liveHolders,
  releaseOrderHolds,
} from './hold';
export { numberPayment, numberPendingPayments } from './receipts';
export { issueChargeBill, issueOpeningBills, issueRunBills, type RunIssue } from './issue';
export {
  DEPOSIT_ORDER_PREFIX,
  acknowledgeDeduction,
  applyDepositWechat,
  claimDepositForOrder,
  claimDepositRefund,
  collectDeposit,
  noteDepositRefundFailure,
  numberDepositEntry,
  numberPendingDepositEntries,
  releaseDeposit,
  releaseDepositHold,
  type DepositPaidOutcome,
} from './deposits';
export { prepaidBalance, prepaidBalances, type PrepaidEntryDoc } from './prepaid';
export { accrueLateFees, waiveLateFee, type Waiver } from './late-fee';
export { reversePayment, type ReverseInput } from './reverse';
export { currentShift, latestShift, shiftId, type ShiftDoc, type ShiftRef } from './shift';
export { billStatus, issuedBill } from './state';
export {
  reconDayId,
  type DepositDoc,
  type DepositEntryDoc,
  type DepositOrderDoc,
  type PaymentDoc,
  type PayOrderDoc,
  type ReconDayCorrection,
} from './types';
