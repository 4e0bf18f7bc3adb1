/**
 * payment: WeChat Pay orders for owners, payments recorded by cashiers, receipts, refunds and
 * invoices, the cashier's view and closing of owners' pending orders, finance's exceptions desk,
 * and a timer that closes pending orders past their expiry so none is left dangling (and numbers
 * any payment an instance left without its receipt number).
 *
 * The amount of an order is always computed here from the bills' outstanding balances; the client
 * only chooses bills (and optionally pays part of them). Money is applied by the shared ledger
 * (`_shared/ledger/`), through the separate `payNotify` callback or, when the callback is late,
 * through `orderStatus` asking WeChat Pay (`queryOrder`).
 */
import cloud from 'wx-server-sdk';
import { paymentContracts } from '../../../miniprogram/domain/payment/contract';
import { createRouter } from '../../_shared/router';
import { closeExpired } from './actions/close-expired';
import { closeOrder, recordOffline, roomBills } from './actions/desk';
import { exceptions, resolveException } from './actions/exceptions';
import { decideInvoice, invoiceQueue, myInvoices, requestInvoice } from './actions/invoices';
import { createOrder, orderStatus } from './actions/orders';
import { myReceipts, receipt, receiptPdf } from './actions/receipt';
import { printReceipts, searchReceipts } from './actions/receipt-print';
import { closeShift, confirmShift, shiftPdf, shiftSummary, shifts } from './actions/shifts';
import { decideRefund, listRefunds, requestRefund, retryRefund } from './actions/refunds';

const router = createRouter('payment', paymentContracts, {
  createOrder,
  orderStatus,
  recordOffline,
  requestRefund,
  decideRefund,
  retryRefund,
  refunds: listRefunds,
  requestInvoice,
  myInvoices,
  invoiceQueue,
  decideInvoice,
  searchReceipts,
  printReceipts,
  roomBills,
  myReceipts,
  receipt,
  closeOrder,
  exceptions,
  resolveException,
  receiptPdf,
  shiftSummary,
  closeShift,
  confirmShift,
  shifts,
  shiftPdf,
});

export async function main(event: unknown, context?: unknown): Promise<unknown> {
  const e = event as { Type?: string } | null;
  if (e && e.Type === 'Timer' && cloud.getWXContext().SOURCE === 'wx_trigger')
    return closeExpired();
  return router(event, context);
}
