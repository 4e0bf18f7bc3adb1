/**
 * 投诉与建议: the owner's tickets, newest activity first, and the way to file a new one. Each
 * opens its progress (timeline, replies, confirm/reopen, rating).
 */
import { pageState, reloadOnShow } from '../../behaviors/page-state';
import { callQuiet } from '../../services/cloud';
import { toTicketRow, type TicketRow } from '../../utils/complaint-view';

Component({
  behaviors: [pageState, reloadOnShow],
  data: {
    items: [] as TicketRow[],
  },
  methods: {
    async load() {
      const list = await callQuiet('complaint', 'mine', {});
      this.setData({ items: list.map(toTicketRow) });
    },
    onNew() {
      wx.navigateTo({ url: '/pages/complaints/new' });
    },
    onOpen(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      const id = String(e.currentTarget.dataset.id ?? '');
      if (id) wx.navigateTo({ url: `/pages/complaints/detail?ticketId=${encodeURIComponent(id)}` });
    },
  },
});
