/** 缴费记录: every payment for the owner's rooms (online and at the front desk), newest first. */
import { elderBehavior } from '../../behaviors/elder';
import { call, messageOf } from '../../services/cloud';
import { groupByYear, toReceiptItemView, type ReceiptYear } from '../../utils/receipt-view';

type Status = 'loading' | 'ready' | 'error';

Component({
  behaviors: [elderBehavior],
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    years: [] as ReceiptYear[],
    count: 0,
  },
  methods: {
    onLoad() {
      void this.load();
    },
    async onPullDownRefresh() {
      await this.load(true);
      wx.stopPullDownRefresh();
    },
    async load(refresh = false) {
      if (!refresh) this.setData({ status: 'loading' });
      try {
        const { receipts } = await call('payment', 'myReceipts', {}, { loading: false });
        const items = receipts.map(toReceiptItemView);
        this.setData({
          status: 'ready',
          errorMessage: '',
          years: groupByYear(items),
          count: items.length,
        });
      } catch (err) {
        this.setData({ status: 'error', errorMessage: messageOf(err) });
      }
    },
    onRetry() {
      void this.load();
    },
    onOpen(e: WechatMiniprogram.BaseEvent<Record<string, never>, { paymentId: string }>) {
      const id = e.currentTarget.dataset.paymentId;
      if (id) wx.navigateTo({ url: `/pages/receipt/index?paymentId=${encodeURIComponent(id)}` });
    },
    onBills() {
      wx.switchTab({ url: '/pages/bills/index' });
    },
  },
});
