import { contract, id, z } from '../kernel/contract';
import { type BillSummary } from '../fee/bill';
import type { StaffRole } from '../community/vocabulary';

/** A room the caller is bound to, as the owner sees it. */
export interface MyRoom {
  roomId: string;
  communityId: string;
  communityName: string;
  /** e.g. "3栋2单元1502" */
  label: string;
  /** 建筑面积 in m², 2 decimals, as a string to avoid float artefacts ("89.47"). */
  buildingArea: string;
  relation: 'owner' | 'co-owner' | 'family' | 'tenant';
}

export interface NoticeSummary {
  noticeId: string;
  title: string;
  publishedAt: string;
  summary: string;
}

export interface CommunityContact {
  communityId: string;
  name: string;
  servicePhone: string;
  serviceHours: string;
  frontDesk: string;
}

export interface OwnerHome {
  rooms: MyRoom[];
  /** Bills of the caller's rooms (any status but void): 0 for a room bound before its first bill. */
  billCount: number;
  /** Sum of outstanding amounts over the caller's rooms. */
  dueNowFen: number;
  /** The earliest due date still ahead (today or later) among unpaid bills, or null. */
  nextDueDate: string | null;
  /** Unpaid bills past their due date, and what they still owe. */
  overdueCount: number;
  overdueFen: number;
  notices: NoticeSummary[];
  contacts: CommunityContact[];
  /** The owner has meters to report themselves (自助抄表): this month's window; null: none. */
  meterReading: { from: string; to: string; open: boolean } | null;
  /** The caller's staff roles in any community (empty for owners): the tab bar's 管理 tab. */
  me: { roles: StaffRole[] };
}

export interface OwnerBills {
  /** Unpaid and partially paid bills, oldest due date first. */
  unpaid: BillSummary[];
  /** Paid bills, newest period first. */
  paid: BillSummary[];
  /** Every room of the caller (whatever `roomId` filters): the page's room chips. */
  rooms: MyRoom[];
}

export const ownerContracts = {
  home: contract<OwnerHome>()(z.strictObject({}), { idempotent: true }),
  bills: contract<OwnerBills>()(z.strictObject({ roomId: z.optional(id) }), { idempotent: true }),
};
