/**
 * 支付异常 (finance, admin): money WeChat Pay moved that the ledger did not apply by itself —
 * a notification whose amount is below or above the order (少付/多付), or whose sub-merchant
 * differs, a paid notification for an order we have no record of, a refund WeChat Pay refused —
 * open ones first, oldest first, with the amounts and how long each has waited. Each is resolved
 * with a reason: refund it, apply what was collected to the order's bills, or close it. A page at
 * a time (the 已处理 tab grows for ever): scrolling or 加载更多 brings the next.
 */
import { staffPage } from '../staff-page';
import { pagedList } from '../paged-list';
import { call } from '../../services/cloud';
import { confirmModal } from '../../services/ui';
import type { ExceptionAction } from '../../domain/payment/exceptions.contract';
import { confirmText, exceptionItem, type ExceptionItem } from './view';

type Tab = 'open' | 'resolved';

const TABS: { value: Tab; label: string }[] = [
  { value: 'open', label: '待处理' },
  { value: 'resolved', label: '已处理' },
];

Component({
  behaviors: [staffPage({ roles: ['finance'] }), pagedList],
  data: {
    tabs: TABS,
    tab: 'open' as Tab,
    items: [] as ExceptionItem[],
    openCount: 0,
    listLoading: false,
    listError: '',
    editId: '',
    editAction: '' as ExceptionAction | '',
    editLabel: '',
    reason: '',
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
          call(
            'payment',
            'exceptions',
            { communityId: this.data.communityId, status: this.data.tab, ...page },
            { loading: false },
          ),
        (res) => {
          this.appendRows('items', res.exceptions.map(exceptionItem), more);
          this.setData({ openCount: res.openCount });
        },
      );
    },
    onTab(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: Tab }>) {
      const tab = e.currentTarget.dataset.value;
      if (tab === this.data.tab) return;
      this.setData({ tab, items: [], total: 0, editId: '' });
      void this.loadList();
    },
    onAction(
      e: WechatMiniprogram.BaseEvent<
        Record<string, never>,
        { id: string; action: ExceptionAction }
      >,
    ) {
      const { id, action } = e.currentTarget.dataset;
      const item = this.data.items.find((i) => i.id === id);
      const label = item?.actions.find((a) => a.action === action)?.label ?? '';
      this.setData({
        editId: id,
        editAction: action,
        editLabel: label,
        reason: '',
        fieldError: '',
      });
    },
    onReason(e: { detail: string }) {
      this.setData({ reason: String(e.detail ?? ''), fieldError: '' });
    },
    onCancelEdit() {
      this.setData({ editId: '', editAction: '', fieldError: '' });
    },
    async onConfirm() {
      const item = this.data.items.find((i) => i.id === this.data.editId);
      const action = this.data.editAction;
      if (!item || !action) return;
      const reason = this.data.reason.trim();
      await this.submit({
        busy: 'busy',
        check: () =>
          reason.length < 2
            ? { ok: false, errors: { reason: '请填写处理说明（至少 2 个字）' } }
            : { ok: true, input: reason },
        error: 'fieldError',
        atField: (err) => String((err as { field?: string }).field ?? '') === 'reason',
        confirm: () =>
          confirmModal({
            title: `${this.data.editLabel} · ${item.kindText.split('：')[0]}`,
            content: confirmText(item, action),
            confirmText: `确认${this.data.editLabel}`,
          }),
        send: () =>
          call(
            'payment',
            'resolveException',
            {
              communityId: this.data.communityId,
              exceptionId: item.id,
              resolution: action,
              reason,
            },
            { loading: '正在处理' },
          ),
        failTitle: '处理未成功',
        toast: '已处理',
        then: () => this.setData({ editId: '', editAction: '' }),
      });
    },
  },
});
