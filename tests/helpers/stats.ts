/**
 * Database request counts from the local cloud's `/dev/stats` (issue 16's budgets are counted in
 * requests: each costs 20–50 ms on CloudBase). Read through here so a test does not depend on
 * the rest of the reply's shape: `db.requests` and `db.byFunction` are all it uses.
 */
import type { LocalCloud } from '../../tools/cloud/server';
import { getJson, postJson } from './process';

interface DbStats {
  db: { requests: number; byFunction: Record<string, number> };
}

export async function resetStats(cloud: LocalCloud): Promise<void> {
  await postJson(`${cloud.url}/dev/stats/reset`, {});
}

/** Database requests made by function `fn` since the last reset. */
export async function dbRequestsOf(cloud: LocalCloud, fn: string): Promise<number> {
  const stats = await getJson<DbStats>(`${cloud.url}/dev/stats`);
  return stats.db.byFunction[fn] ?? 0;
}

/** The database requests one call of `fn` makes, and its reply. */
export async function countedCall(
  cloud: LocalCloud,
  fn: string,
  event: Record<string, unknown>,
  openid: string,
): Promise<{ requests: number; reply: unknown; bytes: number }> {
  await resetStats(cloud);
  const reply = await cloud.call(fn, event, openid);
  const requests = await dbRequestsOf(cloud, fn);
  return { requests, reply, bytes: Buffer.byteLength(JSON.stringify(reply)) };
}
