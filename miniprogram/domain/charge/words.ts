/** How a deposit's refund reads, for staff and owners alike (pure). */
import { formatYuan } from '../kernel/money';
import type { DepositView } from './contract';

/** "退还 ¥2,500.00（微信支付），扣款 ¥500.00：墙面修补 ¥450.00；垃圾清运 ¥50.00"; '' before a refund. */
export function refundWords(v: Pick<DepositView, 'refund'>): string {
  const r = v.refund;
  if (!r) return '';
  const cut = r.deductions.map((d) => `${d.reason} ${formatYuan(d.amountFen)}`).join('；');
  return `退还 ${formatYuan(r.refundFen)}（${r.channelLabel}）${r.deductedFen > 0 ? `，扣款 ${formatYuan(r.deductedFen)}：${cut}` : ''}`;
}
