/**
 * Choosing one room by typing its number (临时收费, 押金): "1-2-201" or a fragment, 查找, tap one.
 * The query and the list read as on 线下收款 (collect/form.ts). Pages read `data.room`.
 */
import { call, messageOf } from '../services/cloud';
import { parseRoomQuery, toRoomOption, type RoomOption } from './collect/form';

export const roomPick = Behavior({
  data: {
    roomText: '',
    rooms: [] as RoomOption[],
    room: null as RoomOption | null,
    roomHint: '输入“栋-单元-房号”，如 1-1-1501',
  },
  methods: {
    onRoomText(e: { detail: string }) {
      this.setData({ roomText: String(e.detail ?? '') });
    },
    async onFindRoom() {
      const q = parseRoomQuery(this.data.roomText);
      if (!q.keyword && !q.building) return;
      this.setData({ roomHint: '正在查找…', rooms: [] });
      try {
        const communityId = (this.data as unknown as { communityId: string }).communityId;
        const page = await call(
          'community',
          'rooms',
          { communityId, ...q, limit: 10 },
          { loading: false },
        );
        this.setData({
          rooms: page.items.map(toRoomOption),
          roomHint: page.items.length ? '' : '没有找到相关房屋，请换个关键词试试',
        });
      } catch (err) {
        this.setData({ roomHint: messageOf(err) });
      }
    },
    onPickRoom(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const room = this.data.rooms[e.currentTarget.dataset.index];
      if (room) this.setData({ room, rooms: [] });
    },
    onChangeRoom() {
      this.setData({ room: null });
    },
  },
});
