/**
 * One overdue account: bills with late fees, holds, the timeline (stages, calls, visits, letters,
 * plans, waivers), and the forms staff use — record a call or visit with the reason from the
 * fixed list, notes, next step and an optional promise-to-pay date (which pauses escalation);
 * propose an installment plan (service; even split summing exactly to the arrears); approve or
 * reject it (admin); waive a late fee with a reason (finance).
 */
import { checkedBy } from '../../behaviors/page-state';
import { staffPage } from '../staff-page';
import type { StaffScope } from '../scope';
import type { CaseDetail, PlanView } from '../../domain/overdue/contract';
import { addDays, formatDate, formatMonths, shanghaiDate } from '../../domain/kernel/time';

const isDate = (s: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
import { call } from '../../services/cloud';
import { confirmModal, toast } from '../../services/ui';
import {
  CHANNEL_OPTIONS,
  REASON_OPTIONS,
  checkContact,
  proposedInstallments,
  toCaseRow,
  toEventRow,
  type CaseRow,
  type EventRow,
} from './view';
import { formatYuan, parseYuanInput } from '../../domain/kernel/money';

interface BillRow {
  billId: string;
  title: string;
  dueText: string;
  outstandingText: string;
  lateFeeFen: number;
  lateFeeText: string;
  waivedText: string;
  overdueDays: number;
}

interface PlanRow extends PlanView {
  arrearsText: string;
  lines: string[];
}

function today(): string {
  return shanghaiDate(new Date());
}

/** A contact record not yet written (the channel stays as chosen for the next one). */
const NEW_CONTACT = {
  channel: 'call',
  reason: '',
  notes: '',
  nextStep: '',
  ownerResponse: '',
  promiseDate: '',
};

Component({
  behaviors: [staffPage({ roles: ['service', 'finance'] })],
  data: {
    roomId: '',
    taskId: '',
    isAdmin: false,
    canContact: false,
    canWaive: false,
    item: null as CaseRow | null,
    ownerText: '',
    careNote: '',
    bills: [] as BillRow[],
    events: [] as EventRow[],
    plans: [] as PlanRow[],
    holds: [] as CaseDetail['holds'],
    letter: null as CaseDetail['letter'],
    openTasks: 0,
    // contact form
    channels: CHANNEL_OPTIONS,
    reasons: REASON_OPTIONS,
    form: { ...NEW_CONTACT },
    formErrors: {} as Record<string, string>,
    minDate: '',
    maxDate: '',
    maxDateText: '',
    /** The promise date chosen, in words. */
    promiseText: '',
    busy: false,
    // plan form
    planOpen: false,
    planCount: 3,
    planCounts: [2, 3, 4, 6, 12],
    planFirst: '',
    planNote: '',
    planPreview: [] as ReturnType<typeof proposedInstallments>,
    // waiver
    waiveBillId: '',
    waiveAmount: '',
    waiveReason: '',
    waiveError: '',
  },
  methods: {
    prepare(q: Record<string, string | undefined>) {
      const t = today();
      this.setData({
        roomId: q.roomId ?? '',
        taskId: q.taskId ?? '',
        minDate: t,
        maxDate: addDays(t, 90),
        maxDateText: formatDate(addDays(t, 90)),
        planFirst: addDays(t, 7),
      });
    },
    begin(scope: StaffScope) {
      this.setData({
        isAdmin: scope.isAdmin,
        canContact: scope.isAdmin || scope.roles.includes('service'),
        canWaive: scope.isAdmin || scope.roles.includes('finance'),
      });
    },
    async load() {
      const d = await call(
        'overdue',
        'case',
        { communityId: this.data.communityId, roomId: this.data.roomId },
        { loading: false },
      );
      this.setData({
        item: toCaseRow(d.item),
        ownerText: [d.ownerName, d.ownerMobile].filter(Boolean).join(' '),
        careNote: d.careNote,
        bills: d.bills.map((b) => ({
          billId: b.billId,
          title: b.title,
          monthsText: formatMonths(b.coverFrom, b.coverTo),
          dueText: formatDate(b.dueDate),
          outstandingText: formatYuan(b.outstandingFen),
          lateFeeFen: b.lateFeeFen,
          lateFeeText: formatYuan(b.lateFeeFen),
          waivedText: b.lateFeeWaivedFen > 0 ? `已减免 ${formatYuan(b.lateFeeWaivedFen)}` : '',
          overdueDays: b.overdueDays,
        })),
        events: d.events.map(toEventRow),
        plans: d.plans.map((p) => ({
          ...p,
          arrearsText: formatYuan(p.arrearsFen),
          lines: p.installments.map(
            (it, i) => `第${i + 1}期 ${formatDate(it.dueDate)} ${formatYuan(it.amountFen)}`,
          ),
        })),
        holds: d.holds,
        letter: d.letter,
        openTasks: d.tasks.filter((t) => t.status === 'open').length,
        planPreview:
          d.item.arrearsFen > 0
            ? proposedInstallments(d.item.arrearsFen, this.data.planCount, this.data.planFirst)
            : [],
      });
    },

    // ---------------------------------------------------------------- contact
    /** The date picker (today to 90 days ahead): never a date typed in the wrong format. */
    onPromiseDate(e: { detail: { value: string } }) {
      const d = e.detail.value;
      this.setData({
        'form.promiseDate': d,
        promiseText: formatDate(d),
        'formErrors.promiseDate': '',
      });
    },
    onClearPromise() {
      this.setData({ 'form.promiseDate': '', promiseText: '', 'formErrors.promiseDate': '' });
    },
    onChannel(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: string }>) {
      this.setData({ 'form.channel': e.currentTarget.dataset.value });
    },
    onReason(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: string }>) {
      this.setData({ 'form.reason': e.currentTarget.dataset.value, 'formErrors.reason': '' });
    },
    onInput(e: WechatMiniprogram.Input & { currentTarget: { dataset: { field: string } } }) {
      this.setData({ [`form.${e.currentTarget.dataset.field}`]: e.detail.value });
    },
    async onSubmitContact() {
      const f = this.data.form;
      await this.submit({
        check: () => checkedBy(checkContact(f, this.data.minDate, this.data.maxDate), null),
        errors: 'formErrors',
        send: () =>
          call(
            'overdue',
            'record',
            {
              communityId: this.data.communityId,
              roomId: this.data.roomId,
              channel: f.channel as 'call',
              reason: f.reason as 'other',
              notes: f.notes,
              nextStep: f.nextStep,
              ownerResponse: f.ownerResponse,
              ...(f.promiseDate ? { promiseDate: f.promiseDate } : {}),
              ...(this.data.taskId ? { taskId: this.data.taskId } : {}),
            },
            { loading: '正在保存' },
          ),
        atField: () => false,
        failTitle: '抱歉，保存未成功',
        then: () => {
          toast(f.promiseDate ? '已记录，承诺期内暂缓催缴' : '已记录');
          this.setData({
            form: { ...NEW_CONTACT, channel: f.channel },
            taskId: '',
            promiseText: '',
          });
        },
      });
    },

    // ---------------------------------------------------------------- plans
    onPlanOpen() {
      this.setData({ planOpen: !this.data.planOpen });
    },
    onPlanCount(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: number }>) {
      const n = Number(e.currentTarget.dataset.value);
      if (!isDate(this.data.planFirst)) {
        this.setData({ planCount: n });
        return;
      }
      this.setData({
        planCount: n,
        planPreview: proposedInstallments(this.data.item?.arrearsFen ?? 0, n, this.data.planFirst),
      });
    },
    onPlanFirst(e: WechatMiniprogram.Input) {
      const first = e.detail.value.trim();
      this.setData({ planFirst: first });
      // Recomputed once a whole date is typed; the function checks the plan again.
      if (isDate(first) && first >= this.data.minDate) {
        this.setData({
          planPreview: proposedInstallments(
            this.data.item?.arrearsFen ?? 0,
            this.data.planCount,
            first,
          ),
        });
      }
    },
    onPlanNote(e: WechatMiniprogram.Input) {
      this.setData({ planNote: e.detail.value });
    },
    async onPropose() {
      if (!this.data.planNote.trim()) {
        toast('请填写分期原因');
        return;
      }
      await this.submit({
        send: () =>
          call(
            'overdue',
            'proposePlan',
            {
              communityId: this.data.communityId,
              roomId: this.data.roomId,
              installments: this.data.planPreview.map((p) => ({
                dueDate: p.dueDate,
                amountFen: p.amountFen,
              })),
              note: this.data.planNote,
            },
            { loading: '正在提交' },
          ),
        failTitle: '抱歉，提交未成功',
        then: () => {
          toast('已提交，待管理员审批');
          this.setData({ planOpen: false, planNote: '' });
        },
      });
    },
    async onDecide(
      e: WechatMiniprogram.BaseEvent<Record<string, never>, { planId: string; approve: boolean }>,
    ) {
      const { planId } = e.currentTarget.dataset;
      const approve = String(e.currentTarget.dataset.approve) === 'true';
      await this.submit({
        confirm: () =>
          confirmModal({
            title: approve ? '批准分期方案' : '不批准分期方案',
            content: approve
              ? '批准后业主可在小程序确认，确认后暂停催缴和滞纳金。'
              : '不批准时请与客服沟通原因。',
          }),
        send: () =>
          call(
            'overdue',
            'decidePlan',
            {
              communityId: this.data.communityId,
              planId,
              approve,
              note: approve ? '' : '方案需调整，请与业主重新协商',
            },
            { loading: '正在提交' },
          ),
        failTitle: '抱歉，操作未成功',
        then: () => toast(approve ? '已批准' : '已退回'),
      });
    },

    // ---------------------------------------------------------------- waiver
    onWaive(e: WechatMiniprogram.BaseEvent<Record<string, never>, { billId: string }>) {
      const id = e.currentTarget.dataset.billId;
      this.setData({
        waiveBillId: this.data.waiveBillId === id ? '' : id,
        waiveAmount: '',
        waiveReason: '',
        waiveError: '',
      });
    },
    onWaiveAmount(e: WechatMiniprogram.Input) {
      this.setData({ waiveAmount: e.detail.value });
    },
    onWaiveReason(e: WechatMiniprogram.Input) {
      this.setData({ waiveReason: e.detail.value });
    },
    async onConfirmWaive() {
      const fen = parseYuanInput(this.data.waiveAmount);
      await this.submit({
        check: () =>
          fen === null || fen <= 0
            ? { ok: false, errors: { amount: '请输入减免金额，如 12.50' } }
            : this.data.waiveReason.trim().length < 2
              ? { ok: false, errors: { reason: '请填写减免原因' } }
              : { ok: true, input: fen },
        error: 'waiveError',
        send: (amountFen) =>
          call(
            'overdue',
            'waive',
            {
              communityId: this.data.communityId,
              billId: this.data.waiveBillId,
              amountFen,
              reason: this.data.waiveReason,
            },
            { loading: '正在提交' },
          ),
        atField: () => true,
        failTitle: '',
        then: () => {
          toast('已减免');
          this.setData({ waiveBillId: '' });
        },
      });
    },

    onLetter() {
      wx.navigateTo({
        url: `/admin/collection/letter?roomId=${encodeURIComponent(this.data.roomId)}`,
      });
    },
    onAccount() {
      wx.navigateTo({ url: `/admin/room/index?roomId=${encodeURIComponent(this.data.roomId)}` });
    },
  },
});
