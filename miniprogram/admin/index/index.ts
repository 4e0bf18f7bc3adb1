/** 工作台: the staff entry point, listing what the caller's roles allow. */
import { elderBehavior } from '../../behaviors/elder';
import { messageOf } from '../../services/cloud';
import { whoami } from '../../services/session';
import { comingSoon } from '../../services/ui';
import { ROLE_TEXT } from '../../utils/bill-view';
import { featuresFor, type Feature, type FeatureGroup } from '../features';
import { chooseCommunity, currentGrant } from '../scope';
import type { WhoAmI } from '../../domain/account/contract';

type Status = 'loading' | 'ready' | 'forbidden' | 'error';

Component({
  behaviors: [elderBehavior],
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    roleTags: [] as string[],
    communityCount: 0,
    communityName: '',
    communities: [] as { id: string; name: string }[],
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
        // Roles and functions are those of the community being worked in.
        const grant = currentGrant(me)!;
        const communities = me.staffOf.map((s) => ({
          id: s.communityId,
          name: s.communityName ?? s.communityId,
        }));
        this.setData({
          status: 'ready',
          roleTags: grant.roles.map((r) => ROLE_TEXT[r]),
          communityCount: me.staffOf.length,
          communityName: grant.communityName ?? grant.communityId,
          communities,
          groups: featuresFor(grant.roles),
        });
      } catch (err) {
        this.setData({ status: 'error', errorMessage: messageOf(err) });
      }
    },
    /** Staff of several communities: choose which one every 工作台 page works in. */
    onSwitchCommunity() {
      const list = this.data.communities;
      if (list.length < 2) return;
      const choose = (id: string) => {
        chooseCommunity(id);
        void this.load();
      };
      if (list.length <= 6) {
        wx.showActionSheet({
          itemList: list.map((c) => c.name),
          success: (res) => {
            const c = list[res.tapIndex];
            if (c) choose(c.id);
          },
        });
        return;
      }
      // Action sheets hold 6 items: step through longer lists one community at a time.
      const i = list.findIndex((c) => c.name === this.data.communityName);
      choose(list[(i + 1) % list.length]!.id);
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
