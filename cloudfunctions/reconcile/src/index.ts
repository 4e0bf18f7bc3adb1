/**
 * reconcile: what the system says was collected must match what WeChat Pay and the bank say.
 * Daily WeChat Pay reconciliation (downloadBill or an uploaded statement), bank statement import
 * and matching, and closing reconciled days. Finance role (admin implied). See
 * docs/reconciliation.md.
 */
import { reconcileContracts } from '../../../miniprogram/domain/reconcile/contract';
import { createRouter } from '../../_shared/router';
import { bankImport, bankImports, importBank } from './actions/bank-import';
import { assignBankLine, ignoreBankLine, matchBankLine } from './actions/bank-lines';
import { closeDay, days } from './actions/days';
import { acceptStatement, applyMissing, resolveItem } from './actions/wechat-resolve';
import { runWechat, wechatRun } from './actions/wechat-run';

export const main = createRouter('reconcile', reconcileContracts, {
  days,
  runWechat,
  wechatRun,
  applyMissing,
  acceptStatement,
  resolveItem,
  importBank,
  bankImports,
  bankImport,
  assignBankLine,
  ignoreBankLine,
  matchBankLine,
  closeDay,
});
