/**
 * SMS as an outbox channel (docs/overdue.md, "Reaching every owner"): owners WeChat cannot reach
 * for a notice or an overdue reminder get one SMS per room and cause (the id is derived from
 * them), sent through CloudBase (`cloudbase.sendSmsV2` with a URL Link from `urllink.generate`
 * that opens the room's bill, or binding with the room filled in). An SMS is queued first and
 * sent by `flushSms`: never in quiet hours (it waits for the end of them), never over the
 * environment's daily cap from settings (the resource package is paid; 0 leaves SMS off),
 * never to a number that replied T (回T退订, kept in `sms_optouts`). Each send keeps the platform's
 * report per number; a busy platform is retried (3 attempts), and a send that reaches nobody
 * (no package left, invalid or unsubscribed numbers) puts the room on the call list with the reason.
 */
import cloud from 'wx-server-sdk';
import {
  noticeSmsCustom,
  smsNumber,
  smsProblem,
  SMS_LIMITS,
  SMS_TEMPLATE_ID,
  URL_LINK_SAMPLE,
} from '../../miniprogram/domain/notice/reach';
import { inQuietHours } from '../../miniprogram/domain/overdue/rules';
import { shanghaiDate } from '../../miniprogram/domain/kernel/time';
import { DEFAULT_SETTINGS } from '../../miniprogram/domain/settings/defaults';
import { ensureTasks, insertMany, type TaskRequest } from './contacts';
import { errText, fetchAll, type Database } from './db';
import { stableId } from './ids';
import { quietHoursOf, type CommunitySettingsDoc } from './remind';
import { currentOwners } from './room-owners';

export type SmsStatus = 'queued' | 'sending' | 'sent' | 'failed';

export interface SmsDoc {
  _id: string;
  channel: 'sms';
  communityId: string;
  roomId: string;
  roomLabel: string;
  /** The notice or bill the SMS is about, and the stage ('notice', 'friendly-reminder', …). */
  refId: string;
  stage: string;
  phones: string[];
  custom: string;
  /** Where the link opens: the bill, or binding with the room filled in. */
  path: string;
  query: string;
  status: SmsStatus;
  /** Why it waits or failed, in words staff read. */
  reason: string;
  attempts: number;
  /** The platform's report per number (numbers masked to the last 4 digits). */
  results: { last4: string; code: string; serialNo: string }[];
  createdAt: Date;
  sentAt: Date | null;
  /** Beijing date it went out and how many messages it took, for the daily cap. */
  day: string | null;
  sentCount: number;
}

export interface SmsRequest {
  roomId: string;
  roomLabel: string;
  refId: string;
  stage: string;
  kind: 'notice' | 'overdue';
  period: string;
  amountFen: number;
  deadline: string | null;
  /** Whether anyone is bound to the room: the link opens the bill, else binding. */
  bound: boolean;
}

export const SMS_MAX_ATTEMPTS = 3;

export function smsOn(c: CommunitySettingsDoc): boolean {
  return (c.smsDailyCap ?? DEFAULT_SETTINGS.smsDailyCap) > 0;
}

export function smsId(refId: string, roomId: string, stage: string): string {
  return stableId('sms', refId, roomId, stage);
}

/** The +86 numbers of each room's current owners and co-owners on record, less opted-out ones. */
export async function roomNumbers(
  db: Database,
  communityId: string,
  roomIds: readonly string[],
  day: string,
): Promise<Map<string, string[]>> {
  const _ = db.command;
  const out = new Map<string, string[]>();
  if (roomIds.length === 0) return out;
  const owners = await currentOwners(db, communityId, roomIds, day);
  const numbers = new Map<string, string[]>();
  for (const [roomId, list] of owners) {
    const ns = [...new Set(list.map((o) => smsNumber(o.mobile)).filter((n): n is string => !!n))];
    if (ns.length) numbers.set(roomId, ns);
  }
  const all = [...new Set([...numbers.values()].flat())];
  const opted = new Set<string>();
  for (let i = 0; i < all.length; i += 500) {
    const docs = await fetchAll<{ _id: string }>(
      db.collection('sms_optouts').where({ _id: _.in(all.slice(i, i + 500)) }),
    );
    for (const d of docs) opted.add(d._id);
  }
  for (const [roomId, ns] of numbers) {
    const usable = ns.filter((n) => !opted.has(n));
    if (usable.length) out.set(roomId, usable);
  }
  return out;
}

/**
 * Queues one SMS per request whose room has a number (ids derived from the cause, so a repeated
 * run queues nothing new). Returns the rooms queued; the others have no number to text.
 */
export async function queueSms(
  db: Database,
  community: CommunitySettingsDoc,
  requests: readonly SmsRequest[],
  now: Date,
): Promise<Set<string>> {
  const queued = new Set<string>();
  if (!smsOn(community) || requests.length === 0) return queued;
  const numbers = await roomNumbers(
    db,
    community._id,
    requests.map((r) => r.roomId),
    shanghaiDate(now),
  );
  const signature = community.smsSignature ?? DEFAULT_SETTINGS.smsSignature;
  // A URL Link is 29 characters (https://wxaurl.cn/ and 11); the message must fit with it.
  const sampleLink = URL_LINK_SAMPLE;
  const docs: SmsDoc[] = [];
  for (const r of requests) {
    const phones = numbers.get(r.roomId) ?? [];
    if (phones.length === 0) continue;
    const custom = noticeSmsCustom(r, (c) => smsProblem(signature, c, sampleLink) === null);
    docs.push({
      _id: smsId(r.refId, r.roomId, r.stage),
      channel: 'sms',
      communityId: community._id,
      roomId: r.roomId,
      roomLabel: r.roomLabel,
      refId: r.refId,
      stage: r.stage,
      phones,
      custom,
      path: r.bound ? 'pages/bills/index' : 'pages/bind/index',
      query: `roomId=${r.roomId}&from=sms`,
      status: 'queued',
      reason: '',
      attempts: 0,
      results: [],
      createdAt: now,
      sentAt: null,
      day: null,
      sentCount: 0,
    });
    queued.add(r.roomId);
  }
  await insertMany(db, 'sms_outbox', docs as unknown as Record<string, unknown>[]);
  return queued;
}

/** Messages sent today in the whole environment (the cap is per environment). */
async function sentToday(db: Database, day: string): Promise<number> {
  const docs = await fetchAll<{ sentCount: number }>(
    db.collection('sms_outbox').where({ day }).field({ sentCount: true }),
  );
  return docs.reduce((n, d) => n + (d.sentCount ?? 0), 0);
}

function envId(): string {
  return cloud.getWXContext().ENV || process.env.TCB_ENV || process.env.SCF_NAMESPACE || '';
}

function errCodeOf(e: unknown): number | null {
  const c = (e as { errCode?: unknown }).errCode;
  if (typeof c === 'number' && c !== 0) return c;
  const m = /errcode[^\d-]*(-?\d+)/i.exec(errText(e));
  return m ? Number(m[1]) : null;
}

const CODE_TEXT: Record<string, string> = {
  'InvalidParameterValue.IncorrectPhoneNumber': '号码无效',
  'FailedOperation.PhoneNumberInBlacklist': '业主已回T退订',
};

/**
 * Sends the community's queued SMS until done, the cap is reached or `stopAt` (ms) passes.
 * Nothing in quiet hours. Returns how many went out and how many fell back to the call list.
 */
export async function flushSms(
  db: Database,
  community: CommunitySettingsDoc,
  now: Date,
  stopAt: number,
): Promise<{ sent: number; failed: number; waiting: number }> {
  const out = { sent: 0, failed: 0, waiting: 0 };
  if (!smsOn(community)) return out;
  const _ = db.command;
  const queued = await fetchAll<SmsDoc>(
    db
      .collection('sms_outbox')
      .where({ communityId: community._id, status: 'queued' })
      .orderBy('createdAt', 'asc'),
  );
  if (queued.length === 0) return out;
  if (inQuietHours(now, quietHoursOf(community))) {
    out.waiting = queued.length;
    return out;
  }
  const day = shanghaiDate(now);
  let budget = (community.smsDailyCap ?? 0) - (await sentToday(db, day));
  const tasks: TaskRequest[] = [];
  for (const doc of queued) {
    if (Date.now() >= stopAt) break;
    if (budget < doc.phones.length) {
      // Over the day's cap: it waits for tomorrow's run, and staff see why.
      if (doc.reason !== '今日短信已达上限，明日发送')
        await db
          .collection('sms_outbox')
          .doc(doc._id)
          .update({ data: { reason: '今日短信已达上限，明日发送' } });
      out.waiting++;
      continue;
    }
    const claimed = await db
      .collection('sms_outbox')
      .where({ _id: doc._id, status: 'queued' })
      .update({ data: { status: 'sending', attempts: _.inc(1) } });
    if (Number(claimed.stats.updated) !== 1) continue;
    const result = await sendOne(doc, community);
    if (result.status === 'sent') {
      budget -= result.sentCount;
      out.sent++;
    } else if (result.status === 'failed') out.failed++;
    else out.waiting++;
    if (result.optedOut.length) {
      await insertMany(
        db,
        'sms_optouts',
        result.optedOut.map((p) => ({ _id: p, communityId: community._id, at: now })),
      );
    }
    await db
      .collection('sms_outbox')
      .doc(doc._id)
      .update({
        data: {
          status: result.status,
          reason: result.reason,
          results: _.set(result.results),
          sentAt: result.status === 'sent' ? now : null,
          day: result.status === 'sent' ? day : null,
          sentCount: result.sentCount,
        },
      });
    if (result.status === 'failed')
      tasks.push({ roomId: doc.roomId, kind: 'call', source: 'sms-failed', refId: doc.refId });
  }
  await ensureTasks(db, community._id, tasks, now);
  return out;
}

async function sendOne(
  doc: SmsDoc,
  community: CommunitySettingsDoc,
): Promise<{
  status: SmsStatus;
  reason: string;
  results: SmsDoc['results'];
  sentCount: number;
  optedOut: string[];
}> {
  const retry = (reason: string) => ({
    status: (doc.attempts + 1 >= SMS_MAX_ATTEMPTS ? 'failed' : 'queued') as SmsStatus,
    reason:
      doc.attempts + 1 >= SMS_MAX_ATTEMPTS ? `${reason}（已重试 ${SMS_MAX_ATTEMPTS} 次）` : reason,
    results: doc.results,
    sentCount: 0,
    optedOut: [],
  });
  const fail = (reason: string) => ({
    status: 'failed' as SmsStatus,
    reason,
    results: doc.results,
    sentCount: 0,
    optedOut: [],
  });
  let link: string;
  try {
    const res = (await cloud.openapi.urllink.generate({
      path: doc.path,
      query: doc.query,
      expireType: 1,
      expireInterval: 30,
    })) as { urlLink: string };
    link = res.urlLink;
  } catch (e) {
    const code = errCodeOf(e);
    return code === -1 || code === null
      ? retry('链接生成失败，稍后重试')
      : fail(`链接生成失败（${code}）`);
  }
  const signature = community.smsSignature ?? DEFAULT_SETTINGS.smsSignature;
  const problem = smsProblem(signature, doc.custom, link);
  if (problem) return fail(`短信内容超长（${problem}）`);
  let list: { phoneNumber: string; code: string; serialNo: string }[];
  try {
    const res = (await cloud.openapi.cloudbase.sendSmsV2({
      env: envId(),
      urlLink: link,
      templateId: SMS_TEMPLATE_ID,
      templateParamList: [doc.custom],
      phoneNumberList: doc.phones.slice(0, SMS_LIMITS.perRequest),
    })) as { sendStatusList?: { phoneNumber: string; code: string; serialNo: string }[] };
    list = res.sendStatusList ?? [];
  } catch (e) {
    const code = errCodeOf(e);
    if (code === -501007) return fail('短信资源包余量不足');
    if (code === -1 || code === null) return retry('短信平台繁忙，稍后重试');
    return fail(`短信未发出（${code}）：${errText(e).slice(0, 80)}`);
  }
  const results = list.map((s) => ({
    last4: s.phoneNumber.slice(-4),
    code: s.code,
    serialNo: s.serialNo,
  }));
  const ok = list.filter((s) => s.code === 'Ok').length;
  const optedOut = list
    .filter((s) => s.code === 'FailedOperation.PhoneNumberInBlacklist')
    .map((s) => s.phoneNumber);
  if (ok === 0) {
    const why = [...new Set(list.map((s) => CODE_TEXT[s.code] ?? s.code))].join('、');
    return { status: 'failed', reason: why || '短信未送达', results, sentCount: 0, optedOut };
  }
  return { status: 'sent', reason: '', results, sentCount: ok, optedOut };
}
