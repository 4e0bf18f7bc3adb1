/**
 * Installment plans: service proposes, admin approves, the owner accepts (an 'installment' hold
 * pauses escalation and late fees while the plan runs).
 */
import { myVerifiedBindings } from '../../../_shared/bindings';
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import { outstandingFen } from '../../../../miniprogram/domain/fee/bill';
import { formatYuan } from '../../../../miniprogram/domain/kernel/money';
import { validateInstallments } from '../../../../miniprogram/domain/overdue/rules';
import {
  type overdueContracts,
  type PlanView,
} from '../../../../miniprogram/domain/overdue/contract';
import { audit, auditTarget, ownerActor, type AuditTarget } from '../../../_shared/audit';
import { fetchAll } from '../../../_shared/db';
import { placeHold } from '../../../_shared/holds';
import { stableId } from '../../../_shared/ids';
import { requireRole } from '../../../_shared/roles';
import { AppError, requireOpenid } from '../../../_shared/router';
import type { PlanDoc } from '../../../_shared/overdue-records';
import type { Handlers } from '../../../_shared/router';
import {
  PLAN_STATUS_TEXT,
  addEvent,
  community,
  loadPlan,
  openBills,
  planPaid,
  planView,
  room,
  today,
} from '../repo/cases';

/** An installment plan in the audit log: known by its room. */
function planTarget(p: PlanDoc): AuditTarget {
  return auditTarget('installmentPlan', p.communityId, p._id, p.roomLabel);
}

export const proposePlan: Handlers<typeof overdueContracts>['proposePlan'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['service']);
  const c = await community(ctx, input.communityId);
  const r = await room(ctx, c._id, input.roomId);
  const day = today(ctx);
  const bills = (await openBills(ctx, c._id, [r._id])).filter(
    (b) => outstandingFen(b) > 0 && b.dueDate < day,
  );
  if (bills.length === 0) throw new AppError('PRECONDITION_FAILED', 'roomId: 该房屋没有逾期欠费');
  const arrears = bills.reduce((s, b) => s + outstandingFen(b), 0);
  const problems = validateInstallments(arrears, input.installments, day);
  if (problems.length) throw new AppError('INVALID_INPUT', problems.join('; '));
  const _ = ctx.db.command;
  const live = await ctx.db
    .collection('installment_plans')
    .where({ roomId: r._id, status: _.in(['proposed', 'approved', 'active']) })
    .count();
  if (live.total > 0) throw new AppError('CONFLICT', 'roomId: 该房屋已有进行中的分期方案');
  const plan: PlanDoc = {
    _id: stableId('plan', r._id, ctx.now().toISOString()),
    communityId: c._id,
    roomId: r._id,
    roomLabel: roomLabel(r),
    status: 'proposed',
    arrearsFen: arrears,
    billIds: bills.map((b) => b._id),
    paidAtStartFen: bills.reduce((s, b) => s + b.paidFen, 0),
    installments: input.installments,
    note: input.note,
    proposedBy: caller.openid,
    proposedByName: caller.name,
    createdAt: ctx.now(),
    acceptedAt: null,
  };
  await ctx.db.collection('installment_plans').add({ data: plan });
  await addEvent(ctx, {
    _id: stableId('ev', r._id, 'plan-proposed', plan._id),
    communityId: c._id,
    roomId: r._id,
    kind: 'plan',
    stage: null,
    title: '提出分期方案',
    detail: `欠费 ${formatYuan(arrears)} 分 ${input.installments.length} 期，待管理员审批`,
    channel: null,
    reason: 'hardship',
    notes: input.note,
    nextStep: '管理员审批后请业主在小程序确认',
    ownerResponse: '',
    by: caller.openid,
    byName: caller.name,
    at: ctx.now(),
  });
  await audit(ctx, caller, {
    ...planTarget(plan),
    action: 'installment.propose',
    summary: `提出分期：${formatYuan(arrears)} 分 ${input.installments.length} 期`,
    after: { installments: input.installments },
  });
  return planView(plan, plan.paidAtStartFen, day);
};

export const decidePlan: Handlers<typeof overdueContracts>['decidePlan'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['admin']);
  const p = await loadPlan(ctx, input.planId);
  if (p.communityId !== input.communityId)
    throw new AppError('NOT_FOUND', 'planId: 分期方案不存在');
  if (p.status !== 'proposed')
    throw new AppError('CONFLICT', `planId: 方案当前为${PLAN_STATUS_TEXT[p.status]}，无需审批`);
  if (!input.approve && input.note.length < 2)
    throw new AppError('INVALID_INPUT', 'note: 不通过时请填写原因');
  const status = input.approve ? 'approved' : 'rejected';
  const upd = await ctx.db
    .collection('installment_plans')
    .where({ _id: p._id, status: 'proposed' })
    .update({
      data: {
        status,
        approvedBy: caller.openid,
        approvedByName: caller.name,
        decisionNote: input.note,
      },
    });
  if (Number(upd.stats.updated) !== 1) throw new AppError('CONFLICT', 'planId: 方案已被处理');
  await audit(ctx, caller, {
    ...planTarget(p),
    action: input.approve ? 'installment.approve' : 'installment.reject',
    summary: `${input.approve ? '批准' : '不批准'}分期方案${input.note ? `：${input.note}` : ''}`,
  });
  const next = { ...p, status, approvedByName: caller.name } as PlanDoc;
  return planView(next, await planPaid(ctx, p), today(ctx));
};

export const myPlans: Handlers<typeof overdueContracts>['myPlans'] = async (_input, ctx) => {
  const _ = ctx.db.command;
  const bindings = await myVerifiedBindings(ctx);
  if (bindings.length === 0) return [];
  const plans = await fetchAll<PlanDoc>(
    ctx.db.collection('installment_plans').where({
      roomId: _.in(bindings.map((b) => b.roomId)),
      status: _.in(['approved', 'active', 'completed', 'lapsed']),
    }),
  );
  const out: PlanView[] = [];
  for (const p of plans) out.push(planView(p, await planPaid(ctx, p), today(ctx)));
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
};

export const acceptPlan: Handlers<typeof overdueContracts>['acceptPlan'] = async (input, ctx) => {
  const openid = requireOpenid(ctx);
  const p = await loadPlan(ctx, input.planId).catch(() => {
    throw new AppError('NOT_FOUND', '抱歉，没有找到该分期方案');
  });
  const binding = await ctx.db
    .collection('room_bindings')
    .where({
      roomId: p.roomId,
      openid,
      status: 'verified',
      relation: ctx.db.command.in(['owner', 'co-owner']),
    })
    .count();
  if (binding.total === 0)
    throw new AppError('FORBIDDEN', '抱歉，只有该房屋的业主可以确认分期方案');
  if (p.status === 'active') return planView(p, await planPaid(ctx, p), today(ctx));
  if (p.status !== 'approved')
    throw new AppError('CONFLICT', '该分期方案当前无法确认，请联系物业客服');
  const now = ctx.now();
  const day = today(ctx);
  const upd = await ctx.db
    .collection('installment_plans')
    .where({ _id: p._id, status: 'approved' })
    .update({ data: { status: 'active', acceptedBy: openid, acceptedAt: now } });
  if (Number(upd.stats.updated) === 1) {
    await placeHold(ctx.db, {
      communityId: p.communityId,
      roomId: p.roomId,
      billIds: p.billIds,
      reason: 'installment',
      refId: p._id,
      from: day,
      note: `分期 ${p.installments.length} 期`,
      by: openid,
      at: now,
    });
    await addEvent(ctx, {
      _id: stableId('ev', p.roomId, 'plan-accepted', p._id),
      communityId: p.communityId,
      roomId: p.roomId,
      kind: 'plan',
      stage: null,
      title: '业主确认分期方案',
      detail: `分 ${p.installments.length} 期缴纳 ${formatYuan(p.arrearsFen)}，期间暂停催缴和滞纳金`,
      channel: 'wechat',
      reason: null,
      notes: '',
      nextStep: '按期提醒',
      ownerResponse: '同意分期',
      by: openid,
      byName: '业主',
      at: now,
    });
    await audit(ctx, ownerActor(openid), {
      ...planTarget(p),
      action: 'installment.accept',
      summary: '业主确认分期方案',
    });
  }
  return planView({ ...p, status: 'active', acceptedAt: now }, await planPaid(ctx, p), day);
};
