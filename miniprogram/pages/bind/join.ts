/**
 * 使用邀请码: redeem a one-time code. `kind=member` (default): a verified owner invited a family
 * member or tenant (`binding.acceptInvite`, bound at once). `kind=staff`: an admin invited a
 * colleague (`staff.acceptInvite`, roles granted at once; the 管理 tab appears).
 */
import { RELATION_LABELS } from '../../domain/community/vocabulary';
import { elderBehavior } from '../../behaviors/elder';
import { CloudError, call, messageOf } from '../../services/cloud';
import { resetSession } from '../../services/session';
import { checkInviteCode, waitMinutes } from '../../utils/binding-view';
import { ROLE_TEXT } from '../../utils/bill-view';

type Kind = 'member' | 'staff';

interface Joined {
  title: string;
  detail: string;
}

Component({
  behaviors: [elderBehavior],
  data: {
    kind: 'member' as Kind,
    code: '',
    error: '',
    submitting: false,
    joined: null as Joined | null,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const kind: Kind = query.kind === 'staff' ? 'staff' : 'member';
      this.setData({ kind });
      if (kind === 'staff') wx.setNavigationBarTitle({ title: '工作人员加入' });
    },
    onCode(e: { detail: string }) {
      this.setData({ code: String(e.detail ?? ''), error: '' });
    },
    async onSubmit() {
      if (this.data.submitting) return;
      const checked = checkInviteCode(this.data.code);
      if (!checked.ok) {
        this.setData({ error: checked.error });
        return;
      }
      const code = checked.code;
      this.setData({ submitting: true, error: '' });
      try {
        if (this.data.kind === 'staff') {
          const res = await call('staff', 'acceptInvite', { code }, { loading: '正在加入' });
          resetSession();
          this.setData({
            joined: {
              title: '已加入物业团队',
              detail: `${res.communityName} · ${res.roles.map((r) => ROLE_TEXT[r]).join('、')}`,
            },
          });
        } else {
          const b = await call('binding', 'acceptInvite', { code }, { loading: '正在绑定' });
          this.setData({
            joined: {
              title: '绑定成功',
              detail: `${b.communityName} ${b.roomLabel}（${RELATION_LABELS[b.relation]}）`,
            },
          });
        }
      } catch (err) {
        let error = messageOf(err);
        if (err instanceof CloudError && err.code === 'RATE_LIMITED') {
          const minutes = waitMinutes(err);
          error = `尝试次数较多，请${minutes ? ` ${minutes} 分钟后` : '稍后'}再试`;
        }
        this.setData({ error });
      } finally {
        this.setData({ submitting: false });
      }
    },
    onDone() {
      if (this.data.kind === 'staff') wx.reLaunch({ url: '/admin/index/index' });
      else wx.redirectTo({ url: '/pages/rooms/index' });
    },
  },
});
