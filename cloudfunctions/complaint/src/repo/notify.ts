/**
 * The messages a ticket's progress sends: to the owner in-app always, and a subscribe message
 * when they have a one-time subscription left for the `complaintProgress` template; to staff
 * in-app.
 */
import cloud from 'wx-server-sdk';
import {
  CATEGORY_LABELS,
  KIND_LABELS,
  STATUS_LABELS,
} from '../../../../miniprogram/domain/complaint/rules';
import {
  buildPayload,
  dateKeyword,
  timeKeyword,
} from '../../../../miniprogram/domain/notice/subscribe';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import { fetchAll } from '../../../_shared/db';
import { type ActionContext } from '../../../_shared/router';
import type { TemplateSetting } from '../../../_shared/remind';
import { type TicketDoc, community } from './tickets';

// ---------------------------------------------------------------- messages
export function clip(s: string, n: number): string {
  const chars = Array.from(s.replace(/\s+/g, ' ').trim());
  return chars.length <= n ? chars.join('') : `${chars.slice(0, n - 1).join('')}…`;
}

/** Values for whatever keywords the operator's progress template has, by keyword type. */
export function progressValues(
  tmpl: TemplateSetting,
  t: TicketDoc,
  headline: string,
  now: Date,
): Record<string, string> {
  const values: Record<string, string> = {};
  let things = 0;
  for (const kw of tmpl.keywords) {
    switch (kw.type) {
      case 'character_string':
        values[kw.key] = t.ticketNo;
        break;
      case 'phrase':
        values[kw.key] = STATUS_LABELS[t.status];
        break;
      case 'thing':
        values[kw.key] =
          things++ === 0
            ? `${CATEGORY_LABELS[t.category]}${KIND_LABELS[t.kind]}`
            : clip(headline, 20) || '请查看详情';
        break;
      case 'time':
        values[kw.key] = timeKeyword(now);
        break;
      case 'date':
        values[kw.key] = dateKeyword(shanghaiDate(now));
        break;
      case 'name':
        values[kw.key] = /^[\u3400-\u9fff]{1,10}$/.test(t.handlerName) ? t.handlerName : '物业客服';
        break;
      default:
        break;
    }
  }
  return values;
}

/**
 * Tells the owner about progress: an in-app message, and a subscribe message when a template is
 * configured and a one-time subscription is left (43101 otherwise — never fails the action).
 */
export async function notifyProgress(
  ctx: ActionContext,
  t: TicketDoc,
  headline: string,
): Promise<void> {
  const page = `/pages/complaints/detail?ticketId=${t._id}`;
  await ctx.db.collection('notifications').add({
    data: {
      openid: t.openid,
      communityId: t.communityId,
      kind: 'complaint-progress',
      title: `工单 ${t.ticketNo} ${STATUS_LABELS[t.status]}`,
      body: headline,
      page,
      refId: t._id,
      at: ctx.now(),
      readAt: null,
    },
  });
  const c = await community(ctx, t.communityId).catch(() => null);
  const tmpl = c?.templates?.complaintProgress;
  if (!tmpl) return;
  const payload = buildPayload(tmpl, progressValues(tmpl, t, headline, ctx.now()));
  if (!payload.ok) {
    console.warn(`[complaint] progress template not usable: ${payload.problems.join('; ')}`);
    return;
  }
  try {
    await cloud.openapi.subscribeMessage.send({
      touser: t.openid,
      templateId: tmpl.templateId,
      page,
      data: payload.data,
    });
  } catch (e) {
    console.warn(`[complaint] progress message to owner not sent: ${(e as Error).message}`);
  }
}

/** In-app messages to staff (the handler, or the community's admins on escalation). */
export async function notifyStaff(
  ctx: ActionContext,
  openids: readonly string[],
  t: TicketDoc,
  kind: 'complaint-assigned' | 'complaint-near' | 'complaint-escalated' | 'complaint-owner-reply',
  title: string,
  body: string,
): Promise<void> {
  const unique = [...new Set(openids.filter(Boolean))];
  if (unique.length === 0) return;
  await ctx.db.collection('notifications').add({
    data: unique.map((openid) => ({
      openid,
      communityId: t.communityId,
      kind,
      title,
      body,
      page: `/admin/tickets/detail?ticketId=${t._id}`,
      refId: t._id,
      at: ctx.now(),
      readAt: null,
    })),
  });
}

export interface RoleDoc {
  openid: string;
  roles: string[];
  name?: string;
  revokedAt?: Date | null;
}

/** Staff of the community who hold any of `roles` (admin included), with their names. */
export async function staffWith(
  ctx: ActionContext,
  communityId: string,
  roles: readonly string[],
): Promise<{ openid: string; name: string; roles: string[] }[]> {
  const docs = await fetchAll<RoleDoc>(ctx.db.collection('staff_roles').where({ communityId }));
  return docs
    .filter((d) => !d.revokedAt && d.roles.some((r) => r === 'admin' || roles.includes(r)))
    .map((d) => ({ openid: d.openid, name: d.name ?? '', roles: d.roles }));
}

/** Tells the ticket's handler what the owner did — or, while nobody handles it, every service colleague. */
export async function notifyHandler(
  ctx: ActionContext,
  t: TicketDoc,
  title: string,
  body: string,
): Promise<void> {
  const staff = t.handler
    ? [t.handler]
    : (await staffWith(ctx, t.communityId, ['service'])).map((s) => s.openid);
  await notifyStaff(ctx, staff, t, 'complaint-owner-reply', title, body);
}
