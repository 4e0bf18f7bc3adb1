/**
 * 申请发票 for one payment (opened from its receipt): personal, or a company title with its tax
 * ID, and an optional email for the file. The form is checked with the function's own contract
 * before sending (the tax ID's check character included), every problem at once next to its
 * field; a sentence the function still answers with is shown the same way. A payment has one
 * request: when it is already asked for or issued, the page says so instead of showing the form;
 * a returned one can be asked for again, with the earlier details filled in.
 */
import { notFound, pageState } from '../../behaviors/page-state';
import { CloudError, call, callQuiet, messageOf } from '../../services/cloud';
import {
  NO_INVOICE_ERRORS,
  checkInvoiceForm,
  toInvoiceItemView,
  type InvoiceItemView,
  type TitleType,
} from '../../utils/invoice-view';
import type { InvoiceView } from '../../domain/payment/contract';
import { formatYuan } from '../../domain/kernel/money';

Component({
  behaviors: [pageState],
  data: {
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
    prepare(query: Record<string, string | undefined>) {
      this.setData({ paymentId: decodeURIComponent(query.paymentId ?? '') });
    },
    async load() {
      if (!this.data.paymentId) throw notFound('抱歉，没有找到这笔缴费');
      const [receipt, mine] = await Promise.all([
        callQuiet('payment', 'receipt', { paymentId: this.data.paymentId }),
        callQuiet('payment', 'myInvoices', {}),
      ]);
      const found = mine.invoices.find((i) => i.paymentId === this.data.paymentId);
      this.setData({
        receiptNo: receipt.receiptNo,
        amountFen: receipt.amountFen,
        amountText: formatYuan(receipt.amountFen),
        existing: found && found.status !== 'rejected' ? toInvoiceItemView(found) : null,
        ...(found?.status === 'rejected' ? this.prefill(found) : {}),
      });
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
      await this.submit({
        busy: 'submitting',
        check: () =>
          checkInvoiceForm(
            {
              titleType: this.data.titleType,
              title: this.data.title,
              taxId: this.data.taxId,
              email: this.data.email,
            },
            this.data.paymentId,
          ),
        errors: 'errors',
        toastFirstError: true,
        send: (input) => call('payment', 'requestInvoice', input, { loading: '正在提交' }),
        // a refusal naming a field: under the field, and said at once (the form is long)
        showError: (err) => {
          const field = err instanceof CloudError ? err.field : '';
          if (field !== 'taxId' && field !== 'title' && field !== 'email') return false;
          this.setData({ [`errors.${field}`]: messageOf(err) });
          wx.showToast({ title: messageOf(err), icon: 'none', duration: 2500 });
          return true;
        },
        failTitle: '申请未成功',
        reload: false,
        then: (view) => {
          this.setData({ existing: toInvoiceItemView(view) });
          wx.pageScrollTo({ scrollTop: 0, duration: 0 });
        },
      });
    },
    onMyInvoices() {
      wx.redirectTo({ url: '/pages/invoices/index' });
    },
  },
});
