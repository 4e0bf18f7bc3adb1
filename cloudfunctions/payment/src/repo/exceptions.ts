/**
 * The exceptions desk's records: `pay_exceptions` (short-/over-paid and merchant-mismatched
 * notifications, unknown orders) and refunds WeChat Pay refused, as one list; and the claim that
 * makes one resolution happen once (two people cannot refund and apply the same money).
 */
import type { DB } from 'wx-server-sdk';
import type { Database } from '../../../_shared/db';
import type { PayExceptionDoc, PayOrderDoc, PaymentDoc } from '../../../_shared/ledger';
import type { MergeSource } from '../../../_shared/merged-page';
import { fetchByIds, type WithDb } from '../../../_shared/paging';
import { roomsByIds } from '../../../_shared/records';
import { AppError, type ActionContext } from '../../../_shared/router';
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import {
  actionsFor,
  type ExceptionAction,
  type PayExceptionView,
} from '../../../../miniprogram/domain/payment/exceptions.contract';
import { refundView, type RefundDoc } from './refunds';

/** A failed refund as an exception (its desk resolution is kept on the refund). */
export type DeskRefund = RefundDoc & {
  desk?: { action: ExceptionAction; reason: string; by: string; at: Date };
  roomLabels?: string[];
};

export const REFUND_PREFIX = 'refund:';

function age(at: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - new Date(at).getTime()) / 60_000));
}

export function exceptionView(doc: PayExceptionDoc, rooms: string[], now: Date): PayExceptionView {
  const r = doc.resolution;
  return {
    exceptionId: doc._id,
    kind: doc.kind,
    status: doc.status === 'resolved' ? 'resolved' : 'open',
    amountFen: doc.notifiedFen,
    ...(doc.orderFen !== undefined ? { orderFen: doc.orderFen } : {}),
    outTradeNo: doc.outTradeNo,
    roomLabels: rooms,
    reason: doc.reason,
    at: new Date(doc.at).toISOString(),
    ageMinutes: age(doc.at, r?.at ?? now),
    actions: doc.status === 'resolved' ? [] : actionsFor(doc.kind),
    ...(doc.lastFailure ? { lastFailure: doc.lastFailure } : {}),
    ...(r
      ? {
          resolution: {
            action: r.action as ExceptionAction,
            reason: r.reason,
            by: r.by,
            at: new Date(r.at).toISOString(),
            ...(r.receiptNo ? { receiptNo: r.receiptNo } : {}),
          },
        }
      : {}),
  };
}

export function refundExceptionView(doc: DeskRefund, now: Date): PayExceptionView {
  const v = refundView(doc);
  const d = doc.desk;
  return {
    exceptionId: `${REFUND_PREFIX}${doc._id}`,
    kind: 'refund-failed',
    status: d ? 'resolved' : 'open',
    amountFen: doc.amountFen,
    receiptNo: v.receiptNo,
    roomLabels: doc.roomLabels ?? [],
    reason: `退款 ${v.reason}：${v.failure || '微信支付退款失败'}`,
    at: new Date(doc.requestedAt).toISOString(),
    ageMinutes: age(doc.requestedAt, d?.at ?? now),
    actions: d ? [] : actionsFor('refund-failed'),
    ...(v.failure ? { lastFailure: v.failure } : {}),
    ...(d
      ? {
          resolution: {
            action: d.action,
            reason: d.reason,
            by: d.by,
            at: new Date(d.at).toISOString(),
          },
        }
      : {}),
  };
}

/**
 * The desk's two sources for a tab, in the time order each is listed by: notifications
 * (`pay_exceptions`, by `at`) and refunds (by `requestedAt`) — open: failed refunds; resolved:
 * those the desk resolved (`desk`). Indexed in collections.ts.
 */
/** The sources' keys in the list's cursor. */
export const NOTIFICATIONS = 'p';
export const REFUNDS = 'r';

export function deskSources(
  ctx: WithDb,
  communityId: string,
  tab: 'open' | 'resolved',
): MergeSource[] {
  const _ = ctx.db.command;
  const open = tab === 'open';
  return [
    {
      key: NOTIFICATIONS,
      collection: 'pay_exceptions',
      where: { communityId, status: open ? _.in(['open', 'resolving']) : 'resolved' },
      timeField: 'at',
    },
    {
      key: REFUNDS,
      collection: 'refunds',
      where: open
        ? { communityId, status: 'failed' }
        : { communityId, 'desk.action': _.exists(true) },
      timeField: 'requestedAt',
    },
  ];
}

/** Open exceptions of the community (工作台's badge, the 待处理 tab's count): two counts. */
export async function openExceptionCount(ctx: WithDb, communityId: string): Promise<number> {
  const counts = await Promise.all(
    deskSources(ctx, communityId, 'open').map((s) =>
      ctx.db
        .collection(s.collection)
        .where(s.where as DB.QueryCondition)
        .count(),
    ),
  );
  return counts.reduce((sum, c) => sum + c.total, 0);
}

/** The rooms of each exception's order (an unknown order has none): two reads for a page. */
export async function roomsOfExceptions(
  ctx: ActionContext,
  docs: readonly PayExceptionDoc[],
): Promise<Map<string, string[]>> {
  const orders = await fetchByIds<Pick<PayOrderDoc, '_id' | 'roomIds'>>(
    ctx,
    'pay_orders',
    docs.map((d) => d.outTradeNo),
    {},
    { _id: true, roomIds: true },
  );
  const rooms = await roomsByIds(
    ctx,
    orders.flatMap((o) => o.roomIds),
  );
  const out = new Map<string, string[]>();
  for (const o of orders)
    out.set(
      o._id,
      o.roomIds.flatMap((id) => {
        const room = rooms.get(id);
        return room ? [roomLabel(room)] : [];
      }),
    );
  return out;
}

/** The rooms of each refund (by refund id), from its payment's allocations: one read a page. */
export async function roomsOfRefunds(
  ctx: ActionContext,
  refunds: readonly DeskRefund[],
): Promise<Map<string, string[]>> {
  const payments = new Map(
    (
      await fetchByIds<Pick<PaymentDoc, '_id' | 'allocations'>>(
        ctx,
        'payments',
        refunds.map((r) => r.paymentId),
        {},
        { _id: true, allocations: true },
      )
    ).map((p) => [p._id, p]),
  );
  return new Map(
    refunds.map((r) => [
      r._id,
      [...new Set((payments.get(r.paymentId)?.allocations ?? []).map((a) => a.roomLabel))],
    ]),
  );
}

/**
 * Claims an open exception for one resolution. A resolution already under way with the same
 * action (a retry after a failure half-way) may go on; anything else is CONFLICT.
 */
export async function claimException(
  db: Database,
  doc: PayExceptionDoc,
  action: ExceptionAction,
  by: string,
  now: Date,
): Promise<void> {
  const res = await db
    .collection('pay_exceptions')
    .where({ _id: doc._id, status: 'open' })
    .update({ data: { status: 'resolving', resolving: { action, by, at: now } } });
  if (Number(res.stats.updated) === 1) return;
  const fresh = (await db.collection('pay_exceptions').doc(doc._id).get()).data as PayExceptionDoc;
  if (fresh.status === 'resolving' && fresh.resolving?.action === action) return;
  throw new AppError('CONFLICT', '该异常刚刚已由他人处理，请刷新后查看');
}

/** Gives an exception back to the desk after a resolution that did not go through. */
export async function reopenException(db: Database, id: string, failure: string): Promise<void> {
  const _ = db.command;
  await db
    .collection('pay_exceptions')
    .where({ _id: id, status: 'resolving' })
    .update({ data: { status: 'open', resolving: _.remove(), lastFailure: failure } });
}
