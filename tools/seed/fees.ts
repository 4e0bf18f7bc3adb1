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

  seedWaterReadings(store, today, now, since);

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

/** The demo's metered item: tap water of building 1, read monthly by the property office. */
export const DEMO_METER_ITEM = 'tapwater';

/**
 * 自来水费（1栋代收）: a meter item for building 1 whose billing starts after the next quarter
 * (so the demo's next run is unchanged), with three months of readings for every room and last
 * month half entered — one of them a spike (> 5× the room's median) waiting for confirmation —
 * so the 抄表录入 page shows rooms to enter, previous readings and a flagged reading at once.
 */
function seedWaterReadings(store: Store, today: string, now: Date, since: string): void {
  const billingFrom = `${period(today, -4)}-01`;
  store.insert('fee_standards', [
    {
      _id: `fs_${COMMUNITY_ID}_${DEMO_METER_ITEM}`,
      communityId: COMMUNITY_ID,
      itemId: DEMO_METER_ITEM,
      name: '自来水费（1栋代收）',
      kind: 'meter',
      description: '1栋由物业代收自来水费，按户表抄表计量；收费前先抄表建立底数',
      cycle: 'monthly',
      firstMonth: 1,
      billingMode: 'postpaid',
      dueDay: 20,
      rounding: 'halfUp',
      applicability: { scope: 'buildings', buildingIds: ['1'] },
      vacancyDiscount: null,
      prepaymentDiscount: [],
      lateFee: null,
      effectiveTo: null,
      versions: [
        {
          versionId: 'v1',
          effectiveFrom: billingFrom,
          pricing: {
            kind: 'meter',
            unit: 'm³',
            tiers: [
              { upTo: 20, unitPriceE4: 29000 },
              { upTo: null, unitPriceE4: 43500 },
            ],
          },
          approvalRef: '杭州市居民生活用水阶梯价格（代收）',
          approvedAt: addDays(since, -45),
          note: '与供水公司签订代收协议后开始计费',
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
    },
  ]);
  const rooms = store
    .find('rooms', { communityId: COMMUNITY_ID, building: '1' })
    .map((r) => r._id as string)
    .sort();
  const months = [period(today, 4), period(today, 3), period(today, 2), period(today, 1)];
  const docs: Record<string, unknown>[] = [];
  rooms.forEach((roomId, i) => {
    let reading = 100 + ((i * 37) % 400);
    months.forEach((month, m) => {
      const last = m === months.length - 1;
      // Last month: the first half of the rooms are entered; the rest are still to read.
      if (last && i >= rooms.length / 2) return;
      const spike = last && i === 3;
      const usage = spike ? 96 : 8 + ((i * 7 + m * 3) % 7);
      const previous = reading;
      reading += usage;
      docs.push({
        _id: `mr_${roomId}_${DEMO_METER_ITEM}_${month}`,
        communityId: COMMUNITY_ID,
        roomId,
        itemId: DEMO_METER_ITEM,
        period: month,
        previous: String(previous),
        current: String(reading),
        multiplier: '1',
        loss: '0',
        usage: String(usage),
        readOn: `${month}-28`,
        status: spike ? 'flagged' : 'ok',
        flags: spike ? ['spike'] : [],
        median: spike ? String(median(docs.filter((d) => d.roomId === roomId))) : null,
        note: null,
        enteredBy: 'seed',
        enteredAt: now,
      });
    });
  });
  store.insert('meter_readings', docs);
}

function median(docs: Record<string, unknown>[]): number {
  const xs = docs.map((d) => Number(d.usage)).sort((a, b) => a - b);
  const mid = Math.floor(xs.length / 2);
  return xs.length % 2 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
}
