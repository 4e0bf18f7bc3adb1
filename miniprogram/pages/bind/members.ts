/**
 * 家人与租户 (verified owners and co-owners): who else is bound to the room (masked), removing a
 * family member's or tenant's binding, and a one-time invite code (72 h) for a new one.
 */
import {
  BINDING_STATUS_LABELS,
  RELATION_LABELS,
  type Relation,
} from '../../domain/community/vocabulary';
import { notFound, pageState } from '../../behaviors/page-state';
import { inviteCodeView, type InviteCodeView } from '../../utils/binding-view';
import { call, callQuiet } from '../../services/cloud';
import { confirmModal, toast } from '../../services/ui';
import type { RoomMember } from '../../domain/binding/contract';

interface MemberView {
  bindingId: string;
  name: string;
  relationText: string;
  statusText: string;
  pending: boolean;
  isMe: boolean;
  removable: boolean;
}

function toMemberView(m: RoomMember): MemberView {
  return {
    bindingId: m.bindingId,
    name: m.name,
    relationText: RELATION_LABELS[m.relation],
    statusText: BINDING_STATUS_LABELS[m.status],
    pending: m.status === 'pending-review',
    isMe: m.isMe,
    removable: !m.isMe && (m.relation === 'family' || m.relation === 'tenant'),
  };
}

Component({
  behaviors: [pageState],
  data: {
    roomId: '',
    roomLabel: '',
    members: [] as MemberView[],
    inviting: false,
    busy: false,
    invite: null as (InviteCodeView & { relationText: string }) | null,
  },
  methods: {
    prepare(query: Record<string, string | undefined>) {
      this.setData({
        roomId: query.roomId ?? '',
        roomLabel: decodeURIComponent(query.label ?? ''),
      });
    },
    async load() {
      if (!this.data.roomId) throw notFound('请从“我的房屋”选择要管理的房屋');
      const { members } = await callQuiet('binding', 'members', { roomId: this.data.roomId });
      this.setData({ members: members.map(toMemberView) });
    },
    async onInvite(e: WechatMiniprogram.BaseEvent<Record<string, never>, { relation: Relation }>) {
      const relation = e.currentTarget.dataset.relation;
      if (relation !== 'family' && relation !== 'tenant') return;
      await this.submit({
        busy: 'inviting',
        send: () =>
          call(
            'binding',
            'invite',
            { roomId: this.data.roomId, relation },
            { loading: '正在生成邀请码' },
          ),
        failTitle: '未能生成邀请码',
        reload: false,
        then: (res) =>
          this.setData({
            invite: { ...inviteCodeView(res), relationText: RELATION_LABELS[res.relation] },
          }),
      });
    },
    onCopy() {
      const invite = this.data.invite;
      if (invite) wx.setClipboardData({ data: invite.code });
    },
    async onRemove(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const m = this.data.members[e.currentTarget.dataset.index];
      if (!m?.removable) return;
      const go = await confirmModal({
        title: '解除绑定',
        content: `确定解除${m.relationText}“${m.name}”对${this.data.roomLabel || '该房屋'}的绑定吗？解除后对方将不能再查看该房屋的账单。`,
        confirmText: '解除绑定',
      });
      if (!go) return;
      await this.submit({
        send: () => call('binding', 'cancel', { bindingId: m.bindingId }, { loading: '正在解除' }),
        failTitle: '未能解除绑定',
        then: () => toast('已解除绑定'),
      });
    },
  },
});
