/** 发票: the owner's request form, checked before sending, and how an invoice reads in a list. */
import type { TagType } from './bill-view';
import type { InvoiceStatus, InvoiceView } from '../domain/payment/contract';
import { api, type ActionInput } from '../domain/api';
import { check, messagesByField } from '../domain/kernel/check';
import { formatYuan } from '../domain/kernel/money';
import { formatDateTime } from '../domain/kernel/time';

export type TitleType = 'personal' | 'company';

export interface InvoiceForm {
  titleType: TitleType;
  title: string;
  taxId: string;
  email: string;
}

export interface InvoiceErrors {
  title: string;
  taxId: string;
  email: string;
}

export const NO_INVOICE_ERRORS: InvoiceErrors = { title: '', taxId: '', email: '' };

export type InvoiceInput = ActionInput<'payment', 'requestInvoice'>;

/**
 * The form checked with the function's own contract (payment.requestInvoice): the title, a tax
 * ID for a company — a real unified social credit code (its check character) or a 15/20-character
 * taxpayer number — and an email that is one; every problem at once, each under its field. The
 * input sent is the checked one: trimmed, the tax ID upper-cased without spaces.
 */
export function checkInvoiceForm(
  f: InvoiceForm,
  paymentId: string,
): { ok: true; input: InvoiceInput } | { ok: false; errors: InvoiceErrors } {
  const email = f.email.trim();
  const res = check(api.payment.requestInvoice, {
    paymentId,
    titleType: f.titleType,
    title: f.title,
    ...(f.titleType === 'company' && f.taxId.trim() ? { taxId: f.taxId } : {}),
    ...(email ? { email } : {}),
  });
  if (res.ok) return { ok: true, input: res.data };
  const byField = messagesByField(res.errors);
  return {
    ok: false,
    errors: {
      title: byField.title ?? '',
      taxId: byField.taxId ?? '',
      email: byField.email ?? '',
    },
  };
}

export const INVOICE_STATUS_TEXT: Record<InvoiceStatus, string> = {
  requested: '申请中',
  issued: '已开具',
  rejected: '已退回',
};

const STATUS_TAG: Record<InvoiceStatus, TagType> = {
  requested: 'warning',
  issued: 'success',
  rejected: 'danger',
};

export interface InvoiceItemView {
  invoiceId: string;
  paymentId: string;
  receiptNo: string;
  amountText: string;
  titleTypeText: string;
  title: string;
  taxId: string;
  email: string;
  status: InvoiceStatus;
  statusText: string;
  tagType: TagType;
  requestedText: string;
  invoiceNo: string;
  /** The issued file's temporary link, or ''. */
  fileUrl: string;
  rejectReason: string;
}

export function toInvoiceItemView(v: InvoiceView): InvoiceItemView {
  return {
    invoiceId: v.invoiceId,
    paymentId: v.paymentId,
    receiptNo: v.receiptNo,
    amountText: formatYuan(v.amountFen),
    titleTypeText: v.titleType === 'company' ? '单位' : '个人',
    title: v.title,
    taxId: v.taxId ?? '',
    email: v.email ?? '',
    status: v.status,
    statusText: INVOICE_STATUS_TEXT[v.status],
    tagType: STATUS_TAG[v.status],
    requestedText: formatDateTime(v.requestedAt),
    invoiceNo: v.invoiceNo ?? '',
    fileUrl: v.fileUrl ?? '',
    rejectReason: v.rejectReason ?? '',
  };
}
