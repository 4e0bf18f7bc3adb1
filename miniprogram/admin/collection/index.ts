/**
 * 催缴任务 (service, finance, admin): overdue accounts by days overdue with their stage, holds and
 * open contacts; and the contact list — calls for owners WeChat cannot reach and special-care
 * owners, letters to deliver, home visits — which staff take on and close by recording the
 * contact. Policy: 先礼后兵、分级递进、人文关怀; never a threat to cut utilities.
 */
import { reloadOnShow } from '../../behaviors/page-state';
import { staffPage } from '../staff-page';
import { pagedList } from '../paged-list';
import type { StaffScope } from '../scope';
import { call, callQuiet } from '../../services/cloud';
import { toast } from '../../services/ui';
import { CASE_FILTERS, toCaseRow, toTaskRow, type CaseRow, type TaskRow } from './view';
import { formatYuan } from '../../domain/kernel/money';

type Tab = 'cases' | 'tasks';
type Filter = (typeof CASE_FILTERS)[number]['value'];

Component({
  behaviors: [
    staffPage({ roles: ['service', 'finance'], showFirst: true }),
    pagedList,
    reloadOnShow,
  ],
  data: {
    openid: '',
    busy: false,
    canContact: false,
    tab: 'cases' as Tab,
    filters: CASE_FILTERS,
    filter: 'all' as Filter,
    cases: [] as CaseRow[],
    totalText: '',
    tasks: [] as TaskRow[],
    mine: false,
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
    /** The first page of the shown list, or the next one with `more` (加载更多, scrolling). */
    loadList(more = false) {
      const communityId = this.data.communityId;
      if (this.data.tab === 'tasks')
        return this.fillPage(
          more,
          (page) =>
            callQuiet('overdue', 'tasks', {
              communityId,
              status: 'open',
              mine: this.data.mine,
              ...page,
            }),
          (r) => this.appendRows('tasks', r.items.map(toTaskRow), more),
        );
      return this.fillPage(
        more,
        (page) => callQuiet('overdue', 'cases', { communityId, filter: this.data.filter, ...page }),
        (r) => {
          this.appendRows('cases', r.items.map(toCaseRow), more);
          this.setData({ totalText: formatYuan(r.totalArrearsFen) });
        },
      );
    },
    onTab(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: Tab }>) {
      const tab = e.currentTarget.dataset.value;
      if (tab === this.data.tab) return;
      if (tab === 'tasks' && !this.data.canContact) {
        toast('联系清单仅向客服开放');
        return;
      }
      this.setData({ tab });
      void this.loadList();
    },
    onFilter(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: Filter }>) {
      this.setData({ filter: e.currentTarget.dataset.value });
      void this.loadList();
    },
    onMine() {
      this.setData({ mine: !this.data.mine });
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
