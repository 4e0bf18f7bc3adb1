/**
 * 退款 (finance; admins approve): the community's refunds by status, a request for all or part
 * of a payment, the admin's approve/reject of those above the approval threshold, and a retry of
 * a failed WeChat refund (same refund number, so it never refunds twice).
 *
 * The payment is named by its 收款编号 (paymentId): no action looks a payment up by receipt
 * number, so staff open 申请退款 from the receipt page (which shows the number and links here
 * with it filled in) or paste it. It is checked with `payment.receipt` before anything is sent,
 * so finance sees the receipt number, payer and amount they are about to refund.
 */
import { fieldsNamed } from '../../behaviors/page-state';
import { staffPage } from '../staff-page';
import { pagedList } from '../paged-list';
import { api } from '../../domain/api';
import { check } from '../../domain/kernel/check';
import { call, messageOf } from '../../services/cloud';
import { confirmModal, notice } from '../../services/ui';
import {
  NO_REFUND_ERRORS,
  REFUND_REASONS,
  REFUND_TABS,
  checkRefundForm,
  outcomeText,
  toRefundItemView,
  type RefundItemView,
  type RefundTab,
} from './form';
import type { ReceiptView } from '../../domain/payment/contract';
import type { StaffScope } from '../scope';
import { formatYuan, fenToYuanString } from '../../domain/kernel/money';
import { formatDateTime } from '../../domain/kernel/time';

interface PaymentPreview {
  receiptNo: string;
  payer: string;
  roomsText: string;
  channelText: string;
  amountFen: number;
  amountText: string;
  paidText: string;
  reversed: boolean;
}

function toPreview(r: ReceiptView): PaymentPreview {
  return {
    receiptNo: r.receiptNo,
    payer: r.payer,
    roomsText: r.roomLabels.join('、'),
    channelText: r.channelLabel,
    amountFen: r.amountFen,
    amountText: formatYuan(r.amountFen),
    paidText: formatDateTime(r.paidAt),
    reversed: r.reversed,
  };
}

Component({
  // Refunds are one queue across the caller's communities: finance (or admin) anywhere opens it.
  behaviors: [staffPage({ roles: ['finance'], showFirst: true }), pagedList],
  data: {
    isAdmin: false,
    tabs: REFUND_TABS,
    tab: 'all' as RefundTab,
    items: [] as RefundItemView[],
    listLoading: false,
    listError: '',
    // the request form
    formOpen: false,
    paymentId: '',
    preview: null as PaymentPreview | null,
    looking: false,
    amountText: '',
    reason: '',
    reasons: REFUND_REASONS,
    errors: NO_REFUND_ERRORS,
    submitting: false,
    outcome: '',
    outcomeTone: '' as '' | 'ok' | 'wait' | 'bad',
    // reject editor
    rejectId: '',
    rejectNote: '',
    rejectError: '',
    busyId: '',
  },
  methods: {
    prepare(query: Record<string, string | undefined>) {
      const paymentId = decodeURIComponent(query.paymentId ?? '');
      if (paymentId) this.setData({ formOpen: true, paymentId });
    },
    begin(scope: StaffScope) {
      const isAdmin = scope.grants.some((g) => g.roles.includes('admin'));
      this.setData({
        isAdmin,
        // admins open on what waits for them
        tab: isAdmin && !this.data.paymentId ? 'pending-approval' : this.data.tab,
      });
      if (this.data.paymentId) void this.lookup();
    },
    load() {
      return this.loadList();
    },
    /** The tab's first page, or with `more` the next (加载更多, scrolling). */
    loadList(more = false) {
      const tab = this.data.tab;
      return this.fillPage(
        more,
        (page) =>
          call('payment', 'refunds', tab === 'all' ? page : { status: tab, ...page }, {
            loading: false,
          }),
        (res) =>
          this.appendRows(
            'items',
            res.refunds.map((r) => toRefundItemView(r, this.data.isAdmin)),
            more,
          ),
      );
    },
    onTab(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: RefundTab }>) {
      const tab = e.currentTarget.dataset.value;
      if (tab === this.data.tab) return;
      this.setData({ tab, items: [], rejectId: '' });
      void this.loadList();
    },

    // ------------------------------------------------------------ the request
    onOpenForm() {
      this.setData({ formOpen: !this.data.formOpen, outcome: '' });
    },
    onPaymentId(e: { detail: string }) {
      this.setData({
        paymentId: String(e.detail ?? ''),
        preview: null,
        'errors.paymentId': '',
      });
    },
    async lookup() {
      const paymentId = this.data.paymentId.trim();
      if (!paymentId) {
        this.setData({ 'errors.paymentId': '请填写收款编号' });
        return;
      }
      this.setData({ looking: true, 'errors.paymentId': '' });
      try {
        const receipt = await call('payment', 'receipt', { paymentId }, { loading: false });
        const preview = toPreview(receipt);
        this.setData({
          preview,
          ...(receipt.amountFen <= 0
            ? { 'errors.paymentId': '这是一张红字收据，不能再退款' }
            : { amountText: this.data.amountText || fenToYuanString(receipt.amountFen) }),
        });
      } catch (err) {
        this.setData({ preview: null, 'errors.paymentId': messageOf(err) });
      } finally {
        this.setData({ looking: false });
      }
    },
    onLookup() {
      void this.lookup();
    },
    onAmount(e: { detail: string }) {
      this.setData({ amountText: String(e.detail ?? ''), 'errors.amount': '' });
    },
    onReason(e: { detail: string }) {
      this.setData({ reason: String(e.detail ?? ''), 'errors.reason': '' });
    },
    onQuickReason(e: WechatMiniprogram.BaseEvent<Record<string, never>, { text: string }>) {
      this.setData({ reason: String(e.currentTarget.dataset.text), 'errors.reason': '' });
    },
    async onSubmit() {
      const preview = this.data.preview;
      await this.submit({
        busy: 'submitting',
        check: () =>
          checkRefundForm({
            paymentId: this.data.paymentId,
            amountText: this.data.amountText,
            reason: this.data.reason,
            paidFen: preview && preview.amountFen > 0 ? preview.amountFen : null,
          }),
        errors: 'errors',
        toastFirstError: true,
        confirm: (input) =>
          confirmModal({
            title: '请核对退款信息',
            content: `收据 ${preview!.receiptNo}（${preview!.channelText}，${preview!.amountText}）退款 ${formatYuan(
              input.amountFen,
            )}。原因：${input.reason}。退款后将开具红字收据，不能撤销。`,
            confirmText: '确认退款',
          }),
        send: (input) => call('payment', 'requestRefund', input, { loading: '正在提交退款' }),
        fieldOf: fieldsNamed({ amountFen: 'amount', reason: 'reason', paymentId: 'paymentId' }),
        alwaysNotice: true,
        failTitle: '退款未成功',
        then: (refund) =>
          this.setData({
            outcome: outcomeText(refund),
            outcomeTone:
              refund.status === 'done' ? 'ok' : refund.status === 'failed' ? 'bad' : 'wait',
            paymentId: '',
            preview: null,
            amountText: '',
            reason: '',
            errors: NO_REFUND_ERRORS,
            tab: 'all',
          }),
      });
    },

    // ------------------------------------------------------------ approve, reject, retry
    itemAt(index: number): RefundItemView | undefined {
      return this.data.items[index];
    },
    async onApprove(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const item = this.itemAt(e.currentTarget.dataset.index);
      if (!item || this.data.busyId) return;
      const go = await confirmModal({
        title: '批准退款',
        content: `收据 ${item.receiptNo} 退款 ${item.amountText}（${item.channelText}）。批准后立即原路退款并开具红字收据。`,
        confirmText: '批准退款',
      });
      if (!go) return;
      await this.decide(item, true);
    },
    onReject(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const item = this.itemAt(e.currentTarget.dataset.index);
      if (item) this.setData({ rejectId: item.refundId, rejectNote: '', rejectError: '' });
    },
    onRejectNote(e: { detail: string }) {
      this.setData({ rejectNote: String(e.detail ?? ''), rejectError: '' });
    },
    onCancelReject() {
      this.setData({ rejectId: '', rejectNote: '', rejectError: '' });
    },
    async onConfirmReject() {
      const item = this.data.items.find((i) => i.refundId === this.data.rejectId);
      if (!item) return;
      const note = this.data.rejectNote.trim();
      const checked = check(api.payment.decideRefund, {
        refundId: item.refundId,
        approve: false,
        note,
      });
      if (!checked.ok) {
        this.setData({ rejectError: checked.errors[0]!.message });
        return;
      }
      await this.decide(item, false, note);
    },
    async decide(item: RefundItemView, approve: boolean, note?: string) {
      this.setData({ busyId: item.refundId });
      try {
        const r = await call(
          'payment',
          'decideRefund',
          { refundId: item.refundId, approve, ...(note ? { note } : {}) },
          { loading: approve ? '正在退款' : '正在提交' },
        );
        wx.showToast({
          title: approve ? (r.status === 'done' ? '已退款' : '已批准') : '已驳回',
          icon: r.status === 'failed' ? 'none' : 'success',
        });
        if (r.status === 'failed') notice('退款未成功', outcomeText(r));
        this.setData({ rejectId: '' });
        await this.loadList();
      } catch (err) {
        notice('处理未成功', messageOf(err));
        await this.loadList();
      } finally {
        this.setData({ busyId: '' });
      }
    },
    async onRetryRefund(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const item = this.itemAt(e.currentTarget.dataset.index);
      if (!item || this.data.busyId) return;
      this.setData({ busyId: item.refundId });
      try {
        const r = await call(
          'payment',
          'retryRefund',
          { refundId: item.refundId },
          { loading: '正在重试' },
        );
        if (r.status === 'done') wx.showToast({ title: '已退款', icon: 'success' });
        else notice('退款仍未成功', outcomeText(r));
        await this.loadList();
      } catch (err) {
        notice('重试未成功', messageOf(err));
      } finally {
        this.setData({ busyId: '' });
      }
    },
    onReceipt(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const item = this.itemAt(e.currentTarget.dataset.index);
      if (item)
        wx.navigateTo({
          url: `/pages/receipt/index?paymentId=${encodeURIComponent(item.paymentId)}`,
        });
    },
  },
});
