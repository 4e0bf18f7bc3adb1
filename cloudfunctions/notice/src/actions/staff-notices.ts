/**
 * Staff's notice list and a notice's delivery report (who read it, how the push reached each room).
 */
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { OPEN_BILL_STATUSES } from '../../../../miniprogram/domain/fee/bill';
import { fetchAll } from '../../../_shared/db';
import {
  periodsWithoutNotice,
  type DeliveryDoc,
  type NoticeDoc,
} from '../../../_shared/notice-push';
import { roomNumbers, type SmsDoc } from '../../../_shared/sms';
import { type ReminderDoc } from '../../../_shared/remind';
import { ANY_STAFF, requireRole } from '../../../_shared/roles';
import { signoffsOf } from '../../../_shared/signoffs';
import { AppError, type ActionContext } from '../../../_shared/router';
import {
  type noticeContracts,
  type DeliveryOutcome,
  type DeliveryReport,
  type NoticeView,
} from '../../../../miniprogram/domain/notice/contract';
import type { Handlers } from '../../../_shared/router';
import { community, loadNotice, readCount, view } from '../repo/notices';
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
  const deliveries = await fetchAll<DeliveryDoc>(
    ctx.db.collection('notice_deliveries').where({ noticeId: n._id }),
  );
  const reminders = await fetchAll<ReminderDoc>(
    ctx.db.collection('reminders').where({ communityId: n.communityId, refId: n._id }),
  );
  const reads = await fetchAll<{ openid: string }>(
    ctx.db.collection('notice_reads').where({ noticeId: n._id }),
  );
  const texts = await smsOf(ctx, n);
  const readers = new Set(reads.map((r) => r.openid));
  const owing = await owingRooms(ctx, n);
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
    sms: 0,
    smsQueued: 0,
    printed: 0,
    callList: 0,
    unreachable: 0,
    settled: 0,
  };
  const unreached: DeliveryReport['unreached'] = [];
  const left: { d: DeliveryDoc; outcome: DeliveryOutcome; read: boolean; sms?: SmsDoc }[] = [];
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
    if (outcome !== 'no-subscription' && outcome !== 'not-bound') continue;
    // Not reached by WeChat: paid since, by SMS, on paper, or still to call.
    if (!owing.has(d.roomId)) {
      counts.settled++;
      continue;
    }
    const sms = texts.get(d.roomId);
    if (sms?.status === 'sent') counts.sms++;
    else if (d.printedAt) counts.printed++;
    else if (sms?.status === 'queued' || sms?.status === 'sending') counts.smsQueued++;
    else left.push({ d, outcome, read, sms });
    if (unreached.length < 200)
      unreached.push({
        roomId: d.roomId,
        roomLabel: d.roomLabel,
        outcome,
        read,
        channel: channelText(sms, d),
      });
  }
  // Still unreached: on the call list when there is a number to call, or only a visit helps.
  const callable = await roomNumbers(
    ctx.db,
    n.communityId,
    left.filter((l) => !l.sms).map((l) => l.d.roomId),
    shanghaiDate(ctx.now()),
  );
  for (const l of left) {
    if (l.sms || callable.has(l.d.roomId)) counts.callList++;
    else counts.unreachable++;
  }
  return { noticeId: n._id, title: n.title, counts, unreached, late: n.late ?? null };
};

/** Rooms that still owe for the notice's period. */
async function owingRooms(ctx: ActionContext, n: NoticeDoc): Promise<Set<string>> {
  if (!n.period) return new Set();
  const _ = ctx.db.command;
  const open = await fetchAll<{ roomId: string }>(
    ctx.db
      .collection('bills')
      .where({
        communityId: n.communityId,
        period: n.period,
        status: _.in([...OPEN_BILL_STATUSES]),
      })
      .field({ roomId: true }),
  );
  return new Set(open.map((b) => b.roomId));
}

export async function smsOf(ctx: ActionContext, n: NoticeDoc): Promise<Map<string, SmsDoc>> {
  const docs = await fetchAll<SmsDoc>(
    ctx.db.collection('sms_outbox').where({ communityId: n.communityId, refId: n._id }),
  );
  return new Map(docs.map((d) => [d.roomId, d]));
}

function channelText(sms: SmsDoc | undefined, d: DeliveryDoc): string {
  if (sms?.status === 'sent') return '短信已送达';
  if (d.printedAt) return '通知单已签收';
  if (sms?.status === 'failed') return `短信未送达：${sms.reason}`;
  if (sms) return sms.reason ? `短信待发：${sms.reason}` : '短信待发';
  return '待电话联系';
}

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
