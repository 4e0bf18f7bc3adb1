/**
 * WeChat Pay reconciliation (对账), pure: read the daily statement (`cloudPay.downloadBill` or a
 * downloaded file) and compare it with what the ledger recorded for that day.
 *
 * The statement format (WeChat Pay V2 "ALL" bill): a header row, one row per trade or refund with
 * every field prefixed by a backtick (so spreadsheets keep long numbers as text), amounts in yuan,
 * then a summary header and one summary row. Columns are found by their header names, not by
 * position, so a statement with extra or reordered columns still reads.
 */
import { codesOf } from '../kernel/codes';
import { parseYuan, type Fen } from '../kernel/money';

export class StatementError extends Error {}

export interface StatementRow {
  /** 1-based line number in the statement text (for messages). */
  line: number;
  /** `YYYY-MM-DD HH:mm:ss`, UTC+8 as WeChat prints it. */
  time: string;
  subMchId: string;
  transactionId: string;
  outTradeNo: string;
  /** SUCCESS (a payment) or REFUND (a refund row). */
  tradeState: string;
  /** 应结订单金额: what the payment settles (0 on refund rows). */
  settledFen: Fen;
  refundId: string;
  outRefundNo: string;
  /** 退款金额 (positive on refund rows). */
  refundFen: Fen;
  /** 手续费: positive on payments, negative (returned) on refunds. */
  feeFen: Fen;
  body: string;
  attach: string;
}

export interface StatementSummary {
  count: number;
  /** 应结订单总金额 */
  tradeFen: Fen;
  /** 退款总金额 */
  refundFen: Fen;
  /** 手续费总金额 */
  feeFen: Fen;
}

export interface ParsedStatement {
  rows: StatementRow[];
  summary: StatementSummary;
}

const COLUMNS = {
  time: '交易时间',
  subMchId: '特约商户号',
  transactionId: '微信订单号',
  outTradeNo: '商户订单号',
  tradeState: '交易状态',
  settled: '应结订单金额',
  refundId: '微信退款单号',
  outRefundNo: '商户退款单号',
  refund: '退款金额',
  fee: '手续费',
  body: '商品名称',
  attach: '商户数据包',
} as const;

const SUMMARY = {
  count: '总交易单数',
  trade: '应结订单总金额',
  refund: '退款总金额',
  fee: '手续费总金额',
} as const;

/** Splits one statement line; fields never contain commas in WeChat's format (a body with a
 * comma is quoted by spreadsheet programs, which we also accept). */
function splitLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out.map((f) => f.trim().replace(/^`/, '').trim());
}

/** Yuan text from a statement ("630.76", "-0.06", "1,234.50") → fen. */
export function statementYuan(text: string, what: string, line: number): Fen {
  const clean = text.replace(/[,¥\s]/g, '');
  if (clean === '') return 0;
  try {
    return parseYuan(clean, { allowNegative: true });
  } catch {
    throw new StatementError(`第 ${line} 行：${what}“${text}”不是有效金额`);
  }
}

function indexOf(header: string[], name: string, line: number): number {
  const i = header.indexOf(name);
  if (i < 0)
    throw new StatementError(`第 ${line} 行：表头缺少“${name}”列，请确认上传的是微信支付对账单`);
  return i;
}

/**
 * Parses a statement. Throws StatementError naming the line for anything malformed: no header,
 * a row with too few fields, a bad amount, a missing or inconsistent summary.
 */
export function parseWechatStatement(text: string): ParsedStatement {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = src.split(/\r?\n/);
  const headerAt = lines.findIndex(
    (l) => l.includes(COLUMNS.time) && l.includes(COLUMNS.outTradeNo),
  );
  if (headerAt < 0)
    throw new StatementError('找不到对账单表头（交易时间、商户订单号…），请确认文件内容');
  const header = splitLine(lines[headerAt]!);
  const col = Object.fromEntries(
    Object.entries(COLUMNS).map(([k, name]) => [k, indexOf(header, name, headerAt + 1)]),
  ) as Record<keyof typeof COLUMNS, number>;
  const rows: StatementRow[] = [];
  let summaryAt = -1;
  for (let i = headerAt + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    if (raw.includes(SUMMARY.count)) {
      summaryAt = i;
      break;
    }
    const f = splitLine(raw);
    const lineNo = i + 1;
    if (f.length < header.length) {
      throw new StatementError(
        `第 ${lineNo} 行：只有 ${f.length} 个字段，应为 ${header.length} 个`,
      );
    }
    const get = (k: keyof typeof COLUMNS) => f[col[k]] ?? '';
    const time = get('time');
    if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(time)) {
      throw new StatementError(`第 ${lineNo} 行：交易时间“${time}”格式不对`);
    }
    const tradeState = get('tradeState');
    const row: StatementRow = {
      line: lineNo,
      time,
      subMchId: get('subMchId'),
      transactionId: get('transactionId'),
      outTradeNo: get('outTradeNo'),
      tradeState,
      settledFen: statementYuan(get('settled'), '应结订单金额', lineNo),
      refundId: get('refundId') === '0' ? '' : get('refundId'),
      outRefundNo: get('outRefundNo') === '0' ? '' : get('outRefundNo'),
      refundFen: statementYuan(get('refund'), '退款金额', lineNo),
      feeFen: statementYuan(get('fee'), '手续费', lineNo),
      body: get('body'),
      attach: get('attach'),
    };
    if (!row.outTradeNo) throw new StatementError(`第 ${lineNo} 行：缺少商户订单号`);
    if (tradeState === 'REFUND' && !row.outRefundNo) {
      throw new StatementError(`第 ${lineNo} 行：退款记录缺少商户退款单号`);
    }
    rows.push(row);
  }
  if (summaryAt < 0) throw new StatementError('对账单缺少最后的汇总行（总交易单数…）');
  const sHeader = splitLine(lines[summaryAt]!);
  const sRowText = lines.slice(summaryAt + 1).find((l) => l.trim() !== '');
  if (!sRowText) throw new StatementError(`第 ${summaryAt + 2} 行：缺少汇总数据`);
  const s = splitLine(sRowText);
  const sLine = summaryAt + 2;
  const sGet = (name: string) => s[indexOf(sHeader, name, summaryAt + 1)] ?? '';
  const countText = sGet(SUMMARY.count);
  if (!/^\d+$/.test(countText))
    throw new StatementError(`第 ${sLine} 行：总交易单数“${countText}”不对`);
  const summary: StatementSummary = {
    count: Number(countText),
    tradeFen: statementYuan(sGet(SUMMARY.trade), '应结订单总金额', sLine),
    refundFen: statementYuan(sGet(SUMMARY.refund), '退款总金额', sLine),
    feeFen: statementYuan(sGet(SUMMARY.fee), '手续费总金额', sLine),
  };
  const sum = (f: (r: StatementRow) => number) => rows.reduce((a, r) => a + f(r), 0);
  const checks: [string, number, number][] = [
    ['总交易单数', summary.count, rows.length],
    ['应结订单总金额', summary.tradeFen, sum((r) => r.settledFen)],
    ['退款总金额', summary.refundFen, sum((r) => r.refundFen)],
    ['手续费总金额', summary.feeFen, sum((r) => r.feeFen)],
  ];
  for (const [name, stated, computed] of checks) {
    if (stated !== computed) {
      throw new StatementError(
        `对账单汇总与明细不符：${name}汇总为 ${stated}，明细合计为 ${computed}（金额单位：分），文件可能不完整`,
      );
    }
  }
  return { rows, summary };
}

// ------------------------------------------------------------------------------ matching

export const RECON_ITEM_LABELS = {
  'missing-in-system': '微信有、系统无（支付通知丢失）',
  'amount-mismatch': '金额不一致',
  'unknown-order': '微信有、系统无此订单',
  'missing-in-statement': '系统有、微信无',
  'refund-missing-in-system': '微信已退款、系统未冲红',
  'refund-amount-mismatch': '退款金额不一致',
  'refund-missing-in-statement': '系统已冲红、微信无退款',
};
export type ReconItemKind = keyof typeof RECON_ITEM_LABELS;
export const RECON_ITEM_KINDS = codesOf(RECON_ITEM_LABELS);

/** A WeChat payment the ledger holds (by outTradeNo, whatever its date). */
export interface SystemWxPayment {
  paymentId: string;
  outTradeNo: string;
  transactionId?: string;
  amountFen: Fen;
  /** YYYY-MM-DD (Asia/Shanghai) of paidAt. */
  paidDate: string;
}

/** Our own order, when no payment was applied for it. */
export interface SystemWxOrder {
  outTradeNo: string;
  amountFen: Fen;
  status: string;
  subMchId: string;
}

export interface SystemWxRefund {
  refundId: string;
  paymentId: string;
  amountFen: Fen;
  status: string;
  /** YYYY-MM-DD of the reversal entry, when written. */
  reversalDate?: string;
}

export interface ReconItem {
  /** Stable within a day: `<kind>:<outTradeNo or outRefundNo or paymentId>`. */
  key: string;
  kind: ReconItemKind;
  outTradeNo: string;
  transactionId?: string;
  outRefundNo?: string;
  statementFen?: Fen;
  systemFen?: Fen;
  paymentId?: string;
  /** The statement's 交易时间 (UTC+8). */
  time?: string;
  /** A lost callback can be applied through the ledger; an amount mismatch without a payment can be accepted. */
  action: 'apply' | 'accept' | 'note';
}

export interface WechatReconciliation {
  date: string;
  statement: StatementSummary & { netFen: Fen; otherMerchantRows: number };
  system: { paymentCount: number; paymentFen: Fen; refundCount: number; refundFen: Fen };
  matchedCount: number;
  matchedFen: Fen;
  refundMatchedCount: number;
  refundMatchedFen: Fen;
  items: ReconItem[];
}

export interface WechatMatchInput {
  date: string;
  subMchId: string;
  statement: ParsedStatement;
  /** Every payment whose outTradeNo is on the statement, plus every WeChat payment of `date`. */
  payments: SystemWxPayment[];
  /** Our orders for statement rows that have no payment. */
  orders: SystemWxOrder[];
  /** Refunds named on the statement plus WeChat refunds reversed on `date`. */
  refunds: SystemWxRefund[];
}

/**
 * Compares a statement with the ledger. Rows of other sub-merchants are counted and left out (a
 * service provider's statement can hold several communities). Totals of both sides are kept so
 * the page can show them next to each other with the 手续费 line.
 */
export function reconcileWechat(input: WechatMatchInput): WechatReconciliation {
  const rows = input.statement.rows.filter((r) => r.subMchId === input.subMchId || !r.subMchId);
  const otherMerchantRows = input.statement.rows.length - rows.length;
  const byTrade = new Map(input.payments.map((p) => [p.outTradeNo, p]));
  const orders = new Map(input.orders.map((o) => [o.outTradeNo, o]));
  const refunds = new Map(input.refunds.map((r) => [r.refundId, r]));
  const items: ReconItem[] = [];
  const seenTrades = new Set<string>();
  const seenRefunds = new Set<string>();
  let matchedCount = 0;
  let matchedFen = 0;
  let refundMatchedCount = 0;
  let refundMatchedFen = 0;
  for (const row of rows) {
    if (row.tradeState === 'REFUND') {
      seenRefunds.add(row.outRefundNo);
      const refund = refunds.get(row.outRefundNo);
      const base = {
        outTradeNo: row.outTradeNo,
        outRefundNo: row.outRefundNo,
        transactionId: row.transactionId,
        statementFen: row.refundFen,
        time: row.time,
        action: 'note' as const,
      };
      if (!refund || refund.status !== 'done') {
        items.push({
          ...base,
          key: `refund-missing-in-system:${row.outRefundNo}`,
          kind: 'refund-missing-in-system',
          ...(refund ? { systemFen: refund.amountFen, paymentId: refund.paymentId } : {}),
        });
      } else if (refund.amountFen !== row.refundFen) {
        items.push({
          ...base,
          key: `refund-amount-mismatch:${row.outRefundNo}`,
          kind: 'refund-amount-mismatch',
          systemFen: refund.amountFen,
          paymentId: refund.paymentId,
        });
      } else {
        refundMatchedCount++;
        refundMatchedFen += row.refundFen;
      }
      continue;
    }
    seenTrades.add(row.outTradeNo);
    const payment = byTrade.get(row.outTradeNo);
    const base = {
      outTradeNo: row.outTradeNo,
      transactionId: row.transactionId,
      statementFen: row.settledFen,
      time: row.time,
    };
    if (payment) {
      if (payment.amountFen === row.settledFen) {
        matchedCount++;
        matchedFen += row.settledFen;
      } else {
        items.push({
          ...base,
          key: `amount-mismatch:${row.outTradeNo}`,
          kind: 'amount-mismatch',
          systemFen: payment.amountFen,
          paymentId: payment.paymentId,
          action: 'note',
        });
      }
      continue;
    }
    const order = orders.get(row.outTradeNo);
    if (!order) {
      items.push({
        ...base,
        key: `unknown-order:${row.outTradeNo}`,
        kind: 'unknown-order',
        action: 'note',
      });
    } else if (order.amountFen === row.settledFen) {
      items.push({
        ...base,
        key: `missing-in-system:${row.outTradeNo}`,
        kind: 'missing-in-system',
        systemFen: order.amountFen,
        action: 'apply',
      });
    } else {
      items.push({
        ...base,
        key: `amount-mismatch:${row.outTradeNo}`,
        kind: 'amount-mismatch',
        systemFen: order.amountFen,
        action: 'accept',
      });
    }
  }
  const dayPayments = input.payments.filter((p) => p.paidDate === input.date && p.amountFen > 0);
  for (const p of dayPayments) {
    if (seenTrades.has(p.outTradeNo)) continue;
    items.push({
      key: `missing-in-statement:${p.outTradeNo}`,
      kind: 'missing-in-statement',
      outTradeNo: p.outTradeNo,
      ...(p.transactionId ? { transactionId: p.transactionId } : {}),
      systemFen: p.amountFen,
      paymentId: p.paymentId,
      action: 'note',
    });
  }
  const dayRefunds = input.refunds.filter(
    (r) => r.status === 'done' && r.reversalDate === input.date,
  );
  for (const r of dayRefunds) {
    if (seenRefunds.has(r.refundId)) continue;
    items.push({
      key: `refund-missing-in-statement:${r.refundId}`,
      kind: 'refund-missing-in-statement',
      outTradeNo: '',
      outRefundNo: r.refundId,
      systemFen: r.amountFen,
      paymentId: r.paymentId,
      action: 'note',
    });
  }
  const s = input.statement.summary;
  const mine = {
    count: rows.length,
    tradeFen: rows.reduce((a, r) => a + r.settledFen, 0),
    refundFen: rows.reduce((a, r) => a + r.refundFen, 0),
    feeFen: rows.reduce((a, r) => a + r.feeFen, 0),
  };
  // With rows of other merchants the statement's own summary is not ours: use our rows' sums.
  const stated = otherMerchantRows ? mine : s;
  return {
    date: input.date,
    statement: {
      ...stated,
      netFen: stated.tradeFen - stated.refundFen - stated.feeFen,
      otherMerchantRows,
    },
    system: {
      paymentCount: dayPayments.length,
      paymentFen: dayPayments.reduce((a, p) => a + p.amountFen, 0),
      refundCount: dayRefunds.length,
      refundFen: dayRefunds.reduce((a, r) => a + r.amountFen, 0),
    },
    matchedCount,
    matchedFen,
    refundMatchedCount,
    refundMatchedFen,
    items,
  };
}

/** `YYYYMMDD` as downloadBill wants the date. */
export function billDateOf(date: string): string {
  return date.replace(/-/g, '');
}
