/**
 * A payment exceptions desk (支付异常) of a generated community: `count` exceptions over the bench
 * rooms, two notifications (a short-paid one with its order, a paid notification for an order we
 * do not know) to every failed refund (with its payment), three in five already resolved, and
 * their times in groups of three that share a minute (so the list's merge meets ties within and
 * across its two sources). Refunds that went through normally are in the same collection and
 * must never show. Used by the bench (`payment.exceptions` among the staff lists) and the paging
 * tests. The rooms themselves are not inserted: the caller's community has them.
 */
import type { Store } from '../cloud/store';
import { roomLabel } from '../../miniprogram/domain/community/vocabulary';
import { COMMUNITY, benchRoom } from './rooms';

export const EXCEPTIONS_FROM = Date.parse('2026-06-01T09:00:00+08:00');

export interface SeededDesk {
  /** exceptionId → its time (ms), per tab as `payment.exceptions` names them. */
  open: Map<string, number>;
  resolved: Map<string, number>;
}

/** Inserts the desk's records (`count` exceptions over the first `rooms` bench rooms). */
export function seedExceptions(store: Store, rooms: number, count: number): SeededDesk {
  const out: SeededDesk = { open: new Map(), resolved: new Map() };
  const exceptions: Record<string, unknown>[] = [];
  const orders: Record<string, unknown>[] = [];
  const payments: Record<string, unknown>[] = [];
  const refunds: Record<string, unknown>[] = [];
  const resolvedAt = new Date(EXCEPTIONS_FROM + (count + 10) * 60_000);
  for (let k = 0; k < count; k++) {
    const at = new Date(EXCEPTIONS_FROM + Math.floor(k / 3) * 60_000);
    const resolved = k % 5 < 3;
    const room = benchRoom((k * 37) % rooms);
    const no = String(k).padStart(6, '0');
    if (k % 3 === 2) {
      const payment = `pay_x${no}`;
      payments.push({
        _id: payment,
        communityId: COMMUNITY,
        receiptNo: `SJ2026-9${no}`,
        channel: 'wechat',
        amountFen: 20_000,
        paidAt: at,
        allocations: [
          {
            billId: `b_${room._id}`,
            roomId: room._id,
            roomLabel: roomLabel(room),
            period: '2026-05',
            amountFen: 20_000,
          },
        ],
      });
      const refund = `rfx${no}`;
      refunds.push({
        _id: refund,
        communityId: COMMUNITY,
        paymentId: payment,
        receiptNo: `SJ2026-9${no}`,
        channel: 'wechat',
        amountFen: 5_000,
        reason: '重复缴费',
        status: resolved ? 'closed' : 'failed',
        requestedBy: 'o_bench_finance',
        requestedAt: at,
        failure: '商户余额不足',
        ...(resolved
          ? {
              desk: {
                action: 'close',
                reason: '已线下退回',
                by: 'o_bench_finance',
                at: resolvedAt,
              },
            }
          : {}),
      });
      // A refund that went through by itself: not the desk's.
      refunds.push({
        _id: `rfy${no}`,
        communityId: COMMUNITY,
        paymentId: payment,
        receiptNo: `SJ2026-9${no}`,
        channel: 'wechat',
        amountFen: 1_000,
        reason: '多收退回',
        status: 'done',
        requestedBy: 'o_bench_finance',
        requestedAt: at,
      });
      (resolved ? out.resolved : out.open).set(`refund:${refund}`, at.getTime());
      continue;
    }
    const known = k % 3 === 0;
    const outTradeNo = `PFX${no}${'0'.repeat(23)}`;
    const transactionId = `42000000${no}${'0'.repeat(14)}`;
    if (known)
      orders.push({
        _id: outTradeNo,
        communityId: COMMUNITY,
        openid: `o_payer_${no}`,
        baseKey: `bk_${no}`,
        attempt: 1,
        billIds: [`b_${room._id}`],
        roomIds: [room._id],
        amountFen: 50_000,
        subMchId: '1900000109',
        status: 'exception',
        createdAt: at,
        expireAt: new Date(at.getTime() + 30 * 60_000),
      });
    const id = `${outTradeNo}:${transactionId}`;
    exceptions.push({
      _id: id,
      communityId: COMMUNITY,
      kind: known ? 'short-paid' : 'unknown-order',
      outTradeNo,
      transactionId,
      notifiedFen: 40_000,
      ...(known ? { orderFen: 50_000 } : {}),
      subMchId: '1900000109',
      timeEnd: '20260601090000',
      reason: known ? '金额不符：通知 40000 分，订单 50000 分' : '系统中没有该订单',
      status: resolved ? 'resolved' : 'open',
      at,
      ...(resolved
        ? {
            resolution: {
              action: 'close',
              reason: '已与业主核实',
              by: 'o_bench_finance',
              at: resolvedAt,
            },
          }
        : {}),
    });
    (resolved ? out.resolved : out.open).set(id, at.getTime());
  }
  store.insert('pay_orders', orders);
  store.insert('payments', payments);
  store.insert('refunds', refunds);
  store.insert('pay_exceptions', exceptions);
  return out;
}
