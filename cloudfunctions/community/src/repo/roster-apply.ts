/**
 * Applies an import plan with batched writes: inserts in arrays of up to 500 documents, updates
 * grouped by identical change (one `where(_id in …).update` per group of up to 500), so 20,000
 * new rooms cost tens of round trips, not tens of thousands. Stops at `deadline` and reports
 * what is left: the caller saves progress and the next call re-plans, which skips what is done.
 */
import type { DB } from 'wx-server-sdk';
import { revokeBindingsOfPerson } from '../../../_shared/bindings';
import type { ActionContext } from '../../../_shared/router';
import { planSize, type DocUpdate, type ImportPlan } from './roster-plan';

export interface ApplyOutcome {
  done: boolean;
  /** Round trips made. */
  writes: number;
  /** Planned writes not yet made (0 when done). */
  remaining: number;
}

const BATCH = 500;

function isDuplicate(e: unknown): boolean {
  return /E11000|duplicate/i.test((e as Error)?.message ?? '');
}

export async function applyPlan(
  ctx: ActionContext,
  plan: ImportPlan,
  opts: { deadline: number; importId: string },
): Promise<ApplyOutcome> {
  const db = ctx.db;
  const _ = db.command;
  const now = ctx.now();
  const stamp = { updatedAt: now, lastImportId: opts.importId };
  let writes = 0;
  let done = 0;
  const total = planSize(plan);
  // Every call makes progress: the first write goes ahead whatever the clock says.
  let first = true;
  const timeUp = () => {
    if (first) {
      first = false;
      return false;
    }
    return Date.now() > opts.deadline;
  };

  const insertAll = async (collection: string, docs: DB.DocumentData[]): Promise<boolean> => {
    for (let i = 0; i < docs.length; i += BATCH) {
      if (timeUp()) return false;
      const chunk = docs.slice(i, i + BATCH).map((d) => ({ ...d, createdAt: now, ...stamp }));
      try {
        await db.collection(collection).add({ data: chunk });
        writes++;
      } catch (e) {
        if (!isDuplicate(e)) throw e;
        // Written by an interrupted earlier run: upsert one by one (same deterministic ids).
        for (const { _id, ...rest } of chunk) {
          await db.collection(collection).doc(String(_id)).set({ data: rest });
          writes++;
        }
      }
      done += chunk.length;
    }
    return true;
  };

  const updateAll = async <T>(collection: string, updates: DocUpdate<T>[]): Promise<boolean> => {
    const groups = new Map<string, { set: Partial<T>; ids: string[] }>();
    for (const u of updates) {
      const key = JSON.stringify(u.set);
      const g = groups.get(key) ?? { set: u.set, ids: [] };
      g.ids.push(u.id);
      groups.set(key, g);
    }
    for (const { set, ids } of groups.values()) {
      for (let i = 0; i < ids.length; i += BATCH) {
        if (timeUp()) return false;
        const slice = ids.slice(i, i + BATCH);
        await db
          .collection(collection)
          .where({ _id: _.in(slice) })
          .update({ data: { ...set, ...stamp } });
        writes++;
        done += slice.length;
      }
    }
    return true;
  };

  const steps: (() => Promise<boolean>)[] = [
    () => insertAll('owners', plan.ownerInserts),
    () => insertAll('rooms', plan.roomInserts),
    () => insertAll('room_owners', plan.relationInserts),
    () => updateAll('rooms', plan.roomUpdates),
    () => updateAll('owners', plan.ownerUpdates),
    // Bindings go before the relations end, so an interrupted run still revokes them next time.
    async () => {
      for (const pair of plan.ended) {
        if (timeUp()) return false;
        await revokeBindingsOfPerson(
          ctx,
          pair.roomId,
          pair.ownerId,
          '房屋登记信息已变更',
          'import',
        );
        writes++;
        done++;
      }
      return true;
    },
    () => updateAll('room_owners', plan.relationUpdates),
  ];
  for (const step of steps) {
    if (!(await step())) return { done: false, writes, remaining: Math.max(1, total - done) };
  }
  return { done: true, writes, remaining: 0 };
}
