/**
 * The demo community's fee standards (收费标准), so the billing run has something to bill:
 * 物业服务费 2.35 元/m²/月 (quarterly, prepaid, due on the 15th — the standard the seeded bills
 * were issued under, marked billed through the current quarter) and 公共能耗费 0.15 元/m²/月
 * from the next quarter; two approved vacancies and one opening prepaid balance. Quarters are
 * aligned with the seeded bills (which start two months before "today"), so the next quarter can
 * be previewed and issued at once. Additive: the seeded bills are left as they are.
 */
import { lastDay } from '../../miniprogram/domain/fee';
import type { Store } from '../cloud/store';

const COMMUNITY_ID = 'c_cuihu';

function period(date: string, monthsBack: number): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const idx = y * 12 + (m - 1) - monthsBack;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The room whose opening prepaid balance the demo's next run applies automatically. */
export const DEMO_PREPAID_ROOM = 'r_4_2_1801';

export function seedFeeStandards(store: Store, today: string, now: Date): void {
  // The seeded quarters start at `period(today, 2)` and every three months before it.
  const currentQuarter = period(today, 2);
  const firstMonth = Number(currentQuarter.slice(5, 7));
  const nextQuarter = period(today, -1);
  const since = `${period(today, 23)}-01`;
  const common = {
    communityId: COMMUNITY_ID,
    cycle: 'quarterly',
    firstMonth,
    billingMode: 'prepaid',
    dueDay: 15,
    rounding: 'halfUp',
    applicability: { scope: 'all' },
    prepaymentDiscount: [],
    lateFee: null,
    effectiveTo: null,
    createdAt: now,
    createdBy: 'seed',
    updatedAt: now,
    updatedBy: 'seed',
  };
  store.insert('fee_standards', [
    {
      _id: `fs_${COMMUNITY_ID}_property`,
      ...common,
      itemId: 'property',
      name: '物业服务费',
      kind: 'area',
      description: '含公共区域清洁、绿化养护、秩序维护、共用设施设备日常维护',
      vacancyDiscount: { rateBp: 3000 },
      versions: [
        {
          versionId: 'v1',
          effectiveFrom: since,
          pricing: { kind: 'area', areaBasis: 'building', unitPriceE4: 23500 },
          approvalRef: '翠湖花园业主大会决议（物业服务费标准）',
          approvedAt: addDays(since, -45),
          note: null,
          createdAt: now,
          createdBy: 'seed',
        },
      ],
      revision: 1,
      // The seeded bills cover every quarter through the current one.
      issuedThrough: lastDay(period(today, 0)),
    },
    {
      _id: `fs_${COMMUNITY_ID}_energy`,
      ...common,
      itemId: 'energy',
      name: '公共能耗费',
      kind: 'area',
      description: '电梯、公共照明、二次供水加压的公共用电分摊',
      vacancyDiscount: null,
      versions: [
        {
          versionId: 'v1',
          effectiveFrom: `${nextQuarter}-01`,
          pricing: { kind: 'area', areaBasis: 'building', unitPriceE4: 1500 },
          approvalRef: '翠湖花园业主大会决议（公共能耗分摊）',
          approvedAt: addDays(today, -30),
          note: '自下一季度起按建筑面积分摊，已提前一个月公示',
          createdAt: now,
          createdBy: 'seed',
        },
      ],
      revision: 1,
      issuedThrough: null,
    },
  ]);

  // Two vacant rooms with an approved vacancy (空置优惠 30%) over the next year.
  const vacant = store
    .find('rooms', { communityId: COMMUNITY_ID, occupancy: 'vacant' })
    .map((r) => r._id as string)
    .sort()
    .slice(0, 2);
  store.insert(
    'vacancy_records',
    vacant.map((roomId) => ({
      _id: `vac_seed_${roomId}`,
      communityId: COMMUNITY_ID,
      roomId,
      from: `${nextQuarter}-01`,
      to: addDays(`${period(today, -10)}-01`, -1),
      status: 'approved',
      approvalRef: '空置申请（物业服务中心审批）',
      note: '业主申请，现场核实无人居住',
      createdBy: 'seed',
      createdAt: now,
    })),
  );

  // An opening prepaid balance (期初预存) of ¥300.00, applied to the room's next bill.
  store.insert('prepaid_entries', [
    {
      _id: `op_${DEMO_PREPAID_ROOM}`,
      communityId: COMMUNITY_ID,
      roomId: DEMO_PREPAID_ROOM,
      amountFen: 30_000,
      balanceAfterFen: 30_000,
      reason: '期初预存（系统启用前）',
      opening: true,
      at: now,
    },
  ]);
  store.insert('prepaid_accounts', [
    {
      _id: DEMO_PREPAID_ROOM,
      communityId: COMMUNITY_ID,
      balanceFen: 30_000,
      openingApplied: true,
      updatedAt: now,
    },
  ]);
}
