import type { AuditEntryView, StaffMember } from '../../miniprogram/domain/staff/contract';
import type { ImportReport, StaffBindingView } from '../../miniprogram/domain/community/contract';
import type { MyBinding } from '../../miniprogram/domain/binding/contract';
import type { WhoAmI } from '../../miniprogram/domain/account/contract';
/** Replies of the binding, community and staff functions as the demo community 翠湖花园 gives them. */

export const NEWCOMER: WhoAmI = {
  openid: 'o_demo_newcomer',
  appid: 'wxlocal',
  roles: [],
  staffOf: [],
  isStaff: false,
};

export { FINANCE } from './fixtures';

export const COMMUNITIES = {
  communities: [{ communityId: 'c_cuihu', name: '翠湖花园', address: '杭州市西湖区翠湖路 88 号' }],
};

export const BUILDINGS = {
  buildings: ['1', '2', '3', '4'].map((code) => ({ code, name: `${code}栋`, units: ['1', '2'] })),
};

export const ROOMS_4_1 = {
  rooms: [901, 902, 1001, 1002].map((n) => ({
    roomId: `r_4_1_${n}`,
    number: String(n),
    floor: Math.floor(n / 100),
    label: `4栋1单元${n}`,
  })),
};

export function myBinding(p: Partial<MyBinding> = {}): MyBinding {
  return {
    bindingId: 'r_4_1_1001:o_demo_newcomer',
    roomId: 'r_4_1_1001',
    roomLabel: '4栋1单元1001',
    communityId: 'c_cuihu',
    communityName: '翠湖花园',
    relation: 'owner',
    status: 'verified',
    reason: null,
    requestedAt: '2026-11-27T06:03:00.000Z',
    decidedAt: '2026-11-27T06:03:00.000Z',
    ...p,
  };
}

/** The server's mismatch sentence (cloudfunctions/binding/src/owner.ts MISMATCH). */
export const MISMATCH = '填写的信息与物业登记信息不一致，请核对后重试；如有疑问请联系物业服务中心';

export function staffBinding(p: Partial<StaffBindingView> = {}): StaffBindingView {
  return {
    bindingId: 'r_4_1_1001:o_demo_newcomer',
    roomId: 'r_4_1_1001',
    roomLabel: '4栋1单元1001',
    relation: 'owner',
    status: 'pending-review',
    method: 'mobile',
    applicantName: '林**',
    requestedAt: '2026-11-27T06:03:00.000Z',
    decidedAt: null,
    reason: null,
    ...p,
  };
}

const COUNTS_ZERO = {
  added: 0,
  changed: 0,
  unchanged: 0,
  ownersAdded: 0,
  ownersChanged: 0,
  relationsAdded: 0,
  relationsEnded: 0,
};

export const REPORT_INVALID: ImportReport = {
  importId: 'imp:c_cuihu:bad',
  contentHash: 'bad',
  format: 'xlsx',
  status: 'invalid',
  dataRows: 120,
  fileErrors: [],
  errors: [
    {
      row: 5,
      field: 'buildingArea',
      column: '建筑面积(㎡)',
      message: '面积应为正数，最多 2 位小数',
    },
    { row: 5, field: 'ownerMobile', column: '手机号', message: '手机号应为 11 位' },
    { row: 9, field: 'building', column: '楼栋', message: '楼栋 9 未登记，请先添加楼栋' },
  ],
  errorCount: 3,
  warnings: ['未识别的列将被忽略：备注'],
  counts: COUNTS_ZERO,
  changes: [],
  changesTruncated: false,
};

export const REPORT_READY: ImportReport = {
  importId: 'imp:c_cuihu:good',
  contentHash: 'good',
  format: 'csv',
  status: 'ready',
  dataRows: 290,
  fileErrors: [],
  errors: [],
  errorCount: 0,
  warnings: [],
  counts: {
    ...COUNTS_ZERO,
    added: 2,
    changed: 1,
    unchanged: 287,
    ownersAdded: 2,
    relationsAdded: 2,
  },
  changes: [
    {
      row: 3,
      roomLabel: '1栋1单元101',
      status: 'changed',
      fields: [{ field: '建筑面积(㎡)', before: '89.47', after: '90.00' }],
    },
    {
      row: 290,
      roomLabel: '5栋1单元101',
      status: 'added',
      fields: [
        { field: '建筑面积(㎡)', before: '', after: '120.00' },
        { field: '业主', before: '', after: '吴** 139****0001' },
      ],
    },
  ],
  changesTruncated: false,
};

export const STAFF_MEMBERS: StaffMember[] = [
  {
    openid: 'o_demo_admin',
    name: '赵经理',
    roles: ['admin'],
    active: true,
    grantedBy: 'bootstrap',
    grantedAt: '2026-01-02T01:00:00.000Z',
    revokedAt: null,
  },
  {
    openid: 'o_demo_service',
    name: '周客服',
    roles: ['service'],
    active: true,
    grantedBy: 'o_demo_admin',
    grantedAt: '2026-01-03T01:00:00.000Z',
    revokedAt: null,
  },
];

export const AUDIT_ENTRIES: AuditEntryView[] = [
  {
    auditId: 'a2',
    at: '2026-11-27T06:10:00.000Z',
    actor: 'o_demo_service',
    actorRoles: ['service'],
    action: 'binding.approve',
    targetType: 'binding',
    targetId: 'r_4_1_1001:o_demo_newcomer',
    targetLabel: '4栋1单元1001',
    summary: '通过绑定申请 4栋1单元1001（业主）',
    before: { status: 'pending-review' },
    after: { status: 'verified', reason: null },
  },
  {
    auditId: 'a1',
    at: '2026-11-27T06:03:00.000Z',
    actor: 'o_demo_newcomer',
    actorRoles: ['owner'],
    action: 'binding.request',
    targetType: 'binding',
    targetId: 'r_4_1_1001:o_demo_newcomer',
    targetLabel: '4栋1单元1001',
    summary: '申请绑定 4栋1单元1001（业主，林**）',
    before: null,
    after: { status: 'pending-review', relation: 'owner' },
  },
];
