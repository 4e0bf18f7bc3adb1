/**
 * 我的押金: the deposits of my rooms — asked of me (pay by WeChat Pay here; the amount is the
 * deposit's), held (with the 押金收据), a refund with deductions waiting for my agreement
 * (确认扣款: the rest is then paid back), and refunded (with the red receipt).
 */
import { pageState } from '../../behaviors/page-state';
import { call, callQuiet, messageOf } from '../../services/cloud';
import { openPaySheet } from '../../services/pay';
import { confirmModal, notice } from '../../services/ui';
import { openDepositReceipt } from '../../services/deposit-receipt';
import { formatYuan } from '../../domain/kernel/money';
import { formatDateTime } from '../../domain/kernel/time';
import { refundWords } from '../../domain/charge/words';
import type { DepositView } from '../../domain/charge/contract';

interface DepositCard {
  depositId: string;
  title: string;
  amountText: string;
  statusLabel: string;
  tone: 'warning' | 'primary' | 'success' | 'danger';
  receiptText: string;
  refundText: string;
  redText: string;
  canPay: boolean;
  canAck: boolean;
}

const TONE: Record<DepositView['status'], DepositCard['tone']> = {
  requested: 'warning',
  held: 'primary',
  'awaiting-ack': 'danger',
  refunding: 'warning',
  refunded: 'success',
};

function card(v: DepositView): DepositCard {
  return {
    depositId: v.depositId,
    title: `${v.kindLabel} · ${v.roomLabel}`,
    amountText: formatYuan(v.amountFen),
    statusLabel: v.statusLabel,
    tone: TONE[v.status],
    receiptText: v.collected
      ? `押金收据 ${v.collected.receiptNo} · ${v.collected.channelLabel} · ${formatDateTime(v.collected.at)}`
      : '',
    refundText: refundWords(v),
    redText: v.released
      ? `红字收据 ${v.released.receiptNo} · ${formatYuan(v.released.amountFen)}`
      : '',
    canPay: v.status === 'requested',
    canAck: v.status === 'awaiting-ack',
  };
}

/** After the pay sheet: the notification is on its way; look again a few times. */
const AFTER_PAY_MS = [600, 1200, 2500];

Component({
  behaviors: [pageState],
  data: {
    items: [] as DepositCard[],
    heldText: '',
    busyId: '',
  },
  methods: {
    async load() {
      const res = await callQuiet('charge', 'myDeposits', {});
      const held = res.deposits.reduce((s, d) => s + d.heldFen, 0);
      this.setData({ items: res.deposits.map(card), heldText: held > 0 ? formatYuan(held) : '' });
      return res.deposits.length === 0 ? ('empty' as const) : undefined;
    },
    async onPay(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      const depositId = e.currentTarget.dataset.id;
      if (this.data.busyId) return;
      this.setData({ busyId: depositId });
      try {
        const order = await call(
          'charge',
          'payDeposit',
          { depositId },
          { loading: '正在发起支付' },
        );
        const sheet = await openPaySheet(order.payment);
        if (sheet.outcome === 'paid') {
          for (const wait of AFTER_PAY_MS) {
            await new Promise((r) => setTimeout(r, wait));
            await this.load();
            if (!this.data.items.some((i) => i.depositId === depositId && i.canPay)) break;
          }
        }
      } catch (err) {
        notice('支付未成功', messageOf(err));
      } finally {
        this.setData({ busyId: '' });
      }
    },
    onReceipt(
      e: WechatMiniprogram.BaseEvent<
        Record<string, never>,
        { id: string; which: 'collect' | 'release' }
      >,
    ) {
      void openDepositReceipt(e.currentTarget.dataset.id, e.currentTarget.dataset.which);
    },
    async onAck(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      const item = this.data.items.find((i) => i.depositId === e.currentTarget.dataset.id);
      if (!item || this.data.busyId) return;
      const go = await confirmModal({
        title: '确认扣款',
        content: `${item.title}：${item.refundText}。确认后物业将退还剩余押金并开具红字收据。如有异议请先联系物业服务中心。`,
        confirmText: '同意扣款',
      });
      if (!go) return;
      this.setData({ busyId: item.depositId });
      try {
        await call(
          'charge',
          'ackDeduction',
          { depositId: item.depositId },
          { loading: '正在确认' },
        );
        wx.showToast({ title: '已确认，押金已退还', icon: 'none' });
      } catch (err) {
        notice('确认未成功', messageOf(err));
      } finally {
        this.setData({ busyId: '' });
      }
      await this.reload();
    },
  },
});
