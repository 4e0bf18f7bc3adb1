/**
 * 通知详情: one notice with what the owner's own rooms owe for its period, how and where to pay,
 * the deadline and the contract's late-fee policy (or that there is none). Opening it records the
 * read receipt. Reminder consent is asked from a tap here, never on load.
 */
import { pageState } from '../../behaviors/page-state';
import { callQuiet } from '../../services/cloud';
import { requestReminders } from '../../services/subscribe';
import { toast } from '../../services/ui';
import type { OwnerNoticeDetail } from '../../domain/notice/contract';
import { formatYuan } from '../../domain/kernel/money';
import { formatDate, formatPeriod, toShanghaiDate } from '../../domain/kernel/time';

export interface NoticeDetailView extends OwnerNoticeDetail {
  dateText: string;
  periodText: string;
  deadlineText: string;
  methodsText: string;
  lateFeeText: string;
  totalFen: number;
  rooms: { roomId: string; roomLabel: string; amountFen: number; amountText: string }[];
}

export function toDetailView(d: OwnerNoticeDetail): NoticeDetailView {
  return {
    ...d,
    dateText: formatDate(toShanghaiDate(d.publishedAt)),
    periodText: d.period ? formatPeriod(d.period) : '',
    deadlineText: d.deadline ? formatDate(d.deadline) : '',
    methodsText: d.methods.join('、'),
    lateFeeText: d.lateFeePolicy ?? '合同未约定滞纳金，不收取',
    totalFen: d.myRooms.reduce((s, r) => s + r.amountFen, 0),
    rooms: d.myRooms.map((r) => ({
      ...r,
      amountText: r.amountFen > 0 ? formatYuan(r.amountFen) : '已缴清',
    })),
  };
}

Component({
  behaviors: [pageState],
  data: {
    noticeId: '',
    notice: null as NoticeDetailView | null,
  },
  methods: {
    prepare(q: Record<string, string | undefined>) {
      this.setData({ noticeId: q.noticeId ?? '' });
    },
    async load() {
      const d = await callQuiet('notice', 'detail', { noticeId: this.data.noticeId });
      this.setData({ notice: toDetailView(d) });
    },
    onPay() {
      wx.switchTab({ url: '/pages/bills/index' });
    },
    onCall() {
      const phone = this.data.notice?.contactPhone;
      if (phone) wx.makePhoneCall({ phoneNumber: phone.replace(/\s/g, '') });
    },
    async onRemind() {
      const answer = await requestReminders('notice');
      if (!answer.shown) toast('抱歉，暂时无法订阅，请稍后再试');
      else toast(answer.accepted > 0 ? `已为您订阅 ${answer.accepted} 项提醒` : '您暂未订阅提醒');
    },
  },
});
