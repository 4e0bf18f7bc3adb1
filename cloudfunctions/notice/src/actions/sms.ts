/**
 * A notice's SMS (docs/overdue.md, "Reaching every owner"): the list staff check, and texting the
 * rooms the notice has not reached yet (the push texts them by itself when SMS is on).
 */
import {
  OPEN_BILL_STATUSES,
  outstandingFen,
  type BillDoc,
} from '../../../../miniprogram/domain/fee/bill';
import { maskNumber, smsNumber } from '../../../../miniprogram/domain/notice/reach';
import { type noticeContracts, type SmsView } from '../../../../miniprogram/domain/notice/contract';
import { fetchAll } from '../../../_shared/db';
import { type DeliveryDoc } from '../../../_shared/notice-push';
import { ANY_STAFF, requireRole } from '../../../_shared/roles';
import { AppError, requireOpenid, type Handlers } from '../../../_shared/router';
import { insertMany } from '../../../_shared/contacts';
import { listPage } from '../../../_shared/paging';
import { flushSms, queueSms, smsOn, type SmsDoc } from '../../../_shared/sms';
import { community, loadNotice } from '../repo/notices';

/**
 * A notice's SMS, a page at a time (a notice to 20,000 rooms may text thousands): the failed
 * first (status order: failed, queued, sending, sent), then by room, sorted by the database.
 */
export const smsList: Handlers<typeof noticeContracts>['smsList'] = async (input, ctx) => {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const n = await loadNotice(ctx, input.noticeId);
  if (n.communityId !== input.communityId) throw new AppError('NOT_FOUND', 'noticeId: 通知不存在');
  const page = await listPage<SmsDoc, SmsView>(
    ctx,
    'sms_outbox',
    { communityId: n.communityId, refId: n._id },
    [
      ['status', 'asc'],
      ['roomLabel', 'asc'],
      ['_id', 'asc'],
    ],
    input,
    (docs) =>
      docs.map((d) => ({
        roomId: d.roomId,
        roomLabel: d.roomLabel,
        phones: d.phones.map(maskNumber),
        text: d.custom,
        status: d.status,
        reason: d.reason,
        attempts: d.attempts,
        sentAt: d.sentAt ? new Date(d.sentAt).toISOString() : null,
      })),
  );
  return { sms: page.items, nextCursor: page.nextCursor, total: page.total };
};

export const smsUnreached: Handlers<typeof noticeContracts>['smsUnreached'] = async (
  input,
  ctx,
) => {
  await requireRole(ctx, input.communityId, ['service']);
  const n = await loadNotice(ctx, input.noticeId);
  if (n.communityId !== input.communityId || n.kind !== 'payment' || !n.period)
    throw new AppError('NOT_FOUND', 'noticeId: 没有该缴费通知');
  const c = await community(ctx, input.communityId);
  if (!smsOn(c))
    throw new AppError('PRECONDITION_FAILED', '本小区未开通短信（设置中每日短信上限为 0）');
  const _ = ctx.db.command;
  const left = await fetchAll<DeliveryDoc>(
    ctx.db.collection('notice_deliveries').where({
      noticeId: n._id,
      outcome: _.in(['not-bound', 'no-subscription']),
    }),
  );
  const bills = await fetchAll<BillDoc>(
    ctx.db.collection('bills').where({
      communityId: n.communityId,
      period: n.period,
      status: _.in([...OPEN_BILL_STATUSES]),
    }),
  );
  const owed = new Map<string, number>();
  for (const b of bills) owed.set(b.roomId, (owed.get(b.roomId) ?? 0) + outstandingFen(b));
  const queued = await queueSms(
    ctx.db,
    c,
    left
      .filter((d) => (owed.get(d.roomId) ?? 0) > 0)
      .map((d) => ({
        roomId: d.roomId,
        roomLabel: d.roomLabel,
        refId: n._id,
        stage: 'notice',
        kind: 'notice' as const,
        period: n.period!,
        amountFen: owed.get(d.roomId)!,
        deadline: n.deadline,
        bound: d.outcome === 'no-subscription',
      })),
    ctx.now(),
  );
  const flushed = await flushSms(ctx.db, c, ctx.now(), Date.now() + 8_000);
  return { queued: queued.size, ...flushed };
};

/**
 * The owner's own choice of channel: the mobiles on record of the owners their verified bindings
 * matched; turning SMS off records them as opted out (as a T reply would), on removes that.
 */
export const smsChoice: Handlers<typeof noticeContracts>['smsChoice'] = async (input, ctx) => {
  const openid = requireOpenid(ctx);
  const _ = ctx.db.command;
  const bindings = await fetchAll<{ ownerId?: string | null }>(
    ctx.db.collection('room_bindings').where({ openid, status: 'verified' }),
  );
  const ownerIds = [...new Set(bindings.map((b) => b.ownerId).filter((o): o is string => !!o))];
  const owners = ownerIds.length
    ? await fetchAll<{ _id: string; communityId: string; mobile?: string }>(
        ctx.db.collection('owners').where({ _id: _.in(ownerIds) }),
      )
    : [];
  const numbers = new Map<string, string>();
  for (const o of owners) {
    const n = smsNumber(o.mobile);
    if (n) numbers.set(n, o.communityId);
  }
  if (numbers.size === 0) return { sms: false, available: false };
  const ids = [...numbers.keys()];
  if (input.sms === false) {
    await insertMany(
      ctx.db,
      'sms_optouts',
      ids.map((n) => ({ _id: n, communityId: numbers.get(n)!, at: ctx.now(), by: 'owner' })),
    );
  } else if (input.sms === true) {
    await ctx.db
      .collection('sms_optouts')
      .where({ _id: _.in(ids) })
      .remove();
  }
  const opted = await fetchAll<{ _id: string }>(
    ctx.db.collection('sms_optouts').where({ _id: _.in(ids) }),
  );
  return { sms: opted.length < ids.length, available: true };
};
