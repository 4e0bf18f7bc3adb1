/**
 * Staff's notice list and a notice's delivery report (who read it, how the push reached each room).
 */
import { periodsWithoutNotice, type NoticeDoc } from '../../../_shared/notice-push';
import { ANY_STAFF, requireRole } from '../../../_shared/roles';
import { signoffsOf } from '../../../_shared/signoffs';
import { AppError } from '../../../_shared/router';
import {
  type noticeContracts,
  type NoticeView,
} from '../../../../miniprogram/domain/notice/contract';
import type { Handlers } from '../../../_shared/router';
import { community, loadNotice, readCount, view } from '../repo/notices';
import { deliveryReport } from '../repo/reach-report';
import { DEFAULT_SETTINGS } from '../../../../miniprogram/domain/settings/defaults';

export const staffList: Handlers<typeof noticeContracts>['staffList'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const res = await ctx.db
    .collection('notices')
    .where({ communityId: input.communityId })
    .orderBy('publishedAt', 'desc')
    .limit(50)
    .get();
  const notices = res.data as NoticeDoc[];
  const signed = await signoffsOf(
    ctx.db,
    'notices',
    notices.map((n) => n._id),
  );
  const out: NoticeView[] = [];
  for (const n of notices) out.push(view(n, await readCount(ctx, n._id), signed.get(n._id)));
  return out;
};

export const report: Handlers<typeof noticeContracts>['report'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const n = await loadNotice(ctx, input.noticeId);
  if (n.communityId !== input.communityId) throw new AppError('NOT_FOUND', 'noticeId: 通知不存在');
  const r = await deliveryReport(ctx, n, input);
  return { noticeId: n._id, title: n.title, ...r, late: n.late ?? null };
};

export const missing: Handlers<typeof noticeContracts>['missing'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const periods = await periodsWithoutNotice(ctx.db, input.communityId, ctx.now());
  const res = await ctx.db
    .collection('staff_reminders')
    .where({ communityId: input.communityId, kind: 'notice-missing' })
    .orderBy('at', 'desc')
    .limit(1)
    .get();
  const last = res.data[0] as { at: Date } | undefined;
  const c = await community(ctx, input.communityId);
  return {
    periods,
    remindedAt: last ? new Date(last.at).toISOString() : null,
    leadDays: c.noticeLeadDays ?? DEFAULT_SETTINGS.noticeLeadDays,
  };
};
