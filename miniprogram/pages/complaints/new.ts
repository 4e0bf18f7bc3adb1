/**
 * File a complaint or suggestion: room, kind, category, what happened, up to 9 photos (uploaded
 * to cloud storage under the owner's folder), optionally the bill it is about. Opened from 我的
 * or from a bill (对这笔费用有疑问 → ?billId=…, category preset to 费用疑问).
 *
 * The submit tap also asks for the progress subscription (wx.requestSubscribeMessage must come
 * from a tap); the ticket is filed whatever the owner answers, and its number shows at once.
 */
import type { ComplaintCategory, TicketKind } from '../../domain/complaint/rules';
import { MAX_PHOTOS } from '../../domain/complaint/rules';
import type { FiledTicket, FormOptions } from '../../domain/complaint/contract';
import { pageState } from '../../behaviors/page-state';
import { COMPLAINT_PROGRESS_TEMPLATE } from '../../config';
import { CloudError, call, callQuiet, messageOf } from '../../services/cloud';
import { whoami } from '../../services/session';
import {
  CATEGORY_OPTIONS,
  NO_COMPLAINT_ERRORS,
  checkComplaintForm,
  complaintField,
  newRequestId,
} from '../../utils/complaint-view';
import { formatDateTime, formatMonths } from '../../domain/kernel/time';
import { formatYuan } from '../../domain/kernel/money';

interface BillOption {
  billId: string;
  title: string;
  /** "2026年7月–9月 · 待缴 ¥1,326.96" or "2026年4月–6月 · 已缴" */
  detailText: string;
  owed: boolean;
  selected: boolean;
}

Component({
  behaviors: [pageState],
  data: {
    rooms: [] as FormOptions['rooms'],
    allBills: [] as FormOptions['bills'],
    bills: [] as BillOption[],
    /** Some bill offered is still owed (the form says choosing it pauses collection). */
    anyOwed: false,
    roomId: '',
    kind: 'complaint' as TicketKind,
    categories: CATEGORY_OPTIONS,
    category: '' as ComplaintCategory | '',
    description: '',
    /** Local previews and their cloud file ids, same order. */
    previews: [] as string[],
    photos: [] as string[],
    maxPhotos: MAX_PHOTOS,
    uploading: false,
    billIds: [] as string[],
    errors: NO_COMPLAINT_ERRORS,
    submitting: false,
    requestId: '',
    openid: '',
    filed: null as FiledTicket | null,
    dueText: '',
    subscribed: '' as '' | 'accept' | 'other',
  },
  methods: {
    prepare(query: Record<string, string | undefined>) {
      const billId = decodeURIComponent(query.billId ?? '');
      this.setData({
        requestId: newRequestId(),
        roomId: decodeURIComponent(query.roomId ?? ''),
        billIds: billId ? [billId] : [],
        category: billId ? 'fee-dispute' : '',
      });
    },
    /** The owner's rooms and bills; opened from a bill, its room is chosen. */
    async load() {
      const billId = this.data.billIds[0] ?? '';
      const [options, me] = await Promise.all([
        callQuiet('complaint', 'formOptions', {}),
        whoami(),
      ]);
      const fromBill = options.bills.find((b) => b.billId === billId);
      const chosen = fromBill?.roomId ?? this.data.roomId;
      const room = options.rooms.find((r) => r.roomId === chosen) ?? options.rooms[0];
      this.setData({
        openid: me.openid,
        rooms: options.rooms,
        allBills: options.bills,
        roomId: room?.roomId ?? '',
        billIds: fromBill ? [billId] : [],
      });
      this.refreshBills();
    },
    refreshBills() {
      const bills = this.data.allBills
        .filter((b) => b.roomId === this.data.roomId)
        // a bill the owner came from stays in view
        .sort(
          (a, b) =>
            Number(this.data.billIds.includes(b.billId)) -
            Number(this.data.billIds.includes(a.billId)),
        )
        .slice(0, 6)
        .map((b) => ({
          billId: b.billId,
          title: b.title,
          detailText: `${formatMonths(b.coverFrom, b.coverTo)} · ${
            b.outstandingFen > 0 ? `待缴 ${formatYuan(b.outstandingFen)}` : '已缴清'
          }`,
          owed: b.outstandingFen > 0,
          selected: this.data.billIds.includes(b.billId),
        }));
      this.setData({
        bills,
        billIds: bills.filter((b) => b.selected).map((b) => b.billId),
        anyOwed: bills.some((b) => b.owed),
      });
    },
    onRoom(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      this.setData({ roomId: String(e.currentTarget.dataset.id), 'errors.room': '' });
      this.refreshBills();
    },
    onKind(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: TicketKind }>) {
      this.setData({ kind: e.currentTarget.dataset.value });
    },
    onCategory(
      e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: ComplaintCategory }>,
    ) {
      this.setData({ category: e.currentTarget.dataset.value, 'errors.category': '' });
    },
    onDescription(e: { detail: { value: string } }) {
      this.setData({ description: e.detail.value, 'errors.description': '' });
    },
    onBill(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      const id = String(e.currentTarget.dataset.id);
      const bills = this.data.bills.map((b) =>
        b.billId === id ? { ...b, selected: !b.selected } : b,
      );
      this.setData({ bills, billIds: bills.filter((b) => b.selected).map((b) => b.billId) });
    },
    onAddPhoto() {
      const left = MAX_PHOTOS - this.data.photos.length;
      if (left <= 0 || this.data.uploading) return;
      wx.chooseMedia({
        count: left,
        mediaType: ['image'],
        sizeType: ['compressed'],
        success: (res) => void this.upload(res.tempFiles.map((f) => f.tempFilePath)),
        fail: () => undefined,
      });
    },
    async upload(paths: string[]) {
      this.setData({ uploading: true, 'errors.submit': '' });
      try {
        for (const [i, filePath] of paths.entries()) {
          if (this.data.photos.length >= MAX_PHOTOS) break;
          const ext = (/\.[A-Za-z0-9]+$/.exec(filePath)?.[0] ?? '.jpg').toLowerCase();
          const cloudPath = `complaints/${this.data.openid}/${Date.now().toString(36)}${i}${ext}`;
          const res = await wx.cloud.uploadFile({ cloudPath, filePath });
          this.setData({
            previews: [...this.data.previews, filePath],
            photos: [...this.data.photos, res.fileID],
          });
        }
      } catch {
        this.setData({ 'errors.submit': '抱歉，照片上传未成功，请检查网络后重试' });
      } finally {
        this.setData({ uploading: false });
      }
    },
    onRemovePhoto(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const i = Number(e.currentTarget.dataset.index);
      this.setData({
        previews: this.data.previews.filter((_, j) => j !== i),
        photos: this.data.photos.filter((_, j) => j !== i),
      });
    },
    onPreview(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const i = Number(e.currentTarget.dataset.index);
      wx.previewImage({ urls: this.data.previews, current: this.data.previews[i] });
    },
    /** The filing checked with complaint.file; its problems shown at their fields. */
    checked() {
      const checked = checkComplaintForm({
        requestId: this.data.requestId,
        roomId: this.data.roomId,
        kind: this.data.kind,
        category: this.data.category,
        description: this.data.description,
        photos: this.data.photos,
        billIds: this.data.billIds,
      });
      this.setData({ errors: checked.ok ? NO_COMPLAINT_ERRORS : checked.errors });
      return checked;
    },
    /** From the tap: ask for the progress subscription and file at the same time. */
    onSubmit() {
      if (this.data.submitting || this.data.uploading || !this.checked().ok) return;
      wx.requestSubscribeMessage({
        tmplIds: [COMPLAINT_PROGRESS_TEMPLATE],
        success: (res) => {
          const r = (res as unknown as Record<string, string>)[COMPLAINT_PROGRESS_TEMPLATE];
          this.setData({ subscribed: r === 'accept' ? 'accept' : 'other' });
        },
        fail: () => this.setData({ subscribed: 'other' }),
      });
      void this.file();
    },
    async file() {
      this.setData({ 'errors.submit': '' });
      await this.submit({
        busy: 'submitting',
        check: () => this.checked(),
        send: (input) => call('complaint', 'file', input, { loading: '正在提交' }),
        // the form says what went wrong, next to the field it names or above the button
        showError: (err) => {
          const field = err instanceof CloudError ? complaintField(err.field) : 'submit';
          this.setData({ [`errors.${field}`]: messageOf(err) });
          return true;
        },
        failTitle: '',
        reload: false,
        then: (filed) => this.setData({ filed, dueText: formatDateTime(filed.firstResponseDueAt) }),
      });
    },
    onOpenTicket() {
      const id = this.data.filed?.ticketId;
      if (id) wx.redirectTo({ url: `/pages/complaints/detail?ticketId=${encodeURIComponent(id)}` });
    },
    onSubscribeAgain() {
      wx.requestSubscribeMessage({
        tmplIds: [COMPLAINT_PROGRESS_TEMPLATE],
        success: (res) => {
          const r = (res as unknown as Record<string, string>)[COMPLAINT_PROGRESS_TEMPLATE];
          this.setData({ subscribed: r === 'accept' ? 'accept' : 'other' });
        },
        fail: () => undefined,
      });
    },
  },
});
