/**
 * 空置管理 (finance; admin): approved vacancy records (空置) that vacancy discounts need. Record
 * one for a room found by number (dates and the approval reference), or revoke one with a reason
 * (periods already billed keep their discount; later runs no longer apply it). Audited by the fee
 * function.
 */
import { staffPage } from '../staff-page';
import { pagedList } from '../paged-list';
import { checkedWith } from '../../behaviors/page-state';
import { api } from '../../domain/api';
import { CloudError, call, callQuiet, messageOf } from '../../services/cloud';
import type { RoomListItem } from '../../domain/community/contract';
import type { VacancyView } from '../../domain/fee/contract';
import { formatDate, shanghaiDate } from '../../domain/kernel/time';

type Tab = 'approved' | 'revoked';

interface VacancyRow extends VacancyView {
  rangeText: string;
}

function toRow(v: VacancyView): VacancyRow {
  return { ...v, rangeText: `${formatDate(v.from)} 至 ${formatDate(v.to)}` };
}

function today(): string {
  return shanghaiDate(new Date());
}

Component({
  behaviors: [staffPage({ roles: ['finance'], showFirst: true }), pagedList],
  data: {
    tab: 'approved' as Tab,
    items: [] as VacancyRow[],
    listLoading: false,
    listError: '',
    // new record
    adding: false,
    keyword: '',
    matches: [] as { roomId: string; label: string }[],
    searching: false,
    roomId: '',
    roomLabel: '',
    from: '',
    to: '',
    approvalRef: '',
    note: '',
    formError: '',
    saving: false,
    // revoke
    revokeId: '',
    reason: '',
    revokeError: '',
    revoking: false,
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
          callQuiet('fee', 'vacancies', {
            communityId: this.data.communityId,
            status: this.data.tab,
            ...page,
          }),
        (page) => this.appendRows('items', page.items.map(toRow), more),
      );
    },
    onTab(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: Tab }>) {
      const tab = e.currentTarget.dataset.value;
      if (tab === this.data.tab) return;
      this.setData({ tab, items: [], revokeId: '' });
      void this.loadList();
    },
    // ------------------------------------------------------------ record
    onAdd() {
      const t = today();
      this.setData({
        adding: true,
        keyword: '',
        matches: [],
        roomId: '',
        roomLabel: '',
        from: t,
        to: t,
        approvalRef: '',
        note: '',
        formError: '',
      });
    },
    onCancelAdd() {
      this.setData({ adding: false, formError: '' });
    },
    onKeyword(e: { detail: string }) {
      this.setData({ keyword: String(e.detail ?? ''), formError: '' });
    },
    async onSearchRoom() {
      const keyword = this.data.keyword.trim();
      if (!keyword) {
        this.setData({ formError: '请输入房号，如 302 或 1502' });
        return;
      }
      this.setData({ searching: true });
      try {
        const page = await callQuiet('community', 'rooms', {
          communityId: this.data.communityId,
          keyword,
          limit: 20,
        });
        const matches = page.items.map((r: RoomListItem) => ({ roomId: r.roomId, label: r.label }));
        this.setData({
          matches,
          formError: matches.length === 0 ? '没有找到该房号，请核对后再试' : '',
        });
      } catch (err) {
        this.setData({ formError: messageOf(err) });
      } finally {
        this.setData({ searching: false });
      }
    },
    onPickRoom(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const m = this.data.matches[Number(e.currentTarget.dataset.index)];
      if (m) this.setData({ roomId: m.roomId, roomLabel: m.label, matches: [], formError: '' });
    },
    onFrom(e: { detail: { value: string } }) {
      this.setData({ from: e.detail.value, formError: '' });
    },
    onTo(e: { detail: { value: string } }) {
      this.setData({ to: e.detail.value, formError: '' });
    },
    onApprovalRef(e: { detail: string }) {
      this.setData({ approvalRef: String(e.detail ?? ''), formError: '' });
    },
    onNote(e: { detail: string }) {
      this.setData({ note: String(e.detail ?? '') });
    },
    async onSave() {
      const { roomId, from, to } = this.data;
      const approvalRef = this.data.approvalRef.trim();
      const note = this.data.note.trim();
      await this.submit({
        busy: 'saving',
        check: () =>
          checkedWith(api.fee.recordVacancy, {
            communityId: this.data.communityId,
            roomId,
            from,
            to,
            approvalRef,
            ...(note ? { note } : {}),
          }),
        error: 'formError',
        send: (input) => call('fee', 'recordVacancy', input, { loading: '正在登记' }),
        // an overlapping record is a conflict: it belongs under the dates too
        atField: (err) => err instanceof CloudError && (!!err.field || err.code === 'CONFLICT'),
        failTitle: '登记未成功',
        then: () => this.setData({ adding: false, tab: 'approved' }),
        toast: '空置已登记',
      });
    },
    // ------------------------------------------------------------ revoke
    onRevoke(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      this.setData({ revokeId: e.currentTarget.dataset.id, reason: '', revokeError: '' });
    },
    onCancelRevoke() {
      this.setData({ revokeId: '', revokeError: '' });
    },
    onReason(e: { detail: string }) {
      this.setData({ reason: String(e.detail ?? ''), revokeError: '' });
    },
    async onConfirmRevoke() {
      const reason = this.data.reason.trim();
      await this.submit({
        busy: 'revoking',
        check: () =>
          checkedWith(api.fee.revokeVacancy, {
            communityId: this.data.communityId,
            vacancyId: this.data.revokeId,
            reason,
          }),
        error: 'revokeError',
        send: (input) => call('fee', 'revokeVacancy', input, { loading: '正在撤销' }),
        atField: () => false,
        failTitle: '撤销未成功',
        then: () => this.setData({ revokeId: '' }),
        toast: '已撤销',
      });
    },
  },
});
