/**
 * 账单明细: one bill with every line explained in plain words (fee.billDetail), its discounts,
 * total, due date, the fee standard behind each charge, payments made, how to pay and whom to
 * ask. Opened from a bill card on 账单 and from 确认缴费; 去缴费 goes to pay with this bill only;
 * a metered charge links to 自助抄表 for the bill's room.
 */
import { notFound, pageState } from '../../behaviors/page-state';
import { callQuiet } from '../../services/cloud';
import { requestReminders } from '../../services/subscribe';
import { toast } from '../../services/ui';
import { toBillDetailScreen, type BillDetailScreen } from '../../utils/fee-view';

Component({
  behaviors: [pageState],
  data: {
    billId: '',
    /** Opened from 确认缴费: 去缴费 goes back instead of opening a second pay page. */
    fromPay: false,
    bill: null as BillDetailScreen | null,
  },
  methods: {
    /** Reminder consent at a natural moment: the owner looking at what they owe (a tap). */
    async onRemind() {
      const answer = await requestReminders('bill');
      if (!answer.shown) toast('抱歉，暂时无法订阅，请稍后再试');
      else toast(answer.accepted > 0 ? `已为您订阅 ${answer.accepted} 项提醒` : '您暂未订阅提醒');
    },
    prepare(query: Record<string, string | undefined>) {
      this.setData({
        billId: decodeURIComponent(query.billId ?? ''),
        fromPay: query.from === 'pay',
      });
    },
    async load() {
      if (!this.data.billId) throw notFound('抱歉，没有找到这笔账单，请返回后重试');
      const detail = await callQuiet('fee', 'billDetail', { billId: this.data.billId });
      this.setData({ bill: toBillDetailScreen(detail) });
    },
    onPay() {
      const bill = this.data.bill;
      if (!bill?.payable) return;
      if (this.data.fromPay) {
        wx.navigateBack({ delta: 1 });
        return;
      }
      wx.navigateTo({ url: `/pages/pay/index?billIds=${encodeURIComponent(bill.billId)}` });
    },
    onStandards() {
      const id = this.data.bill?.communityId ?? '';
      wx.navigateTo({ url: `/pages/standards/index?communityId=${encodeURIComponent(id)}` });
    },
    /** A metered line: report this room's meter (自助抄表). */
    onMeter(e: WechatMiniprogram.BaseEvent<Record<string, never>, { item: string }>) {
      const bill = this.data.bill;
      if (!bill) return;
      const q = `roomId=${encodeURIComponent(bill.roomId)}&itemId=${encodeURIComponent(String(e.currentTarget.dataset.item))}`;
      wx.navigateTo({ url: `/pages/meter/index?${q}` });
    },
    onQuestion() {
      const id = this.data.bill?.billId ?? this.data.billId;
      wx.navigateTo({ url: `/pages/complaints/new?billId=${encodeURIComponent(id)}` });
    },
    onCall(e: WechatMiniprogram.BaseEvent<Record<string, never>, { phone: string }>) {
      const phoneNumber = String(e.currentTarget.dataset.phone ?? '').replace(/[^\d-]/g, '');
      if (phoneNumber) wx.makePhoneCall({ phoneNumber, fail: () => undefined });
    },
  },
});
