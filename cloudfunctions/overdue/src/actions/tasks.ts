/**
 * The contact list (calls, visits, letters), a page at a time, and assigning a task to a service
 * colleague.
 */
import { getInCommunity } from '../../../_shared/records';
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import { type overdueContracts } from '../../../../miniprogram/domain/overdue/contract';
import { audit, auditTarget } from '../../../_shared/audit';
import { TASK_KIND_TEXT, type TaskDoc } from '../../../_shared/contacts';
import { nextCursor } from '../../../_shared/paging';
import { requireRole } from '../../../_shared/roles';
import { AppError } from '../../../_shared/router';
import type { Handlers } from '../../../_shared/router';
import { community, room, staffNames, taskView } from '../repo/cases';
import { countOf, tasksPage, tasksPipeline } from '../repo/lists';

export const tasks: Handlers<typeof overdueContracts>['tasks'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['service']);
  const c = await community(ctx, input.communityId);
  const where = {
    communityId: c._id,
    status: input.status,
    ...(input.mine ? { assignedTo: caller.openid } : {}),
  };
  const [{ rows, offset }, total, staff] = await Promise.all([
    tasksPage(tasksPipeline(ctx, where), input),
    countOf(tasksPipeline(ctx, where)),
    staffNames(ctx, c._id),
  ]);
  return {
    items: rows.map((t) =>
      taskView(t, t.room?.[0] ? roomLabel(t.room[0]) : t.roomId, t.arrearsFen),
    ),
    total,
    nextCursor: nextCursor(offset, rows.length, total),
    assignees: staff
      .filter((s) => s.roles.includes('service') || s.roles.includes('admin'))
      .map((s) => ({ openid: s.openid, name: s.name ?? '' })),
  };
};

export const assign: Handlers<typeof overdueContracts>['assign'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['service']);
  const staff = await staffNames(ctx, input.communityId);
  const who = staff.find((s) => s.openid === input.assignee);
  if (!who || !(who.roles.includes('service') || who.roles.includes('admin')))
    throw new AppError('INVALID_INPUT', 'assignee: 只能分派给本小区的客服人员');
  const task = await getInCommunity<TaskDoc>(
    ctx,
    'collection_tasks',
    input.communityId,
    input.taskId,
    'taskId: 任务不存在',
  );
  await ctx.db
    .collection('collection_tasks')
    .doc(task._id)
    .update({ data: { assignedTo: who.openid, assignedName: who.name ?? '' } });
  const r = await room(ctx, input.communityId, task.roomId);
  await audit(ctx, caller, {
    ...auditTarget('collectionCase', input.communityId, task.roomId, roomLabel(r)),
    action: 'overdue.assign',
    summary: `${TASK_KIND_TEXT[task.kind]}任务分派给 ${who.name ?? ''}`,
  });
  return taskView(
    { ...task, assignedTo: who.openid, assignedName: who.name ?? '' },
    roomLabel(r),
    0,
  );
};
