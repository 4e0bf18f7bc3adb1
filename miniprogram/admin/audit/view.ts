/**
 * 操作日志 view models: the audited actions in Chinese, entries as display rows (values arrive
 * masked from the function; nothing here unmasks), and the date presets as Beijing days.
 */
import {
  BINDING_STATUS_LABELS,
  RELATION_LABELS,
  type BindingStatus,
  type Relation,
} from '../../domain/community/vocabulary';
import { ROLE_TEXT, type TagType } from '../../utils/bill-view';
import type { AuditEntryView } from '../../domain/staff/contract';
import type { StaffRole } from '../../domain/community/vocabulary';
import { addDays, formatDateTime, isDate } from '../../domain/kernel/time';

/** Families to filter by (`staffContracts.auditLog` `operation`). */
export const OPERATION_FAMILIES: { value: string; label: string }[] = [
  { value: '', label: '全部' },
  { value: 'binding', label: '业主认证' },
  { value: 'roster', label: '档案导入导出' },
  { value: 'contact', label: '查看完整信息' },
  { value: 'room', label: '房屋' },
  { value: 'owner', label: '业主信息' },
  { value: 'relation', label: '登记关系' },
  { value: 'building', label: '楼栋' },
  { value: 'staff', label: '人员权限' },
  { value: 'community', label: '小区信息' },
  { value: 'settings', label: '部署设置' },
  { value: 'refund', label: '退款' },
];

export const ACTION_LABELS: Record<string, string> = {
  'community.update': '修改小区信息',
  'building.create': '新增楼栋',
  'building.update': '修改楼栋',
  'room.create': '新增房屋',
  'room.update': '修改房屋',
  'room.occupancyEnd': '结束入住（停止计费）',
  'owner.update': '修改业主信息',
  'relation.add': '登记人员',
  'relation.end': '结束登记关系',
  'roster.import': '导入房屋档案',
  'roster.export': '导出花名册',
  'contact.reveal': '查看完整信息',
  'staff.bootstrap': '初始化管理员',
  'staff.invite': '邀请工作人员',
  'staff.join': '工作人员加入',
  'staff.grant': '调整角色',
  'staff.revoke': '撤销权限',
  'binding.request': '申请认证',
  'binding.verified': '认证通过（自动）',
  'binding.failed': '认证信息不一致',
  'binding.approve': '审核通过',
  'binding.reject': '驳回认证',
  'binding.unbind': '物业解绑',
  'binding.cancel': '业主解绑',
  'binding.invite': '邀请家人或租户',
  'binding.accept': '受邀绑定',
  'settings.update': '修改部署设置',
  'refund.request': '申请退款',
  'receipt.print': '批量打印收据',
  'billing.issue': '出账',
  'billing.issued': '出账完成',
  'vacancy.record': '登记空置',
  'vacancy.revoke': '撤销空置',
};

const FIELD_LABELS: Record<string, string> = {
  status: '状态',
  relation: '关系',
  reason: '原因',
  roles: '角色',
  name: '姓名',
  mobile: '手机号',
  idNumber: '身份证号',
  invitedBy: '邀请人',
  specialCare: '特殊关怀',
  careNote: '关怀说明',
  buildingArea: '建筑面积',
  innerArea: '套内面积',
  occupancy: '状态',
  useType: '用途',
  units: '单元',
  floors: '层数',
  rows: '行数',
  masked: '脱敏',
  field: '字段',
};

const FAMILY_TAG: Record<string, TagType> = {
  binding: 'primary',
  roster: 'warning',
  contact: 'danger',
  staff: 'success',
};

export interface AuditRow {
  auditId: string;
  timeText: string;
  actionText: string;
  tagType: TagType;
  actorText: string;
  targetText: string;
  summary: string;
  diffs: { key: string; label: string; before: string; after: string; hasBefore: boolean }[];
}

function valueText(key: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '（空）';
  if (Array.isArray(v)) {
    if (v.length === 0) return '（无）';
    return v.map((x) => valueText(key, x)).join('、');
  }
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'string') {
    if (key === 'status' && v in BINDING_STATUS_LABELS)
      return BINDING_STATUS_LABELS[v as BindingStatus];
    if (key === 'relation' && v in RELATION_LABELS) return RELATION_LABELS[v as Relation];
    if (key === 'roles' && v in ROLE_TEXT) return ROLE_TEXT[v as StaffRole];
    return v;
  }
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

/** Who did it: a colleague's name when known; owners are not named (their openid is shortened). */
export function actorText(e: AuditEntryView, names: Record<string, string>): string {
  const name = names[e.actor];
  if (name) return name;
  if (e.actorRoles.includes('owner')) return `业主（…${e.actor.slice(-4)}）`;
  if (e.actorRoles.length === 0 || e.actorRoles.includes('anonymous')) return '访客';
  const roles = e.actorRoles
    .map((r) => ROLE_TEXT[r as StaffRole])
    .filter(Boolean)
    .join('、');
  return roles ? `${roles}（…${e.actor.slice(-4)}）` : e.actor;
}

export function toAuditRow(e: AuditEntryView, names: Record<string, string>): AuditRow {
  const family = e.action.split('.')[0] ?? '';
  const before = e.before ?? {};
  const after = e.after ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return {
    auditId: e.auditId,
    timeText: formatDateTime(e.at),
    actionText: ACTION_LABELS[e.action] ?? e.action,
    tagType: FAMILY_TAG[family] ?? 'default',
    actorText: actorText(e, names),
    targetText: e.targetLabel || e.targetId,
    summary: e.summary,
    diffs: keys.map((key) => ({
      key,
      label: FIELD_LABELS[key] ?? key,
      before: valueText(key, before[key]),
      after: valueText(key, after[key]),
      hasBefore: e.before !== null && key in before,
    })),
  };
}

export type DatePreset = 'today' | '7d' | '30d' | 'all' | 'custom';

export const DATE_PRESETS: { value: DatePreset; label: string }[] = [
  { value: 'today', label: '今天' },
  { value: '7d', label: '近 7 天' },
  { value: '30d', label: '近 30 天' },
  { value: 'all', label: '不限' },
];

/** A preset as Beijing days (inclusive), `today` being Beijing's date. */
export function presetRange(preset: DatePreset, today: string): { from?: string; to?: string } {
  if (preset === 'today') return { from: today, to: today };
  if (preset === '7d') return { from: addDays(today, -6), to: today };
  if (preset === '30d') return { from: addDays(today, -29), to: today };
  return {};
}

/** Typed dates: "2026-11-01" or "2026/11/1" → "2026-11-01"; '' stays ''; null when invalid. */
export function parseDay(text: string): string | null {
  const t = String(text ?? '').trim();
  if (!t) return '';
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
  if (!m) return null;
  const ymd = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isDate(ymd) ? ymd : null;
}
