/**
 * The reads the client repeats once after a network failure: the set services/cloud.ts kept by
 * hand before the contracts carried the mark. Tests prove the marks give exactly this set.
 */
export const IDEMPOTENT_READS: readonly string[] = [
  'account.whoami',
  'owner.home',
  'owner.bills',
  // orderStatus may apply a payment WeChat Pay reports as paid, which the ledger does exactly once
  'payment.orderStatus',
  'payment.myReceipts',
  'payment.receipt',
  'payment.refunds',
  'payment.myInvoices',
  'payment.invoiceQueue',
  'payment.roomBills',
  'payment.searchReceipts',
  'settings.get',
  'community.get',
  'community.rooms',
  'community.room',
  'community.roomLedger',
  'fee.billDetail',
  'fee.publicStandards',
  'fee.standards',
  'fee.run',
  'fee.runs',
  'fee.readings',
  'reconcile.days',
  'reconcile.wechatRun',
  'reconcile.bankImports',
  'reconcile.bankImport',
  'report.collection',
  'report.aging',
  'report.arrears',
  'report.reasons',
];
