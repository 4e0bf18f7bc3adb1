/**
 * 账单: unpaid and paid bills, optionally for one room. Unpaid bills can be chosen for payment
 * (all of them, oldest first, unless the owner unticks some); the total shown is the sum of the
 * server's outstanding amounts, and the order's amount is computed again by the server.
 */
import { elderBehavior } from '../../behaviors/elder';
import { messageOf, callQuiet } from '../../services/cloud';
import { currentPaymentsVersion } from '../../services/pay';
import { syncTabBar, takeBillsRoomFilter } from '../../services/ui';
import { toBillView, type BillView } from '../../utils/bill-view';
import type { MyRoom } from '../../domain/owner/contract';
import { formatYuan } from '../../domain/kernel/money';

type Status = 'loading' | 'ready' | 'error';
type Tab = 'unpaid' | 'paid';

/** Only the latest request may write the list (a room switch can overtake a slow load). */
let loadSeq = 0;

/** Bills whose title, period or room contain the keyword (spaces ignored). */
export function matchBills(bills: BillView[], keyword: string): BillView[] {
  const k = keyword.replace(/\s+/g, '');
  if (!k) return bills;
  return bills.filter((b) => `${b.title}${b.periodText}${b.roomLabel}${b.dueText}`.includes(k));
}

interface RoomChip {
  roomId: string;
  label: string;
}

/** Ids chosen (in the order of `unpaid`, i.e. oldest first) and their outstanding total. */
export function selectionOf(
  unpaid: BillView[],
  selected: Record<string, boolean>,
): { billIds: string[]; totalFen: number } {
  const chosen = unpaid.filter((b) => selected[b.billId]);
  return {
    billIds: chosen.map((b) => b.billId),
    totalFen: chosen.reduce((sum, b) => sum + b.outstandingFen, 0),
  };
}

Component({
  behaviors: [elderBehavior],
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    tab: 'unpaid' as Tab,
    roomId: '',
    rooms: [] as RoomChip[],
    unpaid: [] as BillView[],
    paid: [] as BillView[],
    keyword: '',
    shownUnpaid: [] as BillView[],
    shownPaid: [] as BillView[],
    totalFen: 0,
    totalText: '',
    selected: {} as Record<string, boolean>,
    selectedCount: 0,
    allSelected: false,
    selectedFen: 0,
    paymentsVersion: 0,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (query.tab === 'paid') this.setData({ tab: 'paid' });
      const roomId = query.roomId || takeBillsRoomFilter();
      if (roomId) this.setData({ roomId });
      void this.load();
    },
    onShow() {
      syncTabBar(this, 'bills');
      const roomId = takeBillsRoomFilter();
      if (roomId !== null && roomId !== this.data.roomId) {
        this.setData({ roomId, tab: 'unpaid' });
        void this.load();
      } else if (this.data.paymentsVersion !== currentPaymentsVersion()) {
        void this.load(true);
      }
    },
    async onPullDownRefresh() {
      await this.load(true);
      wx.stopPullDownRefresh();
    },
    async load(refresh = false) {
      if (!refresh) this.setData({ status: 'loading' });
      const roomId = this.data.roomId;
      const seq = ++loadSeq;
      try {
        const bills = await callQuiet('owner', 'bills', roomId ? { roomId } : {});
        if (seq !== loadSeq) return;
        const unpaid = bills.unpaid.map(toBillView);
        const paid = bills.paid.map(toBillView);
        // room chips: the caller's rooms come with the bills (a single room needs no filter)
        const rooms = bills.rooms.map((r: MyRoom) => ({ roomId: r.roomId, label: r.label }));
        const totalFen = bills.unpaid.reduce((sum, b) => sum + b.outstandingFen, 0);
        const selected: Record<string, boolean> = {};
        for (const b of unpaid) selected[b.billId] = true;
        this.setData({
          paymentsVersion: currentPaymentsVersion(),
          rooms: rooms.length > 1 ? rooms : [],
          ...this.selectionData(unpaid, selected),
          status: 'ready',
          errorMessage: '',
          unpaid,
          paid,
          shownUnpaid: matchBills(unpaid, this.data.keyword),
          shownPaid: matchBills(paid, this.data.keyword),
          totalFen,
          totalText: formatYuan(totalFen),
        });
      } catch (err) {
        if (seq !== loadSeq) return;
        this.setData({ status: 'error', errorMessage: messageOf(err) });
      }
    },
    onRetry() {
      void this.load();
    },
    onSearch(e: { detail: string }) {
      const keyword = String(e.detail ?? '');
      this.setData({
        keyword,
        shownUnpaid: matchBills(this.data.unpaid, keyword),
        shownPaid: matchBills(this.data.paid, keyword),
      });
    },
    onClearSearch() {
      this.onSearch({ detail: '' });
    },
    onTab(e: WechatMiniprogram.BaseEvent<Record<string, never>, { tab: Tab }>) {
      this.setData({ tab: e.currentTarget.dataset.tab });
    },
    onRoom(e: WechatMiniprogram.BaseEvent<Record<string, never>, { roomId: string }>) {
      const roomId = e.currentTarget.dataset.roomId;
      if (roomId === this.data.roomId) return;
      this.setData({ roomId });
      void this.load();
    },
    selectionData(unpaid: BillView[], selected: Record<string, boolean>) {
      const { billIds, totalFen } = selectionOf(unpaid, selected);
      return {
        selected,
        selectedCount: billIds.length,
        allSelected: unpaid.length > 0 && billIds.length === unpaid.length,
        selectedFen: totalFen,
      };
    },
    /** 查看明细 on a card: the bill explained line by line. */
    onOpenBill(e: { detail: { billId: string } }) {
      wx.navigateTo({ url: `/pages/bill/index?billId=${encodeURIComponent(e.detail.billId)}` });
    },
    /** Tapping an unpaid bill ticks or unticks it; tapping a paid bill opens its detail. */
    onSelectBill(e: { detail: { billId: string } }) {
      if (this.data.tab !== 'unpaid') {
        this.onOpenBill(e);
        return;
      }
      const id = e.detail.billId;
      const selected = { ...this.data.selected, [id]: !this.data.selected[id] };
      this.setData(this.selectionData(this.data.unpaid, selected));
    },
    onToggleAll() {
      const all = !this.data.allSelected;
      const selected: Record<string, boolean> = {};
      for (const b of this.data.unpaid) selected[b.billId] = all;
      this.setData(this.selectionData(this.data.unpaid, selected));
    },
    onPay() {
      const { billIds } = selectionOf(this.data.unpaid, this.data.selected);
      if (billIds.length === 0) {
        wx.showToast({ title: '请先选择要缴纳的账单', icon: 'none' });
        return;
      }
      // every unpaid bill: let the server take them all (the list may be longer than a URL)
      const all = billIds.length === this.data.unpaid.length && !this.data.roomId;
      wx.navigateTo({
        url: all ? '/pages/pay/index' : `/pages/pay/index?billIds=${billIds.join(',')}`,
      });
    },
  },
});
