/**
 * A small community (临江小区, two buildings, four rooms) whose bills and payments are written
 * by hand so every report figure can be computed by hand (tests/functions/report.test.ts).
 * Dates are around 2026-11-20 (Asia/Shanghai), the clock the tests set.
 */
import type { LocalCloud } from '../../tools/cloud/server';
import { ensureSchema } from '../helpers/cloud';

export const RC = 'c_river';
export const RC_FINANCE = 'o_river_finance';
export const RC_ADMIN = 'o_river_admin';
export const RC_CASHIER = 'o_river_cashier';
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
  stage?: string;
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
    stage: 'formal-notice',
  },
  {
    id: 'B2-2607',
    roomId: 'rB2',
    period: '2026-07',
    due: 10000,
    paid: 4000,
    dueDate: '2026-07-15',
    stage: 'second-reminder',
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

/** Payments (and one refund reversal) consistent with the bills' paid amounts. */
const PAYMENTS = [
  {
    id: 'P1',
    channel: 'wechat',
    fen: 31000,
    at: at('2026-10-10'),
    allocations: [alloc('A1-2610', 30000), alloc('A1-2610e', 1000)],
  },
  {
    id: 'P1R',
    channel: 'wechat',
    fen: -1000,
    at: at('2026-10-25'),
    allocations: [alloc('A1-2610e', -1000)],
    reverses: 'pay_P1',
  },
  {
    id: 'P2',
    channel: 'cash',
    fen: 5000,
    at: at('2026-10-12'),
    allocations: [alloc('A2-2610', 5000)],
  },
  {
    id: 'P3',
    channel: 'transfer',
    fen: 40000,
    at: at('2026-10-05'),
    allocations: [alloc('B1-2610', 40000)],
  },
  {
    id: 'P4',
    channel: 'cash',
    fen: 20000,
    at: at('2026-10-20'),
    allocations: [alloc('A2-2607', 20000)],
  },
  {
    id: 'P5',
    channel: 'wechat',
    fen: 4000,
    at: at('2026-11-02'),
    allocations: [alloc('B2-2607', 4000)],
  },
  {
    id: 'P6',
    channel: 'transfer',
    fen: 40000,
    at: at('2026-07-10'),
    allocations: [alloc('B1-2607', 40000)],
  },
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
      ...(b.stage ? { escalationStage: b.stage } : {}),
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

/** The optional sources other parts of the product write (visits/calls, complaints, holds). */
export function seedRiverContacts(cloud: LocalCloud): void {
  const store = cloud.store;
  for (const c of ['contact_logs', 'complaints'])
    if (!store.hasCollection(c)) store.createCollection(c);
  store.insert('contact_logs', [
    { _id: 'cl1', communityId: RC, roomId: 'rB2', at: at('2026-11-01'), reason: '经济困难' },
    { _id: 'cl2', communityId: RC, roomId: 'rB2', at: at('2026-11-10'), reason: '对服务不满意' },
    { _id: 'cl3', communityId: RC, roomId: 'rA2', at: at('2026-11-12'), reason: '经济困难' },
    // Outside the default 90-day window.
    { _id: 'cl4', communityId: RC, roomId: 'rA2', at: at('2026-05-01'), reason: '长期出差' },
  ]);
  store.insert('complaints', [
    { _id: 'cp1', communityId: RC, roomId: 'rB2', createdAt: at('2026-11-05'), status: 'open' },
    { _id: 'cp2', communityId: RC, roomId: 'rB1', createdAt: at('2026-11-06'), status: 'closed' },
  ]);
  store.insert('bill_holds', [
    {
      _id: 'h1',
      communityId: RC,
      roomId: 'rB2',
      billIds: [],
      reason: 'complaint',
      refId: 'cp1',
      from: '2026-11-05',
      to: null,
      active: true,
      note: '',
      createdBy: 'fixture',
      createdAt: at('2026-11-05'),
    },
  ]);
}
