/**
 * Calling a cloud function as a user, the way every function test does: the reply as the caller
 * sees it, or the data of a successful reply (a refusal throws `CODE: message`, so a test that
 * expects success fails with the reason).
 */
import type { LocalCloud } from '../../tools/cloud/server';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type { FunctionName } from '../../miniprogram/domain/api';

/** The data of a successful reply; a refusal throws `CODE: message`. */
export async function dataOf<T>(reply: Promise<unknown> | unknown): Promise<T> {
  const r = (await reply) as Reply<T>;
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.data;
}

/**
 * Calls function `fn` as `openid` (by default `asUser`): `raw` answers the reply, `call` the data
 * of a successful one.
 */
export function caller(cloud: LocalCloud, fn: string, asUser?: string) {
  const raw = (event: Record<string, unknown>, openid: string | undefined = asUser) =>
    cloud.call(fn, event, openid) as Promise<Reply<unknown>>;
  const call = <T = unknown>(event: Record<string, unknown>, openid?: string) =>
    dataOf<T>(raw(event, openid ?? asUser));
  return { raw, call };
}

/** Calls any function: `call(fn, event, openid)` answers the data, `raw(…)` the reply. */
export function functionCalls(cloud: LocalCloud) {
  const raw = (fn: string, event: unknown, openid?: string) =>
    cloud.call(fn, event, openid) as Promise<Reply<unknown>>;
  const call = <T = unknown>(fn: string, event: unknown, openid?: string) =>
    dataOf<T>(raw(fn, event, openid));
  return { raw, call };
}

/** One function's reply to an event from a caller. */
export type ReplyOf = <T = unknown>(
  event: Record<string, unknown>,
  openid?: string,
) => Promise<Reply<T>>;

/**
 * Every function by name: `call.staff(event, openid)` is the staff function's reply to `event`
 * from `openid` (and likewise `call.binding`, `call.account`, …).
 */
export function callsTo(cloud: LocalCloud): Record<FunctionName, ReplyOf> {
  return new Proxy({} as Record<FunctionName, ReplyOf>, {
    get:
      (_, fn): ReplyOf =>
      <T>(event: Record<string, unknown>, openid?: string) =>
        cloud.call(String(fn), event, openid) as Promise<Reply<T>>,
  });
}
