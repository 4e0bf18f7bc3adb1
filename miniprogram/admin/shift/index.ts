/**
 * 交班日结 (cashier): the open shift — money taken by channel, receipts first to last, red
 * receipts, the cash that should be in the drawer — closed with the cash counted (a difference
 * needs a note, the contract's rule); the sheet as a PDF; the cashier's earlier shifts below.
 * After the close the next desk payment opens a new shift (docs/payments.md "Shift close").
 */
import { checkedWith } from '../../behaviors/page-state';
import { staffPage } from '../staff-page';
import { api } from '../../domain/api';
import { parseYuanInput } from '../../domain/kernel/money';
import { call } from '../../services/cloud';
import { confirmModal } from '../../services/ui';
import { printShiftSheet } from './print';
import { toShiftCard, type ShiftCard } from './view';
import type { ShiftView } from '../../domain/payment/shift';

Component({
  behaviors: [staffPage({ roles: ['cashier'] })],
  data: {
    open: null as ShiftCard | null,
    /** The open shift has entries (an empty one has nothing to hand over). */
    closable: false,
    past: [] as ShiftCard[],
    cashText: '',
    note: '',
    errors: {} as Record<string, string>,
    busy: false,
    printing: '',
  },
  methods: {
    async load() {
      const communityId = this.data.communityId;
      const [open, list] = await Promise.all([
        call('payment', 'shiftSummary', { communityId }, { loading: false }),
        call('payment', 'shifts', { communityId, limit: 10 }, { loading: false }),
      ]);
      this.setData({
        open: toShiftCard(open),
        closable: open.openedAt !== null,
        past: list.shifts.filter((s: ShiftView) => s.status !== 'open').map(toShiftCard),
      });
    },
    onCash(e: { detail: string }) {
      this.setData({ cashText: String(e.detail ?? ''), errors: {} });
    },
    onNote(e: { detail: string }) {
      this.setData({ note: String(e.detail ?? ''), errors: {} });
    },
    async onClose() {
      const open = this.data.open;
      if (!open) return;
      const declared = parseYuanInput(this.data.cashText);
      const input = {
        communityId: this.data.communityId,
        shiftId: open.shiftId,
        declaredCashFen: declared ?? -1,
        expectedCashFen: open.expectedCashFen,
        ...(this.data.note.trim() ? { note: this.data.note.trim() } : {}),
      };
      await this.submit({
        check: () =>
          declared === null
            ? { ok: false, errors: { declaredCashFen: '请填写实交现金金额（元）' } }
            : checkedWith(api.payment.closeShift, input),
        errors: 'errors',
        confirm: () =>
          confirmModal({
            title: '确认交班',
            content: `应交现金 ${open.expectedText}，实交 ${this.data.cashText} 元。交班后本班次不能再修改，之后的收款计入新班次。`,
            confirmText: '确认交班',
          }),
        send: () => call('payment', 'closeShift', input, { loading: '正在交班' }),
        failTitle: '交班未成功',
        toast: '已交班，请将现金交财务',
        then: () => this.setData({ cashText: '', note: '' }),
      });
    },
    onPrint(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
      return printShiftSheet(this, String(e.currentTarget.dataset.id));
    },
  },
});
