/**
 * `npm run ledger:check`: verifies the ledger invariants (miniprogram/domain/ledger/invariants.ts) on a
 * database through wx-server-sdk and reports every violation; exits 1 when there is one.
 *
 *   npm run ledger:check                      the running local cloud (PORT, default 8787)
 *   npm run ledger:check -- --url http://127.0.0.1:9000
 *   npm run ledger:check -- --env             a real CloudBase environment: use the SDK's own
 *                                             environment variables (TENCENTCLOUD_SECRETID, …)
 */
import { checkLedger, type LedgerData } from '../miniprogram/domain/ledger/invariants';
import { depositBalances } from '../miniprogram/domain/ledger/deposits';
import type { LateFeeRule } from '../miniprogram/domain/fee/types';
import { connectSdk } from './sdk-target';

async function main(): Promise<void> {
  const cloud = await connectSdk(process.argv.slice(2));
  const db = cloud.database();
  const all = async <T>(name: string): Promise<T[]> => {
    const out: T[] = [];
    for (let skip = 0; ; skip += 1000) {
      const res = await db.collection(name).skip(skip).limit(1000).get();
      out.push(...(res.data as T[]));
      if (res.data.length < 1000) return out;
    }
  };
  const data: LedgerData = {
    bills: await all('bills'),
    payments: await all('payments'),
    prepaidAccounts: await all('prepaid_accounts'),
    prepaidEntries: await all('prepaid_entries'),
    lateFeeRules: (
      await all<{ communityId: string; itemId: string; lateFee?: LateFeeRule | null }>(
        'fee_standards',
      )
    ).flatMap((s) =>
      s.lateFee?.enabled ? [{ communityId: s.communityId, itemId: s.itemId, rule: s.lateFee }] : [],
    ),
    deposits: await all('deposits'),
    depositEntries: await all('deposit_entries'),
  };
  const violations = checkLedger(data);
  console.log(
    `账务核对 ledger check: ${data.bills.length} bills, ${data.payments.length} payments, ${data.prepaidAccounts.length} prepaid accounts, ${data.deposits!.length} deposits`,
  );
  for (const [community, t] of depositBalances(data.deposits!, data.depositEntries!))
    console.log(
      `  押金 ${community}: held ${t.heldFen} = collected ${t.collectedFen} − refunded ${t.releasedFen} fen (refunds include deductions kept)`,
    );
  if (violations.length === 0) {
    console.log(
      '✓ all invariants hold: outstanding ≥ 0 and matches allocations, payments balance, each WeChat order applied once, receipts unique, gap-free and none pending, prepaid balances match, late fees match their accrual records and stay within the cap, held deposits = collected − refunded',
    );
    return;
  }
  for (const v of violations) console.log(`✗ [${v.rule}] ${v.target}: ${v.detail}`);
  console.log(`${violations.length} violation(s)`);
  process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(`ledger:check: ${(e as Error).message}`);
  process.exit(2);
});
