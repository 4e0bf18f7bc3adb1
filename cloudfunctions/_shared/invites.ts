/**
 * One-time invite codes: a verified owner invites a family member or tenant to a room; an admin
 * invites a colleague to staff roles. Codes are 8 characters, valid 72 hours, used once, and
 * stored only as a hash (`invites/<inviteId(code)>`).
 */
import type { Relation } from '../../miniprogram/domain/community/vocabulary';
import { inviteId, randomCode } from './ids';
import { AppError, type ActionContext } from './router';
import type { StaffRole } from '../../miniprogram/domain/community/vocabulary';

export const INVITE_TTL_MS = 72 * 60 * 60 * 1000;

export interface InviteDoc {
  _id: string;
  kind: 'member' | 'staff';
  communityId: string;
  roomId?: string;
  relation?: Relation;
  roles?: StaffRole[];
  name?: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  usedBy: string | null;
  usedAt: Date | null;
}

export const INVITE_INVALID = '邀请码无效或已过期，请向邀请人重新获取';

export async function createInvite(
  ctx: ActionContext,
  fields: Omit<InviteDoc, '_id' | 'createdAt' | 'expiresAt' | 'usedBy' | 'usedAt'>,
): Promise<{ code: string; expiresAt: Date }> {
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + INVITE_TTL_MS);
  for (let attempt = 0; attempt < 3; attempt++) {
    const code = randomCode(8);
    try {
      await ctx.db.collection('invites').add({
        data: {
          _id: inviteId(code),
          ...fields,
          createdAt: now,
          expiresAt,
          usedBy: null,
          usedAt: null,
        },
      });
      return { code, expiresAt };
    } catch (e) {
      if (!/E11000|duplicate/i.test((e as Error).message)) throw e;
    }
  }
  throw new AppError('INTERNAL', '生成邀请码失败，请重试');
}

/** The invite for a code when it is of `kind`, unused and unexpired; else null. */
export async function findUsableInvite(
  ctx: ActionContext,
  code: string,
  kind: InviteDoc['kind'],
): Promise<InviteDoc | null> {
  const res = await ctx.db
    .collection('invites')
    .where({ _id: inviteId(code) })
    .limit(1)
    .get();
  const inv = res.data[0] as InviteDoc | undefined;
  if (!inv || inv.kind !== kind || inv.usedBy || new Date(inv.expiresAt) <= ctx.now()) return null;
  return inv;
}
