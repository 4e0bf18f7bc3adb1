/**
 * 确认缴费: the bills chosen on 账单 (or every unpaid bill, from 首页 立即缴费) with their total,
 * then WeChat Pay. Only bill ids go to the server, plus an amount when the owner pays part of
 * the total; the server computes and checks the order's amount, and the pay sheet shows it.
 */
import { pageState } from '../../behaviors/page-state';
import { CloudError, call, messageOf } from '../../services/cloud';
import { openPaySheet } from '../../services/pay';
import { confirmModal, notice } from '../../services/ui';
import { checkPartAmount, toPayBillView, type PayBillView } from '../../utils/pay-view';
import type { CreatedOrder } from '../../domain/payment/contract';
import { fenToYuanString, formatYuan } from '../../domain/kernel/money';

Component({
  behaviors: [pageState],
  data: {
    /** Ids from the bills page; empty: every unpaid bill. */
    requestedIds: [] as string[],
    /** An installment's amount (from 分期缴费): pay that part of the bills. */
    presetFen: 0,
    bills: [] as PayBillView[],
    totalFen: 0,
    totalText: '',
    overdueCount: 0,
    /** Some chosen bills were paid or changed meanwhile. */
    changed: false,
    partial: false,
    amountText: '',
    amountError: '',
    payFen: 0,
    paying: false,
  },
  methods: {
    prepare(query: Record<string, string | undefined>) {
      const ids = (query.billIds ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const preset = Number(query.partFen ?? '');
      this.setData({
        requestedIds: ids,
        presetFen: Number.isSafeInteger(preset) && preset > 0 ? preset : 0,
      });
    },
    async load() {
      const { unpaid } = await call('owner', 'bills', {}, { loading: false });
      const wanted = new Set(this.data.requestedIds);
      const chosen = wanted.size ? unpaid.filter((b) => wanted.has(b.billId)) : unpaid;
      const totalFen = chosen.reduce((s, b) => s + b.outstandingFen, 0);
      this.setData({
        bills: chosen.map(toPayBillView),
        totalFen,
        totalText: formatYuan(totalFen),
        overdueCount: chosen.filter((b) => b.overdueDays > 0).length,
        changed: wanted.size > 0 && chosen.length < wanted.size,
        partial: false,
        amountText: '',
        amountError: '',
        payFen: totalFen,
      });
      const preset = this.data.presetFen;
      if (preset > 0 && preset < totalFen) {
        this.setData({ partial: true, amountText: fenToYuanString(preset), payFen: preset });
      }
      return chosen.length > 0 ? 'ready' : 'empty';
    },
    /** A bill's lines explained; 去缴费 there comes back here. */
    onOpenBill(e: WechatMiniprogram.BaseEvent<Record<string, never>, { billId: string }>) {
      const id = e.currentTarget.dataset.billId;
      if (id) wx.navigateTo({ url: `/pages/bill/index?billId=${encodeURIComponent(id)}&from=pay` });
    },
    onPartial(e: { detail: boolean }) {
      this.setData({
        partial: e.detail,
        amountText: '',
        amountError: '',
        payFen: this.data.totalFen,
      });
    },
    onAmount(e: { detail: string }) {
      const amountText = String(e.detail ?? '');
      const checked = amountText ? checkPartAmount(amountText, this.data.totalFen) : null;
      this.setData({
        amountText,
        // say what is wrong only once something is typed
        amountError: checked && checked.fen === null ? checked.error : '',
        payFen: checked?.fen ?? this.data.totalFen,
      });
    },
    async onPay() {
      if (this.data.paying || this.data.status !== 'ready') return;
      let amountFen: number | undefined;
      if (this.data.partial) {
        const checked = checkPartAmount(this.data.amountText, this.data.totalFen);
        if (checked.fen === null) {
          this.setData({ amountError: checked.error });
          wx.showToast({ title: checked.error, icon: 'none' });
          return;
        }
        if (checked.fen < this.data.totalFen) amountFen = checked.fen;
      }
      const billIds = this.data.requestedIds.length ? this.data.bills.map((b) => b.billId) : [];
      this.setData({ paying: true });
      try {
        const order: CreatedOrder = await call(
          'payment',
          'createOrder',
          {
            ...(billIds.length ? { billIds } : {}),
            ...(amountFen !== undefined ? { amountFen } : {}),
          },
          { loading: '正在创建订单' },
        );
        const expected = amountFen ?? this.data.totalFen;
        if (order.amountFen !== expected) {
          const go = await confirmModal({
            title: '应缴金额有更新',
            content: `物业系统核算的应缴金额为 ${formatYuan(order.amountFen)}（页面显示 ${formatYuan(expected)}），是否按新金额继续支付？`,
            confirmText: '继续支付',
          });
          if (!go) {
            void this.reload();
            return;
          }
        }
        const sheet = await openPaySheet(order.payment);
        const q = [
          `outTradeNo=${order.outTradeNo}`,
          `outcome=${sheet.outcome}`,
          `amountFen=${order.amountFen}`,
          ...(billIds.length ? [`billIds=${billIds.join(',')}`] : []),
          ...(amountFen !== undefined ? [`partFen=${amountFen}`] : []),
        ];
        wx.redirectTo({ url: `/pages/pay-result/index?${q.join('&')}` });
      } catch (err) {
        notice('暂时无法发起支付', messageOf(err));
        // the bills changed under us (paid elsewhere, another order): show them as they are now
        if (err instanceof CloudError && !['NETWORK', 'BUSY', 'INTERNAL'].includes(err.code))
          void this.reload();
      } finally {
        this.setData({ paying: false });
      }
    },
  },
});
