/**
 * 投诉与建议: the owner's tickets, newest activity first, and the way to file a new one. Each
 * opens its progress (timeline, replies, confirm/reopen, rating).
 */
import { pageState } from '../../behaviors/page-state';
import { call } from '../../services/cloud';
import { toTicketRow, type TicketRow } from '../../utils/complaint-view';

Component({
  behaviors: [pageState],
  data: {
    items: [] as TicketRow[],
  },
  methods: {
    onShow() {
      // back from a ticket or a new one: the list has moved (the first show is the behaviour's onLoad)
      if (this.data.status === 'ready') void this.reload();
    },
    async load() {
      const list = await call('complaint', 'mine', {}, { loading: false });
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
