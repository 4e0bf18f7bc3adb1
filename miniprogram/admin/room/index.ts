/**
 * 房屋账户 (cashier, finance, service, admin): find a room, then its whole account
 * (`community.roomLedger`): what it owes bill by bill with the months each covers, payments and
 * their receipts, prepaid balance, WeChat Pay orders waiting, installment plans, holds, the
 * people on record, collection contacts and complaints. From here the cashier takes a payment
 * (线下收款 with the room chosen), service opens the overdue case, and an admin records that the
 * room's occupancy ended (`community.endOccupancy`: billing stops, the last month by its days).
 * Opened from 工作台, the overdue case and 线下收款 (?roomId=).
 */
import { staffPage } from '../staff-page';
import { call } from '../../services/cloud';
import { confirmModal, toast } from '../../services/ui';
import { api } from '../../domain/api';
import { check } from '../../domain/kernel/check';
import { shanghaiDate, formatDate } from '../../domain/kernel/time';
import type { OccupancyEndReason } from '../../domain/community/account.contract';
import type { RoomOption } from '../room-finder/query';
import { END_REASON_OPTIONS, toLedgerScreen, type LedgerScreen } from './view';

type Tab = 'bills' | 'payments' | 'follow';

const TABS: { value: Tab; label: string }[] = [
  { value: 'bills', label: '账单' },
  { value: 'payments', label: '缴费与收据' },
  { value: 'follow', label: '跟进与住户' },
];

const NO_END = { endDate: '', reason: '' as OccupancyEndReason | '', note: '' };

Component({
  behaviors: [staffPage({ roles: ['cashier', 'finance', 'service'], showFirst: true })],
  data: {
    roomId: '',
    ledger: null as LedgerScreen | null,
    tabs: TABS,
    tab: 'bills' as Tab,
    canCollect: false,
    canFollow: false,
    canEnd: false,
    ending: false,
    endForm: NO_END,
    endErrors: { endDate: '', reason: '' },
    endReasons: END_REASON_OPTIONS,
    today: '',
    saving: false,
  },
  methods: {
    prepare(query: Record<string, string | undefined>) {
      this.setData({ roomId: query.roomId ?? '', today: shanghaiDate(new Date()) });
    },
    begin() {
      const roles = this.data.staffScope?.roles ?? [];
      const admin = roles.includes('admin');
      this.setData({
        canCollect: admin || roles.includes('cashier'),
        canFollow: admin || roles.includes('service') || roles.includes('finance'),
        canEnd: admin,
      });
    },
    async load() {
      if (!this.data.roomId) {
        this.setData({ ledger: null });
        return;
      }
      const l = await call(
        'community',
        'roomLedger',
        { communityId: this.data.communityId, roomId: this.data.roomId },
        { loading: false },
      );
      this.setData({ ledger: toLedgerScreen(l) });
      wx.setNavigationBarTitle?.({ title: `房屋账户 · ${l.room.label}` });
    },
    onPickRoom(e: { detail: RoomOption }) {
      this.setData({ roomId: e.detail.roomId, tab: 'bills', ending: false });
      void this.reload();
    },
    onOtherRoom() {
      this.setData({ roomId: '', ledger: null, ending: false });
      wx.setNavigationBarTitle?.({ title: '房屋账户' });
    },
    onTab(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: Tab }>) {
      this.setData({ tab: e.currentTarget.dataset.value });
    },
    onCollect() {
      wx.navigateTo({ url: `/admin/collect/index?roomId=${encodeURIComponent(this.data.roomId)}` });
    },
    onCase() {
      wx.navigateTo({
        url: `/admin/collection/case?roomId=${encodeURIComponent(this.data.roomId)}`,
      });
    },
    onReceipt(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      wx.navigateTo({
        url: `/pages/receipt/index?paymentId=${encodeURIComponent(e.currentTarget.dataset.id)}`,
      });
    },
    onTicket(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      wx.navigateTo({
        url: `/admin/tickets/detail?ticketId=${encodeURIComponent(e.currentTarget.dataset.id)}`,
      });
    },
    onStartEnd() {
      this.setData({
        ending: !this.data.ending,
        endForm: NO_END,
        endErrors: { endDate: '', reason: '' },
      });
    },
    onEndDate(e: { detail: { value: string } }) {
      this.setData({ 'endForm.endDate': e.detail.value, 'endErrors.endDate': '' });
    },
    onEndReason(
      e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: OccupancyEndReason }>,
    ) {
      this.setData({ 'endForm.reason': e.currentTarget.dataset.value, 'endErrors.reason': '' });
    },
    onEndNote(e: { detail: { value: string } }) {
      this.setData({ 'endForm.note': e.detail.value });
    },
    /** 结束入住: checked with the function's contract, confirmed, sent once, the account shown anew. */
    async onEnd() {
      const f = this.data.endForm;
      await this.submit({
        busy: 'saving',
        check: () => {
          const input = {
            communityId: this.data.communityId,
            roomId: this.data.roomId,
            endDate: f.endDate,
            reason: f.reason,
            note: f.note.trim(),
          };
          const checked = check(api.community.endOccupancy, input);
          if (checked.ok) return { ok: true, input: checked.data };
          const errors = { endDate: '', reason: '' };
          for (const e of checked.errors) {
            if (e.field === 'endDate')
              errors.endDate = f.endDate ? e.message : '请选择入住结束日期';
            if (e.field === 'reason') errors.reason = '请选择结束原因';
          }
          return { ok: false, errors };
        },
        errors: 'endErrors',
        confirm: (input) =>
          confirmModal({
            title: '确认结束入住',
            content: `${this.data.ledger?.label ?? ''} 入住至 ${formatDate(input.endDate!)}，之后的账期不再计费，最后一个月按天数计算。此操作会记录操作日志。`,
            confirmText: '确认',
          }),
        send: (input) => call('community', 'endOccupancy', input, { loading: '正在保存' }),
        then: (l) => {
          this.setData({ ledger: toLedgerScreen(l), ending: false });
          toast('已记录，计费至该日');
        },
        failTitle: '抱歉，保存未成功',
        reload: false,
      });
    },
  },
});
