/**
 * The desk's room finder (房号、业主姓氏或手机后4位): searches the community's rooms as staff
 * type (300 ms after the last key, the latest search wins) and fires `pick` with the room chosen
 * (`detail`: RoomOption). Used by 线下收款 and 房屋账户.
 */
import { call, messageOf } from '../../services/cloud';
import { parseRoomQuery, toRoomOption, type RoomOption } from './query';

const timers = new WeakMap<object, ReturnType<typeof setTimeout>>();
const asks = new WeakMap<object, number>();

function stopTimer(owner: object): void {
  const t = timers.get(owner);
  if (t !== undefined) clearTimeout(t);
}

Component({
  options: { styleIsolation: 'apply-shared' },
  properties: {
    communityId: { type: String, value: '' },
  },
  data: {
    keyword: '',
    results: [] as RoomOption[],
    searching: false,
    searched: false,
    searchError: '',
  },
  lifetimes: {
    detached() {
      stopTimer(this);
    },
  },
  methods: {
    onKeyword(e: { detail: string }) {
      this.setData({ keyword: String(e.detail ?? '') });
      stopTimer(this);
      timers.set(
        this,
        setTimeout(() => void this.search(), 300),
      );
    },
    onSearch() {
      stopTimer(this);
      void this.search();
    },
    async search() {
      const q = parseRoomQuery(this.data.keyword);
      if (!q.keyword && !q.building) {
        this.setData({ results: [], searched: false, searchError: '' });
        return;
      }
      const n = (asks.get(this) ?? 0) + 1;
      asks.set(this, n);
      this.setData({ searching: true, searchError: '' });
      try {
        const page = await call(
          'community',
          'rooms',
          { communityId: this.data.communityId, ...q, limit: 20 },
          { loading: false },
        );
        if (asks.get(this) !== n) return;
        this.setData({ results: page.items.map(toRoomOption), searched: true, searching: false });
      } catch (err) {
        if (asks.get(this) !== n) return;
        this.setData({ results: [], searching: false, searchError: messageOf(err) });
      }
    },
    onPick(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const room = this.data.results[e.currentTarget.dataset.index];
      if (room) this.triggerEvent('pick', room);
    },
  },
});
