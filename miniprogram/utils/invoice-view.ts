/** 发票: the owner's request form, checked before sending, and how an invoice reads in a list. */
import type { TagType } from './bill-view';
import type { InvoiceStatus, InvoiceView } from '../domain/payment/contract';
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

export type InvoiceInput = {
  titleType: TitleType;
  title: string;
  taxId?: string;
  email?: string;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * What can be told before sending: a title, a tax ID for a company, an email that looks like
 * one. Whether the tax ID is a real code (its check character) is the server's to say; the
 * page shows its sentence next to the field.
 */
export function checkInvoiceForm(
  f: InvoiceForm,
): { ok: true; input: InvoiceInput } | { ok: false; errors: InvoiceErrors } {
  const errors: InvoiceErrors = { ...NO_INVOICE_ERRORS };
  const title = f.title.trim();
  const taxId = f.taxId.trim().toUpperCase().replace(/\s+/g, '');
  const email = f.email.trim();
  if (!title) errors.title = f.titleType === 'company' ? '请填写单位名称' : '请填写抬头（姓名）';
  else if (title.length < 2) errors.title = '抬头至少 2 个字';
  else if (title.length > 60) errors.title = '抬头最多 60 个字';
  if (f.titleType === 'company') {
    if (!taxId) errors.taxId = '单位抬头请填写税号';
    else if (taxId.length > 20) errors.taxId = '税号最多 20 位';
  }
  if (email && (!EMAIL.test(email) || email.length > 80)) errors.email = '邮箱格式不正确';
  if (errors.title || errors.taxId || errors.email) return { ok: false, errors };
  return {
    ok: true,
    input: {
      titleType: f.titleType,
      title,
      ...(f.titleType === 'company' ? { taxId } : {}),
      ...(email ? { email } : {}),
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
  fileID: string;
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
    fileID: v.fileID ?? '',
    rejectReason: v.rejectReason ?? '',
  };
}

/**
 * Open an issued invoice's file: download it from cloud storage and open it; where that fails
 * (no viewer for the format), copy a temporary link instead.
 */
export async function openInvoiceFile(fileID: string): Promise<void> {
  wx.showLoading({ title: '正在打开发票', mask: true });
  try {
    const { tempFilePath } = await wx.cloud.downloadFile({ fileID });
    wx.hideLoading();
    await new Promise<void>((resolve, reject) =>
      wx.openDocument({
        filePath: tempFilePath,
        showMenu: true,
        success: () => resolve(),
        fail: reject,
      }),
    );
  } catch {
    wx.hideLoading();
    try {
      const res = await wx.cloud.getTempFileURL({ fileList: [fileID] });
      const url = res.fileList[0]?.tempFileURL;
      if (!url) throw new Error('no url');
      wx.setClipboardData({
        data: url,
        success: () =>
          wx.showToast({ title: '发票链接已复制，可在浏览器中打开', icon: 'none', duration: 2500 }),
      });
    } catch {
      wx.showToast({ title: '抱歉，发票文件暂时打不开，请稍后再试', icon: 'none' });
    }
  }
}
