/** 人员与权限 view models: staff members with their roles, and the role choices. */
import { ROLE_TEXT } from '../../utils/bill-view';
import type { StaffMember } from '../../domain/staff/contract';
import type { StaffRole } from '../../domain/community/vocabulary';
import { formatDateTime } from '../../domain/kernel/time';

export const ROLE_OPTIONS: { value: StaffRole; label: string; desc: string }[] = [
  { value: 'admin', label: ROLE_TEXT.admin, desc: '全部功能，含人员与权限、档案导入' },
  { value: 'cashier', label: ROLE_TEXT.cashier, desc: '线下收款、收据' },
  { value: 'service', label: ROLE_TEXT.service, desc: '业主认证审核、催缴、工单' },
  { value: 'finance', label: ROLE_TEXT.finance, desc: '对账、报表、导出花名册' },
];

export type RolePick = Record<StaffRole, boolean>;

export const NO_ROLES: RolePick = { admin: false, cashier: false, service: false, finance: false };

export function pickOf(roles: readonly StaffRole[]): RolePick {
  return {
    admin: roles.includes('admin'),
    cashier: roles.includes('cashier'),
    service: roles.includes('service'),
    finance: roles.includes('finance'),
  };
}

export function rolesOf(pick: RolePick): StaffRole[] {
  return ROLE_OPTIONS.map((o) => o.value).filter((r) => pick[r]);
}

export function rolesText(roles: readonly StaffRole[]): string {
  return roles.map((r) => ROLE_TEXT[r]).join('、');
}

export interface MemberView {
  openid: string;
  name: string;
  /** "o_de…dmin": enough to tell two people apart in the log */
  idText: string;
  roleTags: string[];
  roles: StaffRole[];
  active: boolean;
  isMe: boolean;
  sinceText: string;
}

export function shortOpenid(openid: string): string {
  return openid.length > 10 ? `${openid.slice(0, 4)}…${openid.slice(-4)}` : openid;
}

export function toMemberView(m: StaffMember, me: string): MemberView {
  let sinceText = '';
  if (!m.active && m.revokedAt) sinceText = `已于 ${formatDateTime(m.revokedAt)} 撤销`;
  else if (m.grantedAt) sinceText = `授权于 ${formatDateTime(m.grantedAt)}`;
  return {
    openid: m.openid,
    name: m.name || '未填写姓名',
    idText: shortOpenid(m.openid),
    roleTags: m.roles.map((r) => ROLE_TEXT[r]),
    roles: m.roles,
    active: m.active,
    isMe: m.openid === me,
    sinceText,
  };
}
