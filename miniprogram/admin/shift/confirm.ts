/**
 * 交班确认 (finance): cashiers' closed shifts waiting for finance — totals by channel, receipts,
 * red receipts, cash declared vs expected with the difference and its note — confirmed as handed
 * over by someone other than the cashier (the function refuses the cashier themselves); the
 * confirmed ones below, each printable as the shift-close sheet.
 */
import { staffPage } from '../staff-page';
import { call } from '../../services/cloud';
import { confirmModal } from '../../services/ui';
import { printShiftSheet } from './print';
import { toShiftCard, type ShiftCard } from './view';

type Tab = 'closed' | 'confirmed';

Component({
  behaviors: [staffPage({ roles: ['finance'], showFirst: true })],
  data: {
    tabs: [
      { value: 'closed', label: '待确认' },
      { value: 'confirmed', label: '已确认' },
    ],
    tab: 'closed' as Tab,
    items: [] as ShiftCard[],
    total: 0,
    nextCursor: '',
    listLoading: false,
    listError: '',
    noteId: '',
    note: '',
    busy: false,
    printing: '',
  },
  methods: {
    load() {
      return this.page('');
    },
    /** One page of the tab's shifts: the first (replacing the list) or the next (appended). */
    page(cursor: string) {
      return this.fillList(
        () =>
          call(
            'payment',
            'shifts',
            {
              communityId: this.data.communityId,
              status: this.data.tab,
              limit: 20,
              ...(cursor ? { cursor } : {}),
            },
            { loading: false },
          ),
        (res) =>
          this.setData({
            items: [...(cursor ? this.data.items : []), ...res.shifts.map(toShiftCard)],
            total: res.total,
            nextCursor: res.nextCursor ?? '',
          }),
      );
    },
    onMore() {
      if (this.data.nextCursor && !this.data.listLoading) void this.page(this.data.nextCursor);
    },
    onTab(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: Tab }>) {
      const tab = e.currentTarget.dataset.value;
      if (tab === this.data.tab) return;
      this.setData({ tab, items: [], noteId: '' });
      void this.load();
    },
    onNote(
      e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }> & { detail: string },
    ) {
      this.setData({ noteId: String(e.currentTarget.dataset.id), note: String(e.detail ?? '') });
    },
    async onConfirm(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      const item = this.data.items.find((i) => i.shiftId === e.currentTarget.dataset.id);
      if (!item) return;
      const note = this.data.noteId === item.shiftId ? this.data.note.trim() : '';
      await this.submit({
        confirm: () =>
          confirmModal({
            title: '确认接收交班',
            content: `${item.title}：应交现金 ${item.expectedText}，实交 ${item.declaredText}（${item.differenceText}）。确认后记入操作日志。`,
            confirmText: '确认接收',
          }),
        send: () =>
          call(
            'payment',
            'confirmShift',
            { shiftId: item.shiftId, ...(note ? { note } : {}) },
            { loading: '正在确认' },
          ),
        failTitle: '确认未成功',
        toast: '已确认',
        then: () => this.setData({ noteId: '', note: '' }),
      });
    },
    onPrint(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      return printShiftSheet(this, String(e.currentTarget.dataset.id));
    },
  },
});
