/**
 * 通知触达 (service and admin act; every staff role reads): how one payment notice reached each
 * household — WeChat, SMS, the printed notice signed for, or still to call — with the SMS sent and
 * why any failed, texting the rooms not reached yet, printing the per-household notices (one page
 * per room, with its personal mini-program code) building by building, and recording the
 * households that signed for theirs (送达签收). docs/overdue.md, "Reaching every owner".
 */
import { staffPage } from '../staff-page';
import { PAGE_SIZE, pagedList } from '../paged-list';
import type { StaffScope } from '../scope';
import { call } from '../../services/cloud';
import { openCloudPdf } from '../../services/document';
import { confirmModal, toast } from '../../services/ui';
import type { DeliveryReport, SmsView } from '../../domain/notice/contract';

const SMS_STATUS: Record<SmsView['status'], string> = {
  queued: '待发送',
  sending: '发送中',
  sent: '已送达',
  failed: '未送达',
};

export interface ChannelRow {
  key: string;
  label: string;
  count: number;
}

/** The report's counts as rows, by channel first, then the rooms still to reach. */
export function channelRows(r: DeliveryReport): ChannelRow[] {
  const c = r.counts;
  return [
    { key: 'wechat', label: '微信消息', count: c.wechat },
    { key: 'sms', label: '短信', count: c.sms },
    { key: 'smsQueued', label: '短信待发', count: c.smsQueued },
    { key: 'printed', label: '通知单签收', count: c.printed },
    { key: 'pending', label: '免打扰待发', count: c.pending },
    { key: 'callList', label: '待电话联系', count: c.callList },
    { key: 'unreachable', label: '无联系方式', count: c.unreachable },
    // paid before the push, or since (nothing left to tell them)
    { key: 'paid', label: '已缴清', count: c.paid + c.settled },
  ];
}

export function smsRow(s: SmsView): SmsView & { statusText: string; phoneText: string } {
  return { ...s, statusText: SMS_STATUS[s.status], phoneText: s.phones.join('、') };
}

Component({
  behaviors: [staffPage({ roles: ['service', 'cashier', 'finance'] }), pagedList],
  data: {
    noticeId: '',
    canAct: false,
    title: '',
    rows: [] as ChannelRow[],
    lateText: '',
    rooms: 0,
    unreached: [] as (DeliveryReport['unreached'][number] & { picked: boolean })[],
    /** The unreached rooms a page at a time (by room): all of them, and the next page. */
    unreachedTotal: 0,
    unreachedCursor: null as string | null,
    unreachedLoading: false,
    sms: [] as ReturnType<typeof smsRow>[],
    buildings: [] as { code: string; name: string }[],
    busy: false,
    printing: false,
    listLoading: false,
    listError: '',
  },
  methods: {
    prepare(q: Record<string, string | undefined>) {
      this.setData({ noticeId: q.noticeId ?? '' });
    },
    begin(scope: StaffScope) {
      this.setData({ canAct: scope.isAdmin || scope.roles.includes('service') });
    },
    async load() {
      const where = { communityId: this.data.communityId, noticeId: this.data.noticeId };
      const [report, dir] = await Promise.all([
        call('notice', 'report', { ...where, limit: PAGE_SIZE }, { loading: false }),
        call('binding', 'buildings', { communityId: this.data.communityId }, { loading: false }),
        this.loadList(),
      ]);
      this.setData({
        title: report.title,
        rooms: report.counts.rooms,
        rows: channelRows(report),
        lateText: report.late
          ? `距截止仅提前 ${report.late.daysBefore} 天发布（规定 ${report.late.leadDays} 天）：${report.late.reason}`
          : '',
        unreached: report.unreached.map((u) => ({ ...u, picked: false })),
        unreachedTotal: report.total,
        unreachedCursor: report.nextCursor,
        buildings: dir.buildings.map((b) => ({ code: b.code, name: b.name })),
      });
    },
    /** The notice's SMS, the first page or with `more` the next (加载更多, scrolling). */
    loadList(more = false) {
      return this.fillPage(
        more,
        (page) =>
          call(
            'notice',
            'smsList',
            { communityId: this.data.communityId, noticeId: this.data.noticeId, ...page },
            { loading: false },
          ),
        (res) => this.appendRows('sms', res.sms.map(smsRow), more),
      );
    },
    /** The next page of unreached rooms (加载更多, or scrolling to the list's end). */
    async onMoreUnreached() {
      const cursor = this.data.unreachedCursor;
      if (!cursor || this.data.unreachedLoading) return;
      this.setData({ unreachedLoading: true });
      try {
        const report = await call(
          'notice',
          'report',
          {
            communityId: this.data.communityId,
            noticeId: this.data.noticeId,
            limit: PAGE_SIZE,
            cursor,
          },
          { loading: false },
        );
        this.setData({
          rows: channelRows(report),
          unreached: [
            ...this.data.unreached,
            ...report.unreached.map((u) => ({ ...u, picked: false })),
          ],
          unreachedTotal: report.total,
          unreachedCursor: report.nextCursor,
        });
      } catch {
        toast('加载未成功，请重试');
      } finally {
        this.setData({ unreachedLoading: false });
      }
    },
    onPick(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const i = e.currentTarget.dataset.index;
      this.setData({ [`unreached[${i}].picked`]: !this.data.unreached[i]!.picked });
    },
    /** 打印入户通知单: one building's households, one page each. */
    async onPrint(e: WechatMiniprogram.BaseEvent<Record<string, never>, { code: string }>) {
      await this.submit({
        busy: 'printing',
        send: () =>
          call(
            'notice',
            'householdPdf',
            {
              communityId: this.data.communityId,
              noticeId: this.data.noticeId,
              building: e.currentTarget.dataset.code,
            },
            { loading: '正在生成通知单' },
          ),
        then: (file) => {
          toast(`已生成 ${file.rooms} 户`);
          return openCloudPdf(file);
        },
        failTitle: '通知单生成未成功',
        reload: false,
      });
    },
    /** 登记签收: the picked households signed for their printed notice. */
    async onSigned() {
      const roomIds = this.data.unreached.filter((u) => u.picked).map((u) => u.roomId);
      if (roomIds.length === 0) {
        toast('请先选择已签收的房屋');
        return;
      }
      await this.submit({
        confirm: () =>
          confirmModal({
            title: '登记送达签收',
            content: `确认 ${roomIds.length} 户已签收入户缴费通知单？`,
            confirmText: '登记',
          }),
        send: () =>
          call(
            'notice',
            'recordDelivery',
            { communityId: this.data.communityId, noticeId: this.data.noticeId, roomIds },
            { loading: '正在登记' },
          ),
        then: (r) => toast(`已登记 ${r.recorded} 户`),
        failTitle: '登记未成功',
      });
    },
    /** 补发短信: the rooms not reached yet, where a number is on record. */
    async onTextUnreached() {
      await this.submit({
        confirm: () =>
          confirmModal({
            title: '短信通知未送达业主',
            content:
              '向未通过微信送达、登记了手机号的业主发送短信（每户一次；免打扰时段顺延，受每日上限限制）。',
            confirmText: '发送',
          }),
        send: () =>
          call(
            'notice',
            'smsUnreached',
            { communityId: this.data.communityId, noticeId: this.data.noticeId },
            { loading: '正在发送' },
          ),
        then: (r) => toast(`已发送 ${r.sent} 条，待发 ${r.waiting} 条`),
        failTitle: '短信未发出',
      });
    },
  },
});
