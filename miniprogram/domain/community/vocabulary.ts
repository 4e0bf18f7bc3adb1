/**
 * Community records: the closed vocabularies (room use, occupancy, relations, binding states) with
 * their Chinese labels, and room labels. Pure; the contracts in types/api.ts build on these.
 */

export const ROOM_USE_TYPES = [
  'residential',
  'commercial',
  'office',
  'parking',
  'storage',
  'other',
] as const;
export type RoomUseType = (typeof ROOM_USE_TYPES)[number];
export const ROOM_USE_LABELS: Record<RoomUseType, string> = {
  residential: '住宅',
  commercial: '商铺',
  office: '办公',
  parking: '车位',
  storage: '储藏室',
  other: '其他',
};

export const OCCUPANCIES = ['vacant', 'occupied', 'decorating'] as const;
export type Occupancy = (typeof OCCUPANCIES)[number];
export const OCCUPANCY_LABELS: Record<Occupancy, string> = {
  vacant: '空置',
  occupied: '已入住',
  decorating: '装修中',
};

/** How a person relates to a room, on record (room_owners) and in a binding (room_bindings). */
export const RELATIONS = ['owner', 'co-owner', 'family', 'tenant'] as const;
export type Relation = (typeof RELATIONS)[number];
export const RELATION_LABELS: Record<Relation, string> = {
  owner: '业主',
  'co-owner': '共有人',
  family: '家庭成员',
  tenant: '租户',
};

export const BINDING_STATUSES = ['pending-review', 'verified', 'rejected', 'revoked'] as const;
export type BindingStatus = (typeof BINDING_STATUSES)[number];
export const BINDING_STATUS_LABELS: Record<BindingStatus, string> = {
  'pending-review': '待审核',
  verified: '已认证',
  rejected: '未通过',
  revoked: '已解绑',
};

/** Ways a community accepts payment (the same channels the payment records use). */
export const PAYMENT_METHODS = [
  'wechat',
  'cash',
  'card',
  'transfer',
  'alipay',
  'autodebit',
  'other',
] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = {
  wechat: '微信支付',
  cash: '现金',
  card: '刷卡',
  transfer: '银行转账',
  alipay: '支付宝',
  autodebit: '银行代扣',
  other: '其他',
};

/** "1栋2单元1502": how rooms are named everywhere (owner pages, lists, exports). */
export function roomLabel(room: { building: string; unit: string; number: string }): string {
  return `${room.building}栋${room.unit}单元${room.number}`;
}

/**
 * A key that sorts rooms the way people read them: building, unit, then room number, with
 * numeric parts compared as numbers ("2" before "10").
 */
export function roomSortKey(room: { building: string; unit: string; number: string }): string {
  const part = (s: string) => (/^\d+$/.test(s) ? s.padStart(8, '0') : `~${s}`);
  return [part(room.building), part(room.unit), part(room.number)].join('|');
}

/** The floor a room number implies: "1502" → 15, "302" → 3; null when it cannot tell. */
export function floorFromNumber(number: string): number | null {
  if (!/^\d{3,}$/.test(number)) return null;
  const floor = Number(number.slice(0, -2));
  return floor > 0 ? floor : null;
}

/** Staff roles, granted per community in `staff_roles` (admin implies every role). */
export const STAFF_ROLES = ['admin', 'cashier', 'service', 'finance'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
