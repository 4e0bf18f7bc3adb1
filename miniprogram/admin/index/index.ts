/** 工作台: the staff entry point, listing what the caller's roles allow. */
import type { WhoAmI } from '../../domain/types/api';
import { elderBehavior } from '../../behaviors/elder';
import { messageOf } from '../../services/cloud';
import { whoami } from '../../services/session';
import { comingSoon } from '../../services/ui';
import { ROLE_TEXT } from '../../utils/bill-view';
import { featuresFor, type Feature, type FeatureGroup } from '../features';

type Status = 'loading' | 'ready' | 'forbidden' | 'error';

Component({
  behaviors: [elderBehavior],
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    roleTags: [] as string[],
    communityCount: 0,
    groups: [] as FeatureGroup[],
  },
  methods: {
    onLoad() {
      void this.load();
    },
    async load() {
      this.setData({ status: 'loading' });
      try {
        const me: WhoAmI = await whoami({ refresh: true });
        if (!me.isStaff) {
          this.setData({ status: 'forbidden' });
          return;
        }
        this.setData({
          status: 'ready',
          roleTags: me.roles.map((r) => ROLE_TEXT[r]),
          communityCount: me.staffOf.length,
          groups: featuresFor(me.roles),
        });
      } catch (err) {
        this.setData({ status: 'error', errorMessage: messageOf(err) });
      }
    },
    onRetry() {
      void this.load();
    },
    onHome() {
      wx.switchTab({ url: '/pages/home/index' });
    },
    onFeature(
      e: WechatMiniprogram.BaseEvent<Record<string, never>, { group: number; index: number }>,
    ) {
      const { group, index } = e.currentTarget.dataset;
      const feature: Feature | undefined = this.data.groups[group]?.features[index];
      if (!feature) return;
      if (feature.url) wx.navigateTo({ url: feature.url });
      else comingSoon(feature.title);
    },
  },
});
