/**
 * 缴费通知 (service, admin publish; every staff role reads): publish the period's payment notice
 * from the template fields — it appears in the mini-program and is pushed to each owner with
 * their own amount — and see how each notice reached owners: via WeChat, read in the app, no
 * subscription left, not bound (those go onto the contact list).
 */
import { checkedBy } from '../../behaviors/page-state';
import { staffPage } from '../staff-page';
import type { StaffScope } from '../scope';
import {
  addDays,
  formatDate,
  formatPeriod,
  shanghaiDate,
  toShanghaiDate,
} from '../../domain/kernel/time';
import { call, CloudError, messageOf } from '../../services/cloud';
import { openCloudPdf } from '../../services/document';
import { confirmModal, notice, toast } from '../../services/ui';
import type { DeliveryReport, NoticeView } from '../../domain/notice/contract';

const METHODS = [
  { value: 'wechat', label: '微信小程序' },
  { value: 'cash', label: '现金' },
  { value: 'card', label: '刷卡' },
  { value: 'transfer', label: '银行转账' },
];

interface NoticeRow extends NoticeView {
  dateText: string;
  pushText: string;
}

export function toNoticeRow(n: NoticeView): NoticeRow {
  return {
    ...n,
    dateText: formatDate(toShanghaiDate(n.publishedAt)),
    pushText:
      n.push.status === 'none'
        ? ''
        : `${n.push.status === 'done' ? '已推送' : '推送中'} ${n.push.rooms} 户，微信送达 ${n.push.sent} 人，已读 ${n.readCount} 人`,
  };
}

export function checkNoticeForm(f: {
  period: string;
  deadline: string;
  amountBasis: string;
  body: string;
  methods: string[];
}): Record<string, string> {
  const e: Record<string, string> = {};
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(f.period)) e.period = '缴费期间格式如 2026-12';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.deadline)) e.deadline = '截止日期格式如 2026-12-15';
  if (!f.amountBasis.trim()) e.amountBasis = '请填写收费标准';
  if (!f.body.trim()) e.body = '请填写通知正文';
  if (f.methods.length === 0) e.methods = '请至少选择一种缴费方式';
  return e;
}

function today(): string {
  return shanghaiDate(new Date());
}

Component({
  behaviors: [staffPage({ roles: ['service', 'cashier', 'finance'] })],
  data: {
    canPublish: false,
    notices: [] as NoticeRow[],
    formOpen: false,
    methodOptions: METHODS.map((m) => ({ ...m, on: true })),
    form: {
      period: today().slice(0, 7),
      deadline: addDays(today(), 15),
      amountBasis: '按建筑面积 × 单价（元/m²/月）计收，详见服务中心收费标准公示',
      body: '本期物业服务费已出账，您的应缴金额可在小程序首页查看。感谢您对我们工作的支持！',
      lateFeePolicy: '',
      lateReason: '',
    },
    /** Issued periods without a payment notice (the daily reminder). */
    missingText: '',
    formErrors: {} as Record<string, string>,
    minDate: today(),
    leadDays: 15,
    busy: false,
    printing: false,
    reportId: '',
    report: null as DeliveryReport | null,
  },
  methods: {
    begin(scope: StaffScope) {
      this.setData({ canPublish: scope.isAdmin || scope.roles.includes('service') });
    },
    async load() {
      const list = await call(
        'notice',
        'staffList',
        { communityId: this.data.communityId },
        { loading: false },
      );
      const missing = await call(
        'notice',
        'missing',
        { communityId: this.data.communityId },
        { loading: false },
      );
      this.setData({
        notices: list.map(toNoticeRow),
        missingText: missing.periods.map((p) => formatPeriod(p.period)).join('、'),
        leadDays: missing.leadDays,
      });
    },
    onToggleForm() {
      this.setData({ formOpen: !this.data.formOpen });
    },
    onInput(e: WechatMiniprogram.Input & { currentTarget: { dataset: { field: string } } }) {
      this.setData({ [`form.${e.currentTarget.dataset.field}`]: e.detail.value });
    },
    onMethod(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const i = e.currentTarget.dataset.index;
      this.setData({ [`methodOptions[${i}].on`]: !this.data.methodOptions[i]!.on });
    },
    async onPublish() {
      const f = this.data.form;
      const methods = this.data.methodOptions.filter((m) => m.on).map((m) => m.value);
      await this.submit({
        check: () => checkedBy(checkNoticeForm({ ...f, methods }), null),
        errors: 'formErrors',
        confirm: () =>
          confirmModal({
            title: '发布缴费通知',
            content: `发布后业主可在小程序查看，并按各自应缴金额推送订阅消息（${formatPeriod(f.period)}，截止 ${formatDate(f.deadline)}）。`,
            confirmText: '发布',
          }),
        send: () =>
          call(
            'notice',
            'publish',
            {
              communityId: this.data.communityId,
              period: f.period,
              deadline: f.deadline,
              amountBasis: f.amountBasis,
              methods,
              body: f.body,
              lateFeePolicy: f.lateFeePolicy.trim() ? f.lateFeePolicy.trim() : null,
              ...(f.lateReason.trim() ? { lateReason: f.lateReason.trim() } : {}),
            },
            { loading: '正在发布' },
          ),
        // A late notice's missing reason is shown under its field.
        atField: (err) => err instanceof CloudError && err.field === 'lateReason',
        failTitle: '抱歉，发布未成功',
        then: (n) => {
          toast(`已发布，微信送达 ${n.push.sent} 人`);
          this.setData({ formOpen: false });
        },
      });
    },
    async onReport(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      const id = e.currentTarget.dataset.id;
      if (this.data.reportId === id) {
        this.setData({ reportId: '', report: null });
        return;
      }
      try {
        const report = await call(
          'notice',
          'report',
          { communityId: this.data.communityId, noticeId: id },
          { loading: true },
        );
        this.setData({ reportId: id, report });
      } catch (err) {
        notice('抱歉，加载未成功', messageOf(err));
      }
    },
    /** 通知触达: SMS, household notices and who is still to reach. */
    onReach(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      wx.navigateTo({ url: `/admin/reach/index?noticeId=${e.currentTarget.dataset.id}` });
    },
    onContacts() {
      wx.navigateTo({ url: '/admin/collection/index' });
    },
    /** The payment notice as an A4 poster PDF for the bulletin board. */
    async onPoster(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      await this.submit({
        busy: 'printing',
        send: () =>
          call(
            'notice',
            'posterPdf',
            { communityId: this.data.communityId, noticeId: e.currentTarget.dataset.id },
            { loading: '正在生成海报' },
          ),
        then: openCloudPdf,
        failTitle: '海报生成未成功',
        reload: false,
      });
    },
  },
});
