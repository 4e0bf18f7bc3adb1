/**
 * WeChat Pay daily reconciliation: fetch (or read) the statement, match it with the ledger, and
 * resolve what differs — a lost callback is applied through the same idempotent path the
 * callback uses (`applyWechatPayment`), after asking WeChat Pay (`queryOrder`) that it was paid.
 */
import crypto from 'node:crypto';
import cloud from 'wx-server-sdk';
import {
  RECON_ITEM_LABELS,
  StatementError,
  billDateOf,
  parseWechatStatement,
  reconcileWechat,
  type ParsedStatement,
  type ReconItem,
  type SystemWxOrder,
  type SystemWxPayment,
  type SystemWxRefund,
} from '../../../miniprogram/domain/reconcile/statement';
import { shanghaiDate } from '../../../miniprogram/domain/kernel/time';
import type {
  ReconItemResolution,
  ReconItemView,
  WechatRunView,
} from '../../../miniprogram/domain/reconcile/contract';
import { audit } from '../../_shared/audit';
import { fetchAll, isMissing } from '../../_shared/db';
import {
  applyPayment,
  applyWechatPayment,
  parseTimeEnd,
  reconDayId,
  type PaymentDoc,
  type PayOrderDoc,
} from '../../_shared/ledger';
import { requireRole, type StaffCaller } from '../../_shared/roles';
import { AppError, type ActionContext } from '../../_shared/router';
import { community, dayRange, download, fetchIn } from './common';
import { decodeText } from '../../_shared/table-file';

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

function nonce(seed: string): string {
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

async function loadRun(
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

const EMPTY: ParsedStatement = {
  rows: [],
  summary: { count: 0, tradeFen: 0, refundFen: 0, feeFen: 0 },
};

/** The statement text from WeChat Pay, or EMPTY when there was no trade that day. */
async function fetchStatement(
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

interface RefundDoc {
  _id: string;
  communityId: string;
  paymentId: string;
  channel: string;
  amountFen: number;
  status: string;
  reversalId?: string;
}

/** The ledger's side of the day and of every row on the statement. */
async function systemSide(
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
  return { payments, orders, refunds };
}

async function saveRun(ctx: ActionContext, run: RunDoc): Promise<void> {
  const { _id, ...rest } = run;
  await ctx.db.collection('recon_runs').doc(_id).set({ data: rest });
}

function checkDate(ctx: ActionContext, date: string): void {
  if (date >= shanghaiDate(ctx.now()))
    throw new AppError('INVALID_INPUT', 'date: 只能核对今天以前的日期（当日交易尚未结束）');
}

export async function runWechat(
  input: { communityId: string; date: string; fileID?: string },
  ctx: ActionContext,
): Promise<WechatRunView> {
  const caller = await requireRole(ctx, input.communityId, ['finance']);
  checkDate(ctx, input.date);
  if ((await dayStatus(ctx, input.communityId, input.date)) === 'closed') {
    throw new AppError(
      'PRECONDITION_FAILED',
      `${input.date} 已关账，不能重新对账；如需更正请记录新的收款或冲红`,
    );
  }
  const comm = await community(ctx, input.communityId);
  const subMchId = comm.payment?.subMchId ?? '';
  let statement: ParsedStatement;
  if (input.fileID) {
    const text = decodeText(await download(input.fileID, input.communityId));
    try {
      statement = parseWechatStatement(text);
    } catch (e) {
      if (e instanceof StatementError) throw new AppError('INVALID_INPUT', `fileID: ${e.message}`);
      throw e;
    }
    const days = new Set(statement.rows.map((r) => r.time.slice(0, 10)));
    if (days.size && (days.size > 1 || !days.has(input.date))) {
      throw new AppError(
        'INVALID_INPUT',
        `fileID: 对账单中的交易日期（${[...days].join('、')}）与所选日期 ${input.date} 不一致`,
      );
    }
  } else {
    if (!subMchId)
      throw new AppError(
        'PRECONDITION_FAILED',
        '本小区尚未设置微信支付特约商户号，请上传对账单文件',
      );
    statement = await fetchStatement(ctx, subMchId, input.date);
  }
  const system = await systemSide(ctx, input.communityId, input.date, statement);
  const result = reconcileWechat({ date: input.date, subMchId, statement, ...system });
  // Resolutions made earlier stay: on the same discrepancy, and as history when it is gone.
  const previous = await loadRun(ctx, input.communityId, input.date);
  const resolved = new Map(
    (previous?.items ?? []).filter((i) => i.resolution).map((i) => [i.key, i]),
  );
  const items: RunDoc['items'] = result.items.map((i) => {
    const before = resolved.get(i.key);
    return before?.resolution ? { ...i, resolution: before.resolution } : i;
  });
  const keys = new Set(items.map((i) => i.key));
  for (const [key, item] of resolved) if (!keys.has(key)) items.push(item);
  const run: RunDoc = {
    _id: runId(input.communityId, input.date),
    communityId: input.communityId,
    date: input.date,
    source: input.fileID ? 'upload' : 'download',
    empty: statement.rows.length === 0,
    statement: result.statement,
    system: result.system,
    matchedCount: result.matchedCount,
    matchedFen: result.matchedFen,
    refundMatchedCount: result.refundMatchedCount,
    refundMatchedFen: result.refundMatchedFen,
    items,
    runAt: ctx.now(),
    runBy: caller.openid,
  };
  await saveRun(ctx, run);
  const view = runView(run, 'open');
  await audit(ctx, caller, {
    communityId: input.communityId,
    action: 'recon.wechat',
    targetType: 'reconDay',
    targetId: reconDayId(input.communityId, input.date),
    targetLabel: input.date,
    summary: `微信支付对账 ${input.date}：匹配 ${run.matchedCount} 笔，差异 ${items.length} 项（待处理 ${view.openItems}）`,
    after: { matched: run.matchedCount, items: items.length, source: run.source },
  });
  return view;
}

export async function wechatRun(
  input: { communityId: string; date: string },
  ctx: ActionContext,
): Promise<WechatRunView | null> {
  await requireRole(ctx, input.communityId, ['finance']);
  const run = await loadRun(ctx, input.communityId, input.date);
  return run ? runView(run, await dayStatus(ctx, input.communityId, input.date)) : null;
}

async function openItem(
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

async function resolve(
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
async function paidAtWechat(order: PayOrderDoc) {
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

async function orderOf(ctx: ActionContext, communityId: string, outTradeNo: string) {
  try {
    const order = (await ctx.db.collection('pay_orders').doc(outTradeNo).get()).data as PayOrderDoc;
    if (order.communityId === communityId) return order;
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
  throw new AppError('NOT_FOUND', 'itemKey: 系统中没有该订单');
}

export async function applyMissing(
  input: { communityId: string; date: string; itemKey: string },
  ctx: ActionContext,
): Promise<WechatRunView> {
  const { caller, run, item } = await openItem(ctx, input);
  if (item.kind !== 'missing-in-system')
    throw new AppError('INVALID_INPUT', 'itemKey: 只有“支付通知丢失”的差异可以补记入账');
  const order = await orderOf(ctx, input.communityId, item.outTradeNo);
  const paid = await paidAtWechat(order);
  const outcome = await applyWechatPayment(
    ctx.db,
    {
      outTradeNo: order._id,
      transactionId: paid.transactionId,
      totalFee: paid.totalFee,
      subMchId: order.subMchId,
      timeEnd: paid.timeEnd,
    },
    ctx.now(),
  );
  if (outcome.kind === 'exception')
    throw new AppError('CONFLICT', `微信支付结果与订单不符（${outcome.reason}），请按金额差异处理`);
  if (outcome.kind === 'unknown-order')
    throw new AppError('NOT_FOUND', 'itemKey: 系统中没有该订单');
  const payment = outcome.payment;
  await audit(ctx, caller, {
    communityId: input.communityId,
    action: 'recon.applyMissing',
    targetType: 'payment',
    targetId: payment._id,
    targetLabel: payment.receiptNo,
    summary: `补记支付通知丢失的微信支付 ${order._id}（${input.date}），收据 ${payment.receiptNo}`,
    after: { amountFen: payment.amountFen, outcome: outcome.kind },
  });
  return resolve(
    ctx,
    run,
    item.key,
    {
      action: 'applied',
      paymentId: payment._id,
      receiptNo: payment.receiptNo,
      by: caller.openid,
      at: ctx.now().toISOString(),
    },
    outcome.kind === 'applied' ? payment : undefined,
  );
}

export async function acceptStatement(
  input: { communityId: string; date: string; itemKey: string; reason: string },
  ctx: ActionContext,
): Promise<WechatRunView> {
  const { caller, run, item } = await openItem(ctx, input);
  if (item.kind !== 'amount-mismatch' || item.action !== 'accept')
    throw new AppError('INVALID_INPUT', 'itemKey: 该差异已有入账记录，请填写说明处理');
  const order = await orderOf(ctx, input.communityId, item.outTradeNo);
  const paid = await paidAtWechat(order);
  // The money WeChat Pay actually collected goes to the order's bills, oldest first; anything
  // beyond them becomes the room's prepaid balance, a shortfall leaves the bill partly paid.
  const { payment } = await applyPayment(ctx.db, {
    paymentId: `wx_${order._id}`,
    communityId: input.communityId,
    channel: 'wechat',
    amountFen: paid.totalFee,
    billIds: order.billIds,
    prepaidRoomId: order.roomIds[0]!,
    recordedBy: caller.openid,
    paidAt: parseTimeEnd(paid.timeEnd) ?? ctx.now(),
    outTradeNo: order._id,
    transactionId: paid.transactionId,
    note: `对账按微信支付金额入账：${input.reason}`,
    correctionReason: input.reason,
  });
  await ctx.db
    .collection('pay_exceptions')
    .where({ outTradeNo: order._id, status: 'open' })
    .update({ data: { status: 'resolved', resolvedBy: caller.openid, resolvedAt: ctx.now() } });
  await audit(ctx, caller, {
    communityId: input.communityId,
    action: 'recon.acceptStatement',
    targetType: 'payment',
    targetId: payment._id,
    targetLabel: payment.receiptNo,
    summary: `按微信支付金额入账 ${order._id}：微信 ${paid.totalFee} 分，订单 ${order.amountFen} 分。原因：${input.reason}`,
    before: { orderFen: order.amountFen },
    after: { amountFen: payment.amountFen, prepaidFen: payment.prepaidFen },
  });
  return resolve(
    ctx,
    run,
    item.key,
    {
      action: 'accepted',
      paymentId: payment._id,
      receiptNo: payment.receiptNo,
      by: caller.openid,
      at: ctx.now().toISOString(),
      note: input.reason,
    },
    payment,
  );
}

export async function resolveItem(
  input: { communityId: string; date: string; itemKey: string; note: string },
  ctx: ActionContext,
): Promise<WechatRunView> {
  const { caller, run, item } = await openItem(ctx, input);
  if (item.kind === 'missing-in-system') {
    throw new AppError(
      'INVALID_INPUT',
      'itemKey: 微信已收款而系统未入账，请使用“补记入账”，不能只填说明',
    );
  }
  await audit(ctx, caller, {
    communityId: input.communityId,
    action: 'recon.note',
    targetType: 'reconDay',
    targetId: reconDayId(input.communityId, input.date),
    targetLabel: `${input.date} ${item.outTradeNo || item.outRefundNo || ''}`,
    summary: `对账差异说明（${RECON_ITEM_LABELS[item.kind]}）：${input.note}`,
    after: { key: item.key },
  });
  return resolve(ctx, run, item.key, {
    action: 'noted',
    by: caller.openid,
    at: ctx.now().toISOString(),
    note: input.note,
  });
}
