/**
 * Telling an owner about a decision (binding approved, rejected, unbound): an in-app message in
 * `notifications` always, and a one-time subscribe message when the operator has configured a
 * template in `app_config/templates` (`bindingResult`) and the owner has a subscription left.
 * Sending is best effort: a refusal (43101: no subscription) never fails the staff action.
 */
import cloud from 'wx-server-sdk';
import { timeKeyword } from '../../miniprogram/domain/notice/subscribe';
import type { ActionContext } from './router';

export interface OwnerMessage {
  openid: string;
  communityId: string;
  kind: 'binding-approved' | 'binding-rejected' | 'binding-revoked';
  title: string;
  body: string;
  /** Mini-program page the message opens. */
  page: string;
  /** Subscribe-message keywords (thing ≤ 20 chars, phrase ≤ 5 chars). */
  keywords: { subject: string; result: string; note: string };
}

interface TemplatesDoc {
  bindingResult?: string;
}

function clip(s: string, n: number): string {
  const chars = Array.from(s);
  return chars.length <= n ? s : `${chars.slice(0, n - 1).join('')}…`;
}

export async function notifyOwner(ctx: ActionContext, msg: OwnerMessage): Promise<void> {
  await ctx.db.collection('notifications').add({
    data: {
      openid: msg.openid,
      communityId: msg.communityId,
      kind: msg.kind,
      title: msg.title,
      body: msg.body,
      page: msg.page,
      at: ctx.now(),
      readAt: null,
    },
  });
  let templateId: string | undefined;
  try {
    const res = await ctx.db.collection('app_config').where({ _id: 'templates' }).limit(1).get();
    templateId = (res.data[0] as TemplatesDoc | undefined)?.bindingResult;
  } catch {
    templateId = undefined;
  }
  if (!templateId) return;
  try {
    // Keywords of the 审核结果通知 template: thing1 subject, phrase2 result, thing3 note, time4.
    await cloud.openapi.subscribeMessage.send({
      touser: msg.openid,
      templateId,
      page: msg.page,
      data: {
        thing1: { value: clip(msg.keywords.subject, 20) },
        phrase2: { value: clip(msg.keywords.result, 5) },
        thing3: { value: clip(msg.keywords.note || '无', 20) },
        time4: { value: timeKeyword(ctx.now()) },
      },
    });
  } catch (e) {
    console.warn(`[notify] subscribe message to ${msg.openid} not sent: ${(e as Error).message}`);
  }
}
