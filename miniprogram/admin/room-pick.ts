/**
 * The room a 临时收费 or 押金 form is for: chosen with the desk's room finder (admin/room-finder,
 * its `pick` event) and shown with 更换 (charges/room-finder.wxml). Pages read `data.room`.
 */
import type { RoomOption } from './room-finder/query';

export const roomPick = Behavior({
  data: {
    room: null as RoomOption | null,
  },
  methods: {
    onPickRoom(e: { detail: RoomOption }) {
      this.setData({ room: e.detail });
    },
    onChangeRoom() {
      this.setData({ room: null });
    },
  },
});
