import type { StaffRole } from '../domain/community/vocabulary';
/** What staff can do, by role: every entry opens its page (nothing is listed before it exists). */

export interface Feature {
  key: string;
  title: string;
  description: string;
  icon: string;
  roles: StaffRole[];
  /** The page (inside this subpackage). */
  url: string;
  /** Open items waiting on the page (e.g. payment exceptions), shown as a badge. */
  badge?: number;
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
        key: 'room-account',
        title: '房屋账户',
        description: '按房号查账单与缴费',
        icon: 'search',
        roles: ['admin', 'cashier', 'service', 'finance'],
        url: '/admin/room/index',
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
        key: 'charges',
        title: '临时收费',
        // any staff raise; above the threshold finance or an admin approves
        description: '装修清运、工本费等',
        icon: 'balance-pay',
        roles: ['admin', 'cashier', 'service', 'finance'],
        url: '/admin/charges/index',
      },
      {
        key: 'deposits',
        title: '押金管理',
        description: '装修、车位押金收退',
        icon: 'gold-coin-o',
        roles: ['admin', 'cashier', 'finance'],
        url: '/admin/deposits/index',
      },
      {
        key: 'receipts',
        title: '收据管理',
        description: '查询、红冲与批量打印',
        icon: 'records-o',
        roles: ['admin', 'cashier', 'finance'],
        url: '/admin/receipts/index',
      },
      {
        key: 'shift',
        title: '交班日结',
        description: '按渠道汇总、现金清点交班',
        icon: 'balance-list-o',
        roles: ['admin', 'cashier'],
        url: '/admin/shift/index',
      },
      {
        key: 'shift-confirm',
        title: '交班确认',
        description: '核对收款员交班',
        icon: 'passed',
        roles: ['admin', 'finance'],
        url: '/admin/shift/confirm',
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
        description: '受理、时限与回访',
        icon: 'comment-o',
        roles: ['admin', 'service'],
        url: '/admin/tickets/index',
      },
      {
        key: 'calls',
        title: '来电登记',
        description: '通话记录与查询',
        icon: 'phone-o',
        roles: ['admin', 'service'],
        url: '/admin/calls/index',
      },
      {
        key: 'service-stats',
        title: '服务统计',
        description: '时效、超时与满意度',
        icon: 'chart-trending-o',
        roles: ['admin', 'service'],
        url: '/admin/service/index',
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
        key: 'pay-exceptions',
        title: '支付异常',
        description: '少付多付、未知订单、退款失败',
        icon: 'warning-o',
        roles: ['admin', 'finance'],
        url: '/admin/exceptions/index',
      },
      {
        key: 'reconcile',
        title: '支付对账',
        description: '微信与银行流水对账',
        icon: 'balance-o',
        roles: ['admin', 'finance'],
        url: '/admin/reconcile/index',
      },
      {
        key: 'reports',
        title: '收缴率报表',
        description: '收缴率与账龄',
        icon: 'bar-chart-o',
        roles: ['admin', 'finance'],
        url: '/admin/reports/index',
      },
      {
        key: 'disclosure',
        title: '收支公示',
        description: '收支登记与季度公示',
        icon: 'chart-trending-o',
        roles: ['admin', 'finance'],
        url: '/admin/disclosure/index',
      },
      {
        key: 'adjustments',
        title: '调价公示',
        description: '调价方案与公示期',
        icon: 'bullhorn-o',
        roles: ['admin', 'finance'],
        url: '/admin/adjustments/index',
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
        key: 'readings',
        title: '抄表录入',
        // service enters readings; finance also confirms flagged ones
        description: '水电读数与异常确认',
        icon: 'chart-trending-o',
        roles: ['admin', 'finance', 'service'],
        url: '/admin/readings/index',
      },
      {
        key: 'vacancies',
        title: '空置管理',
        description: '空置登记与撤销',
        icon: 'home-o',
        roles: ['admin', 'finance'],
        url: '/admin/vacancies/index',
      },
      {
        key: 'spaces',
        title: '车位与储藏室',
        // everyone reads; admins add, edit, end, import
        description: '使用人、车牌与按日计费',
        icon: 'logistics',
        roles: ['admin', 'cashier', 'service', 'finance'],
        url: '/admin/spaces/index',
      },
      {
        key: 'opening',
        title: '期初导入',
        description: '期初欠费与预存',
        icon: 'upgrade',
        roles: ['admin', 'finance'],
        url: '/admin/opening/index',
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
        key: 'backups',
        title: '数据备份',
        description: '每日备份与校验',
        icon: 'shield-o',
        roles: ['admin'],
        url: '/admin/backups/index',
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

/** The groups with `count` on the entry `key` (0: no badge). */
export function withBadge(groups: FeatureGroup[], key: string, count: number): FeatureGroup[] {
  return groups.map((g) => ({
    ...g,
    features: g.features.map((f) => (f.key === key ? { ...f, badge: count } : f)),
  }));
}
