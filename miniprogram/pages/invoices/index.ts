/**
 * 我的发票: every invoice request with its state — 申请中, 已开具 (number and the file from cloud
 * storage) or 已退回 (the reason, and a way to ask again).
 */
import { pageState } from '../../behaviors/page-state';
import { callQuiet } from '../../services/cloud';
import { openCloudDocument } from '../../services/document';
import { toInvoiceItemView, type InvoiceItemView } from '../../utils/invoice-view';

Component({
  behaviors: [pageState],
  data: {
    items: [] as InvoiceItemView[],
  },
  methods: {
    async load() {
      const res = await callQuiet('payment', 'myInvoices', {});
      this.setData({ items: res.invoices.map(toInvoiceItemView) });
    },
    onOpenFile(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const item = this.data.items[e.currentTarget.dataset.index];
      if (item?.fileUrl) void openCloudDocument(item.fileUrl, '发票');
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
