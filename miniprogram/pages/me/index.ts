/** 我的: rooms, receipts, complaints, subscriptions, settings, and the 长辈模式 switch. */
import { elderBehavior } from '../../behaviors/elder';
import { callQuiet } from '../../services/cloud';
import { rolesFromHome } from '../../services/session';
import { setElderMode } from '../../services/settings';
import { syncTabBar } from '../../services/ui';
import { ROLE_TEXT } from '../../utils/bill-view';

Component({
  behaviors: [elderBehavior],
  data: {
    title: '尊敬的业主',
    roleTags: [] as string[],
    roomCount: -1,
    roomText: '',
  },
  methods: {
    onShow() {
      syncTabBar(this, 'me');
      void this.loadHome();
    },
    /** Rooms and roles in one call: owner.home carries the caller's staff roles (no whoami). */
    async loadHome() {
      try {
        const call = callQuiet('owner', 'home', {});
        rolesFromHome(call.then((h) => h.me));
        const home = await call;
        const n = home.rooms.length;
        const roles = home.me.roles;
        this.setData({
          roomCount: n,
          roomText: n > 0 ? `${n} 套` : '未绑定',
          title: roles.length > 0 ? '您好，工作人员' : '尊敬的业主',
          roleTags: roles.map((r) => ROLE_TEXT[r]),
        });
      } catch {
        // the header keeps its polite default; the room count shows nothing
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
    onDeposits() {
      wx.navigateTo({ url: '/pages/deposits/index' });
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
