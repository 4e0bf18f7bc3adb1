/**
 * 投诉与建议: the owner's tickets, newest activity first, and the way to file a new one. Each
 * opens its progress (timeline, replies, confirm/reopen, rating).
 */
import { elderBehavior } from '../../behaviors/elder';
import { call, messageOf } from '../../services/cloud';
import { toTicketRow, type TicketRow } from '../../utils/complaint-view';

type Status = 'loading' | 'ready' | 'error';

Component({
  behaviors: [elderBehavior],
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    items: [] as TicketRow[],
  },
  methods: {
    onShow() {
      void this.load();
    },
    onPullDownRefresh() {
      void this.load().finally(() => wx.stopPullDownRefresh());
    },
    async load() {
      if (this.data.items.length === 0) this.setData({ status: 'loading' });
      try {
        const list = await call('complaint', 'mine', {}, { loading: false });
        this.setData({ status: 'ready', errorMessage: '', items: list.map(toTicketRow) });
      } catch (err) {
        this.setData({ status: 'error', errorMessage: messageOf(err) });
      }
    },
    onRetry() {
      void this.load();
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
