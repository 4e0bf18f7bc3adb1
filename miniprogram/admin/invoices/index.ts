/**
 * 发票 (finance, admin): the queue of owners' invoice requests, oldest first. Each is issued with
 * the invoice number (8–20 letters or digits) and, optionally, the file uploaded to cloud storage
 * (its fileID goes with the decision; the owner opens it from 我的发票 by the link the function
 * answers), or returned with a reason the owner reads.
 */
import { staffPage } from '../staff-page';
import { pagedList } from '../paged-list';
import { checkedWith } from '../../behaviors/page-state';
import { api } from '../../domain/api';
import { call } from '../../services/cloud';
import { openCloudDocument } from '../../services/document';
import { toInvoiceItemView, type InvoiceItemView } from '../../utils/invoice-view';
import type { InvoiceStatus } from '../../domain/payment/contract';

type EditMode = 'issue' | 'reject';

const TABS: { value: InvoiceStatus; label: string }[] = [
  { value: 'requested', label: '待开具' },
  { value: 'issued', label: '已开具' },
  { value: 'rejected', label: '已退回' },
];

const RETURN_REASONS = ['抬头与税号不符', '税号有误', '该笔缴费已开具'];

Component({
  // One queue across the caller's communities: finance (or admin) anywhere opens it.
  behaviors: [staffPage({ roles: ['finance'], showFirst: true }), pagedList],
  data: {
    tabs: TABS,
    tab: 'requested' as InvoiceStatus,
    items: [] as InvoiceItemView[],
    listLoading: false,
    listError: '',
    editId: '',
    editMode: 'issue' as EditMode,
    invoiceNo: '',
    fileID: '',
    fileName: '',
    uploading: false,
    reason: '',
    reasons: RETURN_REASONS,
    fieldError: '',
    busy: false,
  },
  methods: {
    load() {
      return this.loadList();
    },
    /** The tab's first page, or with `more` the next (加载更多, scrolling). */
    loadList(more = false) {
      return this.fillPage(
        more,
        (page) =>
          call('payment', 'invoiceQueue', { status: this.data.tab, ...page }, { loading: false }),
        (res) => this.appendRows('items', res.invoices.map(toInvoiceItemView), more),
      );
    },
    onTab(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: InvoiceStatus }>) {
      const tab = e.currentTarget.dataset.value;
      if (tab === this.data.tab) return;
      this.setData({ tab, items: [], editId: '' });
      void this.loadList();
    },
    openEditor(index: number, editMode: EditMode) {
      const item = this.data.items[index];
      if (!item) return;
      this.setData({
        editId: item.invoiceId,
        editMode,
        invoiceNo: '',
        fileID: '',
        fileName: '',
        reason: '',
        fieldError: '',
      });
    },
    onIssue(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      this.openEditor(e.currentTarget.dataset.index, 'issue');
    },
    onReturn(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      this.openEditor(e.currentTarget.dataset.index, 'reject');
    },
    onCancelEdit() {
      this.setData({ editId: '', fieldError: '' });
    },
    onInvoiceNo(e: { detail: string }) {
      this.setData({ invoiceNo: String(e.detail ?? ''), fieldError: '' });
    },
    onReason(e: { detail: string }) {
      this.setData({ reason: String(e.detail ?? ''), fieldError: '' });
    },
    onQuickReason(e: WechatMiniprogram.BaseEvent<Record<string, never>, { text: string }>) {
      this.setData({ reason: String(e.currentTarget.dataset.text), fieldError: '' });
    },
    /** The invoice file (PDF/OFD/image, from a chat) into cloud storage. */
    async onUpload() {
      if (this.data.uploading) return;
      let picked: { path: string; name: string } | undefined;
      try {
        const res = await wx.chooseMessageFile({
          count: 1,
          type: 'file',
          extension: ['pdf', 'ofd', 'png', 'jpg', 'jpeg'],
        });
        picked = res.tempFiles[0];
      } catch {
        return; // cancelled
      }
      if (!picked) return;
      const ext = (/\.([A-Za-z0-9]+)$/.exec(picked.name)?.[1] ?? 'pdf').toLowerCase();
      this.setData({ uploading: true });
      try {
        const up = await wx.cloud.uploadFile({
          cloudPath: `invoices/${this.data.editId}-${Date.now()}.${ext}`,
          filePath: picked.path,
        });
        this.setData({ fileID: up.fileID, fileName: picked.name });
      } catch {
        wx.showToast({ title: '抱歉，文件上传未成功，请重试', icon: 'none' });
      } finally {
        this.setData({ uploading: false });
      }
    },
    onRemoveFile() {
      this.setData({ fileID: '', fileName: '' });
    },
    async onConfirm() {
      if (this.data.uploading) return;
      const issue = this.data.editMode === 'issue';
      const invoiceNo = this.data.invoiceNo.trim();
      const reason = this.data.reason.trim();
      const input = issue
        ? {
            invoiceId: this.data.editId,
            issue: true,
            ...(invoiceNo ? { invoiceNo } : {}),
            ...(this.data.fileID ? { fileID: this.data.fileID } : {}),
          }
        : { invoiceId: this.data.editId, issue: false, rejectReason: reason };
      await this.submit({
        check: () => checkedWith(api.payment.decideInvoice, input),
        error: 'fieldError',
        send: () => call('payment', 'decideInvoice', input, { loading: '正在提交' }),
        failTitle: '处理未成功',
        toast: issue ? '已开具' : '已退回',
        then: () => this.setData({ editId: '' }),
      });
    },
    onOpenFile(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const item = this.data.items[e.currentTarget.dataset.index];
      if (item?.fileUrl) void openCloudDocument(item.fileUrl, '发票');
    },
    onCopy(e: WechatMiniprogram.BaseEvent<Record<string, never>, { text: string }>) {
      const text = String(e.currentTarget.dataset.text ?? '');
      if (text) wx.setClipboardData({ data: text });
    },
  },
});
