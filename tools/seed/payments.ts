/**
 * Payment history for the demo: every bill the seed marks paid gets a real payment with its
 * allocation and a gap-free receipt number, exactly as the ledger would have written it, so
 * `npm run ledger:check` holds on the demo data and owners see receipts from day one.
 */
import { type PaymentChannel } from '../../miniprogram/domain/payment/channels';
import { receiptNo } from '../../miniprogram/domain/payment/receipt';
import { maskName } from '../../miniprogram/domain/community/mask';
import { seedCommunityRecords } from './community';
import { addDays, shanghaiDate } from '../../miniprogram/domain/kernel/time';
import { PAY_ORDERS, type PayOrder } from '../cloud/pay';
import type { Store } from '../cloud/store';

interface SeedBill {
  _id: string;
  communityId: string;
  roomId: string;
  period: string;
  title: string;
  amountDueFen: number;
  paidFen: number;
  dueDate: string;
}

interface SeedRoom {
  _id: string;
  building: string;
  unit: string;
  number: string;
}

/**
 * How seeded WeChat payments were paid: the sub-merchant, the order body, the env, and who paid
 * for a room (its bound owner, when one is seeded).
 */
export interface SeedWechat {
  subMchId: string;
  body: string;
  envId: string;
  payerOf: (roomId: string) => string | undefined;
}

export function seedPaymentHistory(
  store: Store,
  bills: readonly Record<string, unknown>[],
  rooms: readonly Record<string, unknown>[],
  rand: () => number,
  wechat?: SeedWechat,
): void {
  const labels = new Map(
    (rooms as unknown as SeedRoom[]).map((r) => [r._id, `${r.building}栋${r.unit}单元${r.number}`]),
  );
  const paid = (bills as unknown as SeedBill[])
    .filter((b) => b.paidFen > 0)
    .map((b) => {
      // Paid some days before the due date, during office hours (UTC+8).
      const day = addDays(b.dueDate, -Math.floor(rand() * 12));
      const minutes = 9 * 60 + Math.floor(rand() * 8 * 60);
      const paidAt = new Date(
        `${day}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00+08:00`,
      );
      const r = rand();
      const channel: PaymentChannel =
        r < 0.62 ? 'wechat' : r < 0.82 ? 'cash' : r < 0.92 ? 'transfer' : 'card';
      return { bill: b, paidAt, channel };
    })
    .sort(
      (a, b) => a.paidAt.getTime() - b.paidAt.getTime() || a.bill._id.localeCompare(b.bill._id),
    );
  const next = new Map<string, number>();
  const payments = paid.map(({ bill, paidAt, channel }, i) => {
    const year = Number(shanghaiDate(paidAt).slice(0, 4));
    const sequence = `${bill.communityId}:${year}`;
    const seq = next.get(sequence) ?? 1;
    next.set(sequence, seq + 1);
    const reference =
      channel === 'transfer'
        ? `TR${shanghaiDate(paidAt).replace(/-/g, '')}${String(i).padStart(5, '0')}`
        : channel === 'card'
          ? `POS${String(100000 + i)}`
          : undefined;
    return {
      _id: `seed_${bill._id}`,
      communityId: bill.communityId,
      roomIds: [bill.roomId],
      channel,
      amountFen: bill.paidFen,
      allocations: [
        {
          billId: bill._id,
          roomId: bill.roomId,
          roomLabel: labels.get(bill.roomId) ?? '',
          period: bill.period,
          title: bill.title,
          amountFen: bill.paidFen,
        },
      ],
      prepaidFen: 0,
      receiptNo: receiptNo(year, seq),
      paidAt,
      // money taken at the desk was recorded by the demo cashier (receipts name 陈收费员)
      recordedBy: channel === 'wechat' ? 'wechat' : 'o_demo_cashier',
      ...(reference ? { reference } : {}),
      ...(channel === 'wechat'
        ? {
            outTradeNo: `SEED${String(i).padStart(8, '0')}`,
            transactionId: `4200000000${String(i).padStart(18, '0')}`,
          }
        : {}),
    };
  });
  store.insert('payments', payments);
  if (wechat) seedWechatOrders(store, payments, wechat);
  store.insert(
    'payment_refs',
    payments
      .filter((p) => p.reference)
      .map((p) => ({ _id: `${p.communityId}:${p.channel}:${p.reference!}`, paymentId: p._id })),
  );
}

/**
 * The orders behind seeded WeChat payments, as if they had been paid through the app: the app's
 * `pay_orders` record (status paid, the payment and receipt it produced) and the pay sandbox's own
 * order (SUCCESS, same outTradeNo, transaction id, amount, sub-merchant and pay time). With both,
 * refunding a seeded WeChat payment goes through `cloudPay.refund` like any other, and
 * `downloadBill` lists seeded days.
 */
function seedWechatOrders(
  store: Store,
  payments: readonly {
    _id: string;
    communityId: string;
    roomIds: string[];
    channel: PaymentChannel;
    amountFen: number;
    allocations: { billId: string }[];
    receiptNo: string;
    paidAt: Date;
    outTradeNo?: string;
    transactionId?: string;
  }[],
  w: SeedWechat,
): void {
  const wechat = payments.filter((p) => p.channel === 'wechat' && p.outTradeNo);
  const openidOf = (p: (typeof wechat)[number]) =>
    w.payerOf(p.roomIds[0]!) ?? `o_seed_payer_${p.roomIds[0]!}`;
  store.insert(
    'pay_orders',
    wechat.map((p) => {
      const created = p.paidAt.getTime() - 2 * 60_000;
      return {
        _id: p.outTradeNo!,
        communityId: p.communityId,
        openid: openidOf(p),
        baseKey: `seed:${p._id}`,
        attempt: 0,
        billIds: p.allocations.map((a) => a.billId),
        roomIds: p.roomIds,
        amountFen: p.amountFen,
        subMchId: w.subMchId,
        status: 'paid',
        createdAt: new Date(created),
        expireAt: new Date(created + 30 * 60_000),
        paymentId: p._id,
        receiptNo: p.receiptNo,
      };
    }),
  );
  store.insert(
    PAY_ORDERS,
    wechat.map((p) => {
      const paidAt = p.paidAt.getTime();
      const created = paidAt - 2 * 60_000;
      const order: PayOrder = {
        _id: p.outTradeNo!,
        outTradeNo: p.outTradeNo!,
        body: w.body,
        totalFee: p.amountFen,
        subMchId: w.subMchId,
        envId: w.envId,
        functionName: 'payNotify',
        attach: p.communityId,
        spbillCreateIp: '127.0.0.1',
        openid: openidOf(p),
        prepayId: `wx_seed_${p.outTradeNo!}`,
        tradeState: 'SUCCESS',
        createdAt: created,
        expireAt: created + 30 * 60_000,
        transactionId: p.transactionId!,
        paidAt,
        refundedFee: 0,
      };
      return order as unknown as Record<string, unknown>;
    }),
  );
}

/**
 * One short-paid WeChat Pay callback for finance's 支付异常 desk, as the callback leaves it: an
 * owner's order for a room's open bill that WeChat Pay says collected ¥100 less than
 * asked (the order in `exception`, its claim on the bill kept until finance decides), the pay
 * sandbox's paid order with that amount (so a refund goes back through cloudPay.refund), and
 * the open `pay_exceptions` record from the day before.
 */
export function seedShortPaidCallback(
  store: Store,
  bills: readonly Record<string, unknown>[],
  w: SeedWechat,
  now: Date,
  skipRooms: ReadonlySet<string>,
): void {
  const bill = (bills as unknown as SeedBill[])
    .filter((b) => b.paidFen === 0 && !skipRooms.has(b.roomId))
    // The last room in order (tests that want "a room that owes" take the first ones).
    .sort((a, b) => b.roomId.localeCompare(a.roomId) || a.dueDate.localeCompare(b.dueDate))[0];
  if (!bill) return;
  const outTradeNo = 'PFSEEDSHORTPAID0000000000000001';
  const transactionId = '4200000000000000000000000001';
  const created = now.getTime() - 26 * 3600_000;
  const paidAt = created + 90_000;
  const collected = bill.amountDueFen - 10_000;
  const openid = w.payerOf(bill.roomId) ?? `o_seed_payer_${bill.roomId}`;
  store.insert('pay_orders', [
    {
      _id: outTradeNo,
      communityId: bill.communityId,
      openid,
      baseKey: `seed:short:${bill._id}`,
      attempt: 0,
      billIds: [bill._id],
      roomIds: [bill.roomId],
      amountFen: bill.amountDueFen,
      subMchId: w.subMchId,
      status: 'exception',
      createdAt: new Date(created),
      expireAt: new Date(created + 30 * 60_000),
    },
  ]);
  store.update(
    'bills',
    { _id: bill._id },
    {
      $set: {
        payHold: {
          outTradeNo,
          payer: `业主 ${maskName(String(store.find('owners', { _id: seedCommunityRecords.ownerOfRoom(bill.roomId) })[0]?.name ?? '')) || '（微信用户）'}`,
          at: new Date(created),
          expireAt: new Date(created + 30 * 60_000),
        },
      },
    },
    { multi: false, replace: false, upsert: false },
  );
  const order: PayOrder = {
    _id: outTradeNo,
    outTradeNo,
    body: w.body,
    totalFee: collected,
    subMchId: w.subMchId,
    envId: w.envId,
    functionName: 'payNotify',
    attach: bill.communityId,
    spbillCreateIp: '127.0.0.1',
    openid,
    prepayId: `wx_seed_${outTradeNo}`,
    tradeState: 'SUCCESS',
    createdAt: created,
    expireAt: created + 30 * 60_000,
    transactionId,
    paidAt,
    refundedFee: 0,
  };
  store.insert(PAY_ORDERS, [order as unknown as Record<string, unknown>]);
  const timeEnd = new Date(paidAt + 8 * 3600_000).toISOString().slice(0, 19).replace(/[-:T]/g, '');
  store.insert('pay_exceptions', [
    {
      _id: `${outTradeNo}:${transactionId}`,
      communityId: bill.communityId,
      kind: 'short-paid',
      outTradeNo,
      transactionId,
      notifiedFen: collected,
      orderFen: bill.amountDueFen,
      subMchId: w.subMchId,
      timeEnd,
      reason: `金额不符：通知 ${collected} 分，订单 ${bill.amountDueFen} 分`,
      status: 'open',
      at: new Date(paidAt + 5_000),
    },
  ]);
}
