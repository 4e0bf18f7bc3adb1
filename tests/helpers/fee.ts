/**
 * The fee function's billing runs against the demo community, for the fee tests: calls as
 * finance, the quarter the demo bills next, a run previewed or issued to the end, and the bills
 * of a period.
 */
import type { LocalCloud } from '../../tools/cloud/server';
import type { Store } from '../../tools/cloud/store';
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import type { BillingRunView } from '../../miniprogram/domain/fee/contract';
import { caller } from './calls';

/** The sum of a numeric field over documents. */
export const sum = (docs: Record<string, unknown>[], field: string) =>
  docs.reduce((s, d) => s + (d[field] as number), 0);

/** half-up: area (0.01 m²) × price (0.0001 元) × months → fen. */
export const feeFen = (areaCm2: number, priceE4: number, months: number) =>
  Math.floor((areaCm2 * priceE4 * months + 5000) / 10000);

export function feeTools(cloud: LocalCloud) {
  const C = DEMO_COMMUNITY_ID;
  const { call: fee, raw: feeRaw } = caller(cloud, 'fee', DEMO_USERS.finance);

  /** The next quarter after the seeded bills: what the demo community bills next. */
  function nextQuarter(): string {
    const energy = cloud.store.find('fee_standards', { itemId: 'energy' })[0]!;
    return (energy.versions as { effectiveFrom: string }[])[0]!.effectiveFrom.slice(0, 7);
  }

  const billsOf = (period: string) => cloud.store.find('bills', { communityId: C, period });

  /** Runs `action` (preview or issue) for the period until the run says it is done. */
  async function runToEnd(action: 'preview' | 'issue', period: string): Promise<BillingRunView> {
    let run = await fee<BillingRunView>({ action, communityId: C, period });
    while (!run[action]!.done) run = await fee<BillingRunView>({ action, communityId: C, period });
    return run;
  }

  return {
    fee,
    feeRaw,
    nextQuarter,
    billsOf,
    previewDone: (period: string) => runToEnd('preview', period),
    issueDone: (period: string) => runToEnd('issue', period),
  };
}

/** saveStandard for tiered water: 2.90 元/m³ up to 20 m³, 4.35 above. */
export const WATER_STANDARD = {
  action: 'saveStandard',
  communityId: DEMO_COMMUNITY_ID,
  itemId: 'water',
  name: '水费',
  kind: 'meter',
  cycle: 'monthly',
  billingMode: 'postpaid',
  dueDay: 20,
  version: {
    effectiveFrom: '2025-01-01',
    approvedAt: '2024-12-01',
    approvalRef: '杭州市居民生活用水价格（代收）',
    pricing: {
      kind: 'meter',
      unit: 'm³',
      tiers: [
        { upTo: 20, unitPrice: '2.9' },
        { upTo: null, unitPrice: '4.35' },
      ],
    },
  },
};

/** The contract's late fee on the demo's property fee: 0.3% a day after 5 grace days, at most 5%. */
export function setDemoLateFee(store: Store): void {
  store.update(
    'fee_standards',
    { _id: `fs_${DEMO_COMMUNITY_ID}_property` },
    {
      $set: {
        lateFee: {
          enabled: true,
          rateBpPerDay: 30,
          graceDays: 5,
          cap: { kind: 'percentOfPrincipal', bp: 500 },
        },
      },
    },
    { multi: false, replace: false, upsert: false },
  );
}
