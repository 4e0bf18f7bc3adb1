/**
 * The typed action router every cloud function uses: `event.action` selects a handler, the
 * rest of the event is validated against the action's schema from `miniprogram/domain/types`,
 * and every outcome becomes `{ ok: true, data } | { ok: false, code, message }`.
 * Identity comes from `cloud.getWXContext()`, never from the event.
 */
import cloud from 'wx-server-sdk';
import type { z } from 'zod';
import type { ErrorCode, Reply } from '../../miniprogram/domain/kernel/reply';
import type { Database } from './db';
import type { Contract } from '../../miniprogram/domain/kernel/contract';

/** An expected failure with a code the client maps to a polite message. */
export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    /** RATE_LIMITED: seconds until the caller may try again (sent as `retryAfterSeconds`). */
    public readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface ActionContext {
  openid: string;
  appid: string;
  source: string;
  db: Database;
  /** The current time as the platform sees it (the dev clock locally). */
  now: () => Date;
}

type ContractMap = Record<string, Contract<z.ZodType, unknown>>;

export type Handlers<C extends ContractMap> = {
  [A in keyof C]: (
    input: C[A] extends Contract<infer I, unknown> ? z.output<I> : never,
    ctx: ActionContext,
  ) => Promise<C[A] extends Contract<z.ZodType, infer O> ? O : never>;
};

let initialised = false;
function initCloud(): void {
  if (!initialised) {
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
    initialised = true;
  }
}

/** Describes zod issues in one line, naming each field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const prefix = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') {
        return issue.keys
          .map((k) => `${prefix ? `${prefix}.` : ''}${k}: 不支持的字段 (unrecognized field)`)
          .join('; ');
      }
      return `${prefix || '(input)'}: ${issue.message}`;
    })
    .join('; ');
}

export function createRouter<C extends ContractMap>(
  functionName: string,
  contracts: C,
  handlers: Handlers<C>,
): (event: unknown, context?: unknown) => Promise<Reply<unknown>> {
  return async (event) => {
    initCloud();
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      return {
        ok: false,
        code: 'INVALID_INPUT',
        message: 'event must be an object with an action',
      };
    }
    const { action, ...rest } = event as Record<string, unknown>;
    // The mini-program SDK adds userInfo to every client call; it carries no trusted identity.
    delete rest.userInfo;
    if (typeof action !== 'string' || !Object.prototype.hasOwnProperty.call(contracts, action)) {
      return {
        ok: false,
        code: 'INVALID_INPUT',
        message: `action: unknown action ${JSON.stringify(action ?? null)} for ${functionName}; expected one of ${Object.keys(contracts).join(', ')}`,
      };
    }
    const contract = contracts[action]!;
    const parsed = contract.input.safeParse(rest);
    if (!parsed.success) {
      return { ok: false, code: 'INVALID_INPUT', message: describeIssues(parsed.error) };
    }
    const wx = cloud.getWXContext();
    const ctx: ActionContext = {
      openid: wx.OPENID ?? '',
      appid: wx.APPID ?? '',
      source: wx.SOURCE ?? process.env.SOURCE ?? '',
      db: cloud.database(),
      now: () => new Date(),
    };
    try {
      const handler = handlers[action as keyof C] as (
        i: unknown,
        c: ActionContext,
      ) => Promise<unknown>;
      const data = await handler(parsed.data, ctx);
      return { ok: true, data };
    } catch (err) {
      if (err instanceof AppError) {
        return err.retryAfterSeconds === undefined
          ? { ok: false, code: err.code, message: err.message }
          : {
              ok: false,
              code: err.code,
              message: err.message,
              retryAfterSeconds: err.retryAfterSeconds,
            };
      }
      console.error(`[${functionName}.${action}]`, err);
      return { ok: false, code: 'INTERNAL', message: '系统繁忙，请稍后再试' };
    }
  };
}

/** Requires a signed-in WeChat user (client calls always carry one). */
export function requireOpenid(ctx: ActionContext): string {
  if (!ctx.openid) throw new AppError('UNAUTHENTICATED', '请在微信中打开小程序后再试');
  return ctx.openid;
}
