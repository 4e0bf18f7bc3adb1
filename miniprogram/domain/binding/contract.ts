import {
  buildingCode,
  communityId,
  contract,
  docId,
  inviteCode,
  mobile,
  pageCursor,
  pageLimit,
  reasonText,
  text,
  unitCode,
  z,
  type Page,
} from '../kernel/contract';
import { BINDING_STATUSES, type BindingStatus, type Relation } from '../community/vocabulary';
import { type StaffBindingView } from '../community/contract';

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

/** A room opened from a household code or an SMS link, to fill in binding (no personal data). */
export interface ScannedRoom {
  roomId: string;
  roomLabel: string;
  communityId: string;
  communityName: string;
  building: string;
  unit: string;
  number: string;
  floor: number | null;
  /** The one-time token of a household code: it verifies the binding in place of the mobile. */
  token: string | null;
  /** The caller is already bound to the room: open its bills instead. */
  bound: boolean;
}

/** A household code's token (16 letters or digits from its scene). */
export const householdToken = z
  .string()
  .check(z.regex(/^[0-9A-Za-z]{12,24}$/, '小程序码无效'), z.maxLength(24));

/** Why staff reject or unbind: 2–100 characters, shown to the owner and audited. */
export const bindingReason = reasonText(100);

export const bindingContracts = {
  /** Anyone: communities to pick from. */
  communities: contract<{ communities: CommunityOption[] }>()(z.strictObject({})),
  /** Anyone: a community's buildings and units (no personal data). */
  buildings: contract<{ buildings: { code: string; name: string; units: string[] }[] }>()(
    z.strictObject({ communityId }),
  ),
  /** Anyone: room numbers of a unit (no personal data). */
  rooms: contract<{
    rooms: { roomId: string; number: string; floor: number | null; label: string }[];
  }>()(z.strictObject({ communityId, building: buildingCode, unit: unitCode })),
  /**
   * Owner: bind a room by the name and mobile on record (or its last 4 digits). A mismatch
   * never says what is on record; 5 failures an hour per user are allowed.
   */
  request: contract<MyBinding>()(
    z
      .strictObject({
        roomId: docId,
        name: text(50, 1, '请填写物业登记的业主姓名'),
        mobile: z.optional(mobile),
        mobileLast4: z.optional(
          z.string().check(z.regex(/^\d{4}$/, '应为手机号后 4 位'), z.maxLength(4)),
        ),
        /** From a household notice's code: verifies in place of the mobile, once. */
        token: z.optional(householdToken),
      })
      .check(
        z.refine(
          (v) => [v.mobile, v.mobileLast4, v.token].filter((x) => x !== undefined).length === 1,
          { message: '请填写手机号或手机号后 4 位（二选一）', path: ['mobile'] },
        ),
      ),
  ),
  /**
   * Anyone: the room a household code (`scene`, as the page receives it) or an SMS link
   * (`roomId`) opens, to fill in binding. A used or lapsed code says so.
   */
  scan: contract<ScannedRoom>()(
    z.strictObject({ scene: z.optional(text(96)), roomId: z.optional(docId) }).check(
      z.refine((v) => (v.scene === undefined) !== (v.roomId === undefined), {
        message: '请提供小程序码或房屋',
        path: ['scene'],
      }),
    ),
  ),
  /** Owner: my bindings in every state, with staff's reasons. */
  mine: contract<{ bindings: MyBinding[] }>()(z.strictObject({})),
  /**
   * Owner: withdraw my own binding or request; or, as the room's verified owner/co-owner,
   * remove a family member's or tenant's binding.
   */
  cancel: contract<MyBinding>()(z.strictObject({ bindingId: docId })),
  /** Verified owner/co-owner: a one-time code (72 h) for a family member or tenant. */
  invite: contract<{ code: string; expiresAt: string; relation: Relation; roomLabel: string }>()(
    z.strictObject({ roomId: docId, relation: z.enum(['family', 'tenant']) }),
  ),
  /** Anyone: redeem an invite code; binds at once. */
  acceptInvite: contract<MyBinding>()(z.strictObject({ code: inviteCode })),
  /** Verified owner/co-owner: who else is bound to my room (masked). */
  members: contract<{ members: RoomMember[] }>()(z.strictObject({ roomId: docId })),
  /** Admin, service: bindings of the community, e.g. those waiting for review. */
  list: contract<Page<StaffBindingView>>()(
    z.strictObject({
      communityId,
      status: z.optional(z.enum(BINDING_STATUSES)),
      roomId: z.optional(docId),
      limit: pageLimit,
      cursor: pageCursor,
    }),
  ),
  /** Admin, service: approve or reject (with a reason) a pending binding; notifies the owner. */
  review: contract<StaffBindingView>()(
    z
      .strictObject({
        communityId,
        bindingId: docId,
        decision: z.enum(['approve', 'reject']),
        reason: z.optional(bindingReason),
      })
      .check(
        z.refine((v) => v.decision === 'approve' || v.reason !== undefined, {
          message: '驳回时请填写原因',
          path: ['reason'],
        }),
      ),
  ),
  /** Admin, service: unbind a verified binding, with a reason; notifies the owner. */
  unbind: contract<StaffBindingView>()(
    z.strictObject({ communityId, bindingId: docId, reason: bindingReason }),
  ),
};
