/**
 * The preview's user switcher: the demo users the demo seed creates (tools/seed/demo.ts), in one
 * place. Openids are fixed so links, tests and screenshots can name them.
 */
export interface PreviewUser {
  openid: string;
  /** what the switcher shows */
  name: string;
  kind: 'owner' | 'staff';
  description: string;
  /** start with 长辈模式 on (until the user switches it off in 我的) */
  elder?: boolean;
}

export const PREVIEW_USERS: readonly PreviewUser[] = [
  { openid: 'o_demo_owner', name: '王先生', kind: 'owner', description: '业主 · 两套房 · 有欠费' },
  { openid: 'o_demo_paid', name: '李女士', kind: 'owner', description: '业主 · 已全部缴清' },
  {
    openid: 'o_demo_elder',
    name: '张阿姨',
    kind: 'owner',
    description: '业主 · 长辈模式',
    elder: true,
  },
  {
    openid: 'o_demo_movein',
    name: '刘先生',
    kind: 'owner',
    description: '业主 · 新入住 · 暂无账单',
  },
  // bound to nothing: try 业主认证 (4栋1单元1001, 林晓梅, 13900001001 — see docs/community.md)
  {
    openid: 'o_demo_newcomer',
    name: '林女士',
    kind: 'owner',
    description: '新用户 · 尚未认证房屋',
  },
  { openid: 'o_demo_admin', name: '赵经理', kind: 'staff', description: '管理员' },
  { openid: 'o_demo_cashier', name: '陈收费员', kind: 'staff', description: '收费员' },
  { openid: 'o_demo_service', name: '周客服', kind: 'staff', description: '客服专员' },
  { openid: 'o_demo_finance', name: '孙会计', kind: 'staff', description: '财务' },
];

export const DEFAULT_USER = PREVIEW_USERS[0]!.openid;

export function findUser(openid: string | null | undefined): PreviewUser | undefined {
  return PREVIEW_USERS.find((u) => u.openid === openid);
}
