/**
 * The typed action router every cloud function uses: `event.action` selects a handler, the
 * rest of the event is checked against the action's contract (`miniprogram/domain/<capability>/
 * contract.ts`, with the kit's `check`, as the mini-program's forms do), and every outcome becomes
 * `{ ok: true, data } | { ok: false, code, message, fields? }`.
 * Identity comes from `cloud.getWXContext()`, never from the event.
 */
import cloud from 'wx-server-sdk';
import type { ErrReply, ErrorCode, FieldError, Reply } from '../../miniprogram/domain/kernel/reply';
import type { Database } from './db';
import {
  check,
  describeErrors,
  fieldsOfMessage,
  type Schema,
} from '../../miniprogram/domain/kernel/check';
import type { Contract, z } from '../../miniprogram/domain/kernel/contract';

/**
 * An expected failure with a code the client maps to a polite message. A message that starts
 * with a field name (`reference: 该交易参考号已登记过`) names that field: the reply carries it in
 * `fields`, so the page can show the sentence next to the input.
 */
export class AppError extends Error {
  /** The field the message names, with the sentence (none when the message names no field). */
  readonly fields: FieldError[];

  constructor(
    public readonly code: ErrorCode,
    message: string,
    /** RATE_LIMITED: seconds until the caller may try again (sent as `retryAfterSeconds`). */
    public readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.fields = fieldsOfMessage(message);
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

type ContractMap = Record<string, Contract<Schema, unknown>>;

export type Handlers<C extends ContractMap> = {
  [A in keyof C]: (
    input: C[A] extends Contract<infer I, unknown> ? z.output<I> : never,
    ctx: ActionContext,
  ) => Promise<C[A] extends Contract<Schema, infer O> ? O : never>;
};

let initialised = false;
function initCloud(): void {
  if (!initialised) {
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
    initialised = true;
  }
}

/** The INVALID_INPUT reply for the contract's problems: one line naming each field, and the list. */
export function invalidInput(errors: FieldError[]): ErrReply {
  return { ok: false, code: 'INVALID_INPUT', message: describeErrors(errors), fields: errors };
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
      return invalidInput([
        {
          field: 'action',
          message: `unknown action ${JSON.stringify(action ?? null)} for ${functionName}; expected one of ${Object.keys(contracts).join(', ')}`,
        },
      ]);
    }
    const parsed = check(contracts[action]!, rest);
    if (!parsed.ok) return invalidInput(parsed.errors);
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
        return {
          ok: false,
          code: err.code,
          message: err.message,
          ...(err.fields.length > 0 ? { fields: err.fields } : {}),
          ...(err.retryAfterSeconds === undefined
            ? {}
            : { retryAfterSeconds: err.retryAfterSeconds }),
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
