/**
 * A day's WeChat Pay reconciliation run as stored: fetching (or reading) the statement, the
 * ledger's side of the day, and the items that differ.
 */
import { getInCommunity } from '../../../_shared/records';
import crypto from 'node:crypto';
import cloud from 'wx-server-sdk';
import {
  RECON_ITEM_LABELS,
  StatementError,
  billDateOf,
  parseWechatStatement,
  type ParsedStatement,
  type ReconItem,
  type SystemWxOrder,
  type SystemWxPayment,
  type SystemWxRefund,
} from '../../../../miniprogram/domain/reconcile/statement';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import type {
  ReconItemResolution,
  ReconItemView,
  WechatRunView,
} from '../../../../miniprogram/domain/reconcile/contract';
import { fetchAll } from '../../../_shared/db';
import {
  reconDayId,
  type DepositEntryDoc,
  type PaymentDoc,
  type PayOrderDoc,
} from '../../../_shared/ledger';
import { requireRole, type StaffCaller } from '../../../_shared/roles';
import { AppError, type ActionContext } from '../../../_shared/router';
import { dayRange } from './common';
import { fetchIn } from '../../../_shared/paging';

export interface RunDoc {
  _id: string;
  communityId: string;
  date: string;
  source: 'download' | 'upload';
  empty: boolean;
  statement: WechatRunView['statement'];
  system: WechatRunView['system'];
  matchedCount: number;
  matchedFen: number;
  refundMatchedCount: number;
  refundMatchedFen: number;
  items: (ReconItem & { resolution?: ReconItemResolution })[];
  runAt: Date;
  runBy: string;
}

export function runId(communityId: string, date: string): string {
  return `wx_${communityId}_${date}`;
}

export function nonce(seed: string): string {
  return crypto.createHash('sha256').update(seed).digest('hex').slice(0, 32);
}

export async function dayStatus(
  ctx: ActionContext,
  communityId: string,
  date: string,
): Promise<'open' | 'closed'> {
  const res = await ctx.db
    .collection('recon_days')
    .where({ _id: reconDayId(communityId, date) })
    .limit(1)
    .get();
  return (res.data[0] as { status?: string } | undefined)?.status === 'closed' ? 'closed' : 'open';
}

export function runView(run: RunDoc, dayState: 'open' | 'closed'): WechatRunView {
  const items: ReconItemView[] = run.items.map((i) => ({ ...i, label: RECON_ITEM_LABELS[i.kind] }));
  return {
    runId: run._id,
    date: run.date,
    source: run.source,
    empty: run.empty,
    statement: run.statement,
    system: run.system,
    matchedCount: run.matchedCount,
    matchedFen: run.matchedFen,
    refundMatchedCount: run.refundMatchedCount,
    refundMatchedFen: run.refundMatchedFen,
    items,
    openItems: items.filter((i) => !i.resolution).length,
    runAt: new Date(run.runAt).toISOString(),
    runBy: run.runBy,
    dayStatus: dayState,
  };
}

export async function loadRun(
  ctx: ActionContext,
  communityId: string,
  date: string,
): Promise<RunDoc | null> {
  const res = await ctx.db
    .collection('recon_runs')
    .where({ _id: runId(communityId, date) })
    .limit(1)
    .get();
  return (res.data[0] as RunDoc | undefined) ?? null;
}

export const EMPTY: ParsedStatement = {
  rows: [],
  summary: { count: 0, tradeFen: 0, refundFen: 0, feeFen: 0 },
};

/** The statement text from WeChat Pay, or EMPTY when there was no trade that day. */
export async function fetchStatement(
  ctx: ActionContext,
  subMchId: string,
  date: string,
): Promise<ParsedStatement> {
  const res = await cloud.cloudPay.downloadBill({
    subMchId,
    billDate: billDateOf(date),
    billType: 'ALL',
    nonceStr: nonce(`${subMchId}${date}${ctx.now().getTime()}`),
  });
  // The SDK hands a statement back as `{ data: text }` (no return code); a failure comes back
  // as WeChat's fields (returnCode FAIL, returnMsg).
  if (res.returnCode === 'FAIL' || typeof res.data !== 'string') {
    const msg = String(res.returnMsg ?? res.errCodeDes ?? '');
    if (/No Bill Exist/i.test(msg)) {
      // WeChat Pay generates yesterday's statement around 10:00; before that it says "no bill".
      const ready = dayRange(date).start.getTime() + 34 * 3600_000;
      if (ctx.now().getTime() < ready) {
        throw new AppError(
          'PRECONDITION_FAILED',
          '微信支付对账单在次日 10:00 后生成，请稍后再对账',
        );
      }
      return EMPTY;
    }
    throw new AppError(
      'PRECONDITION_FAILED',
      `暂时无法下载微信支付对账单（${msg || '未知原因'}），可稍后重试或上传对账单文件`,
    );
  }
  try {
    return parseWechatStatement(res.data);
  } catch (e) {
    if (e instanceof StatementError)
      throw new AppError('PRECONDITION_FAILED', `微信支付对账单无法解析：${e.message}`);
    throw e;
  }
}

export interface RefundDoc {
  _id: string;
  communityId: string;
  paymentId: string;
  channel: string;
  amountFen: number;
  status: string;
  reversalId?: string;
}

/** The ledger's side of the day and of every row on the statement. */
export async function systemSide(
  ctx: ActionContext,
  communityId: string,
  date: string,
  statement: ParsedStatement,
): Promise<{ payments: SystemWxPayment[]; orders: SystemWxOrder[]; refunds: SystemWxRefund[] }> {
  const _ = ctx.db.command;
  const { start, end } = dayRange(date);
  const dayDocs = await fetchAll<PaymentDoc>(
    ctx.db
      .collection('payments')
      .where({ communityId, channel: 'wechat', paidAt: _.gte(start).and(_.lt(end)) }),
  );
  const trades = statement.rows.filter((r) => r.tradeState !== 'REFUND').map((r) => r.outTradeNo);
  const named = await fetchIn<PaymentDoc>(ctx, 'payments', 'outTradeNo', trades, { communityId });
  const byId = new Map<string, PaymentDoc>();
  for (const p of [...dayDocs, ...named]) byId.set(p._id, p);
  const payments: SystemWxPayment[] = [...byId.values()]
    .filter((p) => p.amountFen > 0 && !p.reverses && p.outTradeNo)
    .map((p) => ({
      paymentId: p._id,
      outTradeNo: p.outTradeNo!,
      ...(p.transactionId ? { transactionId: p.transactionId } : {}),
      amountFen: p.amountFen,
      paidDate: shanghaiDate(new Date(p.paidAt)),
    }));
  const paidTrades = new Set(payments.map((p) => p.outTradeNo));
  const orderDocs = await fetchIn<PayOrderDoc>(
    ctx,
    'pay_orders',
    '_id',
    trades.filter((t) => !paidTrades.has(t)),
  );
  const orders: SystemWxOrder[] = orderDocs
    .filter((o) => o.communityId === communityId)
    .map((o) => ({
      outTradeNo: o._id,
      amountFen: o.amountFen,
      status: o.status,
      subMchId: o.subMchId,
    }));
  // Refunds: those on the statement, and WeChat reversals written on the day.
  const reversalsToday = dayDocs.filter((p) => p.reverses && p._id.startsWith('rv_'));
  const refundIds = [
    ...statement.rows.filter((r) => r.tradeState === 'REFUND').map((r) => r.outRefundNo),
    ...reversalsToday.map((p) => p._id.slice(3)),
  ];
  const refundDocs = await fetchIn<RefundDoc>(ctx, 'refunds', '_id', refundIds);
  const reversals = await fetchIn<PaymentDoc>(
    ctx,
    'payments',
    '_id',
    refundDocs.filter((r) => r.reversalId).map((r) => r.reversalId!),
  );
  const reversalDate = new Map(reversals.map((p) => [p._id, shanghaiDate(new Date(p.paidAt))]));
  const refunds: SystemWxRefund[] = refundDocs
    .filter((r) => r.communityId === communityId && r.channel === 'wechat')
    .map((r) => ({
      refundId: r._id,
      paymentId: r.paymentId,
      amountFen: r.amountFen,
      status: r.status,
      ...(r.reversalId && reversalDate.has(r.reversalId)
        ? { reversalDate: reversalDate.get(r.reversalId)! }
        : {}),
    }));
  const deposits = await depositSide(ctx, communityId, date, statement);
  return {
    payments: [...payments, ...deposits.payments],
    orders,
    refunds: [...refunds, ...deposits.refunds],
  };
}

/**
 * Deposits (docs/charges.md) move WeChat money too: collected by deposit orders (`DP…`) and
 * refunded with the deposit's own refund number (`dr_…`). They are matched like payments and
 * refunds (the money is on the merchant's statement), though they are never fee income.
 */
async function depositSide(
  ctx: ActionContext,
  communityId: string,
  date: string,
  statement: ParsedStatement,
): Promise<{ payments: SystemWxPayment[]; refunds: SystemWxRefund[] }> {
  const _ = ctx.db.command;
  const { start, end } = dayRange(date);
  const onDay = await fetchAll<DepositEntryDoc>(
    ctx.db
      .collection('deposit_entries')
      .where({ communityId, channel: 'wechat', at: _.gte(start).and(_.lt(end)) }),
  );
  const trades = statement.rows.filter((r) => r.tradeState !== 'REFUND').map((r) => r.outTradeNo);
  const refundNos = statement.rows
    .filter((r) => r.tradeState === 'REFUND')
    .map((r) => r.outRefundNo);
  const named = [
    ...(await fetchIn<DepositEntryDoc>(ctx, 'deposit_entries', 'outTradeNo', trades, {
      communityId,
    })),
    ...(await fetchIn<DepositEntryDoc>(ctx, 'deposit_entries', 'outRefundNo', refundNos, {
      communityId,
    })),
  ];
  const entries = new Map([...onDay, ...named].map((e) => [e._id, e]));
  const payments: SystemWxPayment[] = [];
  const refunds: SystemWxRefund[] = [];
  for (const e of entries.values()) {
    const day = shanghaiDate(new Date(e.at));
    if (e.kind === 'collect' && e.outTradeNo)
      payments.push({
        paymentId: e._id,
        outTradeNo: e.outTradeNo,
        ...(e.transactionId ? { transactionId: e.transactionId } : {}),
        amountFen: e.amountFen,
        paidDate: day,
      });
    if (e.kind === 'release' && e.outRefundNo && (e.refundFen ?? 0) > 0)
      refunds.push({
        refundId: e.outRefundNo,
        paymentId: `dc_${e.depositId}`,
        amountFen: e.refundFen!,
        status: 'done',
        reversalDate: day,
      });
  }
  return { payments, refunds };
}

export async function saveRun(ctx: ActionContext, run: RunDoc): Promise<void> {
  const { _id, ...rest } = run;
  await ctx.db.collection('recon_runs').doc(_id).set({ data: rest });
}

export function checkDate(ctx: ActionContext, date: string): void {
  if (date >= shanghaiDate(ctx.now()))
    throw new AppError('INVALID_INPUT', 'date: 只能核对今天以前的日期（当日交易尚未结束）');
}

export async function openItem(
  ctx: ActionContext,
  input: { communityId: string; date: string; itemKey: string },
): Promise<{ caller: StaffCaller; run: RunDoc; item: RunDoc['items'][number] }> {
  const caller = await requireRole(ctx, input.communityId, ['finance']);
  const run = await loadRun(ctx, input.communityId, input.date);
  if (!run) throw new AppError('NOT_FOUND', 'date: 该日尚未对账，请先对账');
  const item = run.items.find((i) => i.key === input.itemKey);
  if (!item) throw new AppError('NOT_FOUND', 'itemKey: 未找到该差异项，请刷新后重试');
  if (item.resolution) throw new AppError('CONFLICT', '该差异项已处理过，请刷新后查看');
  return { caller, run, item };
}

export async function resolve(
  ctx: ActionContext,
  run: RunDoc,
  key: string,
  resolution: ReconItemResolution,
  applied?: PaymentDoc,
): Promise<WechatRunView> {
  run.items = run.items.map((i) => (i.key === key ? { ...i, resolution } : i));
  // A payment applied for the day now counts on the system side, so both sides agree on screen.
  if (applied && shanghaiDate(new Date(applied.paidAt)) === run.date) {
    run.system = {
      ...run.system,
      paymentCount: run.system.paymentCount + 1,
      paymentFen: run.system.paymentFen + applied.amountFen,
    };
  }
  await saveRun(ctx, run);
  return runView(run, await dayStatus(ctx, run.communityId, run.date));
}

/** Asks WeChat Pay about an order: it must be paid, and we take its amount and time. */
export async function paidAtWechat(order: PayOrderDoc) {
  const q = await cloud.cloudPay.queryOrder({
    outTradeNo: order._id,
    subMchId: order.subMchId,
    nonceStr: nonce(`${order._id}recon`),
  });
  if (q.tradeState !== 'SUCCESS' && q.tradeState !== 'REFUND') {
    throw new AppError(
      'CONFLICT',
      `微信支付查询该订单状态为 ${String(q.tradeState ?? q.errCodeDes ?? '未知')}，未入账；请核实对账单`,
    );
  }
  return {
    transactionId: String(q.transactionId),
    totalFee: Number(q.totalFee),
    timeEnd: String(q.timeEnd),
  };
}

export function orderOf(ctx: ActionContext, communityId: string, outTradeNo: string) {
  return getInCommunity<PayOrderDoc>(
    ctx,
    'pay_orders',
    communityId,
    outTradeNo,
    'itemKey: 系统中没有该订单',
  );
}
