/**
 * The rules of `npm run ledger:check` (miniprogram/domain/ledger/invariants.ts) over a test
 * cloud's whole database, read straight from its store: bills, payments, prepaid balances and
 * entries, the enabled late-fee rules of the fee standards (for the cap), deposits and their
 * entries.
 */
import type { LocalCloud } from '../../tools/cloud/server';
import {
  checkLedger,
  type LedgerData,
  type Violation,
} from '../../miniprogram/domain/ledger/invariants';
import type { LateFeeRule } from '../../miniprogram/domain/fee/types';

export function ledgerData(cloud: LocalCloud): LedgerData {
  const all = <T>(name: string) => cloud.store.find(name, {}) as unknown as T[];
  return {
    bills: all('bills'),
    payments: all('payments'),
    prepaidAccounts: all('prepaid_accounts'),
    prepaidEntries: all('prepaid_entries'),
    lateFeeRules: all<{ communityId: string; itemId: string; lateFee?: LateFeeRule | null }>(
      'fee_standards',
    ).flatMap((s) =>
      s.lateFee?.enabled ? [{ communityId: s.communityId, itemId: s.itemId, rule: s.lateFee }] : [],
    ),
    deposits: all('deposits'),
    depositEntries: all('deposit_entries'),
  };
}

export function ledgerViolations(cloud: LocalCloud): Violation[] {
  return checkLedger(ledgerData(cloud));
}

/**
 * A room's whole prepaid balance as the store holds it: the account's stored balance plus the
 * billing run's pending entries (cloudfunctions/_shared/ledger/prepaid.ts).
 */
export function prepaidWhole(cloud: LocalCloud, roomId: string): { stored: number; whole: number } {
  const account = cloud.store.find('prepaid_accounts', { _id: roomId })[0] as
    { balanceFen: number } | undefined;
  const stored = account?.balanceFen ?? 0;
  const pending = cloud.store.find('prepaid_entries', { roomId, pending: true }) as unknown as {
    amountFen: number;
  }[];
  return { stored, whole: pending.reduce((s, e) => s + e.amountFen, stored) };
}
