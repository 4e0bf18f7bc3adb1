/** 社区通知: the notices of the owner's communities, unread ones marked; tap to read. */
import { pageState, reloadOnShow } from '../../behaviors/page-state';
import { callQuiet } from '../../services/cloud';
import type { OwnerNoticeItem } from '../../domain/notice/contract';
import { formatDate, toShanghaiDate } from '../../domain/kernel/time';

interface NoticeRow extends OwnerNoticeItem {
  dateText: string;
}

export function toNoticeRow(n: OwnerNoticeItem): NoticeRow {
  return { ...n, dateText: formatDate(toShanghaiDate(n.publishedAt)) };
}

Component({
  behaviors: [pageState, reloadOnShow],
  data: {
    items: [] as NoticeRow[],
    unread: 0,
  },
  methods: {
    async load() {
      const items = (await callQuiet('notice', 'mine', {})).map(toNoticeRow);
      this.setData({ items, unread: items.filter((i) => !i.read).length });
    },
    onOpen(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      const id = e.currentTarget.dataset.id;
      if (id) wx.navigateTo({ url: `/pages/notice/detail?noticeId=${encodeURIComponent(id)}` });
    },
  },
});
