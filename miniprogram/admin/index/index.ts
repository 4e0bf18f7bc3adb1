/** 工作台: the staff entry point, listing what the caller's roles allow. */
import { staffPage } from '../staff-page';
import { STAFF_ROLES } from '../../domain/community/vocabulary';
import { ROLE_TEXT } from '../../utils/bill-view';
import { featuresFor, withBadge, type Feature, type FeatureGroup } from '../features';
import { call } from '../../services/cloud';
import { chooseCommunity } from '../scope';

Component({
  // Any staff role opens it; the scope is the community chosen here (or the first one).
  behaviors: [staffPage({ roles: STAFF_ROLES })],
  data: {
    roleTags: [] as string[],
    communityCount: 0,
    communityName: '',
    communities: [] as { id: string; name: string }[],
    groups: [] as FeatureGroup[],
  },
  methods: {
    /** Roles and functions are those of the community being worked in. */
    async load() {
      const scope = this.data.staffScope!;
      this.setData({
        roleTags: scope.roles.map((r) => ROLE_TEXT[r]),
        communityCount: scope.grants.length,
        communityName: scope.communityName || scope.communityId,
        communities: scope.grants.map((s) => ({
          id: s.communityId,
          name: s.communityName ?? s.communityId,
        })),
        groups: featuresFor(scope.roles),
      });
      // The page shows at once; the count joins it when it comes.
      void this.loadBadges();
    },
    /**
     * Finance's home shows what waits for it: the open payment exceptions, on their entry. A
     * count that cannot be read leaves the entry without one (the page itself is unaffected).
     */
    async loadBadges() {
      const scope = this.data.staffScope!;
      if (!scope.roles.some((r) => r === 'finance' || r === 'admin')) return;
      try {
        const res = await call(
          'payment',
          'exceptions',
          // Only the count is wanted: the smallest page.
          { communityId: scope.communityId, status: 'open', limit: 1 },
          { loading: false },
        );
        this.setData({ groups: withBadge(this.data.groups, 'pay-exceptions', res.openCount) });
      } catch {
        // no badge
      }
    },
    /** Staff of several communities: choose which one every 工作台 page works in. */
    onSwitchCommunity() {
      const list = this.data.communities;
      if (list.length < 2) return;
      const choose = (id: string) => {
        chooseCommunity(id);
        void this.start();
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
    onHome() {
      wx.switchTab({ url: '/pages/home/index' });
    },
    onFeature(
      e: WechatMiniprogram.BaseEvent<Record<string, never>, { group: number; index: number }>,
    ) {
      const { group, index } = e.currentTarget.dataset;
      const feature: Feature | undefined = this.data.groups[group]?.features[index];
      if (!feature) return;
      wx.navigateTo({ url: feature.url });
    },
  },
});
