/**
 * 分期缴费: installment plans the property office agreed with the owner. An approved plan waits
 * for the owner's confirmation here; while it is kept, reminders and late fees pause. Each
 * installment shows what has been paid towards it.
 */
import { elderBehavior } from '../../behaviors/elder';
import type { PlanView } from '../../domain/overdue/contract';
import { call, messageOf } from '../../services/cloud';
import { confirmModal, notice, toast } from '../../services/ui';
import { formatYuan } from '../../domain/kernel/money';
import { formatDate } from '../../domain/kernel/time';

type Status = 'loading' | 'ready' | 'error';

export interface PlanCard extends PlanView {
  arrearsText: string;
  canAccept: boolean;
  tagType: 'primary' | 'success' | 'warning' | 'danger' | 'default';
  rows: { index: number; dateText: string; amountText: string; paidText: string; done: boolean }[];
}

const TAG: Record<PlanView['status'], PlanCard['tagType']> = {
  proposed: 'default',
  approved: 'warning',
  rejected: 'default',
  active: 'primary',
  completed: 'success',
  lapsed: 'danger',
};

export function toPlanCard(p: PlanView): PlanCard {
  return {
    ...p,
    arrearsText: formatYuan(p.arrearsFen),
    canAccept: p.status === 'approved',
    tagType: TAG[p.status],
    rows: p.installments.map((it, i) => ({
      index: i + 1,
      dateText: formatDate(it.dueDate),
      amountText: formatYuan(it.amountFen),
      paidText:
        it.coveredFen >= it.amountFen
          ? '已缴'
          : it.coveredFen > 0
            ? `已缴 ${formatYuan(it.coveredFen)}`
            : '待缴',
      done: it.coveredFen >= it.amountFen,
    })),
  };
}

Component({
  behaviors: [elderBehavior],
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    plans: [] as PlanCard[],
    busy: false,
  },
  methods: {
    onLoad() {
      void this.load();
    },
    async onPullDownRefresh() {
      await this.load(true);
      wx.stopPullDownRefresh();
    },
    async load(refresh = false) {
      if (!refresh) this.setData({ status: 'loading' });
      try {
        const plans = await call('overdue', 'myPlans', {}, { loading: false });
        this.setData({ status: 'ready', plans: plans.map(toPlanCard) });
      } catch (err) {
        this.setData({ status: 'error', errorMessage: messageOf(err) });
      }
    },
    onRetry() {
      void this.load();
    },
    async onAccept(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const plan = this.data.plans[e.currentTarget.dataset.index];
      if (!plan?.canAccept || this.data.busy) return;
      const go = await confirmModal({
        title: '确认分期方案',
        content: `${plan.roomLabel} 欠费 ${plan.arrearsText} 分 ${plan.installments.length} 期缴纳。确认后请按期缴费，期间暂停催缴和滞纳金。`,
        confirmText: '确认分期',
      });
      if (!go) return;
      this.setData({ busy: true });
      try {
        await call('overdue', 'acceptPlan', { planId: plan.planId }, { loading: '正在提交' });
        toast('已确认，感谢您的配合');
        await this.load(true);
      } catch (err) {
        notice('抱歉，确认未成功', messageOf(err));
      } finally {
        this.setData({ busy: false });
      }
    },
    /** Pays this installment: the plan's bills, the installment's remaining amount. */
    onPay(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const plan = this.data.plans[e.currentTarget.dataset.index];
      if (!plan) return;
      const next = plan.installments.find((it) => it.coveredFen < it.amountFen);
      if (!next) return;
      wx.navigateTo({
        url: `/pages/pay/index?billIds=${encodeURIComponent(plan.billIds.join(','))}&partFen=${next.amountFen - next.coveredFen}`,
      });
    },
  },
});
