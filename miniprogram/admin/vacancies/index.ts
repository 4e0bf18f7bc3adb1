/**
 * 空置管理 (finance; admin): approved vacancy records (空置) that vacancy discounts need. Record
 * one for a room found by number (dates and the approval reference), or revoke one with a reason
 * (periods already billed keep their discount; later runs no longer apply it). Audited by the fee
 * function.
 */
import { elderBehavior } from '../../behaviors/elder';
import { CloudError, call, messageOf } from '../../services/cloud';
import { notice } from '../../services/ui';
import { staffScope } from '../scope';
import type { RoomListItem } from '../../domain/community/contract';
import type { StaffRole } from '../../domain/community/vocabulary';
import type { VacancyView } from '../../domain/fee/contract';
import { formatDate } from '../../domain/kernel/time';

type Status = 'loading' | 'ready' | 'forbidden' | 'error';
type Tab = 'approved' | 'revoked';

const ROLES: readonly StaffRole[] = ['finance'];

interface VacancyRow extends VacancyView {
  rangeText: string;
}

function toRow(v: VacancyView): VacancyRow {
  return { ...v, rangeText: `${formatDate(v.from)} 至 ${formatDate(v.to)}` };
}

function today(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

Component({
  behaviors: [elderBehavior],
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    communityId: '',
    tab: 'approved' as Tab,
    items: [] as VacancyRow[],
    total: 0,
    nextCursor: null as string | null,
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
    onLoad() {
      void this.init();
    },
    async init() {
      this.setData({ status: 'loading' });
      try {
        const scope = await staffScope(ROLES);
        if (!scope) {
          this.setData({ status: 'forbidden' });
          return;
        }
        this.setData({ status: 'ready', communityId: scope.communityId });
        await this.load(false);
      } catch (err) {
        this.setData({ status: 'error', errorMessage: messageOf(err) });
      }
    },
    onRetry() {
      void this.init();
    },
    async load(more: boolean) {
      const tab = this.data.tab;
      this.setData({ listLoading: true, listError: '' });
      try {
        const page = await call(
          'fee',
          'vacancies',
          {
            communityId: this.data.communityId,
            status: tab,
            limit: 20,
            ...(more && this.data.nextCursor ? { cursor: this.data.nextCursor } : {}),
          },
          { loading: false },
        );
        if (tab !== this.data.tab) return;
        const rows = page.items.map(toRow);
        this.setData({
          items: more ? [...this.data.items, ...rows] : rows,
          total: page.total,
          nextCursor: page.nextCursor,
          listLoading: false,
        });
      } catch (err) {
        this.setData({ listLoading: false, listError: messageOf(err) });
      }
    },
    onMore() {
      if (this.data.nextCursor && !this.data.listLoading) void this.load(true);
    },
    onTab(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: Tab }>) {
      const tab = e.currentTarget.dataset.value;
      if (tab === this.data.tab) return;
      this.setData({ tab, items: [], revokeId: '' });
      void this.load(false);
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
        const page = await call(
          'community',
          'rooms',
          { communityId: this.data.communityId, keyword, limit: 20 },
          { loading: false },
        );
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
      if (this.data.saving) return;
      const { roomId, from, to } = this.data;
      const approvalRef = this.data.approvalRef.trim();
      const note = this.data.note.trim();
      if (!roomId) return this.setData({ formError: '请先查找并选择房屋' });
      if (from > to) return this.setData({ formError: '结束日期不能早于开始日期' });
      if (approvalRef.length < 2) return this.setData({ formError: '请填写审批单号或说明' });
      this.setData({ saving: true });
      try {
        await call(
          'fee',
          'recordVacancy',
          {
            communityId: this.data.communityId,
            roomId,
            from,
            to,
            approvalRef,
            ...(note ? { note } : {}),
          },
          { loading: '正在登记' },
        );
        wx.showToast({ title: '空置已登记', icon: 'success' });
        this.setData({ adding: false, tab: 'approved' });
        await this.load(false);
      } catch (err) {
        if (err instanceof CloudError && (err.field || err.code === 'CONFLICT'))
          this.setData({ formError: messageOf(err) });
        else notice('登记未成功', messageOf(err));
      } finally {
        this.setData({ saving: false });
      }
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
      if (this.data.revoking) return;
      const reason = this.data.reason.trim();
      if (reason.length < 2) {
        this.setData({ revokeError: '请填写撤销原因（至少 2 个字）' });
        return;
      }
      this.setData({ revoking: true });
      try {
        await call(
          'fee',
          'revokeVacancy',
          { communityId: this.data.communityId, vacancyId: this.data.revokeId, reason },
          { loading: '正在撤销' },
        );
        wx.showToast({ title: '已撤销', icon: 'success' });
        this.setData({ revokeId: '' });
        await this.load(false);
      } catch (err) {
        notice('撤销未成功', messageOf(err));
      } finally {
        this.setData({ revoking: false });
      }
    },
  },
});
