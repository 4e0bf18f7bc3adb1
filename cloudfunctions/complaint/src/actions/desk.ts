/**
 * Staff side: the desk of open tickets sorted by deadline, assignment, replies and internal
 * notes, status changes and the return visit. Service staff see tickets assigned to them and
 * unassigned ones; admins see every ticket of the community.
 */
import {
  CATEGORY_LABELS,
  OPEN_STATUSES,
  STATUS_LABELS,
  canMoveTo,
} from '../../../../miniprogram/domain/complaint/rules';
import { audit } from '../../../_shared/audit';
import type { DB } from 'wx-server-sdk';
import { escapeRegExp } from '../../../_shared/db';
import { decodeCursor, nextCursor } from '../../../_shared/paging';
import { requireRole, type StaffCaller } from '../../../_shared/roles';
import { AppError, type ActionContext } from '../../../_shared/router';
import {
  SERVICE,
  SUMMARY_FIELDS,
  TICKETS,
  type TicketDoc,
  breachKey,
  event,
  loadTicket,
  staffSummary,
  staffView,
  updateTicket,
  ticketTarget,
} from '../repo/tickets';
import { notifyProgress, notifyStaff, staffWith } from '../repo/notify';
import { releaseTicketHold } from '../repo/ticket-holds';
import type { Handlers } from '../../../_shared/router';
import type { complaintContracts } from '../../../../miniprogram/domain/complaint/contract';

export function isAdmin(caller: StaffCaller): boolean {
  return caller.roles.includes('admin');
}

export function canSee(caller: StaffCaller, t: TicketDoc): boolean {
  return isAdmin(caller) || t.handler === null || t.handler === caller.openid;
}

export function who(caller: StaffCaller) {
  return { by: 'staff' as const, openid: caller.openid, name: caller.name || '物业客服' };
}

/** A ticket of this community the caller may work on; otherwise not found. */
export async function staffTicket(
  ctx: ActionContext,
  caller: StaffCaller,
  ticketId: string,
): Promise<TicketDoc> {
  const t = await loadTicket(ctx, ticketId);
  if (t.communityId !== caller.communityId || !canSee(caller, t))
    throw new AppError('NOT_FOUND', 'ticketId: 未找到该工单');
  return t;
}

/**
 * Fields a visible staff action sets: the first response of this episode (its minutes once, for
 * the dashboard) and a breach recorded at once when the answer came late.
 */
export function responseFields(t: TicketDoc, now: Date): Record<string, unknown> {
  const start = new Date(t.clockStartAt);
  const data: Record<string, unknown> = {};
  if (!t.firstResponseAt || new Date(t.firstResponseAt) < start) {
    data.firstResponseAt = now;
    if (t.firstResponseMinutes === null)
      data.firstResponseMinutes = Math.round(
        (now.getTime() - new Date(t.createdAt).getTime()) / 60_000,
      );
    if (now > new Date(t.firstResponseDueAt))
      data.breachKeys = withKey(t.breachKeys, breachKey(t, 'first-response'));
  }
  return data;
}

export function withKey(keys: readonly string[], key: string): string[] {
  return keys.includes(key) ? [...keys] : [...keys, key];
}

/** A staff change met a ticket that moved meanwhile. */
const CHANGED = '工单刚刚有更新，请刷新后再试';

type DeskInput = Parameters<Handlers<typeof complaintContracts>['desk']>[0];

/**
 * The desk's conditions but the deadline filter, as parts of one `and`: the filters, what the
 * caller may see (service staff: their own and unassigned tickets) and the keyword (in the
 * number, room or description, case-insensitive) — all answered by the database.
 */
function deskConditions(ctx: ActionContext, caller: StaffCaller, input: DeskInput) {
  const _ = ctx.db.command;
  const where: Record<string, unknown> = { communityId: input.communityId };
  if (input.scope === 'open') where.deskRank = 0;
  else if (input.scope !== 'all') where.status = input.scope;
  if (input.category) where.category = input.category;
  const parts: object[] = [where];
  if (input.handler === 'me') parts.push({ handler: caller.openid });
  else if (input.handler === 'unassigned') parts.push({ handler: null });
  else if (input.handler) parts.push({ handler: input.handler });
  if (!isAdmin(caller)) parts.push({ handler: _.in([null, caller.openid]) });
  if (input.keyword) {
    const re = ctx.db.RegExp({ regexp: escapeRegExp(input.keyword), options: 'i' });
    parts.push(_.or([{ ticketNo: re }, { roomLabel: re }, { description: re }]));
  }
  return parts;
}

/** Open tickets whose current deadline is near, or past, at `now` (see desk-order.ts). */
function deadlineCondition(ctx: ActionContext, state: 'near' | 'breached', now: Date) {
  const _ = ctx.db.command;
  return state === 'near'
    ? { deskRank: 0, nearAt: _.lte(now), deadlineAt: _.gte(now) }
    : { deskRank: 0, deadlineAt: _.lt(now) };
}

const NO_COUNTS = { open: 0, near: 0, breached: 0, unassigned: 0 };

/**
 * A page of the desk. The database sorts (by the desk order stored on each ticket), pages and
 * counts: one read of the page and at most five counts, whatever the number of tickets.
 */
export const desk: Handlers<typeof complaintContracts>['desk'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, SERVICE);
  const _ = ctx.db.command;
  const now = ctx.now();
  const tickets = ctx.db.collection(TICKETS);
  const parts = deskConditions(ctx, caller, input);
  const where = (extra?: object) =>
    _.and(extra ? [...parts, extra] : parts) as unknown as DB.QueryCondition;
  const count = (extra?: object) =>
    tickets
      .where(where(extra))
      .count()
      .then((r) => r.total);
  const offset = decodeCursor(input.cursor);
  // Counts are of open tickets: none under 已解决 / 已关闭.
  const counted =
    input.scope === 'open' || input.scope === 'all'
      ? Promise.all([
          count({ deskRank: 0 }),
          count(deadlineCondition(ctx, 'near', now)),
          count(deadlineCondition(ctx, 'breached', now)),
          count({ deskRank: 0, handler: null }),
        ]).then(([open, near, breached, unassigned]) => ({ open, near, breached, unassigned }))
      : Promise.resolve(NO_COUNTS);
  const [page, counts, all, staff] = await Promise.all([
    tickets
      .where(where(input.deadline ? deadlineCondition(ctx, input.deadline, now) : undefined))
      .orderBy('deskRank', 'asc')
      .orderBy('deadlineAt', 'asc')
      .orderBy('updatedAt', 'desc')
      .orderBy('ticketNo', 'asc')
      .field(SUMMARY_FIELDS)
      .skip(offset)
      .limit(input.limit)
      .get(),
    counted,
    // The total is one of the counts except for a list of finished tickets or of all.
    input.deadline || input.scope === 'open' ? null : count(),
    staffWith(ctx, input.communityId, SERVICE),
  ]);
  const total = input.deadline ? counts[input.deadline] : (all ?? counts.open);
  const docs = page.data as TicketDoc[];
  return {
    items: docs.map((t) => staffSummary(t, now)),
    nextCursor: nextCursor(offset, docs.length, total),
    total,
    handlers: staff.map((s) => ({ openid: s.openid, name: s.name || '工作人员' })),
    counts,
    isAdmin: isAdmin(caller),
  };
};

export const staffDetail: Handlers<typeof complaintContracts>['staffDetail'] = async (
  input,
  ctx,
) => {
  const caller = await requireRole(ctx, input.communityId, SERVICE);
  return staffView(ctx, await staffTicket(ctx, caller, input.ticketId));
};

export const assign: Handlers<typeof complaintContracts>['assign'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, SERVICE);
  const t = await staffTicket(ctx, caller, input.ticketId);
  if (!isAdmin(caller) && input.handler !== caller.openid)
    throw new AppError('FORBIDDEN', '抱歉，只有管理员可以把工单分派给他人；您可以认领给自己');
  if (!OPEN_STATUSES.includes(t.status))
    throw new AppError('PRECONDITION_FAILED', '工单已解决或关闭，无需再分派');
  const staff = await staffWith(ctx, input.communityId, SERVICE);
  const target = staff.find((s) => s.openid === input.handler);
  if (!target) throw new AppError('INVALID_INPUT', 'handler: 该人员不是本小区的客服或管理员');
  const _ = ctx.db.command;
  const name = target.name || '工作人员';
  const after = await updateTicket(
    ctx,
    t,
    OPEN_STATUSES,
    {
      handler: target.openid,
      handlerName: name,
      events: _.push([
        event(ctx.now(), 'assign', who(caller), `分派给 ${name}`, { internal: true }),
      ]),
    },
    CHANGED,
  );
  await audit(ctx, caller, {
    ...ticketTarget(t),
    action: 'complaint.assign',
    summary: `分派工单给 ${name}`,
    before: { handlerName: t.handlerName },
    after: { handlerName: name },
  });
  if (target.openid !== caller.openid)
    await notifyStaff(
      ctx,
      [target.openid],
      after,
      'complaint-assigned',
      `新工单 ${after.ticketNo}`,
      `${after.roomLabel} ${CATEGORY_LABELS[after.category]}，请及时处理`,
    );
  return staffView(ctx, after);
};

export const reply: Handlers<typeof complaintContracts>['reply'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, SERVICE);
  const t = await staffTicket(ctx, caller, input.ticketId);
  if (t.status === 'closed' && !input.internal)
    throw new AppError('PRECONDITION_FAILED', '工单已关闭；回访请使用“记录回访”');
  const _ = ctx.db.command;
  const now = ctx.now();
  const data: Record<string, unknown> = {
    events: _.push([
      event(now, input.internal ? 'note' : 'reply', who(caller), input.text, {
        internal: input.internal,
      }),
    ]),
  };
  if (!input.internal) Object.assign(data, responseFields(t, now));
  const after = await updateTicket(ctx, t, [...OPEN_STATUSES, 'resolved', 'closed'], data, CHANGED);
  await audit(ctx, caller, {
    ...ticketTarget(t),
    action: input.internal ? 'complaint.note' : 'complaint.reply',
    summary: input.internal ? '添加内部备注' : '回复业主',
  });
  if (!input.internal) await notifyProgress(ctx, after, `客服回复：${input.text}`);
  return staffView(ctx, after);
};

export const setStatus: Handlers<typeof complaintContracts>['setStatus'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, SERVICE);
  const t = await staffTicket(ctx, caller, input.ticketId);
  if (!canMoveTo(t.status, input.status))
    throw new AppError(
      'PRECONDITION_FAILED',
      `工单当前为“${STATUS_LABELS[t.status]}”，不能改为“${STATUS_LABELS[input.status]}”`,
    );
  if (input.status === 'resolved' && !input.note)
    throw new AppError('INVALID_INPUT', 'note: 请写明处理结果，业主会看到');
  if (input.status === 'closed' && t.status !== 'resolved')
    throw new AppError('PRECONDITION_FAILED', '请先将工单标记为已解决，再关闭');
  const _ = ctx.db.command;
  const now = ctx.now();
  const label = STATUS_LABELS[input.status];
  const data: Record<string, unknown> = {
    status: input.status,
    ...responseFields(t, now),
  };
  // Taking a ticket in hand makes the person who did it the handler when nobody is.
  if (t.handler === null && input.status !== 'closed') {
    data.handler = caller.openid;
    data.handlerName = caller.name || '工作人员';
  }
  if (input.status === 'resolved') {
    data.resolvedAt = now;
    data.resolutionMinutes = Math.round((now.getTime() - new Date(t.createdAt).getTime()) / 60_000);
    if (now > new Date(t.resolutionDueAt)) {
      data.breachKeys = withKey(
        (data.breachKeys as string[] | undefined) ?? t.breachKeys,
        breachKey(t, 'resolution'),
      );
    }
  }
  if (input.status === 'closed') data.closedAt = now;
  data.events = _.push([
    event(now, 'status', who(caller), input.note ? `${label}：${input.note}` : `工单${label}`, {
      status: input.status,
    }),
  ]);
  const after = await updateTicket(ctx, t, [t.status], data, CHANGED);
  if (input.status === 'resolved' || input.status === 'closed') await releaseTicketHold(ctx, after);
  await audit(ctx, caller, {
    ...ticketTarget(t),
    action: 'complaint.status',
    summary: `工单状态：${STATUS_LABELS[t.status]} → ${label}`,
    before: { status: t.status },
    after: { status: input.status },
  });
  const headline =
    input.status === 'resolved'
      ? `已解决：${input.note}。如仍有问题，7 天内可申请重新处理`
      : input.note || `您的工单${label}`;
  await notifyProgress(ctx, after, headline);
  return staffView(ctx, await loadTicket(ctx, t._id));
};

export const returnVisit: Handlers<typeof complaintContracts>['returnVisit'] = async (
  input,
  ctx,
) => {
  const caller = await requireRole(ctx, input.communityId, SERVICE);
  const t = await staffTicket(ctx, caller, input.ticketId);
  if (t.status !== 'closed') throw new AppError('PRECONDITION_FAILED', '工单关闭后才能记录回访');
  const _ = ctx.db.command;
  const now = ctx.now();
  const METHOD = { phone: '电话', visit: '上门', wechat: '微信' } as const;
  const after = await updateTicket(
    ctx,
    t,
    ['closed'],
    {
      returnVisit: {
        at: now,
        by: caller.openid,
        byName: caller.name || '工作人员',
        method: input.method,
        satisfied: input.satisfied,
        feedback: input.feedback,
      },
      events: _.push([
        event(
          now,
          'visit',
          who(caller),
          `${METHOD[input.method]}回访（${input.satisfied ? '满意' : '不满意'}）：${input.feedback}`,
          { internal: true },
        ),
      ]),
    },
    CHANGED,
  );
  await audit(ctx, caller, {
    ...ticketTarget(t),
    action: 'complaint.visit',
    summary: `记录${METHOD[input.method]}回访：${input.satisfied ? '满意' : '不满意'}`,
  });
  return staffView(ctx, after);
};
