/** What staff can do, by role. Entries without a page yet are shown as 即将上线, never as dead links. */
import type { StaffRole } from '../domain/types/api';

export interface Feature {
  key: string;
  title: string;
  description: string;
  icon: string;
  roles: StaffRole[];
  /** Set when the page exists (inside this subpackage). */
  url?: string;
}

export interface FeatureGroup {
  title: string;
  features: Feature[];
}

export const FEATURE_GROUPS: FeatureGroup[] = [
  {
    title: '收费',
    features: [
      {
        key: 'bill-search',
        title: '账单查询',
        description: '按房号查询欠费',
        icon: 'search',
        roles: ['admin', 'cashier', 'service', 'finance'],
      },
      {
        key: 'counter',
        title: '线下收款',
        description: '现金与刷卡登记',
        icon: 'cash-back-record',
        roles: ['admin', 'cashier'],
        url: '/admin/collect/index',
      },
      {
        key: 'receipts',
        title: '收据管理',
        description: '开具与冲红',
        icon: 'records-o',
        roles: ['admin', 'cashier', 'finance'],
      },
    ],
  },
  {
    title: '客户服务',
    features: [
      {
        key: 'binding-review',
        title: '认证审核',
        description: '业主绑定审核',
        icon: 'passed',
        roles: ['admin', 'service'],
        url: '/admin/bindings/index',
      },
      {
        key: 'collection',
        title: '催缴任务',
        description: '分级提醒回访',
        icon: 'phone-circle-o',
        roles: ['admin', 'service', 'finance'],
        url: '/admin/collection/index',
      },
      {
        key: 'tickets',
        title: '投诉工单',
        description: '受理与回访',
        icon: 'comment-o',
        roles: ['admin', 'service'],
      },
      {
        key: 'notices',
        title: '发布公告',
        description: '缴费与社区通知',
        icon: 'volume-o',
        roles: ['admin', 'service'],
        url: '/admin/notices/index',
      },
    ],
  },
  {
    title: '财务',
    features: [
      {
        key: 'refunds',
        title: '退款管理',
        // finance requests; admins approve those above the threshold
        description: '退款申请与审批',
        icon: 'after-sale',
        roles: ['admin', 'finance'],
        url: '/admin/refunds/index',
      },
      {
        key: 'invoices',
        title: '发票开具',
        description: '业主发票申请',
        icon: 'description',
        roles: ['admin', 'finance'],
        url: '/admin/invoices/index',
      },
      {
        key: 'reconcile',
        title: '支付对账',
        description: '微信支付对账',
        icon: 'balance-o',
        roles: ['admin', 'finance'],
      },
      {
        key: 'reports',
        title: '收缴率报表',
        description: '收缴率与账龄',
        icon: 'bar-chart-o',
        roles: ['admin', 'finance'],
      },
      {
        key: 'disclosure',
        title: '收支公示',
        description: '公共收支公开',
        icon: 'description',
        roles: ['admin', 'finance'],
      },
    ],
  },
  {
    title: '基础设置',
    features: [
      {
        key: 'fees',
        title: '收费标准',
        description: '单价、周期与调价',
        icon: 'setting-o',
        roles: ['admin', 'finance'],
        url: '/admin/fees/index',
      },
      {
        key: 'billing',
        title: '账单生成',
        description: '预览核对后出账',
        icon: 'todo-list-o',
        roles: ['admin', 'finance'],
        url: '/admin/billing/index',
      },
      {
        key: 'rooms',
        title: '房屋档案',
        // import is admin only; service and finance export the (masked) roster
        description: '导入与导出花名册',
        icon: 'wap-home-o',
        roles: ['admin', 'service', 'finance'],
        url: '/admin/import/index',
      },
      {
        key: 'settings',
        title: '部署设置',
        description: '商户号、模板与小区信息',
        icon: 'setting',
        roles: ['admin'],
        url: '/admin/settings/index',
      },
      {
        key: 'staff',
        title: '人员与权限',
        description: '员工角色分配',
        icon: 'friends-o',
        roles: ['admin'],
        url: '/admin/staff/index',
      },
      {
        key: 'audit',
        title: '操作日志',
        description: '审计记录查询',
        icon: 'records-o',
        roles: ['admin'],
        url: '/admin/audit/index',
      },
    ],
  },
];

/** The groups and entries a holder of `roles` may use; empty groups are dropped. */
export function featuresFor(roles: readonly StaffRole[]): FeatureGroup[] {
  return FEATURE_GROUPS.map((g) => ({
    title: g.title,
    features: g.features.filter((f) => f.roles.some((r) => roles.includes(r))),
  })).filter((g) => g.features.length > 0);
}
