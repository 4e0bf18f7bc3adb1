/**
 * The community's complaint settings (deadlines, the progress template), read by staff and
 * changed by admins.
 */
import type { ComplaintSettingsView } from '../../../../miniprogram/domain/complaint/contract';
import { audit } from '../../../_shared/audit';
import { requireRole } from '../../../_shared/roles';
import { AppError } from '../../../_shared/router';
import { SERVICE, community, settingsOf } from '../repo/tickets';
import { staffWith } from '../repo/notify';
import type { Handlers } from '../../../_shared/router';
import type { complaintContracts } from '../../../../miniprogram/domain/complaint/contract';

export const getSettings: Handlers<typeof complaintContracts>['settings'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, SERVICE);
  return settingsOf(await community(ctx, input.communityId));
};

export const updateSettings: Handlers<typeof complaintContracts>['updateSettings'] = async (
  input,
  ctx,
) => {
  const caller = await requireRole(ctx, input.communityId, ['admin']);
  const before = settingsOf(await community(ctx, input.communityId));
  const problems: string[] = [];
  if (input.calendar && input.calendar.start >= input.calendar.end)
    problems.push('calendar.end: 下班时间须晚于上班时间');
  if (input.deadlines) {
    const cats = input.deadlines.map((d) => d.category);
    if (new Set(cats).size !== cats.length) problems.push('deadlines: 每个类别只能设置一次');
  }
  if (input.autoAssign) {
    const staff = await staffWith(ctx, input.communityId, SERVICE);
    for (const [cat, openid] of Object.entries(input.autoAssign)) {
      if (!staff.some((s) => s.openid === openid))
        problems.push(`autoAssign.${cat}: 该人员不是本小区的客服或管理员`);
    }
  }
  if (problems.length) throw new AppError('INVALID_INPUT', problems.join('; '));
  const next: ComplaintSettingsView = {
    communityId: input.communityId,
    deadlines: input.deadlines
      ? [
          ...input.deadlines,
          ...before.deadlines.filter(
            (d) => !input.deadlines!.some((n) => n.category === d.category),
          ),
        ]
      : before.deadlines,
    calendar: input.calendar ?? before.calendar,
    autoAssign: input.autoAssign ?? before.autoAssign,
  };
  const _ = ctx.db.command;
  await ctx.db
    .collection('communities')
    .doc(input.communityId)
    .update({
      data: {
        complaints: _.set({
          deadlines: next.deadlines,
          calendar: next.calendar,
          autoAssign: next.autoAssign,
        }),
      },
    });
  await audit(ctx, caller, {
    communityId: input.communityId,
    action: 'complaint.settings',
    targetType: 'community',
    targetId: input.communityId,
    summary: '修改投诉处理时限、工作时间或自动分派',
    before: { ...before },
    after: { ...next },
  });
  return next;
};
