/** The caller's bindings, and binding side effects shared by staff actions, imports and owners. */
import { fetchAll } from './db';
import { requireOpenid, type ActionContext } from './router';
import type { BindingDoc } from './records';

const LIVE = ['verified', 'pending-review'];

/** The caller's verified bindings: every owner-side read is scoped to these rooms. */
export async function myVerifiedBindings(ctx: ActionContext): Promise<BindingDoc[]> {
  const openid = requireOpenid(ctx);
  return fetchAll<BindingDoc>(
    ctx.db.collection('room_bindings').where({ openid, status: 'verified' }),
  );
}

/** The rooms the caller is verified for (each once). */
export async function myRoomIds(ctx: ActionContext): Promise<string[]> {
  return [...new Set((await myVerifiedBindings(ctx)).map((b) => b.roomId))];
}

/**
 * When a person stops being on record for a room (sold, moved out), their bindings to it end, and
 * so do the bindings of family members and tenants they invited. Idempotent. Returns the
 * bindings revoked (for notifications and the audit log).
 */
export async function revokeBindingsOfPerson(
  ctx: ActionContext,
  roomId: string,
  ownerId: string,
  reason: string,
  by: string,
): Promise<BindingDoc[]> {
  const _ = ctx.db.command;
  const res = await ctx.db
    .collection('room_bindings')
    .where({ roomId, ownerId, status: _.in(LIVE) })
    .limit(100)
    .get();
  const direct = res.data as BindingDoc[];
  if (direct.length === 0) return [];
  return revokeBindings(ctx, roomId, direct, reason, by);
}

/** Revokes the given bindings of one room and those invited by their holders. */
export async function revokeBindings(
  ctx: ActionContext,
  roomId: string,
  bindings: BindingDoc[],
  reason: string,
  by: string,
): Promise<BindingDoc[]> {
  const _ = ctx.db.command;
  const openids = bindings.map((b) => b.openid);
  const invited = (
    await ctx.db
      .collection('room_bindings')
      .where({ roomId, invitedBy: _.in(openids), status: _.in(LIVE) })
      .limit(100)
      .get()
  ).data as BindingDoc[];
  const all = [...bindings, ...invited.filter((b) => !openids.includes(b.openid))];
  const patch = { status: 'revoked', reason, decidedAt: ctx.now(), decidedBy: by };
  await ctx.db
    .collection('room_bindings')
    .where({ _id: _.in(all.map((b) => b._id)), status: _.in(LIVE) })
    .update({ data: patch });
  return all;
}
