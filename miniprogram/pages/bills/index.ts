/** 账单: unpaid and paid bills, optionally for one room, with the total still owed. */
import type { MyRoom } from '../../domain/types/api';
import { elderBehavior } from '../../behaviors/elder';
import { call, messageOf } from '../../services/cloud';
import { syncTabBar, takeBillsRoomFilter } from '../../services/ui';
import { toBillView, type BillView } from '../../utils/bill-view';
import { formatFen } from '../../utils/format';

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
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (query.tab === 'paid') this.setData({ tab: 'paid' });
      const roomId = query.roomId || takeBillsRoomFilter();
      if (roomId) this.setData({ roomId });
      void this.loadRooms();
      void this.load();
    },
    onShow() {
      syncTabBar(this, 'bills');
      const roomId = takeBillsRoomFilter();
      if (roomId !== null && roomId !== this.data.roomId) {
        this.setData({ roomId, tab: 'unpaid' });
        void this.load();
      }
    },
    async onPullDownRefresh() {
      await this.load(true);
      wx.stopPullDownRefresh();
    },
    /** Room chips come from the home summary; a failure only hides the filter. */
    async loadRooms() {
      try {
        const home = await call('owner', 'home', {}, { loading: false });
        const rooms = home.rooms.map((r: MyRoom) => ({ roomId: r.roomId, label: r.label }));
        this.setData({ rooms: rooms.length > 1 ? rooms : [] });
      } catch {
        this.setData({ rooms: [] });
      }
    },
    async load(refresh = false) {
      if (!refresh) this.setData({ status: 'loading' });
      const roomId = this.data.roomId;
      const seq = ++loadSeq;
      try {
        const bills = await call('owner', 'bills', roomId ? { roomId } : {}, { loading: false });
        if (seq !== loadSeq) return;
        const unpaid = bills.unpaid.map(toBillView);
        const paid = bills.paid.map(toBillView);
        const totalFen = bills.unpaid.reduce((sum, b) => sum + b.outstandingFen, 0);
        this.setData({
          status: 'ready',
          errorMessage: '',
          unpaid,
          paid,
          shownUnpaid: matchBills(unpaid, this.data.keyword),
          shownPaid: matchBills(paid, this.data.keyword),
          totalFen,
          totalText: formatFen(totalFen),
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
    onPay() {
      wx.showModal({
        title: '缴费说明',
        content: `您本次待缴合计 ${this.data.totalText}。在线缴费即将开通，目前请您前往物业服务中心缴纳，给您带来不便，敬请谅解。`,
        showCancel: false,
        confirmText: '我知道了',
        confirmColor: '#0e8f7e',
      });
    },
    onSelectBill() {
      // Bill detail arrives with the payment release; the card already shows every figure.
    },
  },
});
