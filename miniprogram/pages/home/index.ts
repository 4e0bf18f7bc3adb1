/**
 * 首页: what is owed now, the next due date, latest notices, quick pay, 自助抄表 when the owner
 * has meters to report, and how to reach us.
 */
import { pageState } from '../../behaviors/page-state';
import { callQuiet } from '../../services/cloud';
import { currentPaymentsVersion } from '../../services/pay';
import { rolesFromHome } from '../../services/session';
import { syncTabBar } from '../../services/ui';
import { toHomeView, type HomeView, type NoticeView } from '../../utils/bill-view';

Component({
  behaviors: [pageState],
  data: {
    home: null as HomeView | null,
    paymentsVersion: 0,
  },
  methods: {
    onShow() {
      syncTabBar(this, 'home');
      // back from paying: what is owed has changed
      if (this.data.status === 'ready' && this.data.paymentsVersion !== currentPaymentsVersion())
        void this.reload();
    },
    async load() {
      const call = callQuiet('owner', 'home', {});
      rolesFromHome(call.then((h) => h.me));
      const home = await call;
      this.setData({ home: toHomeView(home), paymentsVersion: currentPaymentsVersion() });
    },
    /** 立即缴费: every unpaid bill, confirmed on the next page. */
    onPay() {
      wx.navigateTo({ url: '/pages/pay/index' });
    },
    onBills() {
      wx.switchTab({ url: '/pages/bills/index' });
    },
    onRooms() {
      wx.navigateTo({ url: '/pages/rooms/index' });
    },
    /** No room yet: 业主认证 right away. */
    onBind() {
      wx.navigateTo({ url: '/pages/bind/index' });
    },
    onSubscribe() {
      wx.navigateTo({ url: '/pages/subscriptions/index' });
    },
    onReceipts() {
      wx.navigateTo({ url: '/pages/receipts/index' });
    },
    onDisclosure() {
      wx.navigateTo({ url: '/pages/disclosures/index' });
    },
    onMeter() {
      wx.navigateTo({ url: '/pages/meter/index' });
    },
    /** 报事投诉: the owner's complaints and suggestions, with 我要投诉 / 建议 at the top. */
    onComplaint() {
      wx.navigateTo({ url: '/pages/complaints/index' });
    },
    onNotice(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const notice = (this.data.home?.notices ?? [])[e.currentTarget.dataset.index] as
        NoticeView | undefined;
      if (!notice) return;
      wx.navigateTo({
        url: `/pages/notice/detail?noticeId=${encodeURIComponent(notice.noticeId)}`,
      });
    },
    onAllNotices() {
      wx.navigateTo({ url: '/pages/notice/index' });
    },
    onCall() {
      const phone = this.data.home?.contact?.servicePhone;
      if (phone) wx.makePhoneCall({ phoneNumber: phone });
    },
  },
});
