/**
 * 投诉工单 desk (service staff; admins see every ticket): open tickets sorted by the deadline
 * that matters now, near and past deadlines highlighted, filters by status, handler, deadline and
 * category, a search by ticket number, room or description; links to the call log and the
 * service numbers. A page at a time (pagedList): scrolling to the bottom or 加载更多 brings the
 * next with the same filters; the counts and the total are the server's, over every page.
 */
import type { ComplaintCategory } from '../../domain/complaint/rules';
import type { DeskView } from '../../domain/complaint/contract';
import { reloadOnShow } from '../../behaviors/page-state';
import { staffPage } from '../staff-page';
import { pagedList } from '../paged-list';
import type { StaffScope } from '../scope';
import { callQuiet } from '../../services/cloud';
import { CATEGORY_OPTIONS, toDeskRow, type DeskRow } from '../../utils/complaint-view';

type Scope = 'open' | 'resolved' | 'closed' | 'all';
type HandlerFilter = '' | 'me' | 'unassigned';
type DeadlineFilter = '' | 'near' | 'breached';

Component({
  behaviors: [staffPage({ roles: ['service'], showFirst: true }), pagedList, reloadOnShow],
  data: {
    isAdmin: false,
    scopes: [
      { value: 'open', label: '待处理' },
      { value: 'resolved', label: '已解决' },
      { value: 'closed', label: '已关闭' },
      { value: 'all', label: '全部' },
    ],
    scope: 'open' as Scope,
    handler: '' as HandlerFilter,
    deadline: '' as DeadlineFilter,
    categories: [{ value: '', label: '全部类别' }, ...CATEGORY_OPTIONS],
    category: '' as ComplaintCategory | '',
    keyword: '',
    counts: { open: 0, near: 0, breached: 0, unassigned: 0 } as DeskView['counts'],
    items: [] as DeskRow[],
    listLoading: false,
    listError: '',
  },
  methods: {
    begin(scope: StaffScope) {
      this.setData({ isAdmin: scope.isAdmin });
    },
    load() {
      return this.loadList();
    },
    /** The first page with the filters shown, or with `more` the next one. */
    loadList(more = false) {
      const d = this.data;
      const keyword = d.keyword.trim();
      return this.fillPage(
        more,
        (page) =>
          callQuiet('complaint', 'desk', {
            communityId: d.communityId,
            scope: d.scope,
            ...(d.handler ? { handler: d.handler } : {}),
            ...(d.deadline ? { deadline: d.deadline } : {}),
            ...(d.category ? { category: d.category } : {}),
            ...(keyword ? { keyword } : {}),
            ...page,
          }),
        (view) => {
          const now = new Date();
          this.appendRows(
            'items',
            view.items.map((t) => toDeskRow(t, now)),
            more,
          );
          this.setData({ counts: view.counts, isAdmin: view.isAdmin });
        },
      );
    },
    onKeyword(e: { detail: { value: string } }) {
      this.setData({ keyword: e.detail.value });
    },
    onSearch() {
      void this.loadList();
    },
    onScope(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: Scope }>) {
      this.setData({ scope: e.currentTarget.dataset.value });
      void this.loadList();
    },
    onHandler(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: HandlerFilter }>) {
      const v = e.currentTarget.dataset.value;
      this.setData({ handler: this.data.handler === v ? '' : v });
      void this.loadList();
    },
    onDeadline(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: DeadlineFilter }>) {
      const v = e.currentTarget.dataset.value;
      this.setData({ deadline: this.data.deadline === v ? '' : v, scope: 'open' });
      void this.loadList();
    },
    onCategory(
      e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: ComplaintCategory | '' }>,
    ) {
      this.setData({ category: e.currentTarget.dataset.value });
      void this.loadList();
    },
    onOpen(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      const id = encodeURIComponent(String(e.currentTarget.dataset.id));
      wx.navigateTo({
        url: `/admin/tickets/detail?ticketId=${id}&communityId=${encodeURIComponent(this.data.communityId)}`,
      });
    },
    onCalls() {
      wx.navigateTo({ url: '/admin/calls/index' });
    },
    onStats() {
      wx.navigateTo({ url: '/admin/service/index' });
    },
  },
});
