/**
 * The demo community that `npm start` seeds: the local equivalent of running setup (every
 * collection and index from `cloudfunctions/_shared/collections.ts`) plus realistic, fake data.
 * Deterministic (a fixed PRNG seed), with dates relative to the dev clock's "today".
 */
import { COLLECTIONS } from '../../cloudfunctions/_shared/collections';
import { LOCAL_ENV_ID, type Seeder } from '../cloud/server';
import { seedPaymentHistory, seedShortPaidCallback } from './payments';
import type { Store } from '../cloud/store';
import { addDays, formatPeriod, shanghaiDate } from '../../miniprogram/domain/kernel/time';
import { seedCommunityRecords } from './community';
import { seedFeeStandards } from './fees';
import { lastDay } from '../../miniprogram/domain/fee';
import { seedComplaintPhotos, seedComplaints } from './complaints';
import { seedDisclosure } from './disclosure';
import { seedOverdue } from './overdue';
import { DESK_ROOMS, moveInRoomExtras, seedDesk, unbilledRooms } from './desk';

export const DEMO_COMMUNITY_ID = 'c_cuihu';

/** Demo users the preview's switcher offers. Openids are fixed so links and tests can name them. */
export const DEMO_USERS = {
  owner: 'o_demo_owner',
  paid: 'o_demo_paid',
  elder: 'o_demo_elder',
  admin: 'o_demo_admin',
  cashier: 'o_demo_cashier',
  service: 'o_demo_service',
  finance: 'o_demo_finance',
  /** Moved in days ago: the room is bound, no bill yet (tools/seed/desk.ts). */
  movein: 'o_demo_movein',
} as const;

/** Creates every declared collection and index (idempotent). */
export function ensureSchema(store: Store): void {
  for (const decl of COLLECTIONS) {
    if (!store.hasCollection(decl.name)) store.createCollection(decl.name);
    for (const idx of decl.indexes) store.createIndex(decl.name, idx);
  }
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '胡',
  '朱',
  '高',
  '林',
  '何',
  '郭',
  '马',
  '罗',
];

/**
 * Property fee for a room over `months`: 建筑面积 × 2.35 元/m²/月 × months, rounded once,
 * half-up to the fen. Area is in 0.01 m², so area × 235 fen is in 0.01 fen.
 */
function propertyFeeFen(areaCentiM2: number, months: number): number {
  return Math.floor((areaCentiM2 * 235 * months + 50) / 100);
}

function period(date: string, monthsBack: number): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const idx = y * 12 + (m - 1) - monthsBack;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
}

export const seedDemo: Seeder = async (kind, { store, clock, url }) => {
  ensureSchema(store);
  if (kind === 'empty') {
    seedCommunityRecords.bootstrap(store, new Date(clock.now()));
    return;
  }
  const rand = prng(20261126);
  const now = new Date(clock.now());
  const today = shanghaiDate(now);

  store.insert('communities', [
    {
      _id: DEMO_COMMUNITY_ID,
      name: '翠湖花园',
      address: '杭州市西湖区翠湖路 88 号',
      servicePhone: '0571-8888 6666',
      serviceHours: '每日 8:30–18:00',
      frontDesk: '3 栋一楼物业服务中心',
      paymentMethods: ['wechat', 'cash', 'card', 'transfer'],
      // The sandbox's sub-merchant; a real deployment sets its own in the admin settings.
      payment: { subMchId: '1900000109' },
      createdAt: now,
    },
  ]);

  store.insert(
    'staff_roles',
    [
      [DEMO_USERS.admin, ['admin'], '赵经理'],
      [DEMO_USERS.cashier, ['cashier'], '陈收费员'],
      [DEMO_USERS.service, ['service'], '周客服'],
      [DEMO_USERS.finance, ['finance'], '孙会计'],
    ].map(([openid, roles, name]) => ({
      _id: `${DEMO_COMMUNITY_ID}:${openid as string}`,
      communityId: DEMO_COMMUNITY_ID,
      openid,
      roles,
      name,
      grantedBy: 'seed',
      grantedAt: now,
    })),
  );
  seedCommunityRecords.buildings(store, now);

  // 4 buildings × 2 units × 18 floors × 2 rooms = 288 rooms.
  const rooms: Record<string, unknown>[] = [];
  const layouts = [8947, 11253, 13688, 9120]; // 建筑面积 in 0.01 m²
  for (let b = 1; b <= 4; b++) {
    for (let u = 1; u <= 2; u++) {
      for (let f = 1; f <= 18; f++) {
        for (let r = 1; r <= 2; r++) {
          const number = `${f}${String(r).padStart(2, '0')}`;
          const area = layouts[(b + r) % layouts.length]!;
          rooms.push({
            _id: `r_${b}_${u}_${number}`,
            communityId: DEMO_COMMUNITY_ID,
            building: String(b),
            unit: String(u),
            number,
            floor: f,
            buildingAreaCentiM2: area,
            innerAreaCentiM2: Math.round(area * 0.78),
            useType: 'residential',
            occupancy: rand() < 0.08 ? 'vacant' : 'occupied',
            ...seedCommunityRecords.roomExtras(String(b), String(u), number, today, now),
            ...(`r_${b}_${u}_${number}` === DESK_ROOMS.movein ? moveInRoomExtras(today) : {}),
          });
        }
      }
    }
  }
  store.insert('rooms', rooms);

  const owners: Record<string, unknown>[] = [];
  for (const room of rooms) {
    const surname = SURNAMES[Math.floor(rand() * SURNAMES.length)]!;
    owners.push({
      _id: `p_${String(room._id).slice(2)}`,
      communityId: DEMO_COMMUNITY_ID,
      name: `${surname}${rand() < 0.5 ? '先生' : '女士'}`,
      mobile: `13${Math.floor(rand() * 10)}${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`,
      specialCare: rand() < 0.04,
      roomId: room._id,
    });
  }
  // People on record and their relations to rooms (owners, co-owners, family, tenants).
  seedCommunityRecords.people(store, rooms, owners, today, now);

  const bind = (openid: string, roomId: string, relation = 'owner') => ({
    _id: `${roomId}:${openid}`,
    roomId,
    openid,
    communityId: DEMO_COMMUNITY_ID,
    relation,
    status: 'verified',
    verifiedAt: now,
    requestedAt: now,
    decidedAt: now,
    decidedBy: 'seed',
    method: 'seed',
    ownerId: seedCommunityRecords.ownerOfRoom(roomId),
    name: seedCommunityRecords.nameOfRoomOwner(roomId),
  });
  store.insert('room_bindings', [
    bind(DEMO_USERS.owner, 'r_1_1_1501'),
    bind(DEMO_USERS.owner, 'r_2_1_302'),
    bind(DEMO_USERS.paid, 'r_3_2_801'),
    bind(DEMO_USERS.elder, 'r_1_2_201'),
    bind(DEMO_USERS.movein, DESK_ROOMS.movein),
  ]);

  // Quarterly property-fee bills for the last four quarters; most paid, some in arrears.
  const arrears = new Set(['r_1_1_1501', 'r_2_1_302', 'r_1_2_201']);
  const bills: Record<string, unknown>[] = [];
  const unbilled = unbilledRooms();
  for (const room of rooms) {
    if (unbilled.has(room._id as string)) continue;
    const area = room.buildingAreaCentiM2 as number;
    for (let q = 3; q >= 0; q--) {
      const start = period(today, q * 3 + 2);
      const due = addDays(`${start}-01`, 14);
      const amount = propertyFeeFen(area, 3);
      const isOpen =
        (arrears.has(room._id as string) && q <= 1) ||
        (q === 0 && rand() < 0.25 && room._id !== 'r_3_2_801');
      const areaText = `${Math.floor(area / 100)}.${String(area % 100).padStart(2, '0')}`;
      bills.push({
        _id: `b_${room._id as string}_${start}_property`,
        communityId: DEMO_COMMUNITY_ID,
        roomId: room._id,
        period: start,
        key: 'property',
        title: '物业服务费（季度）',
        items: [
          {
            itemId: 'property',
            name: '物业服务费',
            basis: `建筑面积 ${areaText} m² × 2.3500 元/m²/月 × 3 个月`,
            amountFen: amount,
            kind: 'charge',
            from: `${start}-01`,
            to: lastDay(period(today, q * 3)),
          },
        ],
        amountDueFen: amount,
        lateFeeFen: 0,
        paidFen: isOpen ? 0 : amount,
        dueDate: due,
        status: isOpen ? 'unpaid' : 'paid',
        issuedAt: now,
      });
    }
  }
  store.insert('bills', bills);
  const payers = new Map([
    ['r_1_1_1501', DEMO_USERS.owner],
    ['r_2_1_302', DEMO_USERS.owner],
    ['r_3_2_801', DEMO_USERS.paid],
    ['r_1_2_201', DEMO_USERS.elder],
  ]);
  const wechat = {
    subMchId: '1900000109',
    body: '翠湖花园-物业费',
    envId: LOCAL_ENV_ID,
    payerOf: (roomId: string) => payers.get(roomId),
  };
  seedPaymentHistory(store, bills, rooms, rand, wechat);
  // A short-paid callback waiting on finance's 支付异常 desk (docs/payments.md).
  seedShortPaidCallback(store, bills, wechat, now, new Set(payers.keys()));
  // Fee standards behind those bills, and what the next billing run needs (docs/billing.md).
  seedFeeStandards(store, today, now);
  // Complaints in every state, call logs and the progress template (docs/complaints.md).
  seedComplaints(store, now);
  await seedComplaintPhotos(store, url);
  // A published quarter's 收支公示 and a price change in its notice period (docs/disclosure.md).
  await seedDisclosure(store, url, today, DEMO_USERS);

  store.insert('notices', [
    {
      _id: 'n_welcome',
      communityId: DEMO_COMMUNITY_ID,
      title: `${formatPeriod(period(today, 0))}物业费缴费通知`,
      summary: '本期物业服务费已出账，可在小程序内微信支付，或到 3 栋一楼物业服务中心缴纳。',
      publishedAt: now,
      status: 'published',
    },
    {
      _id: 'n_water',
      communityId: DEMO_COMMUNITY_ID,
      title: '二次供水水箱清洗通知',
      summary: '本周六 9:00–12:00 清洗 1–2 栋水箱，期间可能短时停水，敬请谅解。',
      publishedAt: new Date(now.getTime() - 3 * 86400_000),
      status: 'published',
    },
  ]);
  // A room moved in days ago (no bill yet), a room sold, handed over next quarter's end.
  seedDesk(store, {
    communityId: DEMO_COMMUNITY_ID,
    today,
    handOverMonth: period(today, -3),
    now,
    admin: DEMO_USERS.admin,
    adminName: '赵经理',
  });
  // Overdue follow-up as the timer and service desk would have left it (docs/overdue.md).
  seedOverdue(store, {
    bills,
    rooms,
    bindings: store.find('room_bindings', { status: 'verified' }) as unknown as {
      roomId: string;
      openid: string;
    }[],
    today,
    now,
    service: DEMO_USERS.service,
    serviceName: '周客服',
    admin: DEMO_USERS.admin,
    adminName: '赵经理',
  });
};
