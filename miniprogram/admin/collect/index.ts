/**
 * 线下收款 (cashier, admin): find the room, tick the bills being paid (the amount fills in with
 * what they owe), choose the channel, and record the payment once (`payment.recordOffline` with
 * an idempotency key made per form, so a double tap or a retry after a lost reply records one
 * payment). Ticked bills are paid exactly (never more than they owe); with none ticked the money
 * goes to the room's bills oldest first and anything beyond them to prepaid. The receipt is
 * numbered by the server. The room's whole account (房屋账户) is one tap away.
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
  ticked,
  toDeskBill,
  validateCollect,
  type DeskBill,
  type DoneView,
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
    /** A room chosen: its unpaid bills to tick, and its prepaid balance. */
    choose(room: RoomOption) {
      this.setData({ room, bills: [], prepaidText: '', tickedText: '', amountText: '' });
      void this.fillList(
        () => call('payment', 'roomBills', { roomId: room.roomId }, { loading: false }),
        (r) => {
          if (this.data.room?.roomId !== room.roomId) return;
          this.setData({
            bills: r.unpaid.map((b) => toDeskBill(b)),
            prepaidText: r.prepaidFen > 0 ? formatYuan(r.prepaidFen) : '',
          });
        },
      );
    },
    onChangeRoom() {
      this.setData({ room: null, bills: [], tickedText: '', amountText: '', changeText: '' });
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
          ),
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
