/**
 * 线下收款 (cashier, admin): find the room, tick the bills being paid (the amount fills in with
 * what they owe), choose the channel, and record the payment once (`payment.recordOffline` with
 * an idempotency key made per form, so a double tap or a retry after a lost reply records one
 * payment). Ticked bills are paid exactly (never more than they owe); with none ticked the money
 * goes to the room's bills oldest first and anything beyond them to prepaid. The receipt is
 * numbered by the server. The room's whole account (房屋账户) is one tap away.
 *
 * Once a room is chosen the desk also shows any WeChat Pay order an owner has open for its bills
 * (`payment.roomBills`): while it is live the ledger refuses cash for those bills and says who is
 * paying; the cashier can wait, or close the order once WeChat Pay allows (5 minutes after it was
 * made; `payment.closeOrder`, audited).
 */
import { type OfflineChannel } from '../../domain/payment/channels';
import { staffPage } from '../staff-page';
import { call } from '../../services/cloud';
import { confirmModal } from '../../services/ui';
import { OFFLINE_CHANNEL_OPTIONS, allocationLine } from '../../utils/receipt-view';
import {
  EMPTY_ERRORS,
  collectField,
  newIdempotencyKey,
  openOrderCard,
  ticked,
  toDeskBill,
  validateCollect,
  type DeskBill,
  type DoneView,
  type OpenOrderCard,
} from './form';
import { toRoomOption, type RoomOption } from '../room-finder/query';
import { formatYuan, parseYuanInput } from '../../domain/kernel/money';

/** The form before a payment is entered (again after each one, with a new idempotency key). */
const NEW_PAYMENT = {
  done: null as DoneView | null,
  room: null as RoomOption | null,
  bills: [] as DeskBill[],
  prepaidText: '',
  tickedText: '',
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

Component({
  behaviors: [staffPage({ roles: ['cashier'], showFirst: true })],
  data: {
    /** Opened for one room (?roomId=, from 房屋账户): it is chosen once the page shows. */
    askedRoomId: '',
    ...NEW_PAYMENT,
    channels: OFFLINE_CHANNEL_OPTIONS,
    idempotencyKey: '',
    submitting: false,
  },
  methods: {
    prepare(query: Record<string, string | undefined>) {
      this.setData({ idempotencyKey: newIdempotencyKey(), askedRoomId: query.roomId ?? '' });
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
        this.choose(toRoomOption(room));
      } catch {
        // the search box is still there
      }
    },
    onPickRoom(e: { detail: RoomOption }) {
      this.choose(e.detail);
    },
    /** A room chosen: its unpaid bills to tick, its prepaid balance and any owner's open order. */
    choose(room: RoomOption) {
      this.setData({
        room,
        bills: [],
        orders: [],
        prepaidText: '',
        tickedText: '',
        amountText: '',
      });
      void this.fillList(
        () => call('payment', 'roomBills', { roomId: room.roomId }, { loading: false }),
        (r) => {
          if (this.data.room?.roomId !== room.roomId) return;
          this.setData({
            bills: r.unpaid.map((b) => toDeskBill(b)),
            prepaidText: r.prepaidFen > 0 ? formatYuan(r.prepaidFen) : '',
            orders: r.orders.map((o) => openOrderCard(o, new Date())),
          });
        },
      );
    },
    onChangeRoom() {
      this.setData({
        room: null,
        bills: [],
        orders: [],
        tickedText: '',
        amountText: '',
        changeText: '',
      });
    },
    onAccount() {
      const room = this.data.room;
      if (room)
        wx.navigateTo({ url: `/admin/room/index?roomId=${encodeURIComponent(room.roomId)}` });
    },
    /** Ticking a bill fills the amount with what the ticked bills owe. */
    onTick(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const i = e.currentTarget.dataset.index;
      const bills = this.data.bills.map((b, j) => (j === i ? { ...b, checked: !b.checked } : b));
      this.showTicked(bills);
    },
    onTickAll() {
      const all = this.data.bills.every((b) => b.checked);
      this.showTicked(this.data.bills.map((b) => ({ ...b, checked: !all })));
    },
    showTicked(bills: DeskBill[]) {
      const t = ticked(bills);
      this.setData({
        bills,
        amountText: t.amountText,
        tickedText: t.billIds.length
          ? `已选 ${t.billIds.length} 笔，合计 ${formatYuan(t.totalFen)}`
          : '',
        'errors.amount': '',
      });
      this.updateChange();
    },
    /** The owners' WeChat Pay orders holding the chosen room's bills, read again. */
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
        then: () => this.choose(this.data.room!),
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
            ticked(this.data.bills),
          );
          return checked.ok ? { ok: true, input: checked } : checked;
        },
        errors: 'errors',
        toastFirstError: true,
        confirm: ({ input, changeFen }) =>
          confirmModal({
            title: '请核对收款信息',
            content: `${room.label}，${
              input.billIds ? `缴纳所选 ${input.billIds.length} 笔账单，` : ''
            }${channelText(input.channel)}收款 ${formatYuan(input.amountFen)}${
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
