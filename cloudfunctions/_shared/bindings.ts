/** Binding side effects shared by staff actions, imports and owners. */
import type { ActionContext } from './router';
import type { BindingDoc } from './records';

const LIVE = ['verified', 'pending-review'];

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
