/** The ledger invariants over a cloud's whole database: the rules of `npm run ledger:check`. */
import type { LocalCloud } from '../../tools/cloud/server';
import { checkLedger, type LedgerData } from '../../miniprogram/domain/ledger/invariants';

export function ledgerViolations(cloud: LocalCloud) {
  const all = <K extends keyof LedgerData>(collection: string) =>
    cloud.store.find(collection, {}) as unknown as LedgerData[K];
  return checkLedger({
    bills: all<'bills'>('bills'),
    payments: all<'payments'>('payments'),
    prepaidAccounts: all<'prepaidAccounts'>('prepaid_accounts'),
    prepaidEntries: all<'prepaidEntries'>('prepaid_entries'),
  });
}
