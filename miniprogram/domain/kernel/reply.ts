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

/** One problem with the input: the field's path (`taxId`, `readings.0.roomId`; '' for the whole input) and a sentence. */
export interface FieldError {
  field: string;
  message: string;
}

export interface ErrReply {
  ok: false;
  code: ErrorCode;
  /** `field: sentence; field: sentence` for INVALID_INPUT, the same as `fields` in one line. */
  message: string;
  /** The fields the reply names, with their sentences (INVALID_INPUT, and CONFLICT on a field). */
  fields?: FieldError[];
  /** RATE_LIMITED: whole seconds until an attempt is allowed again. */
  retryAfterSeconds?: number;
}

export type Reply<T> = OkReply<T> | ErrReply;
