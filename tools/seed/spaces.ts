/**
 * 车位与储藏室 for the demo (`npm start`): three monthly standards for spaces (车位月租 ¥300, 车位管理费
 * ¥60 for owned spaces, 储藏室管理费 1.50 元/m²/月), the garage's spaces and storerooms put on
 * record through the community function as an admin would (holders resolved from the rooms'
 * owners), one rental ended on the 20th through `endSpace`, and this month's billing run issued
 * by finance through the fee function, so each held space has this month's bill beside its
 * holder's room: 王建国 (o_demo_owner) sees 车位 B2-017 (月租) with 1栋1单元1501 and 车位 B1-005
 * (管理费) with 2栋1单元302; 张桂兰's storeroom S-03 goes with 1栋2单元201; a rental that began on
 * the 10th and the one that ended on the 20th are prorated by days.
 */
import { addMonths } from '../../miniprogram/domain/fee';
import { shanghaiDate } from '../../miniprogram/domain/kernel/time';
import type { SeedContext } from '../cloud/server';
import { DEMO_COMMUNITY_ID, DEMO_USERS } from './demo';

const C = DEMO_COMMUNITY_ID;

/** The demo's space standards: item id, name, kind of space, pricing. */
export const DEMO_SPACE_ITEMS = {
  parkrent: {
    name: '车位月租',
    kinds: ['rented'],
    pricing: { kind: 'parking', unitPriceE4: 3_000_000 },
  },
  parkmgmt: {
    name: '车位管理费',
    kinds: ['owned'],
    pricing: { kind: 'parking', unitPriceE4: 600_000 },
  },
  storeroom: {
    name: '储藏室管理费',
    kinds: ['storeroom'],
    pricing: { kind: 'area', areaBasis: 'building', unitPriceE4: 15_000 },
  },
} as const;

/** The demo owner's rented space, billed monthly with 1栋1单元1501's bills. */
export const DEMO_RENTED_SPACE = 'B2-017';

function seedSpaceStandards(ctx: SeedContext, month: string, now: Date): void {
  const since = `${addMonths(month, -12)}-01`;
  ctx.store.insert(
    'fee_standards',
    Object.entries(DEMO_SPACE_ITEMS).map(([itemId, item]) => ({
      _id: `fs_${C}_${itemId}`,
      communityId: C,
      itemId,
      name: item.name,
      kind: item.pricing.kind,
      description:
        itemId === 'storeroom'
          ? '储藏室公共区域照明、通风、清洁'
          : '地下车库照明、通风、清洁、秩序维护',
      cycle: 'monthly',
      firstMonth: 1,
      billingMode: 'prepaid',
      dueDay: 28,
      rounding: 'halfUp',
      applicability: { scope: 'spaces', spaceKinds: [...item.kinds] },
      vacancyDiscount: null,
      prepaymentDiscount: [],
      lateFee: null,
      effectiveTo: null,
      versions: [
        {
          versionId: 'v1',
          effectiveFrom: since,
          pricing: item.pricing,
          approvalRef: '翠湖花园业主大会决议（车位及储藏室收费）',
          approvedAt: since,
          note: null,
          createdAt: now,
          createdBy: 'seed',
        },
      ],
      revision: 1,
      issuedThrough: null,
      createdAt: now,
      createdBy: 'seed',
      updatedAt: now,
      updatedBy: 'seed',
    })),
  );
}

async function must(ctx: SeedContext, fn: string, event: Record<string, unknown>, openid: string) {
  const r = (await ctx.call(fn, { communityId: C, ...event }, openid)) as
    { ok: true; data: unknown } | { ok: false; message: string };
  if (!r.ok) throw new Error(`[seed spaces] ${fn}.${String(event.action)}: ${r.message}`);
  return r.data;
}

export async function seedSpacesDemo(ctx: SeedContext): Promise<void> {
  const today = shanghaiDate(new Date(ctx.clock.now()));
  const month = today.slice(0, 7);
  seedSpaceStandards(ctx, month, new Date(ctx.clock.now()));
  const longAgo = `${addMonths(month, -6)}-01`;
  const spaces = [
    {
      number: DEMO_RENTED_SPACE,
      zone: '地下二层 B 区',
      kind: 'rented',
      holderRoomId: 'r_1_1_1501',
      plates: ['粤B12345'],
      startDate: longAgo,
    },
    { number: 'B2-018', zone: '地下二层 B 区', kind: 'rented' },
    {
      number: 'B2-021',
      zone: '地下二层 B 区',
      kind: 'rented',
      holderRoomId: 'r_3_2_801',
      plates: ['粤BD61234'],
      startDate: `${month}-10`,
    },
    {
      number: 'B2-030',
      zone: '地下二层 B 区',
      kind: 'rented',
      holderRoomId: 'r_4_1_1201',
      plates: ['湘A8K520'],
      startDate: longAgo,
    },
    {
      number: 'B1-005',
      zone: '地下一层 A 区',
      kind: 'owned',
      areaCentiM2: 1250,
      holderRoomId: 'r_2_1_302',
      plates: ['粤B7Q2C9', '粤BF03318'],
      startDate: longAgo,
    },
    {
      number: 'B1-006',
      zone: '地下一层 A 区',
      kind: 'owned',
      areaCentiM2: 1250,
      holderRoomId: 'r_2_2_502',
      startDate: longAgo,
    },
    {
      number: 'S-03',
      zone: '1 栋负一层',
      kind: 'storeroom',
      areaCentiM2: 850,
      holderRoomId: 'r_1_2_201',
      startDate: longAgo,
    },
    { number: 'S-04', zone: '1 栋负一层', kind: 'storeroom', areaCentiM2: 920 },
  ];
  for (const s of spaces)
    await must(ctx, 'community', { action: 'saveSpace', ...s }, DEMO_USERS.admin);
  await must(
    ctx,
    'community',
    {
      action: 'endSpace',
      spaceId: `sp_${C}_B2-030`,
      endDate: `${month}-20`,
      reason: '业主搬离，退租',
    },
    DEMO_USERS.admin,
  );
  for (const action of ['preview', 'issue']) {
    let done = false;
    while (!done) {
      const run = (await must(ctx, 'fee', { action, period: month }, DEMO_USERS.finance)) as Record<
        string,
        { done: boolean } | undefined
      >;
      done = run[action]?.done ?? true;
    }
  }
}
