/**
 * What the money-race tests share: payers bound to rooms with open bills, the open bills of a
 * room as stored, an owner's WeChat order, the cashier's exact payment for a room's bills, the
 * pay sheet, and the contract's late-fee rule switched on for the demo's property fee.
 */
import type { LocalCloud } from '../../tools/cloud/server';
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import { postJson } from '../helpers/process';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type { CreatedOrder, RecordedPayment } from '../../miniprogram/domain/payment/contract';

export const C = DEMO_COMMUNITY_ID;

/** Rooms the demo's own users are bound to (their bills are kept out of the races). */
const DEMO_ROOMS = new Set(['r_1_1_1501', 'r_2_1_302', 'r_1_2_201', 'r_3_2_801']);

export interface Payer {
  openid: string;
  roomId: string;
}

export interface StoredBill {
  _id: string;
  roomId: string;
  period: string;
  amountDueFen: number;
  lateFeeFen: number;
  paidFen: number;
  status: string;
  payHold?: { outTradeNo: string } | null;
}

export function bills(cloud: LocalCloud, query: Record<string, unknown>): StoredBill[] {
  return cloud.store.find('bills', query) as unknown as StoredBill[];
}

/** The room's bills that still owe something. */
export function owing(cloud: LocalCloud, roomId: string): StoredBill[] {
  return bills(cloud, { roomId, status: { $in: ['unpaid', 'partial'] } }).filter(
    (b) => b.amountDueFen + b.lateFeeFen - b.paidFen > 0,
  );
}

/**
 * The room's bills that owe something as the front desk shows them today (`payment.roomBills`:
 * late fees derived as of today, not as last stored), and what they owe together: what a cashier
 * who takes "exactly what is owed" collects.
 */
export async function owingToday(
  cloud: LocalCloud,
  roomId: string,
): Promise<{ billIds: string[]; outstandingFen: number }> {
  const res = (await cloud.call(
    'payment',
    { action: 'roomBills', roomId },
    DEMO_USERS.cashier,
  )) as Reply<{ unpaid: { billId: string; outstandingFen: number }[] }>;
  if (!res.ok) throw new Error(`roomBills ${roomId}: ${res.message}`);
  return {
    billIds: res.data.unpaid.map((b) => b.billId),
    outstandingFen: res.data.unpaid.reduce((s, b) => s + b.outstandingFen, 0),
  };
}

export const outstanding = (list: readonly StoredBill[]) =>
  list.reduce((s, b) => s + b.amountDueFen + b.lateFeeFen - b.paidFen, 0);

/** `n` new owners, each the verified owner of a different room with open bills (none taken before). */
export function bindPayers(cloud: LocalCloud, n: number, prefix: string): Payer[] {
  const taken = new Set(
    cloud.store.find('room_bindings', { method: 'test' }).map((b) => String(b.roomId)),
  );
  const rooms = [
    ...new Set(
      bills(cloud, { communityId: C, status: 'unpaid' })
        .filter((b) => !b.payHold)
        .map((b) => b.roomId)
        .filter((r) => !DEMO_ROOMS.has(r) && !taken.has(r)),
    ),
  ]
    .sort()
    .slice(0, n);
  if (rooms.length < n) throw new Error(`only ${rooms.length} rooms with open bills`);
  const payers = rooms.map((roomId, i) => ({ openid: `${prefix}_${i}`, roomId }));
  cloud.store.insert(
    'room_bindings',
    payers.map((p) => ({
      _id: `${p.roomId}:${p.openid}`,
      roomId: p.roomId,
      openid: p.openid,
      communityId: C,
      relation: 'owner',
      name: `业主${p.roomId.slice(-4)}`,
      status: 'verified',
      method: 'test',
    })),
  );
  return payers;
}

let keys = 0;

/** The cashier takes exactly what the chosen bills owe (nothing may go to prepaid). */
export function cash(
  cloud: LocalCloud,
  roomId: string,
  billIds: string[],
  amountFen: number,
): Promise<Reply<RecordedPayment>> {
  return cloud.call(
    'payment',
    {
      action: 'recordOffline',
      roomId,
      channel: 'cash',
      amountFen,
      billIds,
      idempotencyKey: `race_${process.pid}_${++keys}`,
    },
    DEMO_USERS.cashier,
  ) as Promise<Reply<RecordedPayment>>;
}

/** The owner starts a WeChat Pay order for the given bills. */
export function order(
  cloud: LocalCloud,
  openid: string,
  billIds: string[],
): Promise<Reply<CreatedOrder>> {
  return cloud.call('payment', { action: 'createOrder', billIds }, openid) as Promise<
    Reply<CreatedOrder>
  >;
}

/** The owner completes the pay sheet (notifications due are delivered before it answers). */
export async function paySheet(cloud: LocalCloud, o: CreatedOrder, openid: string): Promise<void> {
  await postJson(`${cloud.url}/gateway/pay`, {
    package: o.payment.package,
    openid,
    result: 'success',
  });
}

/** The contract's late fee on the property fee: 0.3% a day after 5 grace days, at most 5%. */
export function enableLateFees(cloud: LocalCloud): void {
  cloud.store.update(
    'fee_standards',
    { _id: `fs_${C}_property` },
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
