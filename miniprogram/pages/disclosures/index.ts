/**
 * 收支公示 (owners): the published income and expense disclosures of the owner's community,
 * newest period first. A corrected disclosure stays listed, marked 已更正, under its correction.
 */
import { elderBehavior } from '../../behaviors/elder';
import { call, messageOf } from '../../services/cloud';
import { toDisclosureRow, type DisclosureRow } from '../../utils/disclosure-view';

type Status = 'loading' | 'ready' | 'empty' | 'unbound' | 'error';

Component({
  behaviors: [elderBehavior],
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    communityName: '',
    rows: [] as DisclosureRow[],
  },
  methods: {
    onLoad() {
      void this.load();
    },
    onPullDownRefresh() {
      void this.load().finally(() => wx.stopPullDownRefresh());
    },
    async load() {
      this.setData({ status: 'loading' });
      try {
        const res = await call('disclosure', 'published', {}, { loading: false });
        if (!res.communityId) {
          this.setData({ status: 'unbound' });
          return;
        }
        const rows = res.disclosures.map(toDisclosureRow);
        this.setData({
          status: rows.length > 0 ? 'ready' : 'empty',
          communityName: res.communityName,
          rows,
          errorMessage: '',
        });
      } catch (err) {
        this.setData({ status: 'error', errorMessage: messageOf(err) });
      }
    },
    onRetry() {
      void this.load();
    },
    onOpen(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      const id = String(e.currentTarget.dataset.id ?? '');
      if (id) wx.navigateTo({ url: `/pages/disclosure/index?id=${encodeURIComponent(id)}` });
    },
    onBind() {
      wx.navigateTo({ url: '/pages/bind/index' });
    },
  },
});
