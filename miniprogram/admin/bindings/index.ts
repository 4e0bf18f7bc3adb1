/**
 * 认证审核 (service, admin): the bindings of the community by status — the pending queue first —
 * approve, reject with a reason, or unbind a verified binding with a reason. The owner is
 * notified by the function; applicants' names arrive masked.
 */
import type { BindingStatus } from '../../domain/community/vocabulary';
import { staffPage } from '../staff-page';
import { call, callQuiet } from '../../services/cloud';
import { confirmModal, toast } from '../../services/ui';
import {
  REJECT_REASONS,
  STATUS_TABS,
  UNBIND_REASONS,
  checkReason,
  toReviewItem,
  type ReviewItem,
} from './view';

type EditMode = 'reject' | 'unbind';

const PAGE_SIZE = 20;

Component({
  behaviors: [staffPage({ roles: ['service'], showFirst: true })],
  data: {
    tabs: STATUS_TABS,
    tab: 'pending-review' as BindingStatus,
    items: [] as ReviewItem[],
    total: 0,
    nextCursor: null as string | null,
    listLoading: false,
    listError: '',
    editId: '',
    editMode: 'reject' as EditMode,
    reasons: REJECT_REASONS,
    reason: '',
    reasonError: '',
    busy: false,
  },
  methods: {
    load() {
      return this.loadList(true);
    },
    loadList(reset: boolean) {
      if (reset) this.setData({ editId: '' });
      return this.fillList(
        () =>
          callQuiet('binding', 'list', {
            communityId: this.data.communityId,
            status: this.data.tab,
            limit: PAGE_SIZE,
            ...(!reset && this.data.nextCursor ? { cursor: this.data.nextCursor } : {}),
          }),
        (page) => {
          const items = page.items.map(toReviewItem);
          this.setData({
            items: reset ? items : [...this.data.items, ...items],
            total: page.total,
            nextCursor: page.nextCursor,
          });
        },
      );
    },
    onTab(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: BindingStatus }>) {
      const tab = e.currentTarget.dataset.value;
      if (tab === this.data.tab) return;
      this.setData({ tab, items: [], total: 0, nextCursor: null });
      void this.loadList(true);
    },
    onMore() {
      if (this.data.nextCursor && !this.data.listLoading) void this.loadList(false);
    },

    /** The item leaves the list it no longer belongs to. */
    dropItem(bindingId: string) {
      this.setData({
        items: this.data.items.filter((i) => i.bindingId !== bindingId),
        total: Math.max(0, this.data.total - 1),
        editId: '',
      });
    },
    async onApprove(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const item = this.data.items[e.currentTarget.dataset.index];
      if (!item?.canReview || this.data.busy) return;
      const go = await confirmModal({
        title: '通过认证',
        content: `确认通过 ${item.roomLabel}（${item.relationText}，${item.applicantText}）的认证申请？通过后对方可查看该房屋账单并缴费。`,
        confirmText: '通过',
      });
      if (!go) return;
      const done = await this.decide(
        () =>
          call(
            'binding',
            'review',
            { communityId: this.data.communityId, bindingId: item.bindingId, decision: 'approve' },
            { loading: '正在提交' },
          ),
        item.bindingId,
        '已通过，已通知业主',
      );
      // someone else may have decided it meanwhile: show the queue as it is now
      if (!done) void this.loadList(true);
    },
    /** One decision: the item leaves the list it no longer belongs to. */
    decide(send: () => Promise<unknown>, bindingId: string, done: string) {
      return this.submit({
        send,
        failTitle: '未能提交',
        reload: false,
        then: () => {
          this.dropItem(bindingId);
          toast(done);
        },
      });
    },
    openEditor(index: number, mode: EditMode) {
      const item = this.data.items[index];
      if (!item) return;
      this.setData({
        editId: item.bindingId,
        editMode: mode,
        reasons: mode === 'reject' ? REJECT_REASONS : UNBIND_REASONS,
        reason: '',
        reasonError: '',
      });
    },
    onReject(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      this.openEditor(e.currentTarget.dataset.index, 'reject');
    },
    onUnbind(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      this.openEditor(e.currentTarget.dataset.index, 'unbind');
    },
    onReason(e: { detail: string }) {
      this.setData({ reason: String(e.detail ?? ''), reasonError: '' });
    },
    onQuickReason(e: WechatMiniprogram.BaseEvent<Record<string, never>, { text: string }>) {
      this.setData({ reason: String(e.currentTarget.dataset.text), reasonError: '' });
    },
    onCancelEdit() {
      this.setData({ editId: '', reason: '', reasonError: '' });
    },
    async onConfirmEdit() {
      const bindingId = this.data.editId;
      if (!bindingId || this.data.busy) return;
      const reasonError = checkReason(this.data.reason);
      if (reasonError) {
        this.setData({ reasonError });
        return;
      }
      const reason = this.data.reason.trim();
      const communityId = this.data.communityId;
      if (this.data.editMode === 'reject') {
        await this.decide(
          () =>
            call(
              'binding',
              'review',
              { communityId, bindingId, decision: 'reject', reason },
              { loading: '正在提交' },
            ),
          bindingId,
          '已驳回，已通知业主',
        );
      } else {
        await this.decide(
          () =>
            call('binding', 'unbind', { communityId, bindingId, reason }, { loading: '正在解绑' }),
          bindingId,
          '已解除绑定，已通知业主',
        );
      }
    },
  },
});
