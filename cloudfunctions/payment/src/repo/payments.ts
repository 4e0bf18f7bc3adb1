/**
 * What the payment function's actions share: the caller's rooms, the community's payment
 * settings, reading a payment, and who may see it.
 */
import { myRoomIds } from '../../../_shared/bindings';
import { getDoc } from '../../../_shared/records';
import crypto from 'node:crypto';
import type { DB } from 'wx-server-sdk';
import { fetchAll } from '../../../_shared/db';
import { type PaymentDoc } from '../../../_shared/ledger';
import { hasRole, rolesIn } from '../../../_shared/roles';
import { AppError, requireOpenid, type ActionContext } from '../../../_shared/router';
import type { StaffRole } from '../../../../miniprogram/domain/community/vocabulary';

export interface CommunityPayDoc {
  _id: string;
  name: string;
  payment?: { subMchId?: string };
}

export function hash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

export async function community(db: DB.Database, communityId: string): Promise<CommunityPayDoc> {
  return (await db.collection('communities').doc(communityId).get()).data as CommunityPayDoc;
}

export async function canSeePayment(ctx: ActionContext, payment: PaymentDoc): Promise<boolean> {
  const roomIds = await myRoomIds(ctx);
  if (payment.roomIds.some((r) => roomIds.includes(r))) return true;
  const { roles } = await rolesIn(ctx, payment.communityId, ctx.openid);
  return hasRole(roles, ['cashier', 'finance', 'service']);
}

export async function communitiesWith(
  ctx: ActionContext,
  roles: readonly StaffRole[],
): Promise<string[]> {
  const openid = requireOpenid(ctx);
  const mine = await fetchAll<{ communityId: string; roles: StaffRole[]; revokedAt?: Date | null }>(
    ctx.db.collection('staff_roles').where({ openid }),
  );
  const ids = mine.filter((g) => !g.revokedAt && hasRole(g.roles, roles)).map((g) => g.communityId);
  if (!ids.length) throw new AppError('FORBIDDEN', '抱歉，您没有该操作的权限');
  return ids;
}

export async function payment(db: DB.Database, paymentId: string): Promise<PaymentDoc> {
  return getDoc<PaymentDoc>({ db }, 'payments', paymentId, 'paymentId: 未找到该笔收款');
}
