/**
 * Owners' notices: the list for their communities, and one notice with their rooms' own amounts
 * (reading it records a read receipt).
 */
import { billsAsOf } from '../../../_shared/ledger/as-of';
import { roomLabel } from '../../../../miniprogram/domain/community/vocabulary';
import { outstandingFen, type BillDoc } from '../../../../miniprogram/domain/fee/bill';
import { fetchAll, isDuplicate } from '../../../_shared/db';
import { type NoticeDoc } from '../../../_shared/notice-push';
import { AppError, requireOpenid } from '../../../_shared/router';
import {
  type noticeContracts,
  type OwnerNoticeDetail,
} from '../../../../miniprogram/domain/notice/contract';
import { myVerifiedBindings } from '../../../_shared/bindings';
import type { Handlers } from '../../../_shared/router';
import { PAYMENT_METHOD_TEXT, community, loadNotice, ownerItem, readSet } from '../repo/notices';

export const mine: Handlers<typeof noticeContracts>['mine'] = async (_input, ctx) => {
  const openid = requireOpenid(ctx);
  const bindings = await myVerifiedBindings(ctx);
  const communityIds = [...new Set(bindings.map((b) => b.communityId))];
  if (communityIds.length === 0) return [];
  const _ = ctx.db.command;
  const res = await ctx.db
    .collection('notices')
    .where({ communityId: _.in(communityIds), status: 'published' })
    .orderBy('publishedAt', 'desc')
    .limit(50)
    .get();
  const list = res.data as NoticeDoc[];
  const read = await readSet(
    ctx,
    openid,
    list.map((n) => n._id),
  );
  return list.map((n) => ownerItem(n, read.has(n._id)));
};

export const detail: Handlers<typeof noticeContracts>['detail'] = async (input, ctx) => {
  const openid = requireOpenid(ctx);
  const bindings = await myVerifiedBindings(ctx);
  let n: NoticeDoc;
  try {
    n = await loadNotice(ctx, input.noticeId);
  } catch {
    throw new AppError('NOT_FOUND', '抱歉，该通知不存在或已撤回');
  }
  const mine = bindings.filter((b) => b.communityId === n.communityId);
  // Only notices of the caller's own communities, never another community's.
  if (n.status !== 'published' || mine.length === 0)
    throw new AppError('NOT_FOUND', '抱歉，该通知不存在或已撤回');
  const _ = ctx.db.command;
  const myRooms: OwnerNoticeDetail['myRooms'] = [];
  if (n.kind === 'payment' && n.period) {
    const roomIds = mine.map((b) => b.roomId);
    const rooms = await fetchAll<{ _id: string; building: string; unit: string; number: string }>(
      ctx.db.collection('rooms').where({ _id: _.in(roomIds) }),
    );
    const bills = await billsAsOf(
      ctx.db,
      await fetchAll<BillDoc>(
        ctx.db
          .collection('bills')
          .where({ roomId: _.in(roomIds), period: n.period, status: _.neq('void') }),
      ),
    );
    for (const r of rooms) {
      const amountFen = bills
        .filter((b) => b.roomId === r._id)
        .reduce((s, b) => s + outstandingFen(b), 0);
      myRooms.push({ roomId: r._id, roomLabel: roomLabel(r), amountFen });
    }
    myRooms.sort((a, b) => a.roomLabel.localeCompare(b.roomLabel, 'zh'));
  }
  // Read receipt: the first read counts; reading again changes nothing.
  try {
    await ctx.db.collection('notice_reads').add({
      data: {
        _id: `${n._id}:${openid}`,
        noticeId: n._id,
        communityId: n.communityId,
        openid,
        readAt: ctx.now(),
      },
    });
  } catch (e) {
    if (!isDuplicate(e)) throw e;
  }
  const c = await community(ctx, n.communityId);
  return {
    ...ownerItem(n, true),
    communityName: c.name,
    period: n.period ?? null,
    deadline: n.deadline ?? null,
    amountBasis: n.amountBasis ?? '',
    methods: (n.methods ?? []).map((m) => PAYMENT_METHOD_TEXT[m] ?? m),
    frontDesk: n.frontDesk ?? c.frontDesk ?? '',
    serviceHours: n.serviceHours ?? c.serviceHours ?? '',
    lateFeePolicy: n.lateFeePolicy ?? null,
    contactPhone: n.contactPhone ?? c.servicePhone ?? '',
    body: n.body ?? n.summary,
    myRooms,
  };
};
