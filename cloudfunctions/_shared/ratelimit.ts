/**
 * Failure rate limits (binding guesses, invite codes, bootstrap codes): a sliding window of
 * timestamps per key, kept in one `rate_limits` document and changed in a transaction so that
 * parallel attempts cannot slip past the limit. An attempt is reserved before the check it
 * guards and refunded when it succeeds, so only failures count.
 */
import { AppError, type ActionContext } from './router';

export interface Limit {
  max: number;
  windowMs: number;
}

interface RateDoc {
  hits?: number[];
}

export const HOUR_MS = 60 * 60 * 1000;

/** Reserves one attempt under `key`, or throws RATE_LIMITED when `max` are already in the window. */
export async function reserveAttempt(
  ctx: ActionContext,
  key: string,
  limit: Limit,
): Promise<{ at: number; refund: () => Promise<void> }> {
  const now = ctx.now().getTime();
  const db = ctx.db;
  const outcome = await db.runTransaction(async (t) => {
    let hits: number[] = [];
    try {
      const res = await t.collection('rate_limits').doc(key).get();
      hits = ((res.data as RateDoc).hits ?? []).filter((h) => typeof h === 'number');
    } catch {
      // no document yet
    }
    hits = hits.filter((h) => h > now - limit.windowMs);
    if (hits.length >= limit.max) {
      const retryMs = Math.max(0, Math.min(...hits) + limit.windowMs - now);
      return {
        limited: true as const,
        retrySeconds: Math.max(1, Math.ceil(retryMs / 1000)),
        retryMinutes: Math.max(1, Math.ceil(retryMs / 60_000)),
      };
    }
    hits.push(now);
    await t
      .collection('rate_limits')
      .doc(key)
      .set({ data: { hits, updatedAt: new Date(now) } });
    return { limited: false as const, retrySeconds: 0, retryMinutes: 0 };
  });
  if (outcome.limited) {
    throw new AppError(
      'RATE_LIMITED',
      `尝试次数过多，请 ${outcome.retryMinutes} 分钟后再试，或到物业服务中心办理`,
      outcome.retrySeconds,
    );
  }
  return {
    at: now,
    refund: async () => {
      await db.runTransaction(async (t) => {
        let hits: number[] = [];
        try {
          const res = await t.collection('rate_limits').doc(key).get();
          hits = (res.data as RateDoc).hits ?? [];
        } catch {
          return;
        }
        const i = hits.lastIndexOf(now);
        if (i < 0) return;
        hits.splice(i, 1);
        await t
          .collection('rate_limits')
          .doc(key)
          .set({ data: { hits, updatedAt: new Date(now) } });
      });
    },
  };
}
