/**
 * 收费标准公示 (明码标价): the community's fee standards in force and announced price changes,
 * their rules in words, the approval behind each price, and the 12358 price-complaint hotline.
 * The community comes from the query (from 账单明细) or, from 我的, the owner's first room.
 */
import { shanghaiDate } from '../../domain/time';
import { elderBehavior } from '../../behaviors/elder';
import { call, messageOf } from '../../services/cloud';
import { toStandardsScreen, type StandardsScreen } from '../../utils/fee-view';

type Status = 'loading' | 'ready' | 'empty' | 'error';

Component({
  behaviors: [elderBehavior],
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    communityId: '',
    view: null as StandardsScreen | null,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ communityId: decodeURIComponent(query.communityId ?? '') });
      void this.load();
    },
    async load() {
      this.setData({ status: 'loading' });
      try {
        let communityId = this.data.communityId;
        if (!communityId) {
          const home = await call('owner', 'home', {}, { loading: false });
          communityId = home.rooms[0]?.communityId ?? '';
          if (!communityId) {
            this.setData({ status: 'empty' });
            return;
          }
          this.setData({ communityId });
        }
        const v = await call('fee', 'publicStandards', { communityId }, { loading: false });
        this.setData({
          status: v.standards.length > 0 ? 'ready' : 'empty',
          errorMessage: '',
          view: toStandardsScreen(v, shanghaiDate(new Date())),
        });
      } catch (err) {
        this.setData({ status: 'error', errorMessage: messageOf(err) });
      }
    },
    onRetry() {
      void this.load();
    },
    onCall(e: WechatMiniprogram.BaseEvent<Record<string, never>, { phone: string }>) {
      const phoneNumber = String(e.currentTarget.dataset.phone ?? '').replace(/[^\d-]/g, '');
      if (phoneNumber) wx.makePhoneCall({ phoneNumber, fail: () => undefined });
    },
  },
});
