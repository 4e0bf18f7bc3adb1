/**
 * The reply envelope every cloud function action returns, shared by the functions and the
 * mini-program client. Error codes are a closed set so the client can map each one to a polite
 * Chinese message (see miniprogram/services/cloud.ts).
 */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'PRECONDITION_FAILED'
  | 'INTERNAL';

export interface OkReply<T> {
  ok: true;
  data: T;
}

export interface ErrReply {
  ok: false;
  code: ErrorCode;
  message: string;
  /** RATE_LIMITED: whole seconds until an attempt is allowed again. */
  retryAfterSeconds?: number;
}

export type Reply<T> = OkReply<T> | ErrReply;
