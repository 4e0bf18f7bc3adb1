/**
 * 催缴任务 (service, finance, admin): overdue accounts by days overdue with their stage, holds and
 * open contacts; and the contact list — calls for owners WeChat cannot reach and special-care
 * owners, letters to deliver, home visits — which staff take on and close by recording the
 * contact. Policy: 先礼后兵、分级递进、人文关怀; never a threat to cut utilities.
 */
import { reloadOnShow } from '../../behaviors/page-state';
import { staffPage } from '../staff-page';
import type { StaffScope } from '../scope';
import { call, callQuiet } from '../../services/cloud';
import { toast } from '../../services/ui';
import { CASE_FILTERS, toCaseRow, toTaskRow, type CaseRow, type TaskRow } from './view';
import { formatYuan } from '../../domain/kernel/money';

type Tab = 'cases' | 'tasks';
type Filter = (typeof CASE_FILTERS)[number]['value'];

Component({
  behaviors: [staffPage({ roles: ['service', 'finance'], showFirst: true }), reloadOnShow],
  data: {
    openid: '',
    busy: false,
    canContact: false,
    tab: 'cases' as Tab,
    filters: CASE_FILTERS,
    filter: 'all' as Filter,
    cases: [] as CaseRow[],
    total: 0,
    totalText: '',
    tasks: [] as TaskRow[],
    taskTotal: 0,
    mine: false,
    /** The next page of the shown list (加载更多); null: everything is shown. */
    nextCursor: null as string | null,
    listLoading: false,
    listError: '',
  },
  methods: {
    begin(scope: StaffScope) {
      this.setData({
        openid: scope.openid,
        canContact: scope.isAdmin || scope.roles.includes('service'),
      });
    },
    load() {
      return this.loadList();
    },
    /** The first page of the shown list, or the next one with `more` (加载更多). */
    loadList(more = false) {
      const communityId = this.data.communityId;
      const page = {
        limit: 50,
        ...(more && this.data.nextCursor ? { cursor: this.data.nextCursor } : {}),
      };
      if (this.data.tab === 'tasks')
        return this.fillList(
          () =>
            callQuiet('overdue', 'tasks', {
              communityId,
              status: 'open',
              mine: this.data.mine,
              ...page,
            }),
          (r) => {
            const rows = r.items.map(toTaskRow);
            this.setData({
              tasks: more ? [...this.data.tasks, ...rows] : rows,
              taskTotal: r.total,
              nextCursor: r.nextCursor,
            });
          },
        );
      return this.fillList(
        () => callQuiet('overdue', 'cases', { communityId, filter: this.data.filter, ...page }),
        (r) => {
          const rows = r.items.map(toCaseRow);
          this.setData({
            cases: more ? [...this.data.cases, ...rows] : rows,
            total: r.total,
            totalText: formatYuan(r.totalArrearsFen),
            nextCursor: r.nextCursor,
          });
        },
      );
    },
    onMore() {
      if (this.data.nextCursor && !this.data.listLoading) void this.loadList(true);
    },
    /** Scrolling to the bottom loads the next page, as 加载更多 does. */
    onReachBottom() {
      this.onMore();
    },
    onTab(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: Tab }>) {
      const tab = e.currentTarget.dataset.value;
      if (tab === this.data.tab) return;
      if (tab === 'tasks' && !this.data.canContact) {
        toast('联系清单仅向客服开放');
        return;
      }
      this.setData({ tab, nextCursor: null });
      void this.loadList();
    },
    onFilter(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: Filter }>) {
      this.setData({ filter: e.currentTarget.dataset.value, nextCursor: null });
      void this.loadList();
    },
    onMine() {
      this.setData({ mine: !this.data.mine, nextCursor: null });
      void this.loadList();
    },
    onOpen(
      e: WechatMiniprogram.BaseEvent<Record<string, never>, { roomId: string; taskId?: string }>,
    ) {
      const { roomId, taskId } = e.currentTarget.dataset;
      if (!roomId) return;
      wx.navigateTo({
        url: `/admin/collection/case?roomId=${encodeURIComponent(roomId)}${taskId ? `&taskId=${encodeURIComponent(taskId)}` : ''}`,
      });
    },
    async onTake(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const task = this.data.tasks[e.currentTarget.dataset.index];
      if (!task) return;
      await this.submit({
        send: () =>
          call(
            'overdue',
            'assign',
            { communityId: this.data.communityId, taskId: task.taskId, assignee: this.data.openid },
            { loading: '正在领取' },
          ),
        failTitle: '抱歉，领取未成功',
        then: () => toast('已领取，请及时联系'),
      });
    },
  },
});
