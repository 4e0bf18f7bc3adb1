/**
 * 线下收款 (cashier, admin): find the room, choose the channel, enter the amount, and record the
 * payment once (`payment.recordOffline` with an idempotency key made per form, so a double tap
 * or a retry after a lost reply records one payment). The server allocates the money to the
 * room's bills oldest first, keeps anything beyond them as prepaid, and numbers the receipt.
 *
 * Once a room is chosen the desk shows any WeChat Pay order an owner has open for its bills
 * (`payment.roomBills`): while it is live the ledger refuses cash for those bills and says who is
 * paying; the cashier can wait, or close the order once WeChat Pay allows (5 minutes after it was
 * made; `payment.closeOrder`, audited). The cashier enters the amount from the payment notice,
 * and the allocations come back with the receipt.
 */
import { type OfflineChannel } from '../../domain/payment/channels';
import { staffPage } from '../staff-page';
import { call, messageOf } from '../../services/cloud';
import { confirmModal } from '../../services/ui';
import { OFFLINE_CHANNEL_OPTIONS, allocationLine } from '../../utils/receipt-view';
import {
  EMPTY_ERRORS,
  collectField,
  newIdempotencyKey,
  parseRoomQuery,
  openOrderCard,
  toRoomOption,
  validateCollect,
  type DoneView,
  type OpenOrderCard,
  type RoomOption,
} from './form';
import { formatYuan, parseYuanInput } from '../../domain/kernel/money';

/** The form before a payment is entered (again after each one, with a new idempotency key). */
const NEW_PAYMENT = {
  done: null as DoneView | null,
  room: null as RoomOption | null,
  keyword: '',
  results: [] as RoomOption[],
  searched: false,
  channel: 'cash' as OfflineChannel,
  needsReference: false,
  amountText: '',
  referenceText: '',
  tenderedText: '',
  payerName: '',
  note: '',
  errors: EMPTY_ERRORS,
  changeText: '',
  orders: [] as OpenOrderCard[],
};

let searchTimer: ReturnType<typeof setTimeout> | undefined;
let searchSeq = 0;

Component({
  behaviors: [staffPage({ roles: ['cashier'], showFirst: true })],
  data: {
    /** Opened for one room (?roomId=, from the room list): it is chosen once the page shows. */
    askedRoomId: '',
    ...NEW_PAYMENT,
    searching: false,
    searchError: '',
    channels: OFFLINE_CHANNEL_OPTIONS,
    idempotencyKey: '',
    submitting: false,
  },
  methods: {
    prepare(query: Record<string, string | undefined>) {
      this.setData({ idempotencyKey: newIdempotencyKey(), askedRoomId: query.roomId ?? '' });
    },
    onUnload() {
      if (searchTimer) clearTimeout(searchTimer);
    },
    async load() {
      if (this.data.askedRoomId && !this.data.room) await this.preselect(this.data.askedRoomId);
    },
    async preselect(roomId: string) {
      try {
        const room = await call(
          'community',
          'room',
          { communityId: this.data.communityId, roomId },
          { loading: false },
        );
        this.setData({ room: toRoomOption(room) });
        await this.loadOrders();
      } catch {
        // the search box is still there
      }
    },
    onKeyword(e: { detail: string }) {
      const keyword = String(e.detail ?? '');
      this.setData({ keyword });
      if (searchTimer) clearTimeout(searchTimer);
      searchTimer = setTimeout(() => void this.search(), 300);
    },
    onSearch() {
      if (searchTimer) clearTimeout(searchTimer);
      void this.search();
    },
    async search() {
      const q = parseRoomQuery(this.data.keyword);
      if (!q.keyword && !q.building) {
        this.setData({ results: [], searched: false, searchError: '' });
        return;
      }
      const seq = ++searchSeq;
      this.setData({ searching: true, searchError: '' });
      try {
        const page = await call(
          'community',
          'rooms',
          { communityId: this.data.communityId, ...q, limit: 20 },
          { loading: false },
        );
        if (seq !== searchSeq) return;
        this.setData({ results: page.items.map(toRoomOption), searched: true, searching: false });
      } catch (err) {
        if (seq !== searchSeq) return;
        this.setData({ results: [], searching: false, searchError: messageOf(err) });
      }
    },
    onPickRoom(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const room = this.data.results[e.currentTarget.dataset.index];
      if (!room) return;
      this.setData({ room });
      void this.loadOrders();
    },
    onChangeRoom() {
      this.setData({ room: null, orders: [] });
    },
    /** The owners' WeChat Pay orders holding the chosen room's bills (none: nothing shown). */
    async loadOrders() {
      const room = this.data.room;
      if (!room) return;
      try {
        const res = await call('payment', 'roomBills', { roomId: room.roomId }, { loading: false });
        if (this.data.room?.roomId !== room.roomId) return;
        this.setData({ orders: res.orders.map((o) => openOrderCard(o, new Date())) });
      } catch {
        this.setData({ orders: [] });
      }
    },
    async onCloseOrder(e: WechatMiniprogram.BaseEvent<Record<string, never>, { no: string }>) {
      const order = this.data.orders.find((o) => o.outTradeNo === e.currentTarget.dataset.no);
      if (!order?.closable) return;
      await this.submit({
        confirm: () =>
          confirmModal({
            title: '关闭业主的微信支付订单',
            content:
              '请先确认业主不再通过微信支付这笔费用（如已改为现场缴费）。关闭后业主需重新发起支付；若业主其实已付款，系统会按微信支付结果入账。',
            confirmText: '关闭订单',
          }),
        send: () =>
          call(
            'payment',
            'closeOrder',
            { outTradeNo: order.outTradeNo, reason: '业主改为在物业服务中心缴费' },
            { loading: '正在关闭订单' },
          ),
        failTitle: '订单未能关闭',
        toast: (r) => (r.outcome === 'paid' ? '业主已完成支付，已入账' : '订单已关闭'),
        reload: false,
        then: () => this.loadOrders(),
      });
    },
    onChannel(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: OfflineChannel }>) {
      const channel = e.currentTarget.dataset.value;
      const option = OFFLINE_CHANNEL_OPTIONS.find((o) => o.value === channel);
      if (!option) return;
      this.setData({
        channel,
        needsReference: option.needsReference,
        errors: EMPTY_ERRORS,
        ...(channel !== 'cash' ? { tenderedText: '', changeText: '' } : {}),
      });
      this.updateChange();
    },
    onField(e: { detail: string; currentTarget: { dataset: { field: string } } }) {
      const field = e.currentTarget.dataset.field;
      const value = String(e.detail ?? '');
      const key = field === 'amount' ? 'amountText' : field === 'tendered' ? 'tenderedText' : '';
      if (key) this.setData({ [key]: value, [`errors.${field}`]: '' });
      else if (field === 'reference')
        this.setData({ referenceText: value, 'errors.reference': '' });
      else if (field === 'payer') this.setData({ payerName: value });
      else if (field === 'note') this.setData({ note: value });
      if (field === 'amount' || field === 'tendered') this.updateChange();
    },
    /** 找零, shown as soon as both amounts make sense. */
    updateChange() {
      const amount = parseYuanInput(this.data.amountText);
      const tendered = parseYuanInput(this.data.tenderedText);
      const changeText =
        this.data.channel === 'cash' && amount !== null && tendered !== null && tendered >= amount
          ? formatYuan(tendered - amount)
          : '';
      this.setData({ changeText });
    },
    async onSubmit() {
      const room = this.data.room;
      if (!room) {
        wx.showToast({ title: '请先查找并选择房屋', icon: 'none' });
        return;
      }
      const channelText = (c: OfflineChannel) =>
        OFFLINE_CHANNEL_OPTIONS.find((o) => o.value === c)!.label;
      await this.submit({
        busy: 'submitting',
        check: () => {
          const checked = validateCollect(
            {
              channel: this.data.channel,
              amountText: this.data.amountText,
              referenceText: this.data.referenceText,
              tenderedText: this.data.tenderedText,
              payerName: this.data.payerName,
              note: this.data.note,
            },
            { roomId: room.roomId, idempotencyKey: this.data.idempotencyKey },
          );
          return checked.ok ? { ok: true, input: checked } : checked;
        },
        errors: 'errors',
        toastFirstError: true,
        confirm: ({ input, changeFen }) =>
          confirmModal({
            title: '请核对收款信息',
            content: `${room.label}，${channelText(input.channel)}收款 ${formatYuan(input.amountFen)}${
              changeFen > 0 ? `，找零 ${formatYuan(changeFen)}` : ''
            }。确认后将生成收据，不能修改。`,
            confirmText: '确认收款',
          }),
        send: ({ input }) =>
          call(
            'payment',
            'recordOffline',
            { roomId: room.roomId, ...input, idempotencyKey: this.data.idempotencyKey },
            { loading: '正在登记收款' },
          ).catch((err: unknown) => {
            // A refusal may name an owner's order that appeared meanwhile: show it at the desk.
            void this.loadOrders();
            throw err;
          }),
        fieldOf: (f) => collectField(f) ?? '',
        alwaysNotice: true,
        failTitle: '收款未成功',
        reload: false,

        then: (res, { input }) => {
          this.setData({
            done: {
              paymentId: res.paymentId,
              receiptNo: res.receiptNo,
              amountFen: input.amountFen,
              roomLabel: room.label,
              channelText: channelText(input.channel),
              lines: res.allocations.map(allocationLine),
              hasPrepaid: res.prepaidFen > 0,
              prepaidText: formatYuan(res.prepaidFen),
              hasChange: res.changeFen > 0,
              changeText: formatYuan(res.changeFen),
            },
          });
          wx.pageScrollTo({ scrollTop: 0, duration: 0 });
        },
      });
    },
    onReceipt() {
      const id = this.data.done?.paymentId;
      if (id) wx.navigateTo({ url: `/pages/receipt/index?paymentId=${encodeURIComponent(id)}` });
    },
    /** A new form (and a new idempotency key) for the next payment. */
    onNext() {
      this.setData({ ...NEW_PAYMENT, idempotencyKey: newIdempotencyKey() });
    },
  },
});
