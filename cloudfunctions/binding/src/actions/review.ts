/**
 * Customer service and admins review bindings: the queue, approve or reject with a reason, and
 * unbind; the owner is notified.
 */
import { RELATION_LABELS, roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import { audit, auditTarget } from '../../../_shared/audit';
import { revokeBindings } from '../../../_shared/bindings';
import { notifyOwner } from '../../../_shared/notify';
import { listPage } from '../../../_shared/paging';
import {
  findRoom,
  getBinding,
  roomsByIds,
  staffBindingView,
  type BindingDoc,
  type StaffBindingView,
} from '../../../_shared/records';
import { requireRole } from '../../../_shared/roles';
import { AppError, type ActionContext } from '../../../_shared/router';
import type { Handlers } from '../../../_shared/router';
import type { bindingContracts } from '../../../../miniprogram/domain/binding/contract';

/** Who reviews bindings: customer service (and admins). */
export const REVIEWERS = ['service'] as const;

export const list: Handlers<typeof bindingContracts>['list'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, REVIEWERS);
  const where: Record<string, unknown> = { communityId: input.communityId };
  if (input.status) where.status = input.status;
  if (input.roomId) where.roomId = input.roomId;
  return listPage<BindingDoc, StaffBindingView>(
    ctx,
    'room_bindings',
    where,
    [['requestedAt', 'desc']],
    input,
    async (docs) => {
      const rooms = await roomsByIds(
        ctx,
        docs.map((d) => d.roomId),
      );
      return docs.map((d) => staffBindingView(d, rooms.get(d.roomId)));
    },
  );
};

export async function bindingIn(
  ctx: ActionContext,
  communityId: string,
  id: string,
): Promise<BindingDoc> {
  const b = await getBinding(ctx, id);
  if (!b || b.communityId !== communityId) throw new AppError('NOT_FOUND', '没有找到该绑定');
  return b;
}

export const review: Handlers<typeof bindingContracts>['review'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, REVIEWERS);
  const b = await bindingIn(ctx, input.communityId, input.bindingId);
  const now = ctx.now();
  const approve = input.decision === 'approve';
  const patch = {
    status: approve ? 'verified' : 'rejected',
    decidedAt: now,
    decidedBy: caller.openid,
    reason: approve ? null : (input.reason ?? null),
    ...(approve ? { verifiedAt: now } : {}),
  } as const;
  const ok = await ctx.db.runTransaction(async (t) => {
    const cur = (await t.collection('room_bindings').doc(b._id).get()).data as BindingDoc;
    if (cur.status !== 'pending-review') return false;
    await t.collection('room_bindings').doc(b._id).update({ data: patch });
    return true;
  });
  if (!ok) throw new AppError('PRECONDITION_FAILED', '该绑定已处理过，不在待审核状态');
  const room = await findRoom(ctx, b.roomId);
  const label = room ? roomLabel(room) : b.roomId;
  await audit(ctx, caller, {
    ...auditTarget('binding', input.communityId, b._id, label),
    action: approve ? 'binding.approve' : 'binding.reject',
    summary: `${approve ? '通过' : '驳回'}绑定申请 ${label}（${RELATION_LABELS[b.relation]}）${input.reason ? `：${input.reason}` : ''}`,
    before: { status: b.status },
    after: { status: patch.status, reason: patch.reason },
  });
  await notifyOwner(ctx, {
    openid: b.openid,
    communityId: b.communityId,
    kind: approve ? 'binding-approved' : 'binding-rejected',
    title: approve ? '房屋认证已通过' : '房屋认证未通过',
    body: approve
      ? `${label} 已绑定，您现在可以查看账单和缴费。`
      : `${label} 的认证未通过：${input.reason ?? ''}。如有疑问请联系物业服务中心。`,
    page: 'pages/rooms/index',
    keywords: {
      subject: `${label} 房屋认证`,
      result: approve ? '审核通过' : '未通过',
      note: approve ? '可查看账单并缴费' : (input.reason ?? ''),
    },
  });
  return staffBindingView({ ...b, ...patch }, room ?? undefined);
};

export const unbind: Handlers<typeof bindingContracts>['unbind'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, REVIEWERS);
  const b = await bindingIn(ctx, input.communityId, input.bindingId);
  if (b.status !== 'verified' && b.status !== 'pending-review') {
    throw new AppError('PRECONDITION_FAILED', '该绑定已解除或未通过，无需再解绑');
  }
  const revoked = await revokeBindings(ctx, b.roomId, [b], input.reason, caller.openid);
  const room = await findRoom(ctx, b.roomId);
  const label = room ? roomLabel(room) : b.roomId;
  await audit(ctx, caller, {
    ...auditTarget('binding', input.communityId, b._id, label),
    action: 'binding.unbind',
    summary: `解除绑定 ${label}（${RELATION_LABELS[b.relation]}）：${input.reason}${revoked.length > 1 ? `，连同其邀请的 ${revoked.length - 1} 人` : ''}`,
    before: { status: b.status },
    after: { status: 'revoked', reason: input.reason },
  });
  for (const r of revoked) {
    await notifyOwner(ctx, {
      openid: r.openid,
      communityId: r.communityId,
      kind: 'binding-revoked',
      title: '房屋绑定已解除',
      body: `物业已解除您与 ${label} 的绑定：${input.reason}。如有疑问请联系物业服务中心。`,
      page: 'pages/rooms/index',
      keywords: { subject: `${label} 房屋绑定`, result: '已解除', note: input.reason },
    });
  }
  return staffBindingView(
    {
      ...b,
      status: 'revoked',
      reason: input.reason,
      decidedAt: ctx.now(),
      decidedBy: caller.openid,
    },
    room ?? undefined,
  );
};
