/**
 * 线下收款 (cashier, admin): find the room, choose the channel, enter the amount, and record the
 * payment once (`payment.recordOffline` with an idempotency key made per form, so a double tap
 * or a retry after a lost reply records one payment). The server allocates the money to the
 * room's bills oldest first, keeps anything beyond them as prepaid, and numbers the receipt.
 *
 * Not yet here: the room's unpaid bills and the "all outstanding" default amount. No action lets
 * staff read a room's bills yet (owner.bills is the caller's own rooms only); the cashier enters
 * the amount from the payment notice, and the allocations come back with the receipt.
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
  toRoomOption,
  validateCollect,
  type DoneView,
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
      if (room) this.setData({ room });
    },
    onChangeRoom() {
      this.setData({ room: null });
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
