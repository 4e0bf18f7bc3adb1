/**
 * 我的房屋: the rooms bound to this WeChat account (from owner.home), their bindings (binding.mine:
 * requests waiting for review, refused or ended ones with the reason), and the ways to bind
 * another room: 认证房屋 with the details on record, or an invite code from the owner.
 */
import { pageState, reloadOnShow } from '../../behaviors/page-state';
import { call, callQuiet } from '../../services/cloud';
import { confirmModal, openBillsForRoom, toast } from '../../services/ui';
import { toRoomView, type RoomView } from '../../utils/bill-view';
import { toBindingView, type BindingView } from '../../utils/binding-view';
import type { MyBinding } from '../../domain/binding/contract';

interface RoomCard extends RoomView {
  /** '' when binding.mine did not answer: the card then offers no binding actions. */
  bindingId: string;
  /** Owners and co-owners invite and remove family members and tenants. */
  canManage: boolean;
}

Component({
  behaviors: [pageState, reloadOnShow],
  data: {
    rooms: [] as RoomCard[],
    records: [] as BindingView[],
    servicePhone: '',
    busy: false,
  },
  methods: {
    async load() {
      const [home, mine] = await Promise.all([
        callQuiet('owner', 'home', {}),
        // the room list still works without it; only the binding actions need it
        callQuiet('binding', 'mine', {}).catch(() => ({
          bindings: [] as MyBinding[],
        })),
      ]);
      const verified = new Map(
        mine.bindings.filter((b) => b.status === 'verified').map((b) => [b.roomId, b]),
      );
      this.setData({
        rooms: home.rooms.map((r) => ({
          ...toRoomView(r),
          bindingId: verified.get(r.roomId)?.bindingId ?? '',
          canManage: r.relation === 'owner' || r.relation === 'co-owner',
        })),
        records: mine.bindings.filter((b) => b.status !== 'verified').map(toBindingView),
        servicePhone: home.contacts[0]?.servicePhone ?? '',
      });
    },
    onBills(e: WechatMiniprogram.BaseEvent<Record<string, never>, { roomId: string }>) {
      openBillsForRoom(e.currentTarget.dataset.roomId);
    },
    onBind() {
      wx.navigateTo({ url: '/pages/bind/index' });
    },
    onJoin() {
      wx.navigateTo({ url: '/pages/bind/join' });
    },
    onMembers(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const room = this.data.rooms[e.currentTarget.dataset.index];
      if (!room) return;
      wx.navigateTo({
        url: `/pages/bind/members?roomId=${encodeURIComponent(room.roomId)}&label=${encodeURIComponent(room.label)}`,
      });
    },
    async onUnbind(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const room = this.data.rooms[e.currentTarget.dataset.index];
      if (!room?.bindingId) return;
      const go = await confirmModal({
        title: '解除绑定',
        content: `确定解除${room.label}与您微信的绑定吗？解除后将不能在小程序查看和缴纳该房屋的费用${
          room.canManage ? '，您邀请的家人和租户也会一并解除' : ''
        }。`,
        confirmText: '解除绑定',
      });
      if (go) await this.cancel(room.bindingId, '已解除绑定');
    },
    async onWithdraw(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const record = this.data.records[e.currentTarget.dataset.index];
      if (!record?.canWithdraw) return;
      const go = await confirmModal({
        title: '撤回申请',
        content: `确定撤回${record.roomLabel}的认证申请吗？撤回后可以重新提交。`,
        confirmText: '撤回',
      });
      if (go) await this.cancel(record.bindingId, '已撤回申请');
    },
    cancel(bindingId: string, done: string) {
      return this.submit({
        send: () => call('binding', 'cancel', { bindingId }, { loading: '正在处理' }),
        failTitle: '未能办理',
        then: () => toast(done),
      });
    },
    onCall() {
      if (this.data.servicePhone) wx.makePhoneCall({ phoneNumber: this.data.servicePhone });
    },
  },
});
