/** 社区通知: the notices of the owner's communities, unread ones marked; tap to read. */
import { elderBehavior } from '../../behaviors/elder';
import { call, messageOf } from '../../services/cloud';
import type { OwnerNoticeItem } from '../../domain/notice/contract';
import { formatDate, toShanghaiDate } from '../../domain/kernel/time';

type Status = 'loading' | 'ready' | 'error';

interface NoticeRow extends OwnerNoticeItem {
  dateText: string;
}

export function toNoticeRow(n: OwnerNoticeItem): NoticeRow {
  return { ...n, dateText: formatDate(toShanghaiDate(n.publishedAt)) };
}

Component({
  behaviors: [elderBehavior],
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    items: [] as NoticeRow[],
    unread: 0,
  },
  methods: {
    onLoad() {
      void this.load();
    },
    onShow() {
      // Coming back from a notice: its unread mark goes.
      if (this.data.status === 'ready') void this.load(true);
    },
    async onPullDownRefresh() {
      await this.load(true);
      wx.stopPullDownRefresh();
    },
    async load(refresh = false) {
      if (!refresh) this.setData({ status: 'loading' });
      try {
        const list = await call('notice', 'mine', {}, { loading: false });
        const items = list.map(toNoticeRow);
        this.setData({
          status: 'ready',
          items,
          unread: items.filter((i) => !i.read).length,
        });
      } catch (err) {
        this.setData({ status: 'error', errorMessage: messageOf(err) });
      }
    },
    onRetry() {
      void this.load();
    },
    onOpen(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      const id = e.currentTarget.dataset.id;
      if (id) wx.navigateTo({ url: `/pages/notice/detail?noticeId=${encodeURIComponent(id)}` });
    },
  },
});
