/**
 * 人员与权限 (admin): everyone with a role in the community, changing someone's roles
 * (`staff.grant`, replaces them), revoking them (`staff.revoke`), and inviting a colleague with
 * a one-time code (`staff.invite`, redeemed in 我的 → 设置 → 工作人员加入). The function keeps
 * at least one admin and answers politely when asked otherwise.
 */
import { staffPage } from '../staff-page';
import { checkedWith } from '../../behaviors/page-state';
import { api } from '../../domain/api';
import { inviteCodeView, type InviteCodeView } from '../../utils/binding-view';
import type { StaffScope } from '../scope';
import { call, callQuiet, messageOf } from '../../services/cloud';
import { confirmModal, notice, toast } from '../../services/ui';
import {
  NO_ROLES,
  ROLE_OPTIONS,
  pickOf,
  rolesOf,
  rolesText,
  toMemberView,
  type MemberView,
  type RolePick,
} from './view';
import type { StaffRole } from '../../domain/community/vocabulary';

Component({
  behaviors: [staffPage({ roles: ['admin'] })],
  data: {
    me: '',
    roleOptions: ROLE_OPTIONS,
    members: [] as MemberView[],
    showRevoked: false,
    editOpenid: '',
    editPick: NO_ROLES as RolePick,
    saving: false,
    revoking: false,
    inviteName: '',
    invitePick: { ...NO_ROLES, service: true } as RolePick,
    inviteError: '',
    inviting: false,
    invite: null as (InviteCodeView & { forText: string }) | null,
  },
  methods: {
    begin(scope: StaffScope) {
      this.setData({ me: scope.openid });
    },
    async load() {
      const { members } = await callQuiet('staff', 'list', {
        communityId: this.data.communityId,
        includeRevoked: this.data.showRevoked,
      });
      // active first, then by name
      const sorted = [...members].sort(
        (a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, 'zh'),
      );
      this.setData({ members: sorted.map((m) => toMemberView(m, this.data.me)) });
    },
    /** After a change: the list stays on screen if it cannot be read again. */
    async refresh() {
      try {
        await this.load();
      } catch (err) {
        notice('未能刷新', messageOf(err));
      }
    },
    onShowRevoked(e: { detail: boolean }) {
      this.setData({ showRevoked: Boolean(e.detail) });
      void this.refresh();
    },

    // ------------------------------------------------------------ roles of someone
    onEdit(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const m = this.data.members[e.currentTarget.dataset.index];
      if (!m) return;
      this.setData({ editOpenid: m.openid, editPick: pickOf(m.roles) });
    },
    onEditRole(e: WechatMiniprogram.BaseEvent<Record<string, never>, { role: StaffRole }>) {
      const role = e.currentTarget.dataset.role;
      this.setData({ [`editPick.${role}`]: !this.data.editPick[role] });
    },
    onCancelEdit() {
      this.setData({ editOpenid: '' });
    },
    async onSaveRoles() {
      const m = this.data.members.find((x) => x.openid === this.data.editOpenid);
      if (!m) return;
      const roles = rolesOf(this.data.editPick);
      if (roles.length === 0) {
        toast('请至少选择一个角色；如需停用，请使用“撤销”');
        return;
      }
      await this.submit({
        busy: 'saving',
        send: () =>
          call(
            'staff',
            'grant',
            { communityId: this.data.communityId, openid: m.openid, roles },
            { loading: '正在保存' },
          ),
        failTitle: '未能保存',
        reload: false,
        then: () => {
          this.setData({ editOpenid: '' });
          toast(`已将${m.name}的角色设为${rolesText(roles)}`);
          return this.refresh();
        },
      });
    },
    async onRevoke(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const m = this.data.members[e.currentTarget.dataset.index];
      if (!m?.active) return;
      const go = await confirmModal({
        title: '撤销权限',
        content: `确定撤销${m.name}（${m.roleTags.join('、')}）的全部权限吗？撤销后对方将不能再使用工作台。`,
        confirmText: '撤销',
      });
      if (!go) return;
      await this.submit({
        busy: 'revoking',
        send: () =>
          call(
            'staff',
            'revoke',
            { communityId: this.data.communityId, openid: m.openid },
            { loading: '正在撤销' },
          ),
        failTitle: '未能撤销',
        reload: false,
        then: () => {
          toast('已撤销');
          return this.refresh();
        },
      });
    },

    // ------------------------------------------------------------ invite a colleague
    onInviteName(e: { detail: string }) {
      this.setData({ inviteName: String(e.detail ?? ''), inviteError: '' });
    },
    onInviteRole(e: WechatMiniprogram.BaseEvent<Record<string, never>, { role: StaffRole }>) {
      const role = e.currentTarget.dataset.role;
      this.setData({ [`invitePick.${role}`]: !this.data.invitePick[role], inviteError: '' });
    },
    async onInvite() {
      const name = this.data.inviteName.trim();
      const roles = rolesOf(this.data.invitePick);
      await this.submit({
        busy: 'inviting',
        check: () =>
          checkedWith(api.staff.invite, { communityId: this.data.communityId, name, roles }),
        error: 'inviteError',
        send: (input) => call('staff', 'invite', input, { loading: '正在生成邀请码' }),
        atField: () => false,
        failTitle: '未能生成邀请码',
        reload: false,
        then: (res) =>
          this.setData({
            invite: { ...inviteCodeView(res), forText: `${name} · ${rolesText(res.roles)}` },
            inviteName: '',
            inviteError: '',
          }),
      });
    },
    onCopyInvite() {
      if (this.data.invite) wx.setClipboardData({ data: this.data.invite.code });
    },
  },
});
