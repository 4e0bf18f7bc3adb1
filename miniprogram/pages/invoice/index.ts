/**
 * 申请发票 for one payment (opened from its receipt): personal, or a company title with its tax
 * ID, and an optional email for the file. The form is checked with the function's own contract
 * before sending (the tax ID's check character included), every problem at once next to its
 * field; a sentence the function still answers with is shown the same way. A payment has one
 * request: when it is already asked for or issued, the page says so instead of showing the form;
 * a returned one can be asked for again, with the earlier details filled in.
 */
import { elderBehavior } from '../../behaviors/elder';
import { CloudError, call, messageOf } from '../../services/cloud';
import { notice } from '../../services/ui';
import {
  NO_INVOICE_ERRORS,
  checkInvoiceForm,
  toInvoiceItemView,
  type InvoiceItemView,
  type TitleType,
} from '../../utils/invoice-view';
import type { InvoiceView } from '../../domain/payment/contract';
import { formatYuan } from '../../domain/kernel/money';

type Status = 'loading' | 'ready' | 'error';

Component({
  behaviors: [elderBehavior],
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    paymentId: '',
    receiptNo: '',
    amountFen: 0,
    amountText: '',
    /** the request already made for this payment, if any */
    existing: null as InvoiceItemView | null,
    titleType: 'personal' as TitleType,
    title: '',
    taxId: '',
    email: '',
    errors: NO_INVOICE_ERRORS,
    /** why an earlier request for this payment was returned */
    rejectedReason: '',
    submitting: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ paymentId: decodeURIComponent(query.paymentId ?? '') });
      void this.load();
    },
    async load() {
      if (!this.data.paymentId) {
        this.setData({ status: 'error', errorMessage: '抱歉，没有找到这笔缴费' });
        return;
      }
      this.setData({ status: 'loading' });
      try {
        const [receipt, mine] = await Promise.all([
          call('payment', 'receipt', { paymentId: this.data.paymentId }, { loading: false }),
          call('payment', 'myInvoices', {}, { loading: false }),
        ]);
        const found = mine.invoices.find((i) => i.paymentId === this.data.paymentId);
        this.setData({
          status: 'ready',
          receiptNo: receipt.receiptNo,
          amountFen: receipt.amountFen,
          amountText: formatYuan(receipt.amountFen),
          existing: found && found.status !== 'rejected' ? toInvoiceItemView(found) : null,
          ...(found?.status === 'rejected' ? this.prefill(found) : {}),
        });
      } catch (err) {
        this.setData({ status: 'error', errorMessage: messageOf(err) });
      }
    },
    prefill(v: InvoiceView) {
      return {
        titleType: v.titleType,
        title: v.title,
        taxId: v.taxId ?? '',
        email: v.email ?? '',
        rejectedReason: v.rejectReason ?? '',
      };
    },
    onRetry() {
      void this.load();
    },
    onTitleType(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: TitleType }>) {
      const titleType = e.currentTarget.dataset.value;
      if (titleType === this.data.titleType) return;
      this.setData({ titleType, errors: NO_INVOICE_ERRORS });
    },
    onField(e: { detail: string; currentTarget: { dataset: { field: string } } }) {
      const field = e.currentTarget.dataset.field;
      if (field !== 'title' && field !== 'taxId' && field !== 'email') return;
      this.setData({ [field]: String(e.detail ?? ''), [`errors.${field}`]: '' });
    },
    async onSubmit() {
      if (this.data.submitting) return;
      const checked = checkInvoiceForm(
        {
          titleType: this.data.titleType,
          title: this.data.title,
          taxId: this.data.taxId,
          email: this.data.email,
        },
        this.data.paymentId,
      );
      if (!checked.ok) {
        this.setData({ errors: checked.errors });
        const first = checked.errors.title || checked.errors.taxId || checked.errors.email;
        wx.showToast({ title: first, icon: 'none', duration: 2500 });
        return;
      }
      this.setData({ submitting: true });
      try {
        const view = await call('payment', 'requestInvoice', checked.input, {
          loading: '正在提交',
        });
        this.setData({ existing: toInvoiceItemView(view) });
        wx.pageScrollTo({ scrollTop: 0, duration: 0 });
      } catch (err) {
        const field = err instanceof CloudError ? err.field : '';
        if (field === 'taxId' || field === 'title' || field === 'email') {
          this.setData({ [`errors.${field}`]: messageOf(err) });
          wx.showToast({ title: messageOf(err), icon: 'none', duration: 2500 });
        } else {
          notice('申请未成功', messageOf(err));
        }
      } finally {
        this.setData({ submitting: false });
      }
    },
    onMyInvoices() {
      wx.redirectTo({ url: '/pages/invoices/index' });
    },
  },
});
