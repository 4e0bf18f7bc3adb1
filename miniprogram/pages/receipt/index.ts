/**
 * 电子收据: one payment as a Chinese receipt (community, number, payer, rooms, items and the months
 * they cover, amount in figures and 大写, channel, time, the cashier for money taken at the desk,
 * seal); 保存图片 draws it on a 2d canvas and saves it to the photo album, 保存 PDF has the cloud
 * print it on A4 and opens it to save, forward or print.
 */
import { notFound, pageState } from '../../behaviors/page-state';
import { call, callQuiet } from '../../services/cloud';
import { whoami } from '../../services/session';
import { confirmModal } from '../../services/ui';
import { openCloudPdf } from '../../services/document';
import { pageCanvas } from '../../utils/canvas';
import { paintReceipt, RECEIPT_WIDTH } from '../../utils/receipt-image';
import { toReceiptDocView, type ReceiptDocView } from '../../utils/receipt-view';

type WxAsync = (o: Record<string, unknown>) => unknown;

/** A callback-style wx API as a promise (rejects with WeChat's `{ errMsg }`). */
function wxCall<T>(fn: WxAsync, options: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    fn({ ...options, success: (r: T) => resolve(r), fail: reject });
  });
}

function errMsgOf(e: unknown): string {
  return String((e as { errMsg?: string } | null)?.errMsg ?? (e as Error)?.message ?? e);
}

Component({
  behaviors: [pageState],
  data: {
    paymentId: '',
    receipt: null as ReceiptDocView | null,
    saving: false,
    savingPdf: false,
    /** finance (or admin) staff may start a refund of this payment from here */
    canRefund: false,
  },
  methods: {
    prepare(query: Record<string, string | undefined>) {
      this.setData({ paymentId: decodeURIComponent(query.paymentId ?? '') });
    },
    async load() {
      if (!this.data.paymentId) throw notFound('抱歉，没有找到这张收据');
      const view = await callQuiet('payment', 'receipt', { paymentId: this.data.paymentId });
      this.setData({ receipt: toReceiptDocView(view) });
      void this.checkStaff();
    },
    async checkStaff() {
      try {
        const me = await whoami();
        const canRefund = me.staffOf.some((s) =>
          s.roles.some((r) => r === 'finance' || r === 'admin'),
        );
        if (canRefund !== this.data.canRefund) this.setData({ canRefund });
      } catch {
        // owners never need it; staff can still use 退款 in the 管理 tab
      }
    },
    onInvoice() {
      wx.navigateTo({
        url: `/pages/invoice/index?paymentId=${encodeURIComponent(this.data.paymentId)}`,
      });
    },
    onRefund() {
      wx.navigateTo({
        url: `/admin/refunds/index?paymentId=${encodeURIComponent(this.data.paymentId)}`,
      });
    },
    /** 保存 PDF: the receipt as an A4 PDF made in the cloud, opened to save, forward or print. */
    async onSavePdf() {
      await this.submit({
        busy: 'savingPdf',
        send: () =>
          call(
            'payment',
            'receiptPdf',
            { paymentId: this.data.paymentId },
            { loading: '正在生成 PDF' },
          ),
        then: openCloudPdf,
        failTitle: '抱歉，PDF 生成未成功',
        reload: false,
      });
    },
    async onSave() {
      const receipt = this.data.receipt;
      if (!receipt || this.data.saving) return;
      this.setData({ saving: true });
      wx.showLoading({ title: '正在生成图片', mask: true });
      try {
        const canvas = await pageCanvas(this, '#receipt-canvas', RECEIPT_WIDTH, 600);
        if (!canvas) {
          wx.hideLoading();
          wx.showToast({ title: '当前版本暂不支持保存图片，您可以截屏保存', icon: 'none' });
          return;
        }
        paintReceipt(canvas, receipt, wx.getSystemInfoSync().pixelRatio || 2);
        const { tempFilePath } = await wxCall<{ tempFilePath: string }>(
          wx.canvasToTempFilePath as unknown as WxAsync,
          { canvas, fileType: 'png' },
        );
        await wxCall(wx.saveImageToPhotosAlbum as unknown as WxAsync, { filePath: tempFilePath });
        wx.hideLoading();
        wx.showToast({ title: '收据图片已保存', icon: 'success' });
      } catch (e) {
        wx.hideLoading();
        const msg = errMsgOf(e);
        if (/cancel/i.test(msg)) return;
        if (/auth|authorize|permission|privacy/i.test(msg)) {
          const go = await confirmModal({
            title: '需要您的授权',
            content: '保存收据图片需要“添加到相册”权限，请在设置中允许后再试。',
            confirmText: '去设置',
          });
          if (go) wx.openSetting({});
          return;
        }
        wx.showToast({ title: '抱歉，图片保存未成功，您可以截屏保存收据', icon: 'none' });
      } finally {
        this.setData({ saving: false });
      }
    },
  },
});
