import { codesOf } from '../kernel/codes';
/**
 * Community records: the closed vocabularies (room use, occupancy, relations, binding states) with
 * their Chinese labels, and room labels. Pure; community/contract.ts builds on these.
 */

export const ROOM_USE_LABELS = {
  residential: '住宅',
  commercial: '商铺',
  office: '办公',
  parking: '车位',
  storage: '储藏室',
  other: '其他',
};
export type RoomUseType = keyof typeof ROOM_USE_LABELS;
export const ROOM_USE_TYPES = codesOf(ROOM_USE_LABELS);

export const OCCUPANCY_LABELS = {
  vacant: '空置',
  occupied: '已入住',
  decorating: '装修中',
};
export type Occupancy = keyof typeof OCCUPANCY_LABELS;
export const OCCUPANCIES = codesOf(OCCUPANCY_LABELS);

/** How a person relates to a room, on record (room_owners) and in a binding (room_bindings). */
export const RELATION_LABELS = {
  owner: '业主',
  'co-owner': '共有人',
  family: '家庭成员',
  tenant: '租户',
};
export type Relation = keyof typeof RELATION_LABELS;
export const RELATIONS = codesOf(RELATION_LABELS);

export const BINDING_STATUS_LABELS = {
  'pending-review': '待审核',
  verified: '已认证',
  rejected: '未通过',
  revoked: '已解绑',
};
export type BindingStatus = keyof typeof BINDING_STATUS_LABELS;
export const BINDING_STATUSES = codesOf(BINDING_STATUS_LABELS);

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
