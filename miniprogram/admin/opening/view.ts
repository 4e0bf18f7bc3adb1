/** Pure helpers of 期初导入: the preview as the page shows it (problems first). */
import type { OpeningPreview } from '../../domain/fee/opening.contract';
import { formatYuan } from '../../domain/kernel/money';

export interface PreviewRowView {
  line: number;
  roomLabel: string;
  amountText: string;
  note: string;
  status: 'new' | 'unchanged' | 'error';
  statusText: string;
  message: string;
}

export interface PreviewView {
  ready: boolean;
  rows: PreviewRowView[];
  errors: { line: number; text: string }[];
  countsText: string;
  newText: string;
}

export const STATUS_TEXT = { new: '将导入', unchanged: '已导入过', error: '有问题' } as const;

export function toPreviewView(p: OpeningPreview): PreviewView {
  // Problems first, so nobody scrolls past them.
  const rows = [...p.rows]
    .sort((a, b) => Number(b.status === 'error') - Number(a.status === 'error') || a.line - b.line)
    .map((r) => ({
      line: r.line,
      roomLabel: r.roomLabel,
      amountText: formatYuan(r.amountFen),
      note: r.note ?? '',
      status: r.status,
      statusText: STATUS_TEXT[r.status],
      message: r.message ?? '',
    }));
  return {
    ready: p.ready,
    rows,
    errors: p.errors.map((e) => ({
      line: e.line,
      text: e.line > 0 ? `第 ${e.line} 行：${e.message}` : e.message,
    })),
    countsText: `共 ${p.counts.rows} 户：将导入 ${p.counts.new} 户，已导入过 ${p.counts.unchanged} 户，有问题 ${p.counts.errors} 处`,
    newText: formatYuan(p.newFen),
  };
}
