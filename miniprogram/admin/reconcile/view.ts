/** Reconciliation view models: plain data for the page, amounts as display text. */
import { CHANNEL_LABELS } from '../../domain/payment/channels';
import type {
  BankImportView,
  BankLineView,
  ReconDayView,
  ReconItemView,
  WechatRunView,
} from '../../domain/reconcile/contract';
import { formatYuan } from '../../domain/kernel/money';

export const RECON_TABS = [
  { value: 'wechat', label: '微信支付对账' },
  { value: 'bank', label: '银行流水' },
] as const;
export type ReconTab = (typeof RECON_TABS)[number]['value'];

const channelLabel = (c: string) => (CHANNEL_LABELS as Record<string, string>)[c] ?? c;

export interface DayItem {
  date: string;
  statusText: string;
  tone: 'closed' | 'open' | 'todo' | 'none';
  summary: string;
  corrections: number;
}

export function dayItem(d: ReconDayView): DayItem {
  const corrections = d.corrections.length;
  if (d.status === 'closed') {
    return {
      date: d.date,
      statusText: '已关账',
      tone: 'closed',
      summary: corrections ? `关账后更正 ${corrections} 笔` : d.note || '已核对',
      corrections,
    };
  }
  if (!d.wechat) {
    return {
      date: d.date,
      statusText: '未对账',
      tone: 'none',
      summary: d.bankOpenLines ? `银行流水待处理 ${d.bankOpenLines} 条` : '',
      corrections,
    };
  }
  const open = d.wechat.openItems + d.bankOpenLines;
  return {
    date: d.date,
    statusText: open ? `待处理 ${open}` : '可关账',
    tone: open ? 'todo' : 'open',
    summary: `匹配 ${d.wechat.matchedCount} 笔，差异 ${d.wechat.items} 项`,
    corrections,
  };
}

export interface ItemView {
  key: string;
  label: string;
  outTradeNo: string;
  time: string;
  statementText: string;
  systemText: string;
  canApply: boolean;
  canAccept: boolean;
  canNote: boolean;
  resolved: boolean;
  resolutionText: string;
}

function resolutionText(i: ReconItemView): string {
  const r = i.resolution;
  if (!r) return '';
  if (r.action === 'applied') return `已补记入账，收据 ${r.receiptNo}`;
  if (r.action === 'accepted') return `已按微信金额入账，收据 ${r.receiptNo}：${r.note}`;
  return `已说明：${r.note}`;
}

export function itemView(i: ReconItemView): ItemView {
  const resolved = !!i.resolution;
  return {
    key: i.key,
    label: i.label,
    outTradeNo: i.outTradeNo || i.outRefundNo || '',
    time: i.time ?? '',
    statementText: i.statementFen === undefined ? '—' : formatYuan(i.statementFen),
    systemText: i.systemFen === undefined ? '—' : formatYuan(i.systemFen),
    canApply: !resolved && i.action === 'apply',
    canAccept: !resolved && i.action === 'accept',
    canNote: !resolved && i.action !== 'apply',
    resolved,
    resolutionText: resolutionText(i),
  };
}

export function runModel(r: WechatRunView) {
  const s = r.statement;
  return {
    date: r.date,
    closed: r.dayStatus === 'closed',
    sourceText: r.source === 'upload' ? '上传的对账单' : '微信支付对账单',
    empty: r.empty,
    statement: [
      { k: '应结订单', v: formatYuan(s.tradeFen), n: `${s.count} 笔` },
      { k: '退款', v: formatYuan(s.refundFen), n: '' },
      { k: '手续费', v: formatYuan(s.feeFen), n: '' },
      { k: '结算净额', v: formatYuan(s.netFen), n: '' },
    ],
    system: [
      { k: '系统收款', v: formatYuan(r.system.paymentFen), n: `${r.system.paymentCount} 笔` },
      { k: '系统退款', v: formatYuan(r.system.refundFen), n: `${r.system.refundCount} 笔` },
    ],
    matchedText: `已匹配 ${r.matchedCount} 笔 ${formatYuan(r.matchedFen)}${r.refundMatchedCount ? `，退款 ${r.refundMatchedCount} 笔 ${formatYuan(r.refundMatchedFen)}` : ''}`,
    items: r.items.map(itemView),
    openItems: r.openItems,
    canClose: r.dayStatus !== 'closed' && r.openItems === 0,
  };
}

const LINE_STATUS: Record<BankLineView['status'], string> = {
  matched: '已匹配',
  unmatched: '未匹配',
  ambiguous: '待确认',
  debit: '支出',
  assigned: '已认领',
  ignored: '已忽略',
};

export function bankModel(v: BankImportView) {
  return {
    importId: v.importId,
    title: `${v.fileName}（${v.from} 至 ${v.to}）`,
    countsText: `匹配 ${v.counts.matched} · 认领 ${v.counts.assigned} · 未匹配 ${v.counts.unmatched} · 待确认 ${v.counts.ambiguous} · 忽略 ${v.counts.ignored}`,
    creditText: formatYuan(v.creditFen),
    lines: v.lines
      .filter((l) => l.status !== 'debit')
      .map((l) => ({
        lineId: l.lineId,
        row: l.row,
        date: l.date,
        amountText: formatYuan(l.amountFen),
        who: [l.payer, l.reference].filter(Boolean).join(' · '),
        memo: l.memo,
        status: l.status,
        statusText: LINE_STATUS[l.status],
        open: l.status === 'unmatched' || l.status === 'ambiguous',
        result: l.roomLabel
          ? `${l.roomLabel}${l.receiptNo ? ` · ${l.receiptNo}` : ''}`
          : (l.note ??
            (l.matchedBy === 'reference' ? '按流水号匹配' : l.matchedBy ? '按金额与日期匹配' : '')),
      })),
    unmatchedPayments: v.unmatchedPayments.map((p) => ({
      key: p.paymentId,
      text: `${p.paidDate} ${channelLabel(p.channel)} ${formatYuan(p.amountFen)} · ${p.roomLabel} · ${p.receiptNo}`,
    })),
  };
}
