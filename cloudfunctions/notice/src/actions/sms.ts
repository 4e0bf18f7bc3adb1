/**
 * A notice's SMS (docs/overdue.md, "Reaching every owner"): the list staff check, and texting the
 * rooms the notice has not reached yet (the push texts them by itself when SMS is on).
 */
import { maskNumber, smsNumber } from '../../../../miniprogram/domain/notice/reach';
import { type noticeContracts, type SmsView } from '../../../../miniprogram/domain/notice/contract';
import { fetchAll } from '../../../_shared/db';
import { ANY_STAFF, requireRole } from '../../../_shared/roles';
import { AppError, requireOpenid, type Handlers } from '../../../_shared/router';
import { insertMany } from '../../../_shared/contacts';
import { listPage, READ_PAGE } from '../../../_shared/paging';
import { flushSms, queueSms, smsOn, type SmsDoc } from '../../../_shared/sms';
import { community, loadNotice } from '../repo/notices';
import { owingUnreached } from '../repo/reach-report';

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
  // A page of the rooms still owing at a time: the whole period's open bills never in memory.
  let queued = 0;
  for (let offset = 0; ; offset += READ_PAGE) {
    const rooms = await owingUnreached(ctx, n, offset);
    const page = await queueSms(
      ctx.db,
      c,
      rooms.map((d) => ({
        roomId: d.roomId,
        roomLabel: d.roomLabel,
        refId: n._id,
        stage: 'notice',
        kind: 'notice' as const,
        period: n.period!,
        amountFen: d.owedFen,
        deadline: n.deadline,
        bound: d.outcome === 'no-subscription',
      })),
      ctx.now(),
    );
    queued += page.size;
    if (rooms.length < READ_PAGE) break;
  }
  const flushed = await flushSms(ctx.db, c, ctx.now(), Date.now() + 8_000);
  return { queued, ...flushed };
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
