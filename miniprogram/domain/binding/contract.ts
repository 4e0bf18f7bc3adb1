import { z } from 'zod';
import { contract, communityId, type Page } from '../kernel/contract';
import { BINDING_STATUSES, type BindingStatus, type Relation } from '../community/vocabulary';
import { type StaffBindingView } from '../community/contract';
import {
  buildingCode,
  docId,
  mobile,
  pageCursor,
  pageLimit,
  personName,
  unitCode,
} from '../kernel/contract';
import { inviteCode } from '../kernel/contract';

export interface CommunityOption {
  communityId: string;
  name: string;
  address: string;
}

/** A binding as its owner sees it. */
export interface MyBinding {
  bindingId: string;
  roomId: string;
  roomLabel: string;
  communityId: string;
  communityName: string;
  relation: Relation;
  status: BindingStatus;
  /** Why staff rejected or unbound it. */
  reason: string | null;
  requestedAt: string | null;
  decidedAt: string | null;
}

export interface RoomMember {
  bindingId: string;
  /** Masked. */
  name: string;
  relation: Relation;
  status: BindingStatus;
  isMe: boolean;
}

export const bindingContracts = {
  /** Anyone: communities to pick from. */
  communities: contract<{ communities: CommunityOption[] }>()(z.object({}).strict()),
  /** Anyone: a community's buildings and units (no personal data). */
  buildings: contract<{ buildings: { code: string; name: string; units: string[] }[] }>()(
    z.object({ communityId }).strict(),
  ),
  /** Anyone: room numbers of a unit (no personal data). */
  rooms: contract<{
    rooms: { roomId: string; number: string; floor: number | null; label: string }[];
  }>()(z.object({ communityId, building: buildingCode, unit: unitCode }).strict()),
  /**
   * Owner: bind a room by the name and mobile on record (or its last 4 digits). A mismatch
   * never says what is on record; 5 failures an hour per user are allowed.
   */
  request: contract<MyBinding>()(
    z
      .object({
        roomId: docId,
        name: personName,
        mobile: mobile.optional(),
        mobileLast4: z
          .string()
          .regex(/^\d{4}$/, '应为手机号后 4 位')
          .optional(),
      })
      .strict()
      .refine((v) => (v.mobile === undefined) !== (v.mobileLast4 === undefined), {
        message: '请填写手机号或手机号后 4 位（二选一）',
        path: ['mobile'],
      }),
  ),
  /** Owner: my bindings in every state, with staff's reasons. */
  mine: contract<{ bindings: MyBinding[] }>()(z.object({}).strict()),
  /**
   * Owner: withdraw my own binding or request; or, as the room's verified owner/co-owner,
   * remove a family member's or tenant's binding.
   */
  cancel: contract<MyBinding>()(z.object({ bindingId: docId }).strict()),
  /** Verified owner/co-owner: a one-time code (72 h) for a family member or tenant. */
  invite: contract<{ code: string; expiresAt: string; relation: Relation; roomLabel: string }>()(
    z.object({ roomId: docId, relation: z.enum(['family', 'tenant']) }).strict(),
  ),
  /** Anyone: redeem an invite code; binds at once. */
  acceptInvite: contract<MyBinding>()(z.object({ code: inviteCode }).strict()),
  /** Verified owner/co-owner: who else is bound to my room (masked). */
  members: contract<{ members: RoomMember[] }>()(z.object({ roomId: docId }).strict()),
  /** Admin, service: bindings of the community, e.g. those waiting for review. */
  list: contract<Page<StaffBindingView>>()(
    z
      .object({
        communityId,
        status: z.enum(BINDING_STATUSES).optional(),
        roomId: docId.optional(),
        limit: pageLimit,
        cursor: pageCursor,
      })
      .strict(),
  ),
  /** Admin, service: approve or reject (with a reason) a pending binding; notifies the owner. */
  review: contract<StaffBindingView>()(
    z
      .object({
        communityId,
        bindingId: docId,
        decision: z.enum(['approve', 'reject']),
        reason: z.string().trim().min(2).max(100).optional(),
      })
      .strict()
      .refine((v) => v.decision === 'approve' || v.reason !== undefined, {
        message: '驳回时请填写原因',
        path: ['reason'],
      }),
  ),
  /** Admin, service: unbind a verified binding, with a reason; notifies the owner. */
  unbind: contract<StaffBindingView>()(
    z
      .object({
        communityId,
        bindingId: docId,
        reason: z.string().trim().min(2, '请填写原因').max(100),
      })
      .strict(),
  ),
};
