/**
 * The contact list (电话/上门/函件 tasks for service staff): owners WeChat cannot reach (not bound,
 * no subscription left, a refused send), owners flagged for special care, letters to deliver and
 * home visits. One open task per room and kind: a new cause is added to the open task instead of
 * creating another, so a room never piles up duplicate calls. Ids are derived from the cause, so
 * a timer delivered twice writes nothing new.
 */
import type { TaskView } from '../../miniprogram/domain/overdue/contract';
import { fetchAll, isDuplicate, type Database } from './db';
import { stableId } from './ids';

export type TaskKind = TaskView['kind'];
export type TaskSource = TaskView['source'];

export interface TaskDoc {
  _id: string;
  communityId: string;
  roomId: string;
  kind: TaskKind;
  source: TaskSource;
  /** Every cause that asked for this contact (notice ids, stage keys…). */
  refs: string[];
  status: 'open' | 'done';
  assignedTo: string | null;
  assignedName: string;
  outcome: string;
  createdAt: Date;
  doneAt?: Date;
  doneBy?: string;
}

export interface TaskRequest {
  roomId: string;
  kind: TaskKind;
  source: TaskSource;
  refId: string;
}

export const TASK_KIND_TEXT: Record<TaskKind, string> = {
  call: '电话联系',
  visit: '上门拜访',
  letter: '送达催缴函',
};

export const TASK_SOURCE_TEXT: Record<TaskSource, string> = {
  'not-bound': '未绑定小程序',
  'no-subscription': '微信消息未送达',
  'special-care': '特殊关怀业主',
  'formal-notice': '逾期 30 天书面通知',
  'home-visit': '逾期 60 天上门拜访',
  'sms-failed': '短信未送达',
  'no-contact': '微信与短信均无法送达',
};

/**
 * Creates the tasks that are not already covered by an open task of the same room and kind
 * (those get the cause added). One query per 1,000 rooms plus one batch insert. Returns how many
 * tasks were created.
 */
export async function ensureTasks(
  db: Database,
  communityId: string,
  requests: readonly TaskRequest[],
  now: Date,
): Promise<number> {
  if (requests.length === 0) return 0;
  const _ = db.command;
  const rooms = [...new Set(requests.map((r) => r.roomId))];
  const open = new Map<string, TaskDoc>();
  for (let i = 0; i < rooms.length; i += 1000) {
    const docs = await fetchAll<TaskDoc>(
      db
        .collection('collection_tasks')
        .where({ communityId, roomId: _.in(rooms.slice(i, i + 1000)), status: 'open' }),
    );
    for (const d of docs) open.set(`${d.roomId}:${d.kind}`, d);
  }
  const fresh = new Map<string, TaskDoc>();
  for (const r of requests) {
    const key = `${r.roomId}:${r.kind}`;
    const existing = open.get(key);
    if (existing) {
      if (!existing.refs.includes(r.refId)) {
        existing.refs.push(r.refId);
        await db
          .collection('collection_tasks')
          .doc(existing._id)
          .update({ data: { refs: _.addToSet(r.refId) } });
      }
      continue;
    }
    if (fresh.has(key)) continue;
    fresh.set(key, {
      _id: stableId('task', r.roomId, r.kind, r.refId),
      communityId,
      roomId: r.roomId,
      kind: r.kind,
      source: r.source,
      refs: [r.refId],
      status: 'open',
      assignedTo: null,
      assignedName: '',
      outcome: '',
      createdAt: now,
    });
  }
  // A repeated delivery may have written some of them already (e.g. a task closed since).
  return insertMany(db, 'collection_tasks', [...fresh.values()] as unknown as Record<
    string,
    unknown
  >[]);
}

/**
 * Inserts documents with derived ids in one round trip; when some already exist (a repeated timer
 * delivery), falls back to one by one and keeps the existing ones. Returns how many were new.
 */
export async function insertMany(
  db: Database,
  collection: string,
  docs: readonly Record<string, unknown>[],
): Promise<number> {
  if (docs.length === 0) return 0;
  try {
    await db.collection(collection).add({ data: [...docs] });
    return docs.length;
  } catch (e) {
    if (!isDuplicate(e)) throw e;
    let created = 0;
    for (const d of docs) {
      try {
        await db.collection(collection).add({ data: d });
        created++;
      } catch (err) {
        if (!isDuplicate(err)) throw err;
      }
    }
    return created;
  }
}
