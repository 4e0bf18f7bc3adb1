/** 我的房屋: the rooms bound to this WeChat account, and how to bind another. */
import { elderBehavior } from '../../behaviors/elder';
import { call, messageOf } from '../../services/cloud';
import { openBillsForRoom } from '../../services/ui';
import { toRoomView, type RoomView } from '../../utils/bill-view';

type Status = 'loading' | 'ready' | 'error';

Component({
  behaviors: [elderBehavior],
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    rooms: [] as RoomView[],
    servicePhone: '',
  },
  methods: {
    onLoad() {
      void this.load();
    },
    async load() {
      this.setData({ status: 'loading' });
      try {
        const home = await call('owner', 'home', {}, { loading: false });
        this.setData({
          status: 'ready',
          rooms: home.rooms.map(toRoomView),
          servicePhone: home.contacts[0]?.servicePhone ?? '',
        });
      } catch (err) {
        this.setData({ status: 'error', errorMessage: messageOf(err) });
      }
    },
    onRetry() {
      void this.load();
    },
    onBills(e: WechatMiniprogram.BaseEvent<Record<string, never>, { roomId: string }>) {
      openBillsForRoom(e.currentTarget.dataset.roomId);
    },
    onCall() {
      if (this.data.servicePhone) wx.makePhoneCall({ phoneNumber: this.data.servicePhone });
    },
  },
});
