/**
 * The registry: every cloud function's contracts, keyed by function name then action. It only
 * lists the capabilities' contracts (each lives in `<capability>/contract.ts`); the typed client
 * (`services/cloud.ts`) takes its argument and result types from here. A function imports its own
 * contract, never this file, so it bundles only its own capability's rules; the mini-program's
 * client reads each contract's idempotent mark from here and forms check their input against
 * their action's contract; tests and tools use the whole registry. The `print` function
 * (print/contract.ts) is not listed: only other functions call it, never the mini-program.
 */
import type { Contract, Schema, z } from './kernel/contract';
import { accountContracts } from './account/contract';
import { ownerContracts } from './owner/contract';
import { paymentContracts } from './payment/contract';
import { setupContracts } from './setup/contract';
import { settingsContracts } from './settings/contract';
import { communityContracts } from './community/contract';
import { bindingContracts } from './binding/contract';
import { staffContracts } from './staff/contract';
import { feeContracts } from './fee/contract';
import { reconcileContracts } from './reconcile/contract';
import { reportContracts } from './report/contract';
import { complaintContracts } from './complaint/contract';
import { disclosureContracts } from './disclosure/contract';
import { noticeContracts } from './notice/contract';
import { overdueContracts } from './overdue/contract';
import { backupContracts } from './backup/contract';
import { chargeContracts } from './charge/contract';

export const api = {
  account: accountContracts,
  owner: ownerContracts,
  payment: paymentContracts,
  setup: setupContracts,
  settings: settingsContracts,
  community: communityContracts,
  binding: bindingContracts,
  staff: staffContracts,
  fee: feeContracts,
  reconcile: reconcileContracts,
  report: reportContracts,
  complaint: complaintContracts,
  disclosure: disclosureContracts,
  notice: noticeContracts,
  overdue: overdueContracts,
  backup: backupContracts,
  charge: chargeContracts,
} as const;

export type Api = typeof api;

export type FunctionName = keyof Api;
export type ActionName<F extends FunctionName> = keyof Api[F] & string;
type ContractOf<F extends FunctionName, A extends ActionName<F>> = Api[F][A];
export type ActionInput<F extends FunctionName, A extends ActionName<F>> =
  ContractOf<F, A> extends Contract<infer I, unknown> ? z.input<I> : never;
export type ActionOutput<F extends FunctionName, A extends ActionName<F>> =
  ContractOf<F, A> extends Contract<Schema, infer O> ? O : never;
