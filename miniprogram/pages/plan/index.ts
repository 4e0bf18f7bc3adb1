/**
 * 分期缴费: installment plans the property office agreed with the owner. An approved plan waits
 * for the owner's confirmation here; while it is kept, reminders and late fees pause. Each
 * installment shows what has been paid towards it.
 */
import { pageState } from '../../behaviors/page-state';
import type { PlanView } from '../../domain/overdue/contract';
import { call, callQuiet } from '../../services/cloud';
import { confirmModal, toast } from '../../services/ui';
import { formatYuan } from '../../domain/kernel/money';
import { formatDate } from '../../domain/kernel/time';

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
  behaviors: [pageState],
  data: {
    plans: [] as PlanCard[],
    busy: false,
  },
  methods: {
    async load() {
      const plans = await callQuiet('overdue', 'myPlans', {});
      this.setData({ plans: plans.map(toPlanCard) });
    },
    async onAccept(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const plan = this.data.plans[e.currentTarget.dataset.index];
      if (!plan?.canAccept || this.data.busy) return;
      const go = await confirmModal({
        title: '确认分期方案',
        content: `${plan.roomLabel} 待缴物业费 ${plan.arrearsText}，分 ${plan.installments.length} 期缴纳。确认后按期缴纳即可，分期期间不再催缴，也不计滞纳金。`,
        confirmText: '确认分期',
      });
      if (!go) return;
      await this.submit({
        send: () => call('overdue', 'acceptPlan', { planId: plan.planId }, { loading: '正在提交' }),
        failTitle: '抱歉，确认未成功',
        then: () => toast('已确认，感谢您的配合'),
      });
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
