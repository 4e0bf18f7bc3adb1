/**
 * A small community (临江小区, two buildings, four rooms) whose bills and payments are written
 * by hand so every report figure can be computed by hand (tests/functions/report.test.ts).
 * Dates are around 2026-11-20 (Asia/Shanghai), the clock the tests set.
 */
import type { LocalCloud } from '../../tools/cloud/server';
import type { TicketDoc } from '../../cloudfunctions/complaint/src/repo/tickets';
import type { CaseDoc } from '../../cloudfunctions/_shared/overdue-records';
import type { HoldDoc } from '../../cloudfunctions/_shared/holds';
import { ensureSchema } from '../helpers/cloud';

export const RC = 'c_river';
export const RC_FINANCE = 'o_river_finance';
export const RC_ADMIN = 'o_river_admin';
export const RC_CASHIER = 'o_river_cashier';
export const RC_SERVICE = 'o_river_service';
export const RC_TODAY = '2026-11-20';

const at = (date: string, time = '10:00:00') => new Date(`${date}T${time}+08:00`);

interface FixtureBill {
  id: string;
  roomId: string;
  period: string;
  key?: string;
  due: number;
  paid: number;
  dueDate: string;
}

const BILLS: FixtureBill[] = [
  {
    id: 'A1-2610',
    roomId: 'rA1',
    period: '2026-10',
    due: 30000,
    paid: 30000,
    dueDate: '2026-10-15',
  },
  {
    id: 'A1-2610e',
    roomId: 'rA1',
    period: '2026-10',
    key: 'energy',
    due: 1000,
    paid: 0,
    dueDate: '2026-10-15',
  },
  { id: 'A1-2611', roomId: 'rA1', period: '2026-11', due: 2000, paid: 0, dueDate: '2026-11-15' },
  { id: 'A2-2510', roomId: 'rA2', period: '2025-10', due: 5000, paid: 0, dueDate: '2025-10-15' },
  {
    id: 'A2-2607',
    roomId: 'rA2',
    period: '2026-07',
    due: 20000,
    paid: 20000,
    dueDate: '2026-07-15',
  },
  {
    id: 'A2-2610',
    roomId: 'rA2',
    period: '2026-10',
    due: 20000,
    paid: 5000,
    dueDate: '2026-10-15',
  },
  {
    id: 'B1-2607',
    roomId: 'rB1',
    period: '2026-07',
    due: 40000,
    paid: 40000,
    dueDate: '2026-07-15',
  },
  {
    id: 'B1-2610',
    roomId: 'rB1',
    period: '2026-10',
    due: 40000,
    paid: 40000,
    dueDate: '2026-10-15',
  },
  {
    id: 'B2-2604',
    roomId: 'rB2',
    period: '2026-04',
    due: 10000,
    paid: 0,
    dueDate: '2026-04-15',
  },
  {
    id: 'B2-2607',
    roomId: 'rB2',
    period: '2026-07',
    due: 10000,
    paid: 4000,
    dueDate: '2026-07-15',
  },
  { id: 'B2-2610', roomId: 'rB2', period: '2026-10', due: 10000, paid: 0, dueDate: '2026-10-15' },
];

const ROOMS = [
  { _id: 'rA1', building: '1', unit: '1', number: '101' },
  { _id: 'rA2', building: '1', unit: '1', number: '102' },
  { _id: 'rB1', building: '2', unit: '1', number: '101' },
  { _id: 'rB2', building: '2', unit: '1', number: '102' },
];

const label = (roomId: string) => {
  const r = ROOMS.find((x) => x._id === roomId)!;
  return `${r.building}栋${r.unit}单元${r.number}`;
};

function alloc(billId: string, amountFen: number) {
  const b = BILLS.find((x) => x.id === billId)!;
  return {
    billId: `b_${billId}`,
    roomId: b.roomId,
    roomLabel: label(b.roomId),
    period: b.period,
    title: '物业服务费',
    amountFen,
  };
}

interface FixturePayment {
  id: string;
  channel: string;
  fen: number;
  at: Date;
  allocations: ReturnType<typeof alloc>[];
  /** the payment a refund reversal takes back */
  reverses?: string;
}
const payment = (
  id: string,
  channel: string,
  fen: number,
  date: string,
  ...allocations: ReturnType<typeof alloc>[]
): FixturePayment => ({ id, channel, fen, at: at(date), allocations });
/** Payments (and one refund reversal) consistent with the bills' paid amounts. */
const PAYMENTS: FixturePayment[] = [
  payment('P1', 'wechat', 31000, '2026-10-10', alloc('A1-2610', 30000), alloc('A1-2610e', 1000)),
  {
    ...payment('P1R', 'wechat', -1000, '2026-10-25', alloc('A1-2610e', -1000)),
    reverses: 'pay_P1',
  },
  payment('P2', 'cash', 5000, '2026-10-12', alloc('A2-2610', 5000)),
  payment('P3', 'transfer', 40000, '2026-10-05', alloc('B1-2610', 40000)),
  payment('P4', 'cash', 20000, '2026-10-20', alloc('A2-2607', 20000)),
  payment('P5', 'wechat', 4000, '2026-11-02', alloc('B2-2607', 4000)),
  payment('P6', 'transfer', 40000, '2026-07-10', alloc('B1-2607', 40000)),
];

export function seedRiver(cloud: LocalCloud): void {
  const store = cloud.store;
  ensureSchema(store);
  store.insert('communities', [{ _id: RC, name: '临江小区', payment: { subMchId: '1900000555' } }]);
  store.insert(
    'staff_roles',
    [
      [RC_FINANCE, ['finance']],
      [RC_ADMIN, ['admin']],
      [RC_CASHIER, ['cashier']],
      [RC_SERVICE, ['service']],
    ].map(([openid, roles]) => ({
      _id: `${RC}:${openid as string}`,
      communityId: RC,
      openid,
      roles,
      name: String(openid),
    })),
  );
  store.insert(
    'rooms',
    ROOMS.map((r) => ({ ...r, communityId: RC, buildingAreaCentiM2: 9000 })),
  );
  store.insert(
    'bills',
    BILLS.map((b) => ({
      _id: `b_${b.id}`,
      communityId: RC,
      roomId: b.roomId,
      period: b.period,
      key: b.key ?? 'property',
      title: '物业服务费',
      items: [],
      amountDueFen: b.due,
      lateFeeFen: 0,
      paidFen: b.paid,
      dueDate: b.dueDate,
      status: b.paid === 0 ? 'unpaid' : b.paid >= b.due ? 'paid' : 'partial',
    })),
  );
  store.insert(
    'payments',
    PAYMENTS.map((p, i) => ({
      _id: `pay_${p.id}`,
      communityId: RC,
      roomIds: [...new Set(p.allocations.map((a) => a.roomId))],
      channel: p.channel,
      amountFen: p.fen,
      allocations: p.allocations,
      prepaidFen: 0,
      receiptNo: `${p.fen < 0 ? 'HZ' : 'SJ'}2026-${String(i + 1).padStart(6, '0')}`,
      paidAt: p.at,
      recordedBy: 'fixture',
      ...(p.reverses ? { reverses: p.reverses } : {}),
    })),
  );
}

/**
 * Overdue accounts exactly as the overdue timer stores them (`collection_cases`, CaseDoc):
 * 2栋102 reached the formal notice in the episode of its open bills; 1栋101 had a friendly
 * reminder for its open energy bill; 1栋102's account is from an earlier episode whose only bill
 * (2026-07) has since been paid, so its stage no longer counts (the overdue page says 尚未提醒).
 */
export function seedRiverCases(cloud: LocalCloud): void {
  const stageAt = (day: string) => ({ at: at(day, '09:00:00'), day });
  const cases: CaseDoc[] = [
    {
      _id: 'case_rB2',
      communityId: RC,
      roomId: 'rB2',
      roomLabel: label('rB2'),
      stage: 'formal-notice',
      stageAt: at('2026-06-14', '09:00:00'),
      stagesDone: [
        { stage: 'friendly-reminder', ...stageAt('2026-04-22') },
        { stage: 'second-reminder', ...stageAt('2026-05-15') },
        { stage: 'formal-notice', ...stageAt('2026-06-14') },
      ],
      billIds: ['b_B2-2604', 'b_B2-2607', 'b_B2-2610'],
      oldestDueDate: '2026-04-15',
      updatedAt: at('2026-10-22', '09:00:00'),
    },
    {
      _id: 'case_rA1',
      communityId: RC,
      roomId: 'rA1',
      roomLabel: label('rA1'),
      stage: 'friendly-reminder',
      stageAt: at('2026-10-22', '09:00:00'),
      stagesDone: [{ stage: 'friendly-reminder', ...stageAt('2026-10-22') }],
      billIds: ['b_A1-2610e'],
      oldestDueDate: '2026-10-15',
      updatedAt: at('2026-10-22', '09:00:00'),
    },
    {
      _id: 'case_rA2',
      communityId: RC,
      roomId: 'rA2',
      roomLabel: label('rA2'),
      stage: 'second-reminder',
      stageAt: at('2026-08-14', '09:00:00'),
      stagesDone: [
        { stage: 'friendly-reminder', ...stageAt('2026-07-22') },
        { stage: 'second-reminder', ...stageAt('2026-08-14') },
      ],
      billIds: ['b_A2-2607'],
      oldestDueDate: '2026-07-15',
      updatedAt: at('2026-10-20', '09:00:00'),
    },
  ];
  cloud.store.insert('collection_cases', cases as unknown as Record<string, unknown>[]);
}

function ticket(
  id: string,
  roomId: string,
  kind: TicketDoc['kind'],
  category: TicketDoc['category'],
  created: Date,
  billIds: string[],
): TicketDoc {
  const resolved = roomId === 'rB1';
  return {
    _id: id,
    ticketNo: `TS${created.toISOString().slice(0, 10).replace(/-/g, '')}-001`,
    communityId: RC,
    roomId,
    roomLabel: label(roomId),
    openid: `o_owner_${roomId}`,
    ownerName: '业主',
    kind,
    category,
    description: '电梯经常停运，请尽快维修',
    photos: [],
    billIds,
    bills: billIds.map((billId) => ({ billId, title: '物业服务费' })),
    status: resolved ? 'closed' : 'registered',
    handler: null,
    handlerName: '',
    createdAt: created,
    updatedAt: created,
    clockStartAt: created,
    firstResponseDueAt: new Date(created.getTime() + 86_400_000),
    resolutionDueAt: new Date(created.getTime() + 3 * 86_400_000),
    firstResponseAt: resolved ? created : null,
    firstResponseMinutes: resolved ? 0 : null,
    resolvedAt: resolved ? created : null,
    resolutionMinutes: resolved ? 0 : null,
    closedAt: resolved ? created : null,
    reopenCount: 0,
    breachKeys: [],
    nearKeys: [],
    holdRefId: billIds.length && !resolved ? id : null,
    events: [
      {
        id: `${id}-e1`,
        at: created,
        kind: 'created',
        by: 'owner',
        byOpenid: `o_owner_${roomId}`,
        byName: '业主',
        text: '提交了工单',
        status: 'registered',
        photos: [],
        internal: false,
      },
    ],
    rating: null,
    returnVisit: null,
  };
}

/**
 * Complaint tickets exactly as the complaint function stores them (`complaints`, TicketDoc), and
 * the hold its fee complaint placed (`bill_holds`, HoldDoc): two complaints in the default
 * window (2栋102 about its 2026-10 bill, still open; 2栋101, closed), a suggestion (not a
 * complaint) and a complaint filed in June, outside the window.
 */
export function seedRiverComplaints(cloud: LocalCloud): void {
  const tickets: TicketDoc[] = [
    ticket('cp1', 'rB2', 'complaint', 'fee-dispute', at('2026-11-05'), ['b_B2-2610']),
    ticket('cp2', 'rB1', 'complaint', 'repair', at('2026-11-06'), []),
    ticket('cp3', 'rA1', 'suggestion', 'service', at('2026-11-07'), []),
    ticket('cp4', 'rA2', 'complaint', 'service', at('2026-06-01'), []),
  ];
  cloud.store.insert('complaints', tickets as unknown as Record<string, unknown>[]);
  const hold: HoldDoc = {
    _id: 'hold_cp1',
    communityId: RC,
    roomId: 'rB2',
    billIds: ['b_B2-2610'],
    reason: 'complaint',
    refId: 'cp1',
    from: '2026-11-05',
    to: null,
    active: true,
    note: '投诉工单 TS20261105-001：费用疑问',
    createdBy: 'o_owner_rB2',
    createdAt: at('2026-11-05'),
  };
  cloud.store.insert('bill_holds', [hold as unknown as Record<string, unknown>]);
}
