/**
 * What `cloud.openapi.*` calls do on the local cloud (they arrive as `wx.openApi`; the wire
 * format is in openapi-codec.ts). `subscribeMessage.send` follows WeChat's rules: it needs an
 * unused one-time subscription of that user to that template, and checks every value against its
 * keyword type; what it sends is kept in the outbox (`GET /dev/outbox`, `channel: 'subscribe'`).
 * SMS, URL Links and mini-program codes are reach.ts; each SMS joins the outbox too
 * (`channel: 'sms'`). Any other API answers WeChat's "not implemented here" error code.
 */
import { ReachApis, type BinaryAnswer } from './reach';
import { newId } from './store';
import {
  fitKeyword,
  KEYWORD_TYPES,
  type KeywordType,
} from '../../miniprogram/domain/notice/subscribe';

export interface OutboxMessage {
  id: string;
  channel: 'subscribe' | 'sms';
  api: string;
  at: string;
  touser?: string;
  templateId?: string;
  page?: string;
  data?: unknown;
  miniprogramState?: string;
  /** SMS: the number, the whole message and its link, and the delivery report's code. */
  phone?: string;
  content?: string;
  link?: string;
  code?: string;
  request: Record<string, unknown>;
}

export class OpenApi {
  /** Every message sent, oldest first (the same array for the cloud's lifetime). */
  readonly outbox: OutboxMessage[] = [];
  /** One-time subscription credits: openid → template id → unused accepts. */
  private readonly subscriptions = new Map<string, Map<string, number>>();

  /** SMS, URL Links and mini-program codes (reach.ts). */
  readonly reach: ReachApis;

  constructor(private readonly now: () => number) {
    this.reach = new ReachApis(now);
  }

  handle(api: string, request: Record<string, unknown>): Record<string, unknown> | BinaryAnswer {
    if (api === 'subscribeMessage.send') return this.sendSubscribeMessage(api, request);
    const before = this.reach.sms.length;
    const answer = this.reach.handle(api, request);
    for (const s of this.reach.sms.slice(before)) {
      this.outbox.push({
        id: s.id,
        channel: 'sms',
        api,
        at: s.at,
        phone: s.phone,
        content: s.content,
        link: s.link,
        code: s.code,
        request,
      });
    }
    if (answer) return answer;
    return { errcode: -604101, errmsg: `the local cloud does not implement openapi.${api}` };
  }

  private sendSubscribeMessage(
    api: string,
    request: Record<string, unknown>,
  ): Record<string, unknown> {
    const touser = typeof request.touser === 'string' ? request.touser : '';
    const templateId = typeof request.template_id === 'string' ? request.template_id : '';
    if (!touser || !templateId) return { errcode: 40003, errmsg: 'invalid openid or template_id' };
    // One-time subscriptions: each accepted consent allows exactly one message.
    const credits = this.subscriptions.get(touser)?.get(templateId) ?? 0;
    if (credits <= 0) return { errcode: 43101, errmsg: 'user refuse to accept the msg' };
    // WeChat checks each value against its keyword type (the prefix of the key) before it
    // spends the subscription: a value that does not fit is 47003 and the credit stays.
    const bad = invalidKeywordData(request.data);
    if (bad) return { errcode: 47003, errmsg: `argument invalid! data.${bad}` };
    this.subscriptions.get(touser)!.set(templateId, credits - 1);
    this.outbox.push({
      id: newId(),
      channel: 'subscribe',
      api,
      at: new Date(this.now()).toISOString(),
      touser: request.touser as string | undefined,
      templateId: request.template_id as string | undefined,
      page: request.page as string | undefined,
      data: request.data,
      miniprogramState: request.miniprogram_state as string | undefined,
      request,
    });
    return { errcode: 0, errmsg: 'ok', msgid: Date.now() };
  }

  /** The unused credits per openid and template (`GET /dev/subscriptions`). */
  subscriptionCredits(): Record<string, Record<string, number>> {
    return Object.fromEntries([...this.subscriptions].map(([o, m]) => [o, Object.fromEntries(m)]));
  }

  /**
   * What wx.requestSubscribeMessage reported to the client: each accept adds one credit.
   * Returns that user's credits afterwards.
   */
  recordConsent(openid: string, results: Record<string, unknown>): Record<string, number> {
    const mine = this.subscriptions.get(openid) ?? new Map<string, number>();
    for (const [tmpl, result] of Object.entries(results)) {
      if (result === 'accept') mine.set(tmpl, (mine.get(tmpl) ?? 0) + 1);
    }
    this.subscriptions.set(openid, mine);
    return Object.fromEntries(mine);
  }

  /** Forgets every message and credit (a reset). */
  clear(): void {
    this.outbox.length = 0;
    this.subscriptions.clear();
    this.reach.clear();
  }
}

/** The first `data.<key>.value` that WeChat would refuse (47003), or null. */
export function invalidKeywordData(data: unknown): string | null {
  if (data === null || typeof data !== 'object') return 'data must be an object';
  for (const [key, v] of Object.entries(data as Record<string, unknown>)) {
    const m = /^([a-z_]+?)\d+$/.exec(key);
    const type = m?.[1] as KeywordType | undefined;
    if (!type || !(KEYWORD_TYPES as readonly string[]).includes(type))
      return `${key} unknown keyword`;
    const value = (v as { value?: unknown } | null)?.value;
    if (typeof value !== 'string') return `${key}.value must be a string`;
    const fit = fitKeyword(type, value);
    if ('problem' in fit || fit.value !== value) return `${key}.value invalid`;
  }
  return null;
}
