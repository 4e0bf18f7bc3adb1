/**
 * 收支公示 (owners): the published income and expense disclosures of the owner's community,
 * newest period first. A corrected disclosure stays listed, marked 已更正, under its correction.
 */
import { pageState } from '../../behaviors/page-state';
import { callQuiet } from '../../services/cloud';
import { toDisclosureRow, type DisclosureRow } from '../../utils/disclosure-view';

Component({
  behaviors: [pageState],
  data: {
    communityName: '',
    rows: [] as DisclosureRow[],
  },
  methods: {
    async load() {
      const res = await callQuiet('disclosure', 'published', {});
      if (!res.communityId) return 'unbound';
      const rows = res.disclosures.map(toDisclosureRow);
      this.setData({ communityName: res.communityName, rows });
      return rows.length > 0 ? 'ready' : 'empty';
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
