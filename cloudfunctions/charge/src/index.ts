/**
 * charge: one-off charges (临时收费) and deposits (押金), docs/charges.md. A charge is raised by
 * staff, approved by a second person above the community's threshold and billed through the
 * ledger (then paid and receipted as any bill). A deposit is collected (desk or WeChat Pay, whose
 * notification `payNotify` applies), held as a liability and refunded with a red receipt. All
 * money state is written by `_shared/ledger/`.
 */
import { chargeContracts } from '../../../miniprogram/domain/charge/contract';
import { createRouter } from '../../_shared/router';
import { charges, decideCharge, previewCharge, raiseCharge } from './actions/charges';
import {
  closeDepositOrder,
  collectDeposit,
  deposits,
  refundDeposit,
  requestDeposit,
  retryDepositRefund,
} from './actions/deposits';
import { ackDeduction, myDeposits, payDeposit } from './actions/owner';
import { depositReceipt } from './actions/receipt';

export const main = createRouter('charge', chargeContracts, {
  previewCharge,
  raiseCharge,
  decideCharge,
  charges,
  requestDeposit,
  collectDeposit,
  closeDepositOrder,
  deposits,
  refundDeposit,
  retryDepositRefund,
  myDeposits,
  payDeposit,
  ackDeduction,
  depositReceipt,
});
