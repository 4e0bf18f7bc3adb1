/**
 * Pushing a published payment notice to every room of the community, each owner with their own
 * amount for the period: chunked by room id with a cursor on the notice, so `notice.publish`
 * starts it and the `overdue` timer finishes it (and waits while it is quiet hours). Each room's
 * outcome is kept in `notice_deliveries` for the delivery report; rooms WeChat cannot reach and
 * special-care owners go onto the contact list.
 */
import { billsAsOf } from './ledger/as-of';
import { roomLabel } from '../../miniprogram/domain/community/vocabulary';
import { outstandingFen, type BillDoc } from '../../miniprogram/domain/fee/bill';
import { inQuietHours, STAGE_NOTES } from '../../miniprogram/domain/overdue/rules';
import { ensureTasks, type TaskRequest } from './contacts';
import { fetchAll, isDuplicate, type Database } from './db';

import {
  quietHoursOf,
  sendReminder,
  unreached,
  type CommunitySettingsDoc,
  type ReminderStatus,
} from './remind';
import type {
  DeliveryOutcome,
  NoticeLateness,
  NoticeText,
} from '../../miniprogram/domain/notice/contract';
import { queueSms, smsOn, type SmsRequest } from './sms';

/** The fields every stored notice has; the rest of its text is optional in storage. */
type NoticeHead = 'kind' | 'title' | 'summary' | 'period' | 'deadline';

export interface NoticeDoc
  extends Pick<NoticeText, NoticeHead>, Partial<Omit<NoticeText, NoticeHead>> {
  _id: string;
  communityId: string;
  status: 'draft' | 'published' | 'withdrawn';
  publishedAt: Date;
  /** Who published it is in staff_signoffs, never here: clients read published notices. */
  push?: { status: 'none' | 'running' | 'done'; cursor: string; rooms: number; sent: number };
  /** Published later than settings ask, and why (notice timing). */
  late?: NoticeLateness | null;
}

export interface DeliveryDoc {
  _id: string;
  noticeId: string;
  communityId: string;
  roomId: string;
  roomLabel: string;
  amountFen: number;
  openids: string[];
  outcome: DeliveryOutcome;
  specialCare: boolean;
  at: Date;
  /** The printed household notice was signed for (送达签收), and by which staff member. */
  printedAt?: Date | null;
  printedBy?: string;
}

interface RoomDoc {
  _id: string;
  building: string;
  unit: string;
  number: string;
}

interface BindingDoc {
  roomId: string;
  openid: string;
}

/** Rooms whose owner (or co-owner) on record is flagged for special care. */
export async function specialCareRooms(
  db: Database,
  communityId: string,
  roomIds: readonly string[],
): Promise<Set<string>> {
  const _ = db.command;
  const out = new Set<string>();
  if (roomIds.length === 0) return out;
  const rel = await fetchAll<{ roomId: string; ownerId: string; relation: string }>(
    db
      .collection('room_owners')
      .where({ communityId, roomId: _.in([...roomIds]), relation: _.in(['owner', 'co-owner']) }),
  );
  if (rel.length === 0) return out;
  const ownerIds = [...new Set(rel.map((r) => r.ownerId))];
  const cared = new Set<string>();
  for (let i = 0; i < ownerIds.length; i += 500) {
    const docs = await fetchAll<{ _id: string }>(
      db
        .collection('owners')
        .where({ _id: _.in(ownerIds.slice(i, i + 500)), specialCare: true })
        .field({ _id: true }),
    );
    for (const d of docs) cared.add(d._id);
  }
  for (const r of rel) if (cared.has(r.ownerId)) out.add(r.roomId);
  return out;
}

/** Verified bindings (openids) per room. */
export async function boundOpenids(
  db: Database,
  roomIds: readonly string[],
): Promise<Map<string, string[]>> {
  const _ = db.command;
  const out = new Map<string, string[]>();
  for (let i = 0; i < roomIds.length; i += 1000) {
    const docs = await fetchAll<BindingDoc>(
      db
        .collection('room_bindings')
        .where({ roomId: _.in(roomIds.slice(i, i + 1000)), status: 'verified' }),
    );
    for (const b of docs) out.set(b.roomId, [...(out.get(b.roomId) ?? []), b.openid]);
  }
  return out;
}

const CHUNK = 200;

/**
 * Pushes the next chunks of a notice until done or `stopAt` (ms) passes. Returns the notice's
 * push state. Does nothing in quiet hours (the timer resumes after them).
 */
export async function pushNotice(
  db: Database,
  community: CommunitySettingsDoc,
  notice: NoticeDoc,
  now: Date,
  stopAt: number,
): Promise<NonNullable<NoticeDoc['push']>> {
  const _ = db.command;
  const push = notice.push ?? { status: 'running' as const, cursor: '', rooms: 0, sent: 0 };
  if (push.status === 'done' || notice.kind !== 'payment' || !notice.period) return push;
  if (inQuietHours(now, quietHoursOf(community))) return push;
  while (Date.now() < stopAt) {
    const res = await db
      .collection('rooms')
      .where({ communityId: notice.communityId, _id: _.gt(push.cursor) })
      .orderBy('_id', 'asc')
      .limit(CHUNK)
      .field({ _id: true, building: true, unit: true, number: true })
      .get();
    const rooms = res.data as RoomDoc[];
    if (rooms.length === 0) {
      push.status = 'done';
      break;
    }
    const ids = rooms.map((r) => r._id);
    const bills = await billsAsOf(
      db,
      await fetchAll<BillDoc>(
        db.collection('bills').where({
          communityId: notice.communityId,
          roomId: _.in(ids),
          period: notice.period,
          status: _.neq('void'),
        }),
      ),
    );
    const owed = new Map<string, number>();
    const billed = new Set<string>();
    for (const b of bills) {
      billed.add(b.roomId);
      owed.set(b.roomId, (owed.get(b.roomId) ?? 0) + outstandingFen(b));
    }
    const bound = await boundOpenids(db, ids);
    const cared = await specialCareRooms(db, notice.communityId, ids);
    const smsFor = (roomId: string, label: string, isBound: boolean): SmsRequest => ({
      roomId,
      roomLabel: label,
      refId: notice._id,
      stage: 'notice',
      kind: 'notice',
      period: notice.period!,
      amountFen: owed.get(roomId) ?? 0,
      deadline: notice.deadline,
      bound: isBound,
    });
    const deliveries: DeliveryDoc[] = [];
    const tasks: TaskRequest[] = [];
    /** Rooms WeChat did not reach: an SMS where there is a number, else the call list. */
    const unreachedRooms: (SmsRequest & { source: TaskRequest['source'] })[] = [];
    for (const room of rooms) {
      if (!billed.has(room._id)) continue;
      const amountFen = owed.get(room._id) ?? 0;
      const label = roomLabel(room);
      const openids = bound.get(room._id) ?? [];
      let outcome: DeliveryOutcome;
      if (amountFen === 0) outcome = 'paid';
      else if (openids.length === 0) outcome = 'not-bound';
      else {
        const statuses: ReminderStatus[] = [];
        for (const openid of openids) {
          statuses.push(
            await sendReminder(
              db,
              community,
              {
                communityId: notice.communityId,
                roomId: room._id,
                openid,
                refId: notice._id,
                stage: 'notice',
                purpose: 'billReminder',
                page: `pages/notice/detail?noticeId=${notice._id}`,
                fields: {
                  subject: `${label} ${Number(notice.period.slice(5))}月物业费`,
                  amountFen,
                  date: notice.deadline ?? notice.period + '-28',
                  note: STAGE_NOTES.notice.note,
                  phone: notice.contactPhone ?? community.servicePhone ?? '',
                  status: STAGE_NOTES.notice.status,
                  code: room._id,
                },
              },
              now,
            ),
          );
        }
        if (statuses.includes('sent')) outcome = 'wechat';
        else if (statuses.some((s) => s === 'pending' || s === 'sending'))
          outcome = 'quiet-pending';
        else outcome = 'no-subscription';
        if (statuses.includes('sent')) push.sent++;
        if (!statuses.includes('sent') && statuses.some(unreached)) {
          unreachedRooms.push({ ...smsFor(room._id, label, true), source: 'no-subscription' });
        }
      }
      if (outcome === 'not-bound')
        unreachedRooms.push({ ...smsFor(room._id, label, false), source: 'not-bound' });
      if (amountFen > 0 && cared.has(room._id))
        tasks.push({ roomId: room._id, kind: 'call', source: 'special-care', refId: notice._id });
      deliveries.push({
        _id: `${notice._id}:${room._id}`,
        noticeId: notice._id,
        communityId: notice.communityId,
        roomId: room._id,
        roomLabel: label,
        amountFen,
        openids,
        outcome,
        specialCare: cared.has(room._id),
        at: now,
      });
    }
    const texted = smsOn(community)
      ? await queueSms(db, community, unreachedRooms, now)
      : new Set();
    for (const r of unreachedRooms) {
      if (texted.has(r.roomId)) continue;
      tasks.push({ roomId: r.roomId, kind: 'call', source: r.source, refId: notice._id });
    }
    await saveDeliveries(db, deliveries);
    await ensureTasks(db, notice.communityId, tasks, now);
    push.rooms += deliveries.length;
    push.cursor = rooms[rooms.length - 1]!._id;
    if (rooms.length < CHUNK) push.status = 'done';
    await db
      .collection('notices')
      .doc(notice._id)
      .update({ data: { push: _.set(push) } });
    if (push.status === 'done') break;
  }
  if (push.status === 'done') {
    await db
      .collection('notices')
      .doc(notice._id)
      .update({ data: { push: _.set(push) } });
  }
  return push;
}

async function saveDeliveries(db: Database, docs: DeliveryDoc[]): Promise<void> {
  if (docs.length === 0) return;
  try {
    await db.collection('notice_deliveries').add({ data: docs });
  } catch (e) {
    if (!isDuplicate(e)) throw e;
    // A resumed chunk: keep what the first attempt recorded.
    for (const d of docs) {
      try {
        await db.collection('notice_deliveries').add({ data: d });
      } catch (err) {
        if (!isDuplicate(err)) throw err;
      }
    }
  }
}

/**
 * Periods of the community whose bills were issued in the last 90 days but have no payment notice
 * (the daily run reminds staff of them).
 */
export async function periodsWithoutNotice(
  db: Database,
  communityId: string,
  now: Date,
): Promise<{ period: string; issuedAt: string; dueDate: string | null }[]> {
  const _ = db.command;
  const since = new Date(now.getTime() - 90 * 86_400_000);
  const runs = await fetchAll<{ period: string; issuedAt: Date; dueDate?: string }>(
    db.collection('billing_runs').where({ communityId, status: 'issued', issuedAt: _.gte(since) }),
  );
  if (runs.length === 0) return [];
  const notices = await fetchAll<{ period: string }>(
    db
      .collection('notices')
      .where({ communityId, kind: 'payment', period: _.in(runs.map((r) => r.period)) })
      .field({ period: true }),
  );
  const noticed = new Set(notices.map((n) => n.period));
  return runs
    .filter((r) => !noticed.has(r.period))
    .sort((a, b) => a.period.localeCompare(b.period))
    .map((r) => ({
      period: r.period,
      issuedAt: new Date(r.issuedAt).toISOString(),
      dueDate: r.dueDate ?? null,
    }));
}
