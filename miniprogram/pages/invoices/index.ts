/**
 * 我的发票: every invoice request with its state — 申请中, 已开具 (number and the file from cloud
 * storage) or 已退回 (the reason, and a way to ask again).
 */
import { elderBehavior } from '../../behaviors/elder';
import { call, messageOf } from '../../services/cloud';
import { openInvoiceFile, toInvoiceItemView, type InvoiceItemView } from '../../utils/invoice-view';

type Status = 'loading' | 'ready' | 'error';

Component({
  behaviors: [elderBehavior],
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    items: [] as InvoiceItemView[],
  },
  methods: {
    onLoad() {
      void this.load();
    },
    onPullDownRefresh() {
      void this.load().finally(() => wx.stopPullDownRefresh());
    },
    async load() {
      if (this.data.items.length === 0) this.setData({ status: 'loading' });
      try {
        const res = await call('payment', 'myInvoices', {}, { loading: false });
        this.setData({ status: 'ready', items: res.invoices.map(toInvoiceItemView) });
      } catch (err) {
        this.setData({ status: 'error', errorMessage: messageOf(err) });
      }
    },
    onRetry() {
      void this.load();
    },
    onOpenFile(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const item = this.data.items[e.currentTarget.dataset.index];
      if (item?.fileID) void openInvoiceFile(item.fileID);
    },
    onAgain(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const item = this.data.items[e.currentTarget.dataset.index];
      if (item)
        wx.navigateTo({
          url: `/pages/invoice/index?paymentId=${encodeURIComponent(item.paymentId)}`,
        });
    },
    onReceipt(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const item = this.data.items[e.currentTarget.dataset.index];
      if (item)
        wx.navigateTo({
          url: `/pages/receipt/index?paymentId=${encodeURIComponent(item.paymentId)}`,
        });
    },
    onReceipts() {
      wx.navigateTo({ url: '/pages/receipts/index' });
    },
  },
});
