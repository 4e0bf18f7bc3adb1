/**
 * Who a receipt names: the payer (交款人) and, for money taken by staff, the cashier (收款人).
 *
 * The payer is the name the cashier wrote down at the desk, else the room's owner as registered
 * (room_owners → owners, the owner on the day paid, a co-owner when no owner is on record).
 * A registered name is shown in full only to that person and on the paper a cashier prints for
 * the payer; anyone else who may see the receipt (family, tenants, staff) sees it masked (PIPL:
 * the minimum). A name given at the desk is printed as given.
 * The cashier is the staff member who recorded the payment, by the name on their staff grant; an
 * online payment has no cashier (its channel, 微信支付, is printed on its own line).
 */
import { maskName } from '../../miniprogram/domain/community/mask';
import { shanghaiDate } from '../../miniprogram/domain/kernel/time';
import { fetchIn, type WithDb } from './paging';
import { isActive, type OwnerDoc, type RelationDoc } from './records';
import type { PaymentDoc } from './ledger';

export interface ReceiptParties {
  /** The payer's name in full (mask it with `maskName` for anyone but that person). */
  payer: string;
  /** The registered owner the payer name came from, when it did (to tell whether to mask). */
  payerOwnerId: string | null;
  /** The cashier's name for money staff took; '' for an online payment. */
  cashier: string;
}

/** The room a payment is for: its first allocation's, else the room credited with prepaid. */
function roomOf(p: PaymentDoc): string | undefined {
  return p.allocations[0]?.roomId ?? p.prepaidRoomId ?? p.roomIds[0];
}

export async function receiptParties(
  ctx: WithDb,
  communityId: string,
  payments: readonly PaymentDoc[],
): Promise<Map<string, ReceiptParties>> {
  const roomIds = [...new Set(payments.map(roomOf).filter((r): r is string => !!r))];
  const relations = (
    await fetchIn<RelationDoc>(ctx, 'room_owners', 'roomId', roomIds, { communityId })
  ).filter((r) => r.relation === 'owner' || r.relation === 'co-owner');
  const owners = new Map(
    (
      await fetchIn<OwnerDoc>(
        ctx,
        'owners',
        '_id',
        relations.map((r) => r.ownerId),
        {},
        { _id: true, name: true },
      )
    ).map((o) => [o._id, o]),
  );
  const staff = await fetchIn<{ openid: string; name?: string }>(
    ctx,
    'staff_roles',
    'openid',
    payments.map((p) => p.recordedBy).filter((o) => o !== 'wechat'),
    { communityId },
    { openid: true, name: true },
  );
  const staffNames = new Map(staff.filter((s) => s.name).map((s) => [s.openid, s.name!]));
  const out = new Map<string, ReceiptParties>();
  for (const p of payments) {
    const day = shanghaiDate(new Date(p.paidAt));
    const room = roomOf(p);
    const onRecord = relations
      .filter((r) => r.roomId === room && owners.has(r.ownerId))
      .sort(
        (a, b) =>
          Number(isActive(b, day)) - Number(isActive(a, day)) ||
          Number(b.relation === 'owner') - Number(a.relation === 'owner'),
      )[0];
    const online = p.channel === 'wechat' && !p.reverses;
    out.set(p._id, {
      payer: p.payerName || (onRecord ? owners.get(onRecord.ownerId)!.name : '') || '业主',
      payerOwnerId: p.payerName ? null : (onRecord?.ownerId ?? null),
      cashier: online ? '' : staffNames.get(p.recordedBy) || '物业服务中心',
    });
  }
  return out;
}

/** The payer as `viewerOwnerIds` may see it: in full for that person, masked for anyone else. */
export function payerFor(parties: ReceiptParties, viewerOwnerIds: readonly string[]): string {
  // a name the payer gave at the desk is printed as they gave it
  if (!parties.payerOwnerId) return parties.payer;
  return viewerOwnerIds.includes(parties.payerOwnerId) ? parties.payer : maskName(parties.payer);
}
