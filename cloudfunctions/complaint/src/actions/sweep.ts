/**
 * The deadline sweep (timer trigger, every 10 minutes, UTC+8): warns the handler when a deadline
 * is near, records each breach once and escalates it to the community's admins, and closes
 * tickets resolved more than 7 days ago that the owner neither confirmed nor reopened.
 *
 * A backlog (say after an outage) is worked through within a time budget per run, the rest on the
 * next runs.
 *
 * Constant work when nothing is due: it reads only open tickets whose `sweepAt` (the next instant
 * a deadline turns near or breached) has come, and moves `sweepAt` on for each it looked at.
 *
 * Idempotent: every write is conditional (`nearKeys`/`breachKeys` not yet holding the key, the
 * status unchanged), so a repeated or overlapping timer delivery changes nothing twice.
 */
import { OPEN_STATUSES, REOPEN_WINDOW_MS } from '../../../../miniprogram/domain/complaint/rules';
import { deskOrder } from '../../../../miniprogram/domain/complaint/desk-order';
import { fetchAll } from '../../../_shared/db';
import type { ActionContext } from '../../../_shared/router';
import {
  type BreachKind,
  TICKETS,
  type TicketDoc,
  breachKey,
  currentDeadline,
  event,
  loadTicket,
  nextSweepAt,
} from '../repo/tickets';
import { notifyProgress, notifyStaff, staffWith } from '../repo/notify';
import { releaseTicketHold } from '../repo/ticket-holds';

export interface SweepResult {
  scanned: number;
  near: number;
  breached: number;
  autoClosed: number;
  /** The time budget ran out; the next run (10 minutes later) continues where this one stopped. */
  more: boolean;
}

/** Stop taking new work after this long, well inside the function's 20 s timeout. */
export const BUDGET_MS = 12_000;

export const SYSTEM = { by: 'system' as const, openid: '', name: '系统' };

export const KIND_TEXT: Record<BreachKind, string> = {
  'first-response': '首次响应',
  resolution: '办结',
};

export async function sweep(ctx: ActionContext): Promise<SweepResult> {
  const _ = ctx.db.command;
  const now = ctx.now();
  const result: SweepResult = { scanned: 0, near: 0, breached: 0, autoClosed: 0, more: false };
  const started = Date.now();
  const outOfTime = () => {
    if (Date.now() - started < BUDGET_MS) return false;
    result.more = true;
    return true;
  };
  // Only open tickets whose next deadline instant has come (or that were filed or reopened since
  // the last sweep): constant work when nothing is due.
  const open = await fetchAll<TicketDoc>(
    ctx.db.collection(TICKETS).where(
      _.or([
        { status: _.in([...OPEN_STATUSES]), sweepAt: _.lte(now) },
        { status: _.in([...OPEN_STATUSES]), sweepAt: null },
      ]),
    ),
  );
  const looked: TicketDoc[] = [];
  const admins = new Map<string, string[]>();
  const adminsOf = async (communityId: string) => {
    if (!admins.has(communityId)) {
      const staff = await staffWith(ctx, communityId, ['admin']);
      admins.set(
        communityId,
        staff.filter((s) => s.roles.includes('admin')).map((s) => s.openid),
      );
    }
    return admins.get(communityId)!;
  };

  for (const t of open) {
    if (outOfTime()) break;
    result.scanned++;
    looked.push(t);
    const d = currentDeadline(t, now);
    if (d.deadlineKind === 'none') continue;
    const kind: BreachKind = d.deadlineKind;
    const key = breachKey(t, kind);
    // Already recorded (the conditional writes below would change nothing): skip the round trip.
    if (d.deadlineState === 'breached' && t.breachKeys.includes(key)) continue;
    if (d.deadlineState === 'near' && t.nearKeys.includes(key)) continue;
    if (d.deadlineState === 'breached') {
      const res = await ctx.db
        .collection(TICKETS)
        .where({ _id: t._id, status: t.status, breachKeys: _.nin([key]) })
        .update({
          data: {
            breachKeys: _.push([key]),
            events: _.push([
              event(now, 'breach', SYSTEM, `${KIND_TEXT[kind]}超时，已上报管理员`, {
                internal: true,
              }),
            ]),
          },
        });
      if (Number(res.stats.updated) === 1) {
        result.breached++;
        const after = await loadTicket(ctx, t._id);
        await notifyStaff(
          ctx,
          [...(await adminsOf(t.communityId)), ...(t.handler ? [t.handler] : [])],
          after,
          'complaint-escalated',
          `工单超时 ${t.ticketNo}`,
          `${t.roomLabel} ${KIND_TEXT[kind]}已超过时限，请尽快处理`,
        );
      }
    } else if (d.deadlineState === 'near') {
      const res = await ctx.db
        .collection(TICKETS)
        .where({ _id: t._id, status: t.status, nearKeys: _.nin([key]) })
        .update({ data: { nearKeys: _.push([key]) } });
      if (Number(res.stats.updated) === 1) {
        result.near++;
        const to = t.handler
          ? [t.handler]
          : (await staffWith(ctx, t.communityId, ['service']))
              .filter((s) => s.roles.includes('service'))
              .map((s) => s.openid);
        await notifyStaff(
          ctx,
          to,
          t,
          'complaint-near',
          `工单即将超时 ${t.ticketNo}`,
          `${t.roomLabel} ${KIND_TEXT[kind]}时限将至，请及时处理`,
        );
      }
    }
  }

  // Each ticket looked at is next looked at when its next deadline instant comes (conditional on
  // the status read, so a ticket changed meanwhile keeps the sweep's attention).
  // Ten at a time, within the time budget (the rest are looked at again by the next run).
  for (let i = 0; i < looked.length && !outOfTime(); i += 10) {
    await Promise.all(
      looked.slice(i, i + 10).map((t) =>
        ctx.db
          .collection(TICKETS)
          .where({ _id: t._id, status: t.status, reopenCount: t.reopenCount })
          .update({ data: { sweepAt: nextSweepAt(t, now) } }),
      ),
    );
  }

  // Resolved more than 7 days ago, neither confirmed nor reopened: close on the owner's behalf.
  const stale = await fetchAll<TicketDoc>(
    ctx.db
      .collection(TICKETS)
      .where({ status: 'resolved', resolvedAt: _.lt(new Date(now.getTime() - REOPEN_WINDOW_MS)) }),
  );
  for (const t of stale) {
    if (outOfTime()) break;
    const res = await ctx.db
      .collection(TICKETS)
      .where({ _id: t._id, status: 'resolved' })
      .update({
        data: {
          status: 'closed',
          ...deskOrder({ ...t, status: 'closed' }),
          closedAt: now,
          updatedAt: now,
          events: _.push([
            event(now, 'status', SYSTEM, '解决后 7 天未收到异议，工单自动关闭', {
              status: 'closed',
            }),
          ]),
        },
      });
    if (Number(res.stats.updated) === 1) {
      result.autoClosed++;
      const after = await loadTicket(ctx, t._id);
      await releaseTicketHold(ctx, after);
      await notifyProgress(ctx, after, '工单已自动关闭，欢迎您对本次服务进行评价');
    }
  }
  return result;
}
