/**
 * 押金管理 (cashier and finance; finance refunds): ask a room for a deposit (装修押金, 车位押金 — the
 * owner can then pay it by WeChat in the mini-program), take it at the desk with a 押金收据, and
 * refund it whole or less deductions with reasons (the owner agrees to deductions first, in the
 * mini-program), through WeChat Pay (when WeChat collected it) or a recorded channel, with a red
 * receipt. The totals say what is held (a liability: never income or collection rate).
 */
import { staffPage } from '../staff-page';
import { pagedList } from '../paged-list';
import { roomPick } from '../room-pick';
import { call, messageOf } from '../../services/cloud';
import { confirmModal, notice } from '../../services/ui';
import { openDepositReceipt } from '../../services/deposit-receipt';
import { formatYuan } from '../../domain/kernel/money';
import type { DepositKind } from '../../domain/charge/rules';
import type { OfflineChannel, PaymentChannel } from '../../domain/payment/channels';
import { OFFLINE_CHANNEL_OPTIONS } from '../../utils/receipt-view';
import type { StaffScope } from '../scope';
import { newIdempotencyKey } from '../collect/form';
import {
  KIND_OPTIONS,
  NO_DEPOSIT_ERRORS,
  checkCollect,
  checkDepositForm,
  checkRefund,
  toDepositItem,
  totalsView,
  type DeductionRow,
  type DepositItem,
} from './form';

const DESK_CHANNELS = OFFLINE_CHANNEL_OPTIONS.filter((c) =>
  ['cash', 'card', 'transfer'].includes(c.value),
);
const WECHAT_CHANNEL = { value: 'wechat', label: '原路退回微信', needsReference: false };

type Tap<T extends Record<string, unknown>> = WechatMiniprogram.BaseEvent<Record<string, never>, T>;

Component({
  behaviors: [staffPage({ roles: ['cashier', 'finance'], showFirst: true }), roomPick, pagedList],
  data: {
    canRefund: false,
    kinds: KIND_OPTIONS,
    kind: 'renovation' as DepositKind,
    amountText: '',
    note: '',
    errors: NO_DEPOSIT_ERRORS,
    requesting: false,
    requestId: '',
    totals: null as ReturnType<typeof totalsView> | null,
    items: [] as DepositItem[],
    listLoading: false,
    listError: '',
    busyId: '',
    // the desk's collection editor
    collectId: '',
    collectChannel: 'cash' as OfflineChannel,
    collectReference: '',
    collectError: '',
    deskChannels: DESK_CHANNELS,
    // finance's refund editor
    refundId: '',
    refundChannels: DESK_CHANNELS as { value: string; label: string }[],
    refundChannel: 'cash' as PaymentChannel,
    refundReference: '',
    rows: [] as DeductionRow[],
    refundError: '',
  },
  methods: {
    begin(scope: StaffScope) {
      this.setData({
        canRefund: scope.roles.includes('admin') || scope.roles.includes('finance'),
        requestId: newIdempotencyKey(),
      });
    },
    load() {
      return this.loadList();
    },
    /** The first page of deposits, or with `more` the next (加载更多, scrolling). */
    loadList(more = false) {
      return this.fillPage(
        more,
        (page) =>
          call(
            'charge',
            'deposits',
            { communityId: this.data.communityId, ...page },
            { loading: false },
          ),
        (res) => {
          const can = { collect: true, refund: this.data.canRefund };
          this.setData({ totals: totalsView(res.totals) });
          this.appendRows(
            'items',
            res.deposits.map((d) => toDepositItem(d, can)),
            more,
          );
        },
      );
    },
    onKind(e: Tap<{ value: DepositKind }>) {
      this.setData({ kind: e.currentTarget.dataset.value });
    },
    onAmount(e: { detail: string }) {
      this.setData({ amountText: String(e.detail ?? ''), errors: NO_DEPOSIT_ERRORS });
    },
    onNote(e: { detail: string }) {
      this.setData({ note: String(e.detail ?? '') });
    },
    async onRequest() {
      await this.submit({
        busy: 'requesting',
        check: () =>
          checkDepositForm({
            communityId: this.data.communityId,
            roomId: this.data.room?.roomId ?? '',
            kind: this.data.kind,
            amountText: this.data.amountText,
            note: this.data.note,
            requestId: this.data.requestId,
          }),
        errors: 'errors',
        send: (input) => call('charge', 'requestDeposit', input, { loading: '正在提交' }),
        failTitle: '发起未成功',
        toast: '已发起，业主可在线缴纳',
        then: () => this.setData({ amountText: '', note: '', requestId: newIdempotencyKey() }),
      });
    },

    // ------------------------------------------------------------ the desk takes it
    onCollect(e: Tap<{ id: string }>) {
      this.setData({
        collectId: e.currentTarget.dataset.id,
        collectChannel: 'cash',
        collectReference: '',
        collectError: '',
        refundId: '',
      });
    },
    onCollectChannel(e: Tap<{ value: OfflineChannel }>) {
      this.setData({ collectChannel: e.currentTarget.dataset.value, collectError: '' });
    },
    onCollectReference(e: { detail: string }) {
      this.setData({ collectReference: String(e.detail ?? ''), collectError: '' });
    },
    onCancelEditor() {
      this.setData({ collectId: '', refundId: '' });
    },
    async onConfirmCollect() {
      const item = this.data.items.find((i) => i.depositId === this.data.collectId);
      const checked = checkCollect({
        depositId: this.data.collectId,
        channel: this.data.collectChannel,
        reference: this.data.collectReference,
      });
      if (!checked.ok) {
        this.setData({ collectError: Object.values(checked.errors).find(Boolean) ?? '' });
        return;
      }
      if (!item) return;
      await this.act(item.depositId, '收取未成功', async () => {
        const v = await call('charge', 'collectDeposit', checked.input, { loading: '正在收取' });
        notice(
          '押金已收取',
          `${item.title} ${item.amountText}，押金收据 ${v.collected?.receiptNo ?? ''}`,
        );
      });
    },

    // ------------------------------------------------------------ finance refunds it
    onRefund(e: Tap<{ id: string }>) {
      const item = this.data.items.find((i) => i.depositId === e.currentTarget.dataset.id);
      if (!item) return;
      const channels = item.wechat ? [WECHAT_CHANNEL, ...DESK_CHANNELS] : DESK_CHANNELS;
      this.setData({
        refundId: item.depositId,
        refundChannels: channels,
        refundChannel: channels[0]!.value as PaymentChannel,
        refundReference: '',
        rows: [],
        refundError: '',
        collectId: '',
      });
    },
    onRefundChannel(e: Tap<{ value: PaymentChannel }>) {
      this.setData({ refundChannel: e.currentTarget.dataset.value, refundError: '' });
    },
    onRefundReference(e: { detail: string }) {
      this.setData({ refundReference: String(e.detail ?? ''), refundError: '' });
    },
    onAddDeduction() {
      this.setData({ rows: [...this.data.rows, { reason: '', amountText: '' }], refundError: '' });
    },
    onRemoveDeduction(e: Tap<{ i: number }>) {
      this.setData({ rows: this.data.rows.filter((_, i) => i !== e.currentTarget.dataset.i) });
    },
    onDeductionReason(e: { detail: string; currentTarget: { dataset: { i: number } } }) {
      this.setData({
        [`rows[${e.currentTarget.dataset.i}].reason`]: String(e.detail ?? ''),
        refundError: '',
      });
    },
    onDeductionAmount(e: { detail: string; currentTarget: { dataset: { i: number } } }) {
      this.setData({
        [`rows[${e.currentTarget.dataset.i}].amountText`]: String(e.detail ?? ''),
        refundError: '',
      });
    },
    async onConfirmRefund() {
      const item = this.data.items.find((i) => i.depositId === this.data.refundId);
      if (!item) return;
      const checked = checkRefund({
        depositId: item.depositId,
        channel: this.data.refundChannel,
        reference: this.data.refundReference,
        rows: this.data.rows,
        heldFen: item.heldFen,
      });
      if (!checked.ok) {
        this.setData({ refundError: checked.message });
        return;
      }
      const deducts = checked.input.deductions.length > 0;
      const go = await confirmModal({
        title: '确认退还押金',
        content: `${item.title}：退还 ${formatYuan(checked.refundFen)}${
          deducts
            ? `，扣款 ${formatYuan(item.heldFen - checked.refundFen)}。扣款需业主在小程序中确认后才退还`
            : ''
        }。退还后开具红字收据，不能撤销。`,
        confirmText: deducts ? '提交业主确认' : '确认退还',
      });
      if (!go) return;
      await this.act(item.depositId, '退还未成功', async () => {
        const v = await call('charge', 'refundDeposit', checked.input, { loading: '正在提交' });
        wx.showToast({ title: v.status === 'refunded' ? '已退还' : '待业主确认', icon: 'success' });
      });
    },
    async onRetryRefund(e: Tap<{ id: string }>) {
      const depositId = e.currentTarget.dataset.id;
      await this.act(depositId, '重试未成功', async () => {
        const v = await call(
          'charge',
          'retryDepositRefund',
          { depositId },
          { loading: '正在重试' },
        );
        if (v.status !== 'refunded') notice('退款仍未成功', v.refund?.failure ?? '');
      });
    },
    async onCloseOrder(e: Tap<{ id: string }>) {
      const depositId = e.currentTarget.dataset.id;
      const go = await confirmModal({
        title: '关闭业主的微信订单',
        content:
          '关闭后业主不能再用该订单支付，可在前台收取。微信支付规定订单发起 5 分钟后才能关闭。',
        confirmText: '关闭订单',
      });
      if (!go) return;
      await this.act(depositId, '关闭未成功', async () => {
        await call(
          'charge',
          'closeDepositOrder',
          { depositId, reason: '业主改为在服务中心缴纳' },
          { loading: '正在关闭' },
        );
      });
    },
    onReceipt(e: Tap<{ id: string; which: 'collect' | 'release' }>) {
      void openDepositReceipt(e.currentTarget.dataset.id, e.currentTarget.dataset.which);
    },
    /** One change to a deposit, with the row busy meanwhile and the list read again after. */
    async act(depositId: string, failTitle: string, work: () => Promise<void>) {
      if (this.data.busyId) return;
      this.setData({ busyId: depositId });
      try {
        await work();
        this.setData({ collectId: '', refundId: '' });
      } catch (err) {
        notice(failTitle, messageOf(err));
      } finally {
        this.setData({ busyId: '' });
      }
      await this.load();
    },
  },
});
