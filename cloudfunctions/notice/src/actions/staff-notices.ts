/**
 * Staff's notice list and a notice's delivery report (who read it, how the push reached each room).
 */
import { fetchAll } from '../../../_shared/db';
import { type DeliveryDoc, type NoticeDoc } from '../../../_shared/notice-push';
import { type ReminderDoc } from '../../../_shared/remind';
import { ANY_STAFF, requireRole } from '../../../_shared/roles';
import { signoffsOf } from '../../../_shared/signoffs';
import { AppError } from '../../../_shared/router';
import {
  type noticeContracts,
  type DeliveryReport,
  type NoticeView,
} from '../../../../miniprogram/domain/notice/contract';
import type { Handlers } from '../../../_shared/router';
import { loadNotice, readCount, view } from '../repo/notices';

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
  const deliveries = await fetchAll<DeliveryDoc>(
    ctx.db.collection('notice_deliveries').where({ noticeId: n._id }),
  );
  const reminders = await fetchAll<ReminderDoc>(
    ctx.db.collection('reminders').where({ communityId: n.communityId, refId: n._id }),
  );
  const reads = await fetchAll<{ openid: string }>(
    ctx.db.collection('notice_reads').where({ noticeId: n._id }),
  );
  const readers = new Set(reads.map((r) => r.openid));
  const byRoom = new Map<string, ReminderDoc[]>();
  for (const r of reminders) byRoom.set(r.roomId, [...(byRoom.get(r.roomId) ?? []), r]);
  const counts: DeliveryReport['counts'] = {
    rooms: deliveries.length,
    wechat: 0,
    read: 0,
    noSubscription: 0,
    notBound: 0,
    pending: 0,
    paid: 0,
  };
  const unreached: DeliveryReport['unreached'] = [];
  for (const d of deliveries) {
    // The outcome now: a reminder that waited for the quiet hours may have gone out since.
    const rs = byRoom.get(d.roomId) ?? [];
    let outcome = d.outcome;
    if (rs.some((r) => r.status === 'sent')) outcome = 'wechat';
    else if (rs.some((r) => r.status === 'pending' || r.status === 'sending'))
      outcome = 'quiet-pending';
    else if (outcome === 'wechat' || outcome === 'quiet-pending') outcome = 'no-subscription';
    const read = d.openids.some((o) => readers.has(o));
    if (read) counts.read++;
    if (outcome === 'wechat') counts.wechat++;
    else if (outcome === 'no-subscription') counts.noSubscription++;
    else if (outcome === 'not-bound') counts.notBound++;
    else if (outcome === 'quiet-pending') counts.pending++;
    else counts.paid++;
    if ((outcome === 'no-subscription' || outcome === 'not-bound') && unreached.length < 200)
      unreached.push({ roomId: d.roomId, roomLabel: d.roomLabel, outcome, read });
  }
  return { noticeId: n._id, title: n.title, counts, unreached };
};
