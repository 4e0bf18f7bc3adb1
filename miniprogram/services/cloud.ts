/**
 * The one typed client for cloud functions.
 *
 *   const home = await call('owner', 'home', {});
 *
 * Input and output types come from the shared contracts (domain/api.ts, the registry); so does
 * whether an action is a read the client may repeat (the contract's idempotent mark). A
 * `{ ok: false }` reply or a failed call becomes a `CloudError` whose `message` is a polite Chinese
 * sentence fit to show an owner; the raw code stays in `code` for logic and logs, never on screen,
 * and the fields the reply names stay in `fields` for the form.
 */
import {
  api,
  type ActionInput,
  type ActionName,
  type ActionOutput,
  type FunctionName,
} from '../domain/api';
import type { ErrorCode, FieldError, Reply } from '../domain/kernel/reply';

/**
 * NETWORK: the call never reached the cloud (the phone's connection). BUSY: it reached the cloud
 * but the function did not answer (timed out or failed to run): not the owner's network.
 */
export type CloudErrorCode = ErrorCode | 'NETWORK' | 'BUSY';

/** What an owner reads for each error code (service standard: 您好 / 请 / 抱歉). */
export const FRIENDLY_MESSAGES: Record<CloudErrorCode, string> = {
  INVALID_INPUT: '抱歉，您填写的信息有误，请检查后再试',
  UNAUTHENTICATED: '您好，请重新进入小程序后再试',
  FORBIDDEN: '抱歉，您暂无权限进行此操作',
  NOT_FOUND: '抱歉，没有找到相关信息，请刷新后再试',
  CONFLICT: '抱歉，信息刚刚有更新，请刷新后再试',
  RATE_LIMITED: '您好，操作有些频繁，请稍后再试',
  PRECONDITION_FAILED: '抱歉，当前状态暂不能办理此项，请刷新后查看',
  INTERNAL: '抱歉，系统暂时繁忙，请稍后再试',
  NETWORK: '抱歉，网络连接不太稳定，请检查网络后重试',
  BUSY: '抱歉，服务暂时繁忙，请稍后重试',
};

export class CloudError extends Error {
  readonly code: CloudErrorCode;
  /** Technical detail for logs only. */
  readonly detail: string;
  /** The (first) input field an INVALID_INPUT or CONFLICT reply names ('reference'), or ''. */
  readonly field: string;
  /** Every field the reply names, with its sentence (INVALID_INPUT: all the contract's problems). */
  readonly fields: FieldError[];
  /** RATE_LIMITED: seconds until another attempt is allowed, when the reply says. */
  readonly retryAfterSeconds: number | null;

  constructor(
    code: CloudErrorCode,
    message: string,
    detail = '',
    fields: FieldError[] = [],
    retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'CloudError';
    this.code = code;
    this.detail = detail;
    this.fields = fields;
    this.field = fields[0]?.field ?? '';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * Reads marked idempotent on their contract: safe to repeat after a network failure. Anything
 * else (payments, writes, unknown actions) is never retried by the client: a repeated write could
 * be applied twice.
 */
export function isIdempotent(fn: string, action: string): boolean {
  const contracts = (api as Record<string, Record<string, { idempotent?: boolean }> | undefined>)[
    fn
  ];
  return (
    contracts !== undefined &&
    Object.prototype.hasOwnProperty.call(contracts, action) &&
    contracts[action]!.idempotent === true
  );
}

export interface CallOptions {
  /**
   * Loading toast while the call runs: `true` shows 加载中, a string shows that text, `false`
   * shows none (pages that render their own loading state pass false). Default true.
   */
  loading?: boolean | string;
}

const ERROR_CODES: ReadonlySet<string> = new Set<CloudErrorCode>(
  Object.keys(FRIENDLY_MESSAGES) as CloudErrorCode[],
);

const HAS_CHINESE = /[\u4e00-\u9fa5]/;
const LOOKS_TECHNICAL = /[A-Z_]{4,}|[{}<>]|Error|error|exception|\bat\b/;

/**
 * The message an owner sees for an error reply. A server sentence is used only when it is
 * already a polite Chinese sentence (precondition and conflict replies explain the situation);
 * otherwise the standard sentence for the code. When the reply names fields, the sentence is the
 * first field's (without the field's name).
 */
export function friendlyMessage(
  code: CloudErrorCode,
  rawMessage?: string,
  fields: readonly FieldError[] = [],
): string {
  const serverMessage = fields[0]?.message ?? rawMessage;
  if (
    (code === 'PRECONDITION_FAILED' || code === 'CONFLICT' || code === 'INVALID_INPUT') &&
    serverMessage &&
    HAS_CHINESE.test(serverMessage) &&
    !LOOKS_TECHNICAL.test(serverMessage) &&
    serverMessage.length <= 60
  ) {
    return serverMessage;
  }
  return FRIENDLY_MESSAGES[code];
}

/** Any thrown value as a sentence for the screen. */
export function messageOf(err: unknown): string {
  if (err instanceof CloudError) return err.message;
  return FRIENDLY_MESSAGES.INTERNAL;
}

function isReply(x: unknown): x is Reply<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { ok?: unknown }).ok === 'boolean';
}

/** The reply's `fields`, keeping only well-formed entries. */
function fieldsOf(x: unknown): FieldError[] {
  if (!Array.isArray(x)) return [];
  return x.filter(
    (f): f is FieldError =>
      typeof f === 'object' &&
      f !== null &&
      typeof (f as FieldError).field === 'string' &&
      typeof (f as FieldError).message === 'string',
  );
}

/**
 * Whether a failed `wx.cloud.callFunction` reached the cloud: WeChat reports a function that timed
 * out or failed to run with its error code (-504003 timeout, -504002 execution failure) and
 * "functions execute fail" / "Invoking task timed out"; anything else never got an answer.
 */
export function failureCode(err: unknown): 'NETWORK' | 'BUSY' {
  const e = err as { errCode?: unknown; errMsg?: unknown } | null;
  const msg = String(e?.errMsg ?? err ?? '');
  if (e?.errCode === -504003 || e?.errCode === -504002) return 'BUSY';
  return /-50400[23]|functions execute fail|Invoking task timed out/i.test(msg)
    ? 'BUSY'
    : 'NETWORK';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function invoke(name: string, data: Record<string, unknown>): Promise<unknown> {
  const res = await wx.cloud.callFunction({ name, data });
  return res.result;
}

/** Call `fn.action` with `input`; resolves with the reply's data or rejects with a CloudError. */
export async function call<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
  input: ActionInput<F, A>,
  options: CallOptions = {},
): Promise<ActionOutput<F, A>> {
  const loading = options.loading ?? true;
  if (loading) {
    wx.showLoading({ title: typeof loading === 'string' ? loading : '加载中', mask: true });
  }
  const data = { ...(input as Record<string, unknown>), action };
  const attempts = isIdempotent(fn, action) ? 2 : 1;
  try {
    let result: unknown;
    for (let attempt = 1; ; attempt++) {
      try {
        result = await invoke(fn, data);
        break;
      } catch (err) {
        if (attempt >= attempts) {
          const detail = (err as { errMsg?: string })?.errMsg ?? String(err);
          const code = failureCode(err);
          throw new CloudError(code, FRIENDLY_MESSAGES[code], detail);
        }
        await delay(400);
      }
    }
    if (!isReply(result)) {
      throw new CloudError('INTERNAL', FRIENDLY_MESSAGES.INTERNAL, 'reply without ok');
    }
    if (result.ok) return result.data as ActionOutput<F, A>;
    const code: CloudErrorCode = ERROR_CODES.has(result.code) ? result.code : 'INTERNAL';
    const fields = fieldsOf(result.fields);
    throw new CloudError(
      code,
      friendlyMessage(code, result.message, fields),
      `${result.code}: ${result.message}`,
      fields,
      typeof result.retryAfterSeconds === 'number' ? result.retryAfterSeconds : null,
    );
  } finally {
    if (loading) wx.hideLoading();
  }
}

/**
 * `call` without the loading toast, for what a page asks while it shows its own loading state
 * (page-state's status, a list's listLoading, a busy button).
 */
export function callQuiet<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
  input: ActionInput<F, A>,
): Promise<ActionOutput<F, A>> {
  return call(fn, action, input, { loading: false });
}
