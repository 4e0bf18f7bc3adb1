/**
 * The one typed client for cloud functions.
 *
 *   const home = await call('owner', 'home', {});
 *
 * Input and output types come from the shared contracts in domain/types (type-only imports: zod
 * never ships in the mini-program). A `{ ok: false }` reply or a failed call becomes a
 * `CloudError` whose `message` is a polite Chinese sentence fit to show an owner; the raw code
 * stays in `code` for logic and logs, never on screen.
 */
import type { ActionInput, ActionName, ActionOutput, FunctionName } from '../domain/api';
import type { ErrorCode, Reply } from '../domain/kernel/reply';

export type CloudErrorCode = ErrorCode | 'NETWORK';

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
};

export class CloudError extends Error {
  readonly code: CloudErrorCode;
  /** Technical detail for logs only. */
  readonly detail: string;
  /** The input field an INVALID_INPUT or CONFLICT reply names ('reference'), or ''. */
  readonly field: string;
  /** RATE_LIMITED: seconds until another attempt is allowed, when the reply says. */
  readonly retryAfterSeconds: number | null;

  constructor(
    code: CloudErrorCode,
    message: string,
    detail = '',
    field = '',
    retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'CloudError';
    this.code = code;
    this.detail = detail;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Servers name the offending field first: 'reference: 请填写…' → ['reference', '请填写…']. */
const FIELD_PREFIX = /^([A-Za-z][\w.[\]]*):\s*/;

export function splitFieldMessage(message: string): { field: string; text: string } {
  const m = FIELD_PREFIX.exec(message);
  return m ? { field: m[1]!, text: message.slice(m[0].length) } : { field: '', text: message };
}

/**
 * Reads: safe to repeat after a network failure. Anything not listed here (payments, writes)
 * is never retried by the client: a repeated write could be applied twice.
 */
const IDEMPOTENT = new Set<string>([
  'account.whoami',
  'owner.home',
  'owner.bills',
  // orderStatus may apply a payment WeChat Pay reports as paid, which the ledger does exactly once
  'payment.orderStatus',
  'payment.myReceipts',
  'payment.receipt',
  'payment.refunds',
  'payment.myInvoices',
  'payment.invoiceQueue',
  'payment.roomBills',
  'payment.searchReceipts',
  'settings.get',
  'community.get',
  'community.rooms',
  'community.room',
  'fee.billDetail',
  'fee.publicStandards',
  'fee.standards',
  'fee.run',
  'fee.runs',
  'fee.readings',
  'reconcile.days',
  'reconcile.wechatRun',
  'reconcile.bankImports',
  'reconcile.bankImport',
  'report.collection',
  'report.aging',
  'report.arrears',
  'report.reasons',
]);

export function isIdempotent(fn: string, action: string): boolean {
  return IDEMPOTENT.has(`${fn}.${action}`);
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
 * The message an owner sees for an error reply. A server message is used only when it is
 * already a polite Chinese sentence (precondition and conflict replies explain the situation);
 * otherwise the standard sentence for the code.
 */
export function friendlyMessage(code: CloudErrorCode, rawMessage?: string): string {
  const serverMessage = rawMessage === undefined ? undefined : splitFieldMessage(rawMessage).text;
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
          throw new CloudError('NETWORK', FRIENDLY_MESSAGES.NETWORK, detail);
        }
        await delay(400);
      }
    }
    if (!isReply(result)) {
      throw new CloudError('INTERNAL', FRIENDLY_MESSAGES.INTERNAL, 'reply without ok');
    }
    if (result.ok) return result.data as ActionOutput<F, A>;
    const code: CloudErrorCode = ERROR_CODES.has(result.code) ? result.code : 'INTERNAL';
    throw new CloudError(
      code,
      friendlyMessage(code, result.message),
      `${result.code}: ${result.message}`,
      splitFieldMessage(String(result.message ?? '')).field,
      typeof result.retryAfterSeconds === 'number' ? result.retryAfterSeconds : null,
    );
  } finally {
    if (loading) wx.hideLoading();
  }
}
