/** 缴费记录: every payment for the owner's rooms (online and at the front desk), newest first. */
import { pageState } from '../../behaviors/page-state';
import { callQuiet } from '../../services/cloud';
import { groupByYear, toReceiptItemView, type ReceiptYear } from '../../utils/receipt-view';

Component({
  behaviors: [pageState],
  data: {
    years: [] as ReceiptYear[],
    count: 0,
  },
  methods: {
    async load() {
      const { receipts } = await callQuiet('payment', 'myReceipts', {});
      const items = receipts.map(toReceiptItemView);
      this.setData({ years: groupByYear(items), count: items.length });
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
