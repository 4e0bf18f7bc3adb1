/**
 * 缴费结果: what happened after the WeChat Pay sheet closed. Success is what the server says
 * (orderStatus, polled with backoff while the payment notification is on its way), never the
 * sheet alone. Paid: the receipt number, a link to the receipt and the reminder consent (asked
 * from a tap, as WeChat requires). Cancelled or failed: a polite word and 重新支付.
 */
import { elderBehavior } from '../../behaviors/elder';
import { call, messageOf } from '../../services/cloud';
import {
  askForReminders,
  notePaymentMade,
  openPaySheet,
  STATUS_BACKOFF_MS,
  waitForOrder,
  type SheetOutcome,
} from '../../services/pay';
import { notice } from '../../services/ui';
import { SHEET_OUTCOMES, resultStatus, type ResultStatus } from '../../utils/pay-view';

Component({
  behaviors: [elderBehavior],
  data: {
    status: 'checking' as ResultStatus,
    outTradeNo: '',
    sheet: 'paid' as SheetOutcome,
    billIds: [] as string[],
    partFen: 0,
    amountFen: 0,
    receiptNo: '',
    paymentId: '',
    retrying: false,
    remindText: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const outTradeNo = query.outTradeNo ?? '';
      const sheet = SHEET_OUTCOMES.find((o) => o === query.outcome) ?? 'paid';
      const amountFen = Number(query.amountFen);
      const partFen = Number(query.partFen);
      this.setData({
        outTradeNo,
        sheet,
        amountFen: Number.isSafeInteger(amountFen) ? amountFen : 0,
        partFen: Number.isSafeInteger(partFen) && partFen > 0 ? partFen : 0,
        billIds: (query.billIds ?? '').split(',').filter(Boolean),
      });
      if (!outTradeNo) this.setData({ status: 'missing' });
      else if (sheet === 'cancel') this.setData({ status: 'cancel' });
      else void this.check();
    },
    async check() {
      this.setData({ status: 'checking' });
      try {
        // only a sheet that reported success is worth waiting for; a failed one is asked once
        const view = await waitForOrder(
          this.data.outTradeNo,
          this.data.sheet === 'paid' ? STATUS_BACKOFF_MS : [0],
        );
        const status = resultStatus(view, this.data.sheet);
        if (status === 'paid') notePaymentMade();
        this.setData({
          status,
          amountFen: view.amountFen,
          receiptNo: view.receiptNo ?? '',
          paymentId: view.paymentId ?? '',
        });
      } catch {
        // no answer at all: the payment may still be on its way
        this.setData({ status: this.data.sheet === 'fail' ? 'failed' : 'pending' });
      }
    },
    onRefresh() {
      void this.check();
    },
    /** 重新支付: the same bills (and part amount); the server hands back the live order if any. */
    async onRetry() {
      if (this.data.retrying) return;
      this.setData({ retrying: true });
      try {
        const order = await call(
          'payment',
          'createOrder',
          {
            ...(this.data.billIds.length ? { billIds: this.data.billIds } : {}),
            ...(this.data.partFen ? { amountFen: this.data.partFen } : {}),
          },
          { loading: '正在创建订单' },
        );
        this.setData({ outTradeNo: order.outTradeNo, amountFen: order.amountFen });
        const sheet = await openPaySheet(order.payment);
        this.setData({ sheet: sheet.outcome });
        if (sheet.outcome === 'cancel') {
          this.setData({ status: 'cancel' });
          wx.showToast({ title: '您已取消支付', icon: 'none' });
        } else {
          await this.check();
        }
      } catch (err) {
        notice('暂时无法发起支付', messageOf(err));
      } finally {
        this.setData({ retrying: false });
      }
    },
    onReceipt() {
      if (this.data.paymentId)
        wx.navigateTo({ url: `/pages/receipt/index?paymentId=${this.data.paymentId}` });
    },
    onRecords() {
      wx.redirectTo({ url: '/pages/receipts/index' });
    },
    onBills() {
      wx.switchTab({ url: '/pages/bills/index' });
    },
    onHome() {
      wx.switchTab({ url: '/pages/home/index' });
    },
    async onRemind() {
      const accepted = await askForReminders();
      const remindText =
        accepted > 0
          ? `已为您订阅 ${accepted} 项提醒，下期账单出账时我们会通知您`
          : accepted === 0
            ? '您暂未订阅提醒，可随时在“我的 → 消息订阅”中开启'
            : '抱歉，订阅未成功，请稍后在“我的 → 消息订阅”中再试';
      this.setData({ remindText });
    },
  },
});
