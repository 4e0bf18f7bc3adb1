/**
 * 房屋账户 (`roomLedger`): one room's account for the front desk — its bills with what each still
 * owes, payments and receipts, prepaid balance, WeChat Pay orders waiting, installment plans,
 * holds, the people on record, collection contacts and complaints, newest first. Read-only: the
 * money itself is only ever written by the ledger (`_shared/ledger/`).
 */
import { billsAsOf } from '../../../_shared/ledger/as-of';
import {
  billAmounts,
  coverOf,
  isPastDue,
  outstandingFen,
  type BillDoc,
} from '../../../../miniprogram/domain/fee/bill';
import {
  CHANNEL_LABELS,
  type PaymentChannel,
} from '../../../../miniprogram/domain/payment/channels';
import { daysBetween } from '../../../../miniprogram/domain/kernel/time';
import type { RoomLedger } from '../../../../miniprogram/domain/community/contract';
import type {
  LedgerBill,
  LedgerPayment,
  OccupancyEnd,
} from '../../../../miniprogram/domain/community/account.contract';
import { fetchAll } from '../../../_shared/db';
import { holdsForRooms, isHeld } from '../../../_shared/holds';
import { prepaidBalance, type PaymentDoc, type PayOrderDoc } from '../../../_shared/ledger';
import type { EventDoc, PlanDoc } from '../../../_shared/overdue-records';
import { fetchIn } from '../../../_shared/paging';
import { receiptParties } from '../../../_shared/receipt-parties';
import { getCommunity, iso, today, type RoomDoc } from '../../../_shared/records';
import { requireRole } from '../../../_shared/roles';
import type { ActionContext, Handlers } from '../../../_shared/router';
import type { communityContracts } from '../../../../miniprogram/domain/community/contract';
import { roomDetail } from './rooms';

/** The roles that look a room up at the desk. */
export const LEDGER_ROLES = ['cashier', 'finance', 'service'] as const;

const MAX_BILLS = 60;
const MAX_PAYMENTS = 60;
const MAX_NOTES = 20;

/** A room as stored, with the occupancy end this action family writes. */
export type AccountRoomDoc = RoomDoc & {
  billableTo?: string | null;
  occupancyEnd?: (Omit<OccupancyEnd, 'at'> & { at: Date; by: string }) | null;
};

interface ComplaintDoc {
  _id: string;
  ticketNo: string;
  kind: string;
  category: string;
  status: string;
  description: string;
  createdAt: Date;
}

function ledgerBill(b: BillDoc, day: string, grace: number, held: boolean): LedgerBill {
  const money = billAmounts(b);
  const late = money.outstandingFen > 0 && isPastDue(b.dueDate, day, grace);
  return {
    billId: b._id,
    period: b.period,
    ...coverOf(b),
    title: b.title,
    dueDate: b.dueDate,
    status: b.status,
    ...money,
    overdueDays: late ? daysBetween(b.dueDate, day) : 0,
    held,
  };
}

/** The room's payments, newest first, with who took them and whether they were reversed. */
async function paymentsOf(
  ctx: ActionContext,
  communityId: string,
  roomId: string,
): Promise<LedgerPayment[]> {
  const payments = (
    await ctx.db
      .collection('payments')
      .where({ communityId, roomIds: roomId })
      .orderBy('paidAt', 'desc')
      .limit(MAX_PAYMENTS)
      .get()
  ).data as PaymentDoc[];
  const parties = await receiptParties(ctx, communityId, payments);
  const reversed = new Set(payments.filter((p) => p.reverses).map((p) => p.reverses!));
  const red = await fetchIn<{ reverses: string }>(
    ctx,
    'payments',
    'reverses',
    payments.map((p) => p._id),
    {},
    { reverses: true },
  );
  for (const r of red) reversed.add(r.reverses);
  return payments.map((p) => ({
    paymentId: p._id,
    receiptNo: p.receiptNo,
    amountFen: p.amountFen,
    channel: p.channel,
    channelLabel: CHANNEL_LABELS[p.channel as PaymentChannel] ?? p.channel,
    paidAt: new Date(p.paidAt).toISOString(),
    cashier: parties.get(p._id)?.cashier ?? '',
    prepaidFen: p.prepaidFen,
    reversal: Boolean(p.reverses),
    reversed: reversed.has(p._id),
  }));
}

/** The whole account of a room that belongs to the community (NOT_FOUND otherwise). */
export async function roomLedgerOf(
  ctx: ActionContext,
  communityId: string,
  roomId: string,
): Promise<RoomLedger> {
  const room = (await roomDetail(ctx, communityId, roomId)) as RoomLedger['room'];
  const stored = (await ctx.db.collection('rooms').doc(roomId).get()).data as AccountRoomDoc;
  const community = (await getCommunity(ctx, communityId)) as { overdueGraceDays?: number };
  const grace = community.overdueGraceDays ?? 0;
  const day = today(ctx);
  const now = ctx.now();
  const [bills, payments, prepaidFen, holdsByRoom] = await Promise.all([
    // As of today: late fees derived as the owner is charged them.
    fetchAll<BillDoc>(
      ctx.db.collection('bills').where({ communityId, roomId, status: ctx.db.command.neq('void') }),
    ).then((list) => billsAsOf(ctx.db, list, day)),
    paymentsOf(ctx, communityId, roomId),
    prepaidBalance(ctx.db, communityId, roomId),
    holdsForRooms(ctx.db, communityId, [roomId]),
  ]);
  const holds = holdsByRoom.get(roomId) ?? [];
  /** The room's newest records of a collection (`match` says how a record names the room). */
  const newest = async <T>(
    collection: string,
    by: string,
    limit: number,
    match: Record<string, unknown> = { roomId },
  ) =>
    (
      await ctx.db
        .collection(collection)
        .where({ communityId, ...match })
        .orderBy(by, 'desc')
        .limit(limit)
        .get()
    ).data as T[];
  const [orders, plans, events, complaints] = await Promise.all([
    // an order names every room it pays for
    newest<PayOrderDoc>('pay_orders', 'createdAt', 20, { roomIds: roomId, status: 'pending' }),
    newest<PlanDoc>('installment_plans', 'createdAt', 10),
    newest<EventDoc>('collection_events', 'at', MAX_NOTES),
    newest<ComplaintDoc>('complaints', 'createdAt', MAX_NOTES),
  ]);

  const shown = bills
    .map((b) => ledgerBill(b, day, grace, isHeld(holds, b._id, day)))
    .sort((a, b) => b.period.localeCompare(a.period) || b.dueDate.localeCompare(a.dueDate))
    .slice(0, MAX_BILLS);
  const open = bills.filter((b) => outstandingFen(b) > 0);
  const overdue = open.filter((b) => isPastDue(b.dueDate, day, grace));
  const end = stored.occupancyEnd;
  return {
    room,
    occupancyEnd: end
      ? {
          date: end.date,
          reason: end.reason,
          note: end.note,
          byName: end.byName,
          at: iso(end.at)!,
          billedThrough: end.billedThrough ?? null,
        }
      : null,
    asOf: day,
    outstandingFen: open.reduce((s, b) => s + outstandingFen(b), 0),
    overdueFen: overdue.reduce((s, b) => s + outstandingFen(b), 0),
    overdueCount: overdue.length,
    prepaidFen,
    bills: shown,
    payments,
    openOrders: orders
      .filter((o) => new Date(o.expireAt).getTime() > now.getTime())
      .map((o) => ({
        outTradeNo: o._id,
        amountFen: o.amountFen,
        billIds: o.billIds,
        createdAt: new Date(o.createdAt).toISOString(),
        expireAt: new Date(o.expireAt).toISOString(),
      })),
    plans: plans.map((p) => ({
      planId: p._id,
      status: p.status,
      arrearsFen: p.arrearsFen,
      installments: p.installments.map((i) => ({ dueDate: i.dueDate, amountFen: i.amountFen })),
      createdAt: new Date(p.createdAt).toISOString(),
    })),
    holds: holds
      .filter((h) => h.active && h.from <= day && (h.to === null || h.to >= day))
      .map((h) => ({ reason: h.reason, from: h.from, to: h.to, note: h.note })),
    contacts: events.map((e) => ({
      at: new Date(e.at).toISOString(),
      kind: e.kind,
      title: e.title,
      detail: [e.detail, e.notes, e.ownerResponse].filter(Boolean).join('；'),
      byName: e.byName,
    })),
    complaints: complaints.map((t) => ({
      ticketId: t._id,
      ticketNo: t.ticketNo,
      kind: t.kind,
      category: t.category,
      status: t.status,
      description: t.description,
      createdAt: new Date(t.createdAt).toISOString(),
    })),
  };
}

export const roomLedger: Handlers<typeof communityContracts>['roomLedger'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, LEDGER_ROLES);
  return roomLedgerOf(ctx, input.communityId, input.roomId);
};
