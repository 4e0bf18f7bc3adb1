/**
 * The notice function's records and views: a community's notice, its staff and owner views, the
 * caller's bindings and read receipts, and the printable poster.
 */
import { getDoc } from '../../../_shared/records';
import { noticePosterDoc } from '../../../../miniprogram/domain/overdue/rules';
import type { PrintDoc } from '../../../../miniprogram/domain/print/document';
import { formatPeriod, shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { fetchAll } from '../../../_shared/db';
import type { SignoffDoc } from '../../../_shared/signoffs';
import { type NoticeDoc } from '../../../_shared/notice-push';
import { loadCommunity } from '../../../_shared/remind';
import { ANY_STAFF, requireRole } from '../../../_shared/roles';
import { AppError, type ActionContext } from '../../../_shared/router';
import {
  type NoticeView,
  type OwnerNoticeItem,
} from '../../../../miniprogram/domain/notice/contract';

export const PAYMENT_METHOD_TEXT: Record<string, string> = {
  wechat: '微信小程序缴费',
  cash: '现金',
  card: '刷卡',
  transfer: '银行转账',
};

export async function community(ctx: ActionContext, communityId: string) {
  const c = await loadCommunity(ctx.db, communityId);
  if (!c) throw new AppError('NOT_FOUND', 'communityId: 小区不存在');
  return c;
}

export async function loadNotice(ctx: ActionContext, noticeId: string): Promise<NoticeDoc> {
  return getDoc<NoticeDoc>(ctx, 'notices', noticeId, 'noticeId: 通知不存在');
}

export async function readCount(ctx: ActionContext, noticeId: string): Promise<number> {
  const res = await ctx.db.collection('notice_reads').where({ noticeId }).count();
  return res.total;
}

/** A notice as staff see it, with who published it (from its sign-off). */
export function view(
  n: NoticeDoc,
  reads: number,
  signed: Pick<SignoffDoc, 'published'> | undefined,
): NoticeView {
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
    publishedByName: signed?.published?.byName ?? '',
    push: {
      status: n.push?.status ?? 'none',
      rooms: n.push?.rooms ?? 0,
      sent: n.push?.sent ?? 0,
    },
    readCount: reads,
    late: n.late ?? null,
  };
}

export async function readSet(
  ctx: ActionContext,
  openid: string,
  ids: string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const _ = ctx.db.command;
  const docs = await fetchAll<{ noticeId: string }>(
    ctx.db.collection('notice_reads').where({ openid, noticeId: _.in(ids) }),
  );
  return new Set(docs.map((d) => d.noticeId));
}

export function ownerItem(n: NoticeDoc, read: boolean): OwnerNoticeItem {
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
export async function posterOf(
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
    period: formatPeriod(n.period),
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
