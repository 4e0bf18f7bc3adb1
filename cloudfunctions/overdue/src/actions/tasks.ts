/**
 * The contact list (calls, visits, letters) and assigning a task to a service colleague.
 */
import { getInCommunity } from '../../../_shared/records';
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import { outstandingFen } from '../../../../miniprogram/domain/fee/bill';
import { type overdueContracts } from '../../../../miniprogram/domain/overdue/contract';
import { audit, auditTarget } from '../../../_shared/audit';
import { TASK_KIND_TEXT, type TaskDoc } from '../../../_shared/contacts';
import { fetchAll } from '../../../_shared/db';
import { requireRole } from '../../../_shared/roles';
import { AppError } from '../../../_shared/router';
import type { Handlers } from '../../../_shared/router';
import type { RoomDoc } from '../../../_shared/records';
import { community, openBills, room, staffNames, taskView } from '../repo/cases';

export const tasks: Handlers<typeof overdueContracts>['tasks'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, ['service']);
  const c = await community(ctx, input.communityId);
  const where: Record<string, unknown> = { communityId: c._id, status: input.status };
  if (input.mine) where.assignedTo = caller.openid;
  const docs = await fetchAll<TaskDoc>(ctx.db.collection('collection_tasks').where(where));
  const roomIds = [...new Set(docs.map((d) => d.roomId))];
  const _ = ctx.db.command;
  const labels = new Map<string, string>();
  for (let i = 0; i < roomIds.length; i += 500) {
    for (const r of await fetchAll<RoomDoc>(
      ctx.db.collection('rooms').where({ _id: _.in(roomIds.slice(i, i + 500)) }),
    ))
      labels.set(r._id, roomLabel(r));
  }
  const arrears = new Map<string, number>();
  for (const b of await openBills(ctx, c._id, roomIds))
    arrears.set(b.roomId, (arrears.get(b.roomId) ?? 0) + outstandingFen(b));
  const order: Record<string, number> = { visit: 0, letter: 1, call: 2 };
  const items = docs
    .map((t) => taskView(t, labels.get(t.roomId) ?? t.roomId, arrears.get(t.roomId) ?? 0))
    // A contact about a room that has since paid in full is no longer needed.
    .filter((t) => input.status === 'done' || t.arrearsFen > 0)
    .sort(
      (a, b) =>
        (order[a.kind] ?? 9) - (order[b.kind] ?? 9) ||
        b.arrearsFen - a.arrearsFen ||
        a.roomLabel.localeCompare(b.roomLabel, 'zh'),
    );
  const staff = await staffNames(ctx, c._id);
  return {
    items,
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
