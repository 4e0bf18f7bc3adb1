/**
 * 家人与租户 (verified owners and co-owners): who else is bound to the room (masked), removing a
 * family member's or tenant's binding, and a one-time invite code (72 h) for a new one.
 */
import {
  BINDING_STATUS_LABELS,
  RELATION_LABELS,
  type Relation,
} from '../../domain/community/vocabulary';
import { elderBehavior } from '../../behaviors/elder';
import { call, messageOf } from '../../services/cloud';
import { confirmModal, notice, toast } from '../../services/ui';
import type { RoomMember } from '../../domain/binding/contract';
import { formatDateTime } from '../../domain/kernel/time';

type Status = 'loading' | 'ready' | 'error';

interface MemberView {
  bindingId: string;
  name: string;
  relationText: string;
  statusText: string;
  pending: boolean;
  isMe: boolean;
  removable: boolean;
}

interface InviteView {
  code: string;
  /** "AB12 CD34": easier to read aloud */
  codeText: string;
  relationText: string;
  expiresText: string;
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
  behaviors: [elderBehavior],
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    roomId: '',
    roomLabel: '',
    members: [] as MemberView[],
    inviting: false,
    invite: null as InviteView | null,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({
        roomId: query.roomId ?? '',
        roomLabel: decodeURIComponent(query.label ?? ''),
      });
      void this.load();
    },
    async load() {
      if (!this.data.roomId) {
        this.setData({ status: 'error', errorMessage: '请从“我的房屋”选择要管理的房屋' });
        return;
      }
      this.setData({ status: 'loading' });
      try {
        const { members } = await call(
          'binding',
          'members',
          { roomId: this.data.roomId },
          { loading: false },
        );
        this.setData({ status: 'ready', members: members.map(toMemberView) });
      } catch (err) {
        this.setData({ status: 'error', errorMessage: messageOf(err) });
      }
    },
    onRetry() {
      void this.load();
    },
    async onInvite(e: WechatMiniprogram.BaseEvent<Record<string, never>, { relation: Relation }>) {
      const relation = e.currentTarget.dataset.relation;
      if (this.data.inviting || (relation !== 'family' && relation !== 'tenant')) return;
      this.setData({ inviting: true });
      try {
        const res = await call(
          'binding',
          'invite',
          { roomId: this.data.roomId, relation },
          { loading: '正在生成邀请码' },
        );
        this.setData({
          invite: {
            code: res.code,
            codeText: `${res.code.slice(0, 4)} ${res.code.slice(4)}`,
            relationText: RELATION_LABELS[res.relation],
            expiresText: formatDateTime(res.expiresAt),
          },
        });
      } catch (err) {
        notice('未能生成邀请码', messageOf(err));
      } finally {
        this.setData({ inviting: false });
      }
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
      try {
        await call('binding', 'cancel', { bindingId: m.bindingId }, { loading: '正在解除' });
        toast('已解除绑定');
        await this.load();
      } catch (err) {
        notice('未能解除绑定', messageOf(err));
      }
    },
  },
});
