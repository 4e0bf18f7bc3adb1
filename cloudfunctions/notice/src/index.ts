/**
 * notice: payment notices (缴费通知) — staff publish one per period from the template fields
 * (period, amount basis, payment methods and where, deadline, the contract's late-fee policy,
 * contact phone); it shows in the mini-program with read receipts, prints as a poster, and is
 * pushed to each owner with their own amount (the push runs in chunks and the `overdue` timer
 * finishes it). Owners record their subscribe consent here as one-time credits. docs/overdue.md.
 */
import { roomLabel } from '../../../miniprogram/domain/community/vocabulary';
import { noticePosterDoc, noticeSummary } from '../../../miniprogram/domain/overdue/rules';
import type { PrintDoc } from '../../../miniprogram/domain/print/document';
import { outstandingFen, type BillDoc } from '../../../miniprogram/domain/fee/bill';
import { shanghaiDate } from '../../../miniprogram/domain/kernel/time';
import { audit } from '../../_shared/audit';
import { fetchAll, isDuplicate, isMissing } from '../../_shared/db';
import { stableId } from '../../_shared/ids';

import { printToCloud } from '../../_shared/print-file';
import { pushNotice, type DeliveryDoc, type NoticeDoc } from '../../_shared/notice-push';
import { creditsOf, loadCommunity, recordConsent, type ReminderDoc } from '../../_shared/remind';
import { ANY_STAFF, requireRole } from '../../_shared/roles';
import { AppError, createRouter, requireOpenid, type ActionContext } from '../../_shared/router';
import {
  noticeContracts,
  type DeliveryReport,
  type NoticeView,
  type OwnerNoticeDetail,
  type OwnerNoticeItem,
} from '../../../miniprogram/domain/notice/contract';

const PAYMENT_METHOD_TEXT: Record<string, string> = {
  wechat: '微信小程序缴费',
  cash: '现金',
  card: '刷卡',
  transfer: '银行转账',
};

async function community(ctx: ActionContext, communityId: string) {
  const c = await loadCommunity(ctx.db, communityId);
  if (!c) throw new AppError('NOT_FOUND', 'communityId: 小区不存在');
  return c;
}

async function loadNotice(ctx: ActionContext, noticeId: string): Promise<NoticeDoc> {
  try {
    return (await ctx.db.collection('notices').doc(noticeId).get()).data as NoticeDoc;
  } catch (e) {
    if (isMissing(e)) throw new AppError('NOT_FOUND', 'noticeId: 通知不存在');
    throw e;
  }
}

async function readCount(ctx: ActionContext, noticeId: string): Promise<number> {
  const res = await ctx.db.collection('notice_reads').where({ noticeId }).count();
  return res.total;
}

function view(n: NoticeDoc, reads: number): NoticeView {
  return {
    noticeId: n._id,
    communityId: n.communityId,
    kind: n.kind ?? 'general',
    title: n.title,
    summary: n.summary,
    period: n.period ?? null,
    deadline: n.deadline ?? null,
    amountBasis: n.amountBasis ?? '',
    methods: n.methods ?? [],
    frontDesk: n.frontDesk ?? '',
    serviceHours: n.serviceHours ?? '',
    lateFeePolicy: n.lateFeePolicy ?? null,
    contactPhone: n.contactPhone ?? '',
    body: n.body ?? n.summary,
    publishedAt: new Date(n.publishedAt).toISOString(),
    publishedByName: n.publishedByName ?? '',
    push: {
      status: n.push?.status ?? 'none',
      rooms: n.push?.rooms ?? 0,
      sent: n.push?.sent ?? 0,
    },
    readCount: reads,
  };
}

interface BindingDoc {
  roomId: string;
  openid: string;
  communityId: string;
  status: string;
}

async function myBindings(ctx: ActionContext): Promise<BindingDoc[]> {
  const openid = requireOpenid(ctx);
  return fetchAll<BindingDoc>(
    ctx.db.collection('room_bindings').where({ openid, status: 'verified' }),
  );
}

async function readSet(ctx: ActionContext, openid: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const _ = ctx.db.command;
  const docs = await fetchAll<{ noticeId: string }>(
    ctx.db.collection('notice_reads').where({ openid, noticeId: _.in(ids) }),
  );
  return new Set(docs.map((d) => d.noticeId));
}

function ownerItem(n: NoticeDoc, read: boolean): OwnerNoticeItem {
  return {
    noticeId: n._id,
    title: n.title,
    summary: n.summary,
    publishedAt: new Date(n.publishedAt).toISOString(),
    read,
    kind: n.kind ?? 'general',
  };
}

/** A published payment notice as a poster for the bulletin board (staff of the community). */
async function posterOf(
  ctx: ActionContext,
  input: { communityId: string; noticeId: string },
): Promise<PrintDoc> {
  await requireRole(ctx, input.communityId, ANY_STAFF);
  const n = await loadNotice(ctx, input.noticeId);
  if (n.communityId !== input.communityId || n.kind !== 'payment' || !n.period || !n.deadline)
    throw new AppError('NOT_FOUND', 'noticeId: 没有该缴费通知');
  const c = await community(ctx, input.communityId);
  return noticePosterDoc({
    communityName: c.name,
    title: n.title,
    period: `${n.period.replace('-', '年')}月`,
    amountBasis: n.amountBasis ?? '',
    methods: (n.methods ?? []).map((m) => PAYMENT_METHOD_TEXT[m] ?? m),
    frontDesk: n.frontDesk ?? '',
    serviceHours: n.serviceHours ?? '',
    deadline: n.deadline,
    lateFeePolicy: n.lateFeePolicy ?? null,
    contactPhone: n.contactPhone ?? '',
    body: n.body ?? n.summary,
    publishedOn: shanghaiDate(new Date(n.publishedAt)),
  });
}

export const main = createRouter('notice', noticeContracts, {
  async publish(input, ctx) {
    const caller = await requireRole(ctx, input.communityId, ['service']);
    const c = await community(ctx, input.communityId);
    if (input.deadline < shanghaiDate(ctx.now())) {
      throw new AppError('INVALID_INPUT', 'deadline: 缴费截止日期不能早于今天');
    }
    const _id = stableId('notice', input.communityId, 'payment', input.period);
    const methods = input.methods;
    const doc: Omit<NoticeDoc, '_id'> = {
      communityId: input.communityId,
      kind: 'payment',
      title: input.title ?? `${input.period.replace('-', '年')}月物业费缴费通知`,
      summary: noticeSummary({ period: input.period, deadline: input.deadline, body: input.body }),
      period: input.period,
      deadline: input.deadline,
      amountBasis: input.amountBasis,
      methods,
      frontDesk: c.frontDesk ?? '',
      serviceHours: c.serviceHours ?? '',
      lateFeePolicy: input.lateFeePolicy,
      contactPhone: input.contactPhone ?? c.servicePhone ?? '',
      body: input.body,
      status: 'published',
      publishedAt: ctx.now(),
      publishedBy: caller.openid,
      publishedByName: caller.name,
      push: { status: 'running', cursor: '', rooms: 0, sent: 0 },
    };
    // The poster text is checked here too: never a threat to cut utilities (art. 944).
    try {
      noticePosterDoc({
        communityName: c.name,
        title: doc.title,
        period: input.period,
        amountBasis: input.amountBasis,
        methods,
        frontDesk: doc.frontDesk ?? '',
        serviceHours: doc.serviceHours ?? '',
        deadline: input.deadline,
        lateFeePolicy: input.lateFeePolicy,
        contactPhone: doc.contactPhone ?? '',
        body: input.body,
        publishedOn: shanghaiDate(ctx.now()),
      });
    } catch (e) {
      throw new AppError('INVALID_INPUT', `body: ${(e as Error).message}`);
    }
    try {
      await ctx.db.collection('notices').add({ data: { _id, ...doc } });
    } catch (e) {
      if (isDuplicate(e))
        throw new AppError('CONFLICT', `period: ${input.period} 的缴费通知已发布，请勿重复发布`);
      throw e;
    }
    await audit(ctx, caller, {
      communityId: input.communityId,
      action: 'notice.publish',
      targetType: 'notice',
      targetId: _id,
      targetLabel: doc.title,
      summary: `发布缴费通知：${doc.title}，截止 ${input.deadline}`,
      after: { period: input.period, deadline: input.deadline, methods },
    });
    const notice = { _id, ...doc } as NoticeDoc;
    // Push what fits in this call; the overdue timer finishes the rest (and after quiet hours).
    notice.push = await pushNotice(ctx.db, c, notice, ctx.now(), Date.now() + 8_000);
    return view(notice, 0);
  },

  async staffList(input, ctx) {
    await requireRole(ctx, input.communityId, ANY_STAFF);
    const res = await ctx.db
      .collection('notices')
      .where({ communityId: input.communityId })
      .orderBy('publishedAt', 'desc')
      .limit(50)
      .get();
    const out: NoticeView[] = [];
    for (const n of res.data as NoticeDoc[]) out.push(view(n, await readCount(ctx, n._id)));
    return out;
  },

  async report(input, ctx) {
    await requireRole(ctx, input.communityId, ANY_STAFF);
    const n = await loadNotice(ctx, input.noticeId);
    if (n.communityId !== input.communityId)
      throw new AppError('NOT_FOUND', 'noticeId: 通知不存在');
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
  },

  async poster(input, ctx): Promise<PrintDoc> {
    return posterOf(ctx, input);
  },

  async posterPdf(input, ctx) {
    const doc = await posterOf(ctx, input);
    return printToCloud(
      doc,
      `exports/${input.communityId}/notice-${input.noticeId}.pdf`,
      ctx.now(),
    );
  },

  async mine(_input, ctx) {
    const openid = requireOpenid(ctx);
    const bindings = await myBindings(ctx);
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
  },

  async detail(input, ctx): Promise<OwnerNoticeDetail> {
    const openid = requireOpenid(ctx);
    const bindings = await myBindings(ctx);
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
      const bills = await fetchAll<BillDoc>(
        ctx.db
          .collection('bills')
          .where({ roomId: _.in(roomIds), period: n.period, status: _.neq('void') }),
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
  },

  async consent(input, ctx) {
    const openid = requireOpenid(ctx);
    const credits = await recordConsent(ctx.db, openid, input.results, input.trigger, ctx.now());
    return { credits };
  },

  async credits(_input, ctx) {
    const openid = requireOpenid(ctx);
    return { credits: await creditsOf(ctx.db, openid) };
  },
});
