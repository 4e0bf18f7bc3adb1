/** 我的: rooms, receipts, complaints, subscriptions, settings, and the 长辈模式 switch. */
import { elderBehavior } from '../../behaviors/elder';
import { callQuiet } from '../../services/cloud';
import { whoami } from '../../services/session';
import { setElderMode } from '../../services/settings';
import { syncTabBar } from '../../services/ui';
import { ROLE_TEXT } from '../../utils/bill-view';
import type { WhoAmI } from '../../domain/account/contract';

Component({
  behaviors: [elderBehavior],
  data: {
    title: '尊敬的业主',
    roleTags: [] as string[],
    roomCount: -1,
    roomText: '',
  },
  methods: {
    onLoad() {
      void this.loadProfile();
    },
    onShow() {
      syncTabBar(this, 'me');
      void this.loadRooms();
    },
    async loadProfile() {
      try {
        const me: WhoAmI = await whoami();
        this.setData({
          title: me.isStaff ? '您好，工作人员' : '尊敬的业主',
          roleTags: me.roles.map((r) => ROLE_TEXT[r]),
        });
      } catch {
        // The header keeps its polite default; nothing else on this page depends on it.
      }
    },
    async loadRooms() {
      try {
        const home = await callQuiet('owner', 'home', {});
        const n = home.rooms.length;
        this.setData({ roomCount: n, roomText: n > 0 ? `${n} 套` : '未绑定' });
      } catch {
        this.setData({ roomCount: -1, roomText: '' });
      }
    },
    onElderChange(e: { detail: boolean }) {
      setElderMode(e.detail);
      wx.showToast({ title: e.detail ? '已开启长辈模式' : '已关闭长辈模式', icon: 'none' });
    },
    onRooms() {
      wx.navigateTo({ url: '/pages/rooms/index' });
    },
    onReceipts() {
      wx.navigateTo({ url: '/pages/receipts/index' });
    },
    onInvoices() {
      wx.navigateTo({ url: '/pages/invoices/index' });
    },
    onComplaints() {
      wx.navigateTo({ url: '/pages/complaints/index' });
    },
    onSubscriptions() {
      wx.navigateTo({ url: '/pages/subscriptions/index' });
    },
    onSettings() {
      wx.navigateTo({ url: '/pages/settings/index' });
    },
    onPrivacy() {
      wx.navigateTo({ url: '/pages/privacy/index' });
    },
    onDisclosure() {
      wx.navigateTo({ url: '/pages/disclosures/index' });
    },
    onNotices() {
      wx.navigateTo({ url: '/pages/notice/index' });
    },
    onPlans() {
      wx.navigateTo({ url: '/pages/plan/index' });
    },
    onStandards() {
      wx.navigateTo({ url: '/pages/standards/index' });
    },
  },
});
