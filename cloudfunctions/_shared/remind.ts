/**
 * Subscribe-message reminders done right (docs/overdue.md): the deployment's template for the
 * purpose, the payload built and validated against WeChat's keyword rules before sending, one
 * one-time credit (recorded from the owner's consent taps) consumed per send, no sends in quiet
 * hours (the reminder waits as `pending` for the next timer run), and a dedupe key per owner +
 * bill (or notice) + stage so the same reminder is never sent twice. 43101 and every other refusal
 * are recorded and the caller puts the room on the contact list.
 */
import cloud from 'wx-server-sdk';
import { buildPayload, type TemplateConfig } from '../../miniprogram/domain/notice/subscribe';
import {
  inQuietHours,
  reminderValues,
  type ReminderFields,
} from '../../miniprogram/domain/overdue/rules';
import { DEFAULT_SETTINGS, type EscalationStage } from '../../miniprogram/domain/settings/defaults';
import { errText, isDuplicate, isMissing, type Database } from './db';
import { fetchByIds, insertNew } from './paging';
import { stableId } from './ids';
import type { TemplatePurpose, TemplateSetting } from '../../miniprogram/domain/settings/contract';

export type { TemplateSetting };

export interface CommunitySettingsDoc {
  _id: string;
  name: string;
  servicePhone?: string;
  serviceHours?: string;
  frontDesk?: string;
  paymentMethods?: string[];
  templates?: Partial<Record<TemplatePurpose, TemplateSetting>>;
  quietHours?: { from: string; to: string };
  escalation?: EscalationStage[];
  /** Days after the due date before a bill counts as overdue (default 0). */
  overdueGraceDays?: number;
  /** Days after an installment's date before a missed one resumes escalation (default 7). */
  installmentGraceDays?: number;
  /** SMS (docs/overdue.md): a day's cap for the environment (0: off), the signature. */
  smsDailyCap?: number;
  smsSignature?: string;
  /** Days of notice owners get before a payment notice's deadline. */
  noticeLeadDays?: number;
}

export function quietHoursOf(c: CommunitySettingsDoc): { from: string; to: string } {
  return c.quietHours ?? DEFAULT_SETTINGS.quietHours;
}

export function escalationOf(c: CommunitySettingsDoc): EscalationStage[] {
  return c.escalation && c.escalation.length ? c.escalation : DEFAULT_SETTINGS.escalation;
}

export type ReminderStatus =
  'sending' | 'sent' | 'pending' | 'no-template' | 'invalid' | 'no-credit' | 'failed';

export interface ReminderRequest {
  communityId: string;
  roomId: string;
  openid: string;
  /** The bill (overdue stages) or notice the reminder is about: part of the dedupe key. */
  refId: string;
  stage: string;
  purpose: TemplatePurpose;
  fields: ReminderFields;
  page: string;
}

export interface ReminderDoc extends ReminderRequest {
  _id: string;
  status: ReminderStatus;
  templateId: string;
  data: Record<string, { value: string }> | null;
  errCode: number | null;
  errMsg: string;
  createdAt: Date;
  sentAt: Date | null;
  attempts: number;
}

export interface CreditDoc {
  _id: string;
  openid: string;
  templateId: string;
  credits: number;
  accepted: number;
  rejected: number;
  banned: number;
  lastResult: string;
  lastTrigger: string;
  updatedAt: Date;
}

export function creditId(openid: string, templateId: string): string {
  return `${openid}:${templateId}`;
}

/** The dedupe key: one owner, one room, one bill (or notice), one stage. */
export function reminderId(openid: string, roomId: string, refId: string, stage: string): string {
  return stableId('rem', openid, roomId, refId, stage);
}

/** A final status the contact list should pick up (WeChat did not reach the owner). */
export function unreached(status: ReminderStatus): boolean {
  return (
    status === 'no-template' ||
    status === 'invalid' ||
    status === 'no-credit' ||
    status === 'failed'
  );
}

function sdkErrCode(e: unknown): number | null {
  const c = (e as { errCode?: unknown }).errCode;
  if (typeof c === 'number' && c !== 0) return c;
  const m = /errcode[^\d-]*(-?\d+)|(\b4\d{4}\b)/i.exec(errText(e));
  if (m) return Number(m[1] ?? m[2]);
  return null;
}

/**
 * Sends (or defers, or refuses) one reminder. Safe to call again with the same request: a sent or
 * refused reminder is not retried; a `pending` one (quiet hours) is sent once the hours are over.
 */
export async function sendReminder(
  db: Database,
  community: CommunitySettingsDoc,
  req: ReminderRequest,
  now: Date,
): Promise<ReminderStatus> {
  const _ = db.command;
  const _id = reminderId(req.openid, req.roomId, req.refId, req.stage);
  const quiet = inQuietHours(now, quietHoursOf(community));
  const base: Omit<ReminderDoc, '_id'> = {
    ...req,
    status: quiet ? 'pending' : 'sending',
    templateId: '',
    data: null,
    errCode: null,
    errMsg: '',
    createdAt: now,
    sentAt: null,
    attempts: 0,
  };
  // Claim: the first writer of the id owns the send; a repeat finds it and stops.
  try {
    await db.collection('reminders').add({ data: { _id, ...base } });
  } catch (e) {
    if (!isDuplicate(e)) throw e;
    const existing = (await db.collection('reminders').doc(_id).get()).data as ReminderDoc;
    if (existing.status !== 'pending' || quiet) return existing.status;
    const claimed = await db
      .collection('reminders')
      .where({ _id, status: 'pending' })
      .update({ data: { status: 'sending' } });
    if (Number(claimed.stats.updated) !== 1) return 'sending';
  }
  if (quiet) return 'pending';
  return deliver(db, community, _id, req, now);
}

async function finish(
  db: Database,
  _id: string,
  status: ReminderStatus,
  extra: Partial<ReminderDoc> = {},
): Promise<ReminderStatus> {
  await db
    .collection('reminders')
    .doc(_id)
    .update({ data: { status, ...extra, attempts: db.command.inc(1) } });
  return status;
}

async function deliver(
  db: Database,
  community: CommunitySettingsDoc,
  _id: string,
  req: ReminderRequest,
  now: Date,
): Promise<ReminderStatus> {
  const tmpl = community.templates?.[req.purpose] as TemplateConfig | undefined;
  if (!tmpl) return finish(db, _id, 'no-template', { errMsg: `未配置 ${req.purpose} 模板` });
  const built = buildPayload(tmpl, reminderValues(tmpl, req.fields));
  if (!built.ok) {
    return finish(db, _id, 'invalid', {
      templateId: tmpl.templateId,
      errMsg: built.problems.join('; '),
    });
  }
  return deliverBuilt(db, _id, req, tmpl, built.data, now);
}

/**
 * Takes a one-time credit and sends a built reminder; records the outcome (with `deferSent` a
 * send is left for the caller to record, in bulk).
 */
async function deliverBuilt(
  db: Database,
  _id: string,
  req: ReminderRequest,
  tmpl: TemplateConfig,
  data: Record<string, { value: string }>,
  now: Date,
  deferSent = false,
): Promise<ReminderStatus> {
  const _ = db.command;
  // Consume a one-time credit first; without one WeChat would answer 43101 anyway.
  const cid = creditId(req.openid, tmpl.templateId);
  const took = await db
    .collection('subscribe_credits')
    .where({ _id: cid, credits: _.gt(0) })
    .update({ data: { credits: _.inc(-1), updatedAt: now } });
  if (Number(took.stats.updated) !== 1) {
    return finish(db, _id, 'no-credit', {
      templateId: tmpl.templateId,
      data,
      errMsg: '用户没有可用的订阅次数',
    });
  }
  try {
    await cloud.openapi.subscribeMessage.send({
      touser: req.openid,
      templateId: tmpl.templateId,
      page: req.page,
      data,
      miniprogramState: 'formal',
    });
    if (deferSent) return 'sent';
    return finish(db, _id, 'sent', { templateId: tmpl.templateId, data, sentAt: now });
  } catch (e) {
    const code = sdkErrCode(e);
    if (code === 43101) {
      // WeChat says none is left: trust it over our count.
      await db
        .collection('subscribe_credits')
        .doc(cid)
        .update({ data: { credits: 0, updatedAt: now } });
      return finish(db, _id, 'no-credit', {
        templateId: tmpl.templateId,
        data,
        errCode: code,
        errMsg: errText(e).slice(0, 200),
      });
    }
    return finish(db, _id, 'failed', {
      templateId: tmpl.templateId,
      data,
      errCode: code,
      errMsg: errText(e).slice(0, 200),
    });
  }
}

/** Sends the reminders that waited for the quiet hours to end (one community, up to `max`). */
export async function sendPending(
  db: Database,
  community: CommunitySettingsDoc,
  now: Date,
  max = 500,
): Promise<{ sent: number; unreached: ReminderDoc[]; seen: number }> {
  if (inQuietHours(now, quietHoursOf(community))) return { sent: 0, unreached: [], seen: 0 };
  const res = await db
    .collection('reminders')
    .where({ communityId: community._id, status: 'pending' })
    .limit(Math.min(max, 1000))
    .get();
  let sent = 0;
  const missed: ReminderDoc[] = [];
  for (const r of res.data as ReminderDoc[]) {
    const req: ReminderRequest = {
      communityId: r.communityId,
      roomId: r.roomId,
      openid: r.openid,
      refId: r.refId,
      stage: r.stage,
      purpose: r.purpose,
      fields: r.fields,
      page: r.page,
    };
    const status = await sendReminder(db, community, req, now);
    if (status === 'sent') sent++;
    else if (unreached(status)) missed.push(r);
  }
  return { sent, unreached: missed, seen: res.data.length };
}

/** Records the consent sheet's answers: each accept is one more credit. */
export async function recordConsent(
  db: Database,
  openid: string,
  results: Record<string, string>,
  trigger: string,
  now: Date,
): Promise<Record<string, number>> {
  const _ = db.command;
  for (const [templateId, result] of Object.entries(results)) {
    const _id = creditId(openid, templateId);
    const inc = {
      credits: _.inc(result === 'accept' ? 1 : 0),
      accepted: _.inc(result === 'accept' ? 1 : 0),
      rejected: _.inc(result === 'reject' ? 1 : 0),
      banned: _.inc(result === 'ban' ? 1 : 0),
      lastResult: result,
      lastTrigger: trigger,
      updatedAt: now,
    };
    const res = await db.collection('subscribe_credits').where({ _id }).update({ data: inc });
    if (Number(res.stats.updated) === 0) {
      const doc: CreditDoc = {
        _id,
        openid,
        templateId,
        credits: result === 'accept' ? 1 : 0,
        accepted: result === 'accept' ? 1 : 0,
        rejected: result === 'reject' ? 1 : 0,
        banned: result === 'ban' ? 1 : 0,
        lastResult: result,
        lastTrigger: trigger,
        updatedAt: now,
      };
      try {
        await db.collection('subscribe_credits').add({ data: doc });
      } catch (e) {
        // A concurrent first consent created it: add ours to it.
        if (!isDuplicate(e)) throw e;
        await db.collection('subscribe_credits').where({ _id }).update({ data: inc });
      }
    }
  }
  return creditsOf(db, openid);
}

export async function creditsOf(db: Database, openid: string): Promise<Record<string, number>> {
  const res = await db.collection('subscribe_credits').where({ openid }).limit(100).get();
  return Object.fromEntries((res.data as CreditDoc[]).map((c) => [c.templateId, c.credits]));
}

export async function loadCommunity(
  db: Database,
  communityId: string,
): Promise<CommunitySettingsDoc | null> {
  try {
    return (await db.collection('communities').doc(communityId).get()).data as CommunitySettingsDoc;
  } catch (e) {
    if (isMissing(e)) return null;
    throw e;
  }
}

/**
 * A new reminder as the batch inserts it: `pending` in quiet hours, `sending` when it can be sent,
 * else already final (no template, invalid payload, no credit) — what `deliver` would record.
 */
function draftReminder(
  _id: string,
  req: ReminderRequest,
  tmpl: TemplateConfig | undefined,
  quiet: boolean,
  credited: ReadonlySet<string>,
  now: Date,
): ReminderDoc {
  const doc: ReminderDoc = {
    _id,
    ...req,
    status: 'pending',
    templateId: '',
    data: null,
    errCode: null,
    errMsg: '',
    createdAt: now,
    sentAt: null,
    attempts: 0,
  };
  if (quiet) return doc;
  if (!tmpl)
    return { ...doc, status: 'no-template', attempts: 1, errMsg: `未配置 ${req.purpose} 模板` };
  const built = buildPayload(tmpl, reminderValues(tmpl, req.fields));
  const withTmpl = { ...doc, templateId: tmpl.templateId, attempts: 1 };
  if (!built.ok) return { ...withTmpl, status: 'invalid', errMsg: built.problems.join('; ') };
  if (!credited.has(creditId(req.openid, tmpl.templateId)))
    return { ...withTmpl, status: 'no-credit', data: built.data, errMsg: '用户没有可用的订阅次数' };
  return { ...withTmpl, status: 'sending', data: built.data, attempts: 0 };
}

/**
 * Sends many reminders with a constant number of database requests (issue 16: the overdue run's
 * stage day): one read of the reminders that exist, one of the owners' credits, one batch insert
 * of the new ones — already final when WeChat cannot be used (no template, invalid payload, no
 * credit; in quiet hours `pending`) — and one update for those sent. Only a reminder that is
 * actually sent costs its own request (taking the one-time credit, conditionally). Statuses come
 * back in the order of `reqs`; same rules and dedupe keys as `sendReminder`, so a repeated or
 * overlapping delivery sends nothing twice (the batch insert claims each id once).
 */
export async function sendReminders(
  db: Database,
  community: CommunitySettingsDoc,
  reqs: readonly ReminderRequest[],
  now: Date,
): Promise<ReminderStatus[]> {
  if (reqs.length === 0) return [];
  const _ = db.command;
  const ctx = { db };
  const ids = reqs.map((r) => reminderId(r.openid, r.roomId, r.refId, r.stage));
  const existing = new Map(
    (await fetchByIds<ReminderDoc>(ctx, 'reminders', ids, {}, { _id: true, status: true })).map(
      (d) => [d._id, d.status],
    ),
  );
  const quiet = inQuietHours(now, quietHoursOf(community));
  const statuses = new Map<string, ReminderStatus>();
  const fresh: ReminderDoc[] = [];
  const later: ReminderRequest[] = [];
  const toSend: { doc: ReminderDoc; tmpl: TemplateConfig }[] = [];
  const credited = new Set<string>();
  const tmplOf = (r: ReminderRequest) =>
    community.templates?.[r.purpose] as TemplateConfig | undefined;
  if (!quiet) {
    const cids = [
      ...new Set(
        reqs.flatMap((r) => {
          const t = tmplOf(r);
          return t ? [creditId(r.openid, t.templateId)] : [];
        }),
      ),
    ];
    for (const c of await fetchByIds<CreditDoc>(
      ctx,
      'subscribe_credits',
      cids,
      { credits: _.gt(0) },
      { _id: true },
    ))
      credited.add(c._id);
  }
  const seen = new Set<string>();
  reqs.forEach((req, i) => {
    const _id = ids[i]!;
    const was = existing.get(_id);
    if (was) {
      // A pending one is sent now that the hours are over, one by one as before (rare).
      if (was === 'pending' && !quiet) later.push(req);
      else statuses.set(_id, was);
    } else if (!seen.has(_id)) {
      seen.add(_id);
      const tmpl = tmplOf(req);
      const doc = draftReminder(_id, req, tmpl, quiet, credited, now);
      fresh.push(doc);
      if (doc.status === 'sending' && tmpl) toSend.push({ doc, tmpl });
    }
  });
  const claimed = new Set((await insertNew(ctx, 'reminders', fresh)).map((d) => d._id));
  for (const d of fresh) statuses.set(d._id, claimed.has(d._id) ? d.status : 'sending');
  const sent: string[] = [];
  for (const { doc, tmpl } of toSend) {
    if (!claimed.has(doc._id)) continue;
    const req: ReminderRequest = doc;
    statuses.set(doc._id, await deliverBuilt(db, doc._id, req, tmpl, doc.data!, now, true));
    if (statuses.get(doc._id) === 'sent') sent.push(doc._id);
  }
  for (let i = 0; i < sent.length; i += 500) {
    await db
      .collection('reminders')
      .where({ _id: _.in(sent.slice(i, i + 500)) })
      .update({ data: { status: 'sent', sentAt: now, attempts: _.inc(1) } });
  }
  for (const req of later) {
    statuses.set(
      reminderId(req.openid, req.roomId, req.refId, req.stage),
      await sendReminder(db, community, req, now),
    );
  }
  return ids.map((id) => statuses.get(id) ?? 'sending');
}
